#include "cptsmap/export/inverse_lcc.hpp"

#include <catch2/catch.hpp>
#include <ogr_spatialref.h>

#include <cmath>
#include <memory>
#include <vector>

using namespace cptsmap;

namespace {

struct Pair {
    OGRSpatialReference source, wgs84;
    std::unique_ptr<OGRCoordinateTransformation> reference;
    explicit Pair(const char* crs)
    {
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        REQUIRE(source.SetFromUserInput(crs) == OGRERR_NONE);
        wgs84.SetWellKnownGeogCS("WGS84");
        reference.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
        REQUIRE(reference);
    }
};

// Largest difference in degrees with PROJ over a grid of n × n points of `extent`.
double worst_difference(const InverseLcc& lcc, OGRCoordinateTransformation& reference, const std::array<double, 4>& extent, int n)
{
    std::vector<double> x, y;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            x.push_back(extent[0] + (extent[2] - extent[0]) * (i + 0.37) / n);
            y.push_back(extent[1] + (extent[3] - extent[1]) * (j + 0.61) / n);
        }
    std::vector<double> lon = x, lat = y;
    REQUIRE(reference.Transform(lon.size(), lon.data(), lat.data()));
    double worst = 0.0;
    for (std::size_t k = 0; k < x.size(); ++k) {
        double a = 0.0, b = 0.0;
        lcc.lonlat(x[k], y[k], a, b);
        worst = std::max({worst, std::fabs(a - lon[k]), std::fabs(b - lat[k])});
    }
    return worst;
}

} // namespace

TEST_CASE("Lambert-93 and a CC zone are inverted in closed form as PROJ does, within 1e-12 degree", "[export]")
{
    {
        // Metropolitan France and beyond (Corsica, the coasts), in Lambert-93.
        Pair l93("EPSG:2154");
        const std::array<double, 4> france{50000, 6000000, 1250000, 7150000};
        const auto lcc = InverseLcc::make(l93.source, *l93.reference, france);
        REQUIRE(lcc);
        CHECK(worst_difference(*lcc, *l93.reference, france, 300) < 1e-12);
        // The projection's origin: 3°E, 46.5°N.
        double lon = 0.0, lat = 0.0;
        lcc->lonlat(700000, 6600000, lon, lat);
        CHECK(lon == Approx(3.0).margin(1e-12));
        CHECK(lat == Approx(46.5).margin(1e-12));
    }
    {
        Pair cc47("EPSG:3947"); // RGF93 / CC47, Lambert conformal conic on 46.25° and 47.75°
        const std::array<double, 4> zone{1500000, 6000000, 2200000, 6400000};
        const auto lcc = InverseLcc::make(cc47.source, *cc47.reference, zone);
        REQUIRE(lcc);
        CHECK(worst_difference(*lcc, *cc47.reference, zone, 100) < 1e-12);
    }
}

TEST_CASE("other projections, and Lambert projections on another datum, are left to PROJ", "[export]")
{
    Pair mercator("EPSG:3857");
    CHECK_FALSE(InverseLcc::make(mercator.source, *mercator.reference, {-1e6, 5e6, 1e6, 7e6}));
    Pair lambert2("EPSG:27572"); // NTF (Paris) / Lambert zone II: one standard parallel, NTF datum
    CHECK_FALSE(InverseLcc::make(lambert2.source, *lambert2.reference, {100000, 1700000, 1100000, 2700000}));
}
