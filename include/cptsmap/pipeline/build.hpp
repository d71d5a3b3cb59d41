#pragma once
// The `build` job as a library call: load the communes, read and resolve the definitions, decide
// coverage on the sets, assemble the geometry, and write every output atomically into a folder.
// This module only orchestrates: what a build computes is result/build_result.hpp, which the
// writers (export/, map/, sheets/) read.
#include "cptsmap/clean/coverage_clean.hpp"
#include "cptsmap/definitions/membership_table.hpp"
#include "cptsmap/export/output_format.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "cptsmap/result/build_result.hpp"
#include "cptsmap/simplify/coverage_simplify.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

struct BuildOptions {
    LoadOptions load;
    std::string definitions; // path of the TOML definitions file
    MembershipTableOptions membership; // instead of `definitions` when membership.path is set
    std::string history;     // INSEE commune history CSV (mouvements-communes); "" for none
    std::string study_area;  // an expression that replaces the definitions' [study_area]; "" to keep theirs
    std::string out_dir;     // folder to write into (created; files in it replaced atomically)
    unsigned threads = 0;    // DEFAULT: one per core
    ProgressFn progress;     // called before each step of compute()
    std::string bands;       // funding bands CSV (data/aci-bands.csv format); "" for the default bands
    std::string population;  // INSEE légal populations (donnees_communes CSV) replacing the layer's; "" for none
    // The communes simplified on their shared borders before anything is dissolved (--simplify),
    // so that every layer and map is drawn from them. Commune sets, populations and coverage are
    // unchanged; territory and zone areas are those of the simplified polygons.
    std::optional<SimplifyOptions> simplify;
    // The communes cleaned as a coverage before anything is dissolved (--clean): vertices snapped,
    // overlaps given to one commune, narrow gaps filled (clean/clean_layer.hpp), before --simplify.
    // What it did is one warning; commune sets and populations are unchanged. DEFAULT: not cleaned.
    std::optional<CleanOptions> clean;
    // The sheets will be written (OutputOptions::sheets): the file names the territory ids make are
    // checked as soon as the definitions are read, before the long part. DEFAULT: not checked.
    bool sheets = false;
};

// What write_outputs() writes besides report.json (always written).
struct OutputOptions {
    std::vector<OutputFormat> formats{OutputFormat::GeoJson}; // DEFAULT: GeoJSON only
    std::string pg;   // PostgreSQL connection ("dbname=... host=...") for OutputFormat::PostGis
    bool map = false; // map.svg, map.png and map.html
    bool sheets = false; // sheets.html, sheet-<id>.html and sheets.csv
    // The vector layers to write, among layer_names() (territories, communes, gaps, overlaps,
    // study_area). DEFAULT: empty, all of them. The maps and report.json do not depend on it.
    std::vector<std::string> layers;
    ProgressFn progress; // called before each file or table is written
    // Write into a folder that holds other files than a previous cptsmap output's (--overwrite).
    bool overwrite = false;
    // Called with each warning raised while writing (what GDAL gave up in a vector tile). DEFAULT: none.
    std::function<void(const std::string&)> warning;
};


// Loads the communes and the definitions (or membership table) and resolves them: layer,
// definitions, resolution and warnings are filled; coverage and assembly are left empty.
BuildResult resolve_definitions(const BuildOptions& options, const GeosContext& geos);
// Everything but writing: for callers that want the figures (tests, other front ends).
BuildResult compute(const BuildOptions& options, const GeosContext& geos);
// Writes territories.geojson, communes.geojson, gaps.geojson, overlaps.geojson, report.json and
// resolution.csv. Both overloads return the wall and CPU time spent on each file.
std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos);
// Writes report.json and what `output` asks for; the folder is committed only when everything,
// database tables included, has been written.
std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos,
                                     const OutputOptions& output);

} // namespace cptsmap
