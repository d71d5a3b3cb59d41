#include "commands.hpp"
#include "process_memory.hpp"
#include "progress.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/layer_schema.hpp"
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/report.hpp"
#include "cptsmap/pipeline/build.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace cptsmap::cli {

namespace {
struct BuildArgs {
    BuildOptions options;
    OutputOptions output;
    std::vector<std::string> formats{"geojson"};
    bool timings = false;
    double simplify_m = 0.0, simplify_pct = 0.0;
    bool clean = false;
    CleanOptions clean_options;
    std::string clean_rule = "longest-border";
};

std::string outputs_line(const BuildArgs& a)
{
    std::string out;
    const auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
    const std::string dir = a.options.out_dir + "/";
    for (OutputFormat f : a.output.formats) {
        switch (f) {
        case OutputFormat::GeoJson: {
            std::string names;
            for (const OutputLayerSchema& layer : output_layers())
                if (layer.geojson && (a.output.layers.empty() || std::find(a.output.layers.begin(), a.output.layers.end(), layer.name) != a.output.layers.end()))
                    names += (names.empty() ? "" : ",") + layer.name;
            add(dir + "{" + names + "}.geojson");
            break;
        }
        case OutputFormat::GeoPackage: add(dir + "cptsmap.gpkg"); break;
        case OutputFormat::FlatGeobuf: add(dir + "*.fgb"); break;
        case OutputFormat::Shapefile: add(dir + "*.shp"); break;
        case OutputFormat::PostGis: add("PostGIS tables"); break;
        case OutputFormat::MBTiles: add(dir + "cptsmap.mbtiles"); break;
        }
    }
    if (a.output.map) add(dir + "map.{svg,png,html}");
    if (a.output.sheets) add(dir + "sheets.html, sheet-*.html, sheets.csv, uncovered.csv");
    add("report.json, resolution.csv");
    return out;
}
} // namespace

Action add_build_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<BuildArgs>();
    CLI::App* cmd = app.add_subcommand("build", "Resolve territory definitions, dissolve them, find gaps and overlaps, write GeoJSON and report.json");
    add_input_options(*cmd, args->options);
    add_output_options(*cmd, args->options.out_dir, args->output.overwrite,
                       "output folder (created; its files are replaced atomically): new, empty, or a previous cptsmap output");
    cmd->add_option("--work-crs", args->options.load.work_crs,
                    "projected CRS for areas and dissolving, for every delivery (default: Lambert-93 on the mainland, each overseas "
                    "département's own UTM CRS)");
    cmd->add_option("--threads", args->options.threads, "threads for dissolving (default: one per core)");
    cmd->add_option("--format", args->formats,
                    "output formats: geojson (default), gpkg, fgb, shp, postgis, mbtiles (vector tiles, drawn by map.html through `cptsmap serve`); "
                    "several allowed")
        ->delimiter(',')
        ->check(CLI::IsMember({"geojson", "gpkg", "fgb", "shp", "postgis", "mbtiles"}, CLI::ignore_case));
    cmd->add_option("--layers", args->output.layers,
                    "vector layers to write, in every format: territories, communes, gaps, overlaps, study_area (default: all); "
                    "e.g. --layers territories,gaps,overlaps leaves out the 34,816-commune layer of a national build")
        ->delimiter(',')
        ->check(CLI::IsMember(layer_names()));
    cmd->add_option("--pg", args->output.pg, "PostgreSQL connection for --format postgis, e.g. \"dbname=gis host=localhost port=5432\"");
    cmd->add_flag("--map", args->output.map, "also draw map.svg, map.png and map.html");
    cmd->add_flag("--sheets", args->output.sheets, "also write the territory sheets: sheets.html, sheet-<id>.html, sheets.csv, uncovered.csv");
    cmd->add_option("--bands", args->options.bands, "funding bands CSV (min_population,max_population,annual_amount_eur); default: data/aci-bands.csv's values")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--timings", args->timings, "print the wall and CPU time of each stage on stderr");
    add_simplify_options(*cmd, args->simplify_m, args->simplify_pct, false);
    cmd->add_flag("--clean", args->clean,
                  "clean the communes as a coverage before dissolving, as `cptsmap clean` does (snap, overlaps to one commune, narrow gaps "
                  "filled); with --clean-overlap-rule priority, the more populated commune wins");
    add_clean_rule_options(*cmd, args->clean_options, args->clean_rule, "clean-");
    return [args, cmd, &global] {
        args->options.simplify = simplify_options(*cmd, args->simplify_m, args->simplify_pct);
        for (const char* o : {"--clean-snap-distance", "--clean-overlap-rule", "--clean-gap-width"})
            if (!args->clean && cmd->count(o) > 0) throw UsageError(std::string(o) + " is only used with --clean");
        if (args->clean) {
            args->clean_options.rule = overlap_rule_from(args->clean_rule);
            args->options.clean = args->clean_options;
        }
        args->output.formats.clear();
        for (const auto& f : args->formats) {
            const OutputFormat format = parse_output_format(f);
            if (std::find(args->output.formats.begin(), args->output.formats.end(), format) == args->output.formats.end())
                args->output.formats.push_back(format);
        }
        const bool postgis = std::find(args->output.formats.begin(), args->output.formats.end(), OutputFormat::PostGis) != args->output.formats.end();
        if (postgis && args->output.pg.empty()) throw UsageError("--format postgis needs --pg \"dbname=... host=... port=... user=...\"");
        if (!args->output.pg.empty() && std::find(args->output.formats.begin(), args->output.formats.end(), OutputFormat::PostGis) == args->output.formats.end())
            throw UsageError("--pg is only used with --format postgis");
        check_output_folder(args->options.out_dir, args->output.overwrite); // before the long part, changing nothing
        args->options.sheets = args->output.sheets;
        GeosContext geos;
        Progress progress(global.quiet, global.progress);
        args->options.progress = progress.phase("computing");
        BuildResult result = compute(args->options, geos);
        args->output.progress = progress.phase("writing");
        std::vector<std::string> writing_warnings;
        args->output.warning = [&writing_warnings](const std::string& w) { writing_warnings.push_back(w); };
        std::vector<StageTime> timings = result.timings;
        const std::vector<StageTime> writing = write_outputs(result, args->options.out_dir, geos, args->output);
        timings.insert(timings.end(), writing.begin(), writing.end());
        progress.clear();
        print_warnings(result.warnings, global);
        print_warnings(writing_warnings, global);
        if (args->timings) {
            for (const StageTime& t : timings)
                std::fprintf(stderr, "timing: %-38s %8.3f s wall %8.3f s cpu %6.0f MB peak\n", t.stage.c_str(), t.seconds, t.cpu_seconds, t.peak_rss_mb);
        }
        if (!global.quiet) std::cout << format_summary(result) << "outputs: " << outputs_line(*args) << "\n";
        leave_to_exit(std::move(result));
    };
}

} // namespace cptsmap::cli
