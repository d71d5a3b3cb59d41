#include "commands.hpp"
#include "progress.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/result/figure_text.hpp"
#include "cptsmap/simplify/simplify_file.hpp"

#include <cmath>
#include <iostream>

namespace cptsmap::cli {

namespace {

struct SimplifyArgs {
    SimplifyFileOptions file;
    double tolerance = 0.0;
    double keep_pct = 0.0;
};

} // namespace

void add_simplify_options(CLI::App& cmd, double& tolerance, double& keep_pct, bool required)
{
    CLI::Option_group* g = cmd.add_option_group("simplification");
    g->add_option("--simplify", tolerance,
                  "simplify on the shared borders: remove the vertices that matter less than this many metres "
                  "(Visvalingam, weighted as mapshaper's default; no gap, no overlap, no invalid ring introduced)")
        ->check(CLI::NonNegativeNumber);
    g->add_option("--simplify-pct", keep_pct, "simplify on the shared borders, keeping this percentage (0-100) of the removable vertices")
        ->check(CLI::Range(0.0, 100.0));
    if (required) g->require_option(1);
    else g->require_option(0, 1);
}

std::optional<SimplifyOptions> simplify_options(const CLI::App& cmd, double tolerance, double keep_pct)
{
    // The options live in an option group; CLI11 counts them on the subcommand all the same.
    SimplifyOptions o;
    if (cmd.count("--simplify-pct") > 0) o.keep_pct = keep_pct;
    else if (cmd.count("--simplify") > 0) o.tolerance = tolerance;
    else return std::nullopt;
    return o;
}

std::string simplify_summary(const SimplifyStats& s)
{
    const double kept = s.vertices_before == 0 ? 100.0 : 100.0 * static_cast<double>(s.vertices_after) / static_cast<double>(s.vertices_before);
    std::string out = "simplified: " + thousands(static_cast<std::int64_t>(s.vertices_before)) + " → " +
                      thousands(static_cast<std::int64_t>(s.vertices_after)) + " vertices (" + fixed_decimals(kept, 1) + " % kept; tolerance " +
                      (std::isinf(s.tolerance) ? std::string("all removable") : fixed_decimals(s.tolerance, 1) + " m") + "), " +
                      thousands(static_cast<std::int64_t>(s.restored)) + " put back so that nothing crosses or collapses";
    if (s.communes_kept_whole > 0) out += ", " + std::to_string(s.communes_kept_whole) + " polygons kept whole (rings the topology cannot hold)";
    return out;
}

Action add_simplify_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<SimplifyArgs>();
    CLI::App* cmd = app.add_subcommand("simplify", "Simplify a polygon coverage on its shared borders: neighbours stay edge-matched, nothing turns invalid");
    cmd->add_option("--input", args->file.input, "a polygon layer GDAL reads (a .shp, .gpkg, .geojson, .fgb...)")->required();
    cmd->add_option("--layer", args->file.layer, "the layer to read in a multi-layer data set (default: the only one, or COMMUNE)");
    cmd->add_option("--out", args->file.output, "the file to write, with the input's fields and CRS; its extension gives the format")
        ->required()
        ->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("is empty: name the file to write") : std::string(); }, "FILE"));
    cmd->add_option("--driver", args->file.driver, "GDAL driver to write with, instead of the extension's (e.g. \"GPKG\", \"ESRI Shapefile\")");
    cmd->add_option("--threads", args->file.threads, "threads for the topology (default: one per core)");
    cmd->add_flag("--overwrite", args->file.overwrite, "replace the output file if it exists (never the input)");
    add_simplify_options(*cmd, args->tolerance, args->keep_pct, true);
    return [args, cmd, &global] {
        args->file.simplify = *simplify_options(*cmd, args->tolerance, args->keep_pct); // one of them: required above
        GeosContext geos;
        const SimplifyFileResult r = simplify_file(args->file, geos);
        if (!global.quiet)
            std::cout << r.features << " polygons of layer " << r.layer << "\n" << simplify_summary(r.stats) << "\noutputs: " << args->file.output << "\n";
    };
}

} // namespace cptsmap::cli
