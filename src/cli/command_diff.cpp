#include "commands.hpp"
#include "progress.hpp"

#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/definitions/membership_table.hpp"
#include "cptsmap/diff/diff_outputs.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/layer/commune_loader.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace cptsmap::cli {

namespace {

struct DiffArgs {
    LoadOptions load;
    std::string history;
    std::string before, after;
    std::string out_dir;
    bool map = false;
    bool json = false;
    bool overwrite = false;
};

std::string lower_extension(const std::filesystem::path& p)
{
    std::string e = p.extension().string();
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

// A version from a definitions file (.toml), an earlier output folder (its report.json) or a
// membership table (CSV, XLSX, ODS, with the default column names).
TerritoryVersion load_version(const std::string& what, const std::string& path, const CommuneLayer& layer, const CommuneHistory* history,
                              std::vector<std::string>& warnings)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        throw InputError(what + " " + path + " does not exist; give a definitions file, a membership table or the folder of an earlier build");
    }
    fs::path report = path;
    if (fs::is_directory(path, ec)) report /= "report.json";
    if (report.filename() == "report.json") {
        std::ifstream in(report);
        if (!in) throw InputError(what + " " + path + " holds no report.json; give the folder of an earlier cptsmap build");
        std::ostringstream text;
        text << in.rdbuf();
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(text.str());
        } catch (const nlohmann::json::exception& e) {
            throw InputError(report.string() + " is not valid JSON (" + e.what() + "); is it a cptsmap report.json?");
        }
        return version_from_report(layer, j, report.string(), history);
    }
    Definitions defs;
    if (lower_extension(path) == ".toml") {
        defs = load_definitions(path);
    } else {
        MembershipTableOptions table;
        table.path = path;
        defs = load_membership_table(table);
    }
    Resolver resolver(layer, history);
    Resolution resolution = resolver.resolve(defs);
    for (const auto& w : resolution.warnings) warnings.push_back(what + ": " + w);
    return version_of(layer, std::move(resolution), path);
}

} // namespace

Action add_diff_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<DiffArgs>();
    CLI::App* cmd = app.add_subcommand("diff", "Compare two versions of the territories: what each commune, territory and département gained or lost");
    add_communes_option(*cmd, args->load);
    cmd->add_option("--before", args->before, "the earlier version: definitions (TOML), a membership table, or an earlier build's folder")->required();
    cmd->add_option("--after", args->after, "the later version, in any of the same forms")->required();
    add_output_options(*cmd, args->out_dir, args->overwrite,
                       "folder for changes.csv, changes.geojson, territory_changes.csv, diff.json (and diff.svg/png/html): new, empty, or a previous "
                       "cptsmap output");
    cmd->add_option("--cog-history", args->history,
                    "INSEE commune history (mouvements-communes CSV): communes merged between the versions are matched, not reported gone");
    add_layer_options(*cmd, args->load);
    cmd->add_flag("--map", args->map, "also draw the changes: diff.svg, diff.png and diff.html");
    cmd->add_flag("--json", args->json, "print diff.json on stdout instead of the summary");
    return [args, &global] {
        check_output_folder(args->out_dir, args->overwrite); // before the long part, changing nothing
        GeosContext geos;
        Progress progress(global.quiet, global.progress);
        const ProgressFn step = progress.phase("comparing");
        const auto report_step = [&](std::string_view what, int done) {
            if (step) step(what, done, 4);
        };
        report_step("loading the communes", 0);
        const CommuneLayer layer = load_communes(args->load, geos);
        std::optional<CommuneHistory> history;
        if (!args->history.empty()) history = load_commune_history(args->history);
        report_step("resolving both versions", 1);
        std::vector<std::string> warnings = layer.warnings;
        const TerritoryVersion before = load_version("--before", args->before, layer, history ? &*history : nullptr, warnings);
        const TerritoryVersion after = load_version("--after", args->after, layer, history ? &*history : nullptr, warnings);
        report_step("comparing", 2);
        const TerritoryDiff diff = diff_versions(layer, before, after);
        report_step("writing", 3);
        DiffOutputOptions options;
        options.map = args->map;
        options.overwrite = args->overwrite;
        write_diff(layer, before, after, diff, args->out_dir, geos, options);
        report_step("done", 4);
        progress.clear();
        if (args->json) std::cout << diff_json(layer, before, after, diff);
        else if (!global.quiet) std::cout << diff_summary(layer, before, after, diff) << "outputs: " << args->out_dir << "/{changes.csv,changes.geojson,"
                                          << "territory_changes.csv,diff.json" << (args->map ? ",diff.svg,diff.png,diff.html" : "") << "}\n";
        print_warnings(warnings, global);
    };
}

} // namespace cptsmap::cli
