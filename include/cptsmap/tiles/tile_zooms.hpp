#pragma once
// The zoom levels of a build's vector tiles (`build --format mbtiles`), chosen from the data the way
// tippecanoe's -zg guesses them, but from the measures of a commune layer:
//   - min_zoom: the zoom at which the largest delivery's extent (the mainland for France entière)
//     fits in one 256-pixel tile; below it the map would be a few pixels wide;
//   - max_zoom: the zoom at which a screen pixel is as long as the layer's median boundary
//     segment: beyond it the tiles would hold no detail the data has (the map zooms on past it,
//     drawing the last level larger); at least min_zoom + 2, at most 14;
//   - communes_min_zoom: the zoom at which the median commune is 4 pixels across; below it the
//     communes layer is left out of the tiles (35,000 outlines a pixel wide each are noise, and
//     would fill the tiles of a national map), and territories, gaps and overlaps show alone.
// Each level is simplified on the topology at its own tolerance: ground_pixel_m(zoom).
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <array>
#include <string>

namespace cptsmap {

struct TileZooms {
    int min_zoom = 0;
    int max_zoom = 0;
    int communes_min_zoom = 0;
    double latitude = 0.0; // the mid-latitude of the extent, for ground_pixel_m
    // The extent of the largest delivery in WGS84 {west, south, east, north}.
    std::array<double, 4> bounds{0.0, 0.0, 0.0, 0.0};
    double median_segment_m = 0.0;
    double median_commune_width_m = 0.0; // the square root of the median commune area
};

// Throws InputError for a layer without geometry.
TileZooms choose_tile_zooms(const CommuneLayer& layer, const GeosContext& geos);

// {west, south, east, north} in WGS84 of a box {xmin, ymin, xmax, ymax} of the CRS `crs`.
std::array<double, 4> lonlat_bounds(const std::string& crs, const std::array<double, 4>& box);

// Metres on the ground one screen pixel spans at `zoom` (256-pixel Web Mercator tiles), at `latitude`.
double ground_pixel_m(int zoom, double latitude);

} // namespace cptsmap
