#include "cptsmap/geometry/primitives.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace cptsmap;
using namespace cptsmap::test;

// Each primitive against the GEOS function it stands in for, on random Lambert-93-sized
// coordinates (the magnitudes where rounding bites: 10^5 to 10^6 m).

namespace {

std::string point_wkt(double x, double y) { return "POINT (" + std::to_string(x) + " " + std::to_string(y) + ")"; }

// A star-shaped ring about (cx, cy): n points at random radii, counter-clockwise, closed.
std::vector<double> random_ring(std::mt19937_64& rng, double cx, double cy, int n)
{
    std::uniform_real_distribution<double> radius(200.0, 5000.0);
    std::vector<double> xy;
    for (int i = 0; i < n; ++i) {
        const double a = 2 * 3.141592653589793 * i / n, r = radius(rng);
        xy.push_back(cx + r * std::cos(a));
        xy.push_back(cy + r * std::sin(a));
    }
    xy.push_back(xy[0]);
    xy.push_back(xy[1]);
    return xy;
}

GeomPtr polygon_of(const std::vector<double>& xy)
{
    return shared_geos().polygon(shared_geos().ring(xy.data(), xy.size() / 2, "a test ring"), {}, "a test polygon");
}

} // namespace

TEST_CASE("orientation agrees with GEOS's robust orientation index wherever it gives a sign", "[geometry][primitives]")
{
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> coordinate(600000.0, 900000.0);
    int signed_cases = 0;
    for (int k = 0; k < 20000; ++k) {
        const double ax = coordinate(rng), ay = coordinate(rng) + 6e6, bx = coordinate(rng), by = coordinate(rng) + 6e6;
        // Every fourth c nearly on the line ab, where a naive determinant's sign is noise.
        double cx = coordinate(rng), cy = coordinate(rng) + 6e6;
        if (k % 4 == 0) {
            const double t = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
            cx = ax + t * (bx - ax);
            cy = ay + t * (by - ay);
        }
        const int ours = orientation(ax, ay, bx, by, cx, cy);
        const int geos = GEOSOrientationIndex_r(shared_geos(), ax, ay, bx, by, cx, cy);
        if (ours != 0) {
            ++signed_cases;
            CHECK(ours == geos);
        }
    }
    CHECK(signed_cases > 14000); // a 0 only where too close to call, not as a habit
    CHECK(orientation(0, 0, 10, 0, 5, 1) == 1);
    CHECK(orientation(0, 0, 10, 0, 5, -1) == -1);
    CHECK(orientation(0, 0, 10, 0, 20, 0) == 0);
}

TEST_CASE("ring area is GEOS's area to the last bit, signed by orientation", "[geometry][primitives]")
{
    std::mt19937_64 rng(11);
    for (int k = 0; k < 200; ++k) {
        const std::vector<double> ccw = random_ring(rng, 800000.0 + k, 6700000.0 - k, 5 + k % 50);
        double geos_area = 0.0;
        GEOSArea_r(shared_geos(), polygon_of(ccw).get(), &geos_area);
        CHECK(ring_signed_area(ccw) == geos_area);
        std::vector<double> cw;
        for (std::size_t i = ccw.size(); i >= 2; i -= 2) {
            cw.push_back(ccw[i - 2]);
            cw.push_back(ccw[i - 1]);
        }
        double geos_cw_area = 0.0; // summed in the other order: equal to geos_area only within rounding
        GEOSArea_r(shared_geos(), polygon_of(cw).get(), &geos_cw_area);
        CHECK(ring_signed_area(cw) == -geos_cw_area);
    }
    CHECK(ring_signed_area(std::vector<double>{0, 0, 4, 0}) == 0.0); // fewer than 3 points
}

TEST_CASE("point in ring agrees with GEOS's contains off the boundary", "[geometry][primitives]")
{
    std::mt19937_64 rng(13);
    const std::vector<double> ring = random_ring(rng, 800000.0, 6700000.0, 40);
    const GeomPtr polygon = polygon_of(ring);
    std::uniform_real_distribution<double> dx(-5500.0, 5500.0);
    int in = 0;
    for (int k = 0; k < 3000; ++k) {
        const double x = 800000.0 + dx(rng), y = 6700000.0 + dx(rng);
        const GeomPtr p = shared_geos().from_wkt(point_wkt(x, y));
        const bool geos = GEOSContains_r(shared_geos(), polygon.get(), p.get()) == 1;
        CHECK(point_in_ring(ring, x, y) == geos);
        in += geos ? 1 : 0;
    }
    CHECK(in > 300); // both answers were exercised
    CHECK(in < 2700);
}

TEST_CASE("point-segment distance agrees with GEOS's distance", "[geometry][primitives]")
{
    std::mt19937_64 rng(17);
    std::uniform_real_distribution<double> coordinate(0.0, 1000.0);
    for (int k = 0; k < 2000; ++k) {
        const double px = coordinate(rng), py = coordinate(rng), ax = coordinate(rng), ay = coordinate(rng);
        const double bx = k % 10 == 0 ? ax : coordinate(rng), by = k % 10 == 0 ? ay : coordinate(rng); // some degenerate segments
        const GeomPtr p = shared_geos().from_wkt(point_wkt(px, py));
        const GeomPtr s = shared_geos().from_wkt(k % 10 == 0 ? point_wkt(ax, ay)
                                                             : "LINESTRING (" + std::to_string(ax) + " " + std::to_string(ay) + ", " +
                                                                   std::to_string(bx) + " " + std::to_string(by) + ")");
        double d = 0.0;
        GEOSDistance_r(shared_geos(), p.get(), s.get(), &d);
        // GEOS reads the WKT's 6 decimals: compare on those coordinates.
        const auto r6 = [](double v) { return std::stod(std::to_string(v)); };
        CHECK(std::sqrt(squared_distance_to_segment(r6(px), r6(py), r6(ax), r6(ay), r6(bx), r6(by))) == Approx(d).margin(1e-9));
    }
}

TEST_CASE("a proper crossing is GEOS's interior-interior point intersection", "[geometry][primitives]")
{
    std::mt19937_64 rng(19);
    std::uniform_real_distribution<double> coordinate(0.0, 100.0);
    int crossings = 0;
    for (int k = 0; k < 3000; ++k) {
        double c[8];
        for (double& v : c) v = std::round(coordinate(rng)); // integers: exact in WKT, collinear cases happen
        const auto segment = [&](int i) {
            return shared_geos().from_wkt("LINESTRING (" + std::to_string(c[i]) + " " + std::to_string(c[i + 1]) + ", " + std::to_string(c[i + 2]) +
                                          " " + std::to_string(c[i + 3]) + ")");
        };
        if ((c[0] == c[2] && c[1] == c[3]) || (c[4] == c[6] && c[5] == c[7])) continue;
        const GeomPtr s = segment(0), t = segment(4);
        // Interiors meet in a point and no endpoint lies on the other segment.
        const bool geos = GEOSRelatePattern_r(shared_geos(), s.get(), t.get(), "0F*FF****") == 1;
        const bool ours = cross_properly(c, c + 2, c + 4, c + 6);
        CHECK(ours == geos);
        crossings += ours ? 1 : 0;
    }
    CHECK(crossings > 100);
}
