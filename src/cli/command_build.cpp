#include "commands.hpp"

#include "cptsmap/export/report.hpp"
#include "cptsmap/pipeline/build.hpp"

#include <iostream>

namespace cptsmap::cli {

namespace {
struct BuildArgs {
    BuildOptions options;
};
} // namespace

Action add_build_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<BuildArgs>();
    CLI::App* cmd = app.add_subcommand("build", "Resolve territory definitions, dissolve them, find gaps and overlaps, write GeoJSON and report.json");
    add_input_options(*cmd, args->options);
    cmd->add_option("--out", args->options.out_dir, "output folder (created; its files are replaced atomically)")->required();
    cmd->add_option("--work-crs", args->options.load.work_crs, "projected CRS for areas and dissolving")->capture_default_str();
    cmd->add_option("--threads", args->options.threads, "threads for dissolving (default: one per core)");
    return [args, &global] {
        GeosContext geos;
        BuildResult result = compute(args->options, geos);
        write_outputs(result, args->options.out_dir, geos);
        print_warnings(result.warnings, global);
        if (!global.quiet) {
            std::cout << format_summary(result) << "outputs: " << args->options.out_dir
                      << "/{territories,communes,gaps,overlaps}.geojson, report.json, resolution.csv\n";
        }
    };
}

} // namespace cptsmap::cli
