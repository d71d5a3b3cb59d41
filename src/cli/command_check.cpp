#include "commands.hpp"
#include "progress.hpp"

#include "cptsmap/check/coverage_check.hpp"
#include "cptsmap/export/check_outputs.hpp"
#include "cptsmap/layer/commune_loader.hpp"

#include <iostream>

namespace cptsmap::cli {

namespace {
struct CheckArgs {
    LoadOptions load;
    CheckOptions check;
    std::string out_dir;
    bool overwrite = false;
};
} // namespace

Action add_check_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<CheckArgs>();
    args->load.repair = false; // invalid rings are what we report
    CLI::App* cmd = app.add_subcommand("check", "Check a commune layer as a coverage: invalid rings, overlaps, gaps, unmatched edges (GeoJSON + check.json)");
    add_communes_option(*cmd, args->load);
    add_output_options(*cmd, args->out_dir, args->overwrite,
                       "output folder (created; its files are replaced atomically): new, empty, or a previous cptsmap output");
    cmd->add_option("--gap-width", args->check.gap_width_m, "holes between communes up to this width (metres) are gaps")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--edge-tolerance", args->check.edge_tolerance_m,
                    "boundary segments this close (metres) to a neighbour's must match it (default: the gap width)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--min-area", args->check.min_area_m2, "overlaps and gaps smaller than this (m²) are left out")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--layer", args->load.layer, "layer to read in a multi-layer data set (default: COMMUNE)");
    cmd->add_option("--input-crs", args->load.assume_crs, "CRS to assume when the input has none (e.g. EPSG:2154)");
    cmd->add_option("--work-crs", args->load.work_crs,
                    "projected CRS in which distances are measured (default: Lambert-93 on the mainland, each overseas département's UTM CRS)");
    return [args, &global] {
        OutputDir out(args->out_dir, OutputDirOptions{args->overwrite}); // first: an unusable --out fails before the long part
        GeosContext geos;
        Progress progress(global.quiet, global.progress);
        const ProgressFn step = progress.phase("checking");
        const auto report_step = [&](std::string_view what, int done) {
            if (step) step(what, done, 3);
        };
        report_step("loading the communes", 0);
        CommuneLayer layer = load_communes(args->load, geos);
        report_step("checking the coverage", 1);
        CheckReport report = check_coverage(layer, geos, args->check);
        report_step("writing", 2);
        write_check_outputs(report, layer, out, geos);
        report_step("done", 3);
        progress.clear();
        print_warnings(layer.warnings, global);
        if (!global.quiet) {
            std::cout << format_check_summary(report, layer) << "outputs: " << args->out_dir
                      << "/{invalid_rings,overlaps,gaps,unmatched_edges}.geojson, check.json\n";
        }
    };
}

} // namespace cptsmap::cli
