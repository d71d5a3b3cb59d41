#include "commands.hpp"

#include "cptsmap/clean/clean_changes.hpp"
#include "cptsmap/clean/clean_file.hpp"

#include <iostream>

namespace cptsmap::cli {

namespace {
struct CleanArgs {
    CleanFileOptions file;
    std::string rule = "longest-border";
};
} // namespace

void add_clean_rule_options(CLI::App& cmd, CleanOptions& clean, std::string& rule, const std::string& prefix)
{
    cmd.add_option("--" + prefix + "snap-distance", clean.snap_distance_m, "snap together vertices closer than this (metres; 0: no snapping)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--" + prefix + "overlap-rule", rule,
                   "who keeps an overlap, and receives a gap: the commune with the longest border with it, the largest, the smallest, "
                   "or the one of greatest --priority")
        ->capture_default_str()
        ->check(CLI::IsMember({"longest-border", "largest", "smallest", "priority"}));
    cmd.add_option("--" + prefix + "gap-width", clean.gap_width_m, "fill the holes between communes up to this width (metres), measured as check measures it")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
}

Action add_clean_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<CleanArgs>();
    CLI::App* cmd = app.add_subcommand("clean", "Repair a commune layer as a coverage: snap, give each overlap to one commune, fill the narrow gaps; "
                                                "every change in clean.csv and changes.geojson");
    cmd->add_option("--input", args->file.input, "a commune layer GDAL reads, in a projected CRS (a .shp, .gpkg, .geojson, .fgb...)")->required();
    cmd->add_option("--layer", args->file.layer, "the layer to read in a multi-layer data set (default: the only one, or COMMUNE)");
    cmd->add_option("-o,--out", args->file.output,
                    "the file to write, with the input's fields and CRS; its extension gives the format; clean.csv and changes.geojson go beside it")
        ->required()
        ->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("is empty: name the file to write") : std::string(); }, "FILE"));
    cmd->add_option("--driver", args->file.driver, "GDAL driver to write with, instead of the extension's (e.g. \"GPKG\", \"ESRI Shapefile\")");
    add_clean_rule_options(*cmd, args->file.clean, args->rule, "");
    cmd->add_option("--priority", args->file.priority_field, "with --overlap-rule priority: the numeric field whose greatest value wins (e.g. POPULATION)");
    cmd->add_option("--id-field", args->file.id_field, "the field naming each commune in clean.csv and changes.geojson")->capture_default_str();
    cmd->add_option("--min-area", args->file.clean.min_area_m2, "overlaps and gaps smaller than this (m²) are slivers, not changes of their own: given to a neighbour, summed per commune as a node change (check's threshold)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--overwrite", args->file.overwrite, "replace the output file, clean.csv and changes.geojson if they exist (never the input)");
    return [args, &global] {
        args->file.clean.rule = overlap_rule_from(args->rule);
        GeosContext geos;
        const CleanFileResult r = clean_file(args->file, geos);
        if (!global.quiet)
            std::cout << r.features << " communes of layer " << r.layer << "\n"
                      << clean_summary(r.stats) << "\n"
                      << r.changes << " changes; outputs: " << args->file.output << ", clean.csv, changes.geojson\n";
    };
}

} // namespace cptsmap::cli
