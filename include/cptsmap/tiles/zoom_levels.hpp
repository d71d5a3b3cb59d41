#pragma once
// A build drawn at one zoom level of the vector tiles: the communes simplified on the shared-edge
// topology at the level's tolerance (one screen pixel on the ground: tiles/tile_zooms.hpp), and
// territories, gaps, overlaps and the study area dissolved again from those simplified communes,
// so that every layer of the level stays edge-matched (simplify/coverage_simplify.hpp). Commune
// sets, populations and coverage are the full build's: only the drawing changes with the zoom.
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/result/build_result.hpp"
#include "cptsmap/simplify/coverage_simplify.hpp"

#include <memory>
#include <vector>

namespace cptsmap {

class ZoomSimplifier {
public:
    // The topology of `full`'s layer, built once for every level. `full` must outlive this.
    ZoomSimplifier(const BuildResult& full, const GeosContext& geos, unsigned threads = 0);
    ~ZoomSimplifier();
    ZoomSimplifier(const ZoomSimplifier&) = delete;
    ZoomSimplifier& operator=(const ZoomSimplifier&) = delete;

    struct Level {
        double tolerance_m = 0.0;
        SimplifyStats stats;
        BuildResult result; // layer, resolution, coverage and assembly at this level
    };
    // The build simplified with Visvalingam tolerance `tolerance_m` (working CRS metres); without
    // `dissolve`, only its communes (no assembly: the tiles of the communes alone).
    std::unique_ptr<Level> level(double tolerance_m, bool dissolve = true) const;

private:
    const BuildResult& full_;
    const GeosContext& geos_;
    unsigned threads_;
    SimplifyOptions options_;
    std::unique_ptr<const CoverageTopology> topology_;
};

// The tables of a level for the tiles: each row keeps the full build's values (`full`, from
// make_layer_tables of the full build) with the level's geometry (`level`, from make_layer_tables
// of the level), so that a feature says the same at every zoom; where a layer has not the same
// rows at both (zones split otherwise by the simplified borders), the level's own values. Lists
// of INSEE codes (the zones' `insee`) are left out: the communes layer tells each commune's status,
// and a national zone's list would be repeated in every tile it crosses.
std::vector<LayerTable> tile_tables(const std::vector<LayerTable>& full, const std::vector<LayerTable>& level);

} // namespace cptsmap
