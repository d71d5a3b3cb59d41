// The zoom levels chosen from a layer: extent, median segment and median commune size.
#include "cptsmap/tiles/tile_zooms.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// A 10 × 10 grid of 2 km squares near Dijon (Lambert-93), each side cut in `pieces` segments.
std::vector<std::string> grid(int pieces)
{
    std::vector<std::string> wkts;
    const double x0 = 850000, y0 = 6690000, side = 2000;
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j) {
            std::string ring;
            const double x = x0 + i * side, y = y0 + j * side;
            const double cx[] = {x, x + side, x + side, x}, cy[] = {y, y, y + side, y + side};
            for (int k = 0; k < 4; ++k)
                for (int p = 0; p < pieces; ++p) {
                    const double t = static_cast<double>(p) / pieces;
                    ring += std::to_string(cx[k] + t * (cx[(k + 1) % 4] - cx[k])) + " " + std::to_string(cy[k] + t * (cy[(k + 1) % 4] - cy[k])) + ",";
                }
            ring += std::to_string(x) + " " + std::to_string(y);
            wkts.push_back("POLYGON((" + ring + "))");
        }
    return wkts;
}

} // namespace

TEST_CASE("a screen pixel spans 156 km at zoom 0 on the equator, half as much at each zoom, less towards the poles", "[tiles]")
{
    CHECK(ground_pixel_m(0, 0.0) == Approx(156543.03).epsilon(1e-6));
    CHECK(ground_pixel_m(10, 0.0) == Approx(156543.03 / 1024).epsilon(1e-6));
    CHECK(ground_pixel_m(3, 60.0) == Approx(156543.03 / 8 / 2).epsilon(1e-6));
}

TEST_CASE("zoom levels come from the extent, the segments and the communes of the layer", "[tiles]")
{
    // 20 km wide: fits in one tile up to zoom 10 (39 km of Mercator at 47°N is 27 km on the ground).
    CommuneLayer coarse = layer_from_wkt(grid(4)); // 500 m segments
    coarse.crs = "EPSG:2154";
    const TileZooms z = choose_tile_zooms(coarse, shared_geos());
    CHECK(z.median_segment_m == Approx(500.0).epsilon(1e-6));
    CHECK(z.median_commune_width_m == Approx(2000.0).epsilon(1e-6));
    CHECK(z.latitude == Approx(47.3).margin(0.2));
    const double merc_width = (z.bounds[2] - z.bounds[0]) / 360.0 * 40075016.69;
    CHECK(z.min_zoom == static_cast<int>(std::floor(std::log2(40075016.69 / merc_width))));
    // A pixel of 500 m: zoom 8 at this latitude (ground pixels of 415 m; 830 m at zoom 7); the
    // median commune 4 pixels wide: 500 m pixels again.
    CHECK(std::log2(ground_pixel_m(0, z.latitude) / 500.0) == Approx(7.7).margin(0.1));
    CHECK(z.max_zoom == std::max(z.min_zoom + 2, 8));
    CHECK(z.communes_min_zoom == std::clamp(8, z.min_zoom, z.max_zoom));

    CommuneLayer fine = layer_from_wkt(grid(200)); // 10 m segments: 5 or 6 zooms more
    fine.crs = "EPSG:2154";
    const TileZooms f = choose_tile_zooms(fine, shared_geos());
    CHECK(f.median_segment_m == Approx(10.0).epsilon(1e-6));
    CHECK(f.max_zoom == 13); // 10 m pixels: zoom 13.4
    CHECK(f.min_zoom == z.min_zoom);
}

TEST_CASE("a layer without geometry has no zoom levels", "[tiles]")
{
    CommuneLayer empty;
    empty.crs = "EPSG:2154";
    Commune c;
    c.insee = "00001";
    empty.add(std::move(c));
    CHECK_THROWS_WITH(choose_tile_zooms(empty, shared_geos()), Catch::Contains("no geometry"));
}
