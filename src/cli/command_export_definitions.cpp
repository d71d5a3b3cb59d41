#include "commands.hpp"

#include "cptsmap/export/membership_csv.hpp"
#include "cptsmap/export/output_dir.hpp"

#include <filesystem>
#include <iostream>

namespace cptsmap::cli {

namespace {
struct ExportArgs {
    BuildOptions options;
    std::string out;
    bool overwrite = false;
};
} // namespace

Action add_export_definitions_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export-definitions",
                                       "Resolve the definitions and write the membership as a clean CSV (territory_id, territory_name, insee, commune)");
    add_input_options(*cmd, args->options);
    add_output_options(*cmd, args->out, args->overwrite, "CSV file to write (replaced atomically): new, or a table cptsmap wrote",
                       "replace --out even when it is not a membership table cptsmap wrote");
    return [args, &global] {
        check_membership_csv_target(args->out, args->overwrite); // before the long part, changing nothing
        GeosContext geos;
        BuildResult result = resolve_definitions(args->options, geos);
        const std::filesystem::path out = std::filesystem::absolute(args->out).lexically_normal();
        OutputDirOptions folder;
        folder.single_file = true; // a folder of the user's: no marker, not checked as an output folder
        OutputDir dir(out.parent_path(), folder);
        write_membership_csv(result.layer, result.resolution, dir.staged(out.filename().string()).string());
        dir.commit();
        print_warnings(result.warnings, global);
        if (!global.quiet) {
            std::size_t rows = 0;
            for (const auto& t : result.resolution.territories) rows += t.communes.size();
            std::cout << "wrote " << args->out << ": " << result.resolution.territories.size() << " territories, " << rows << " rows\n";
        }
    };
}

} // namespace cptsmap::cli
