#pragma once
// The map of a build as a standalone SVG document: communes as thin outlines, territories filled
// with their colour (the QGIS styles' palette) and labelled with their name, gaps hatched red,
// overlaps cross-hatched, the study area outlined; a title with the coverage, a legend, and a scale
// bar. Drawn in the working CRS (Lambert-93: a conformal projection, so the scale bar holds across
// the map), coordinates rounded to 0.1 px and consecutive points that round together dropped.
// Deterministic: same build, same bytes.
#include "cptsmap/export/layer_table.hpp"

#include <string>

namespace cptsmap {

struct MapOptions {
    int width = 1200;  // DEFAULT: 1200 × 900 px (the PNG is rendered at `png_scale` times this)
    int height = 900;
    double png_scale = 1.5;
    std::string title = "CPTS territories"; // DEFAULT
};

// `tables`: make_layer_tables(r) (the study area outline comes from there).
std::string render_svg_map(const BuildResult& r, const std::vector<LayerTable>& tables, const GeosContext& geos,
                           const MapOptions& options = {});

} // namespace cptsmap
