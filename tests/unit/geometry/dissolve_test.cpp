#include "cptsmap/geometry/dissolve.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

CommuneSet all_of(const CommuneLayer& layer)
{
    CommuneSet s;
    for (CommuneIndex i = 0; i < layer.size(); ++i) s.push_back(i);
    return s;
}

} // namespace

TEST_CASE("a clean coverage dissolves exactly with the coverage union", "[geometry]")
{
    const CommuneSet s = {0, 1, 2, 3};
    const Dissolved d = dissolve(shared_geos(), synthetic_layer(), s);
    CHECK(d.method == DissolveMethod::CoverageUnion);
    CHECK(d.area_m2 == Approx(16e6).epsilon(1e-12)); // 4 + 4 + 7 + 1: the enclave fills the hole
    CHECK(d.parts == 1);
    CHECK(GEOSisValid_r(shared_geos(), d.geometry.get()) == 1);
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), d.geometry.get()) == 0);
}

TEST_CASE("without its enclave a territory keeps the hole, a detached part makes two parts", "[geometry]")
{
    const Dissolved holed = dissolve(shared_geos(), synthetic_layer(), {0, 1, 2});
    CHECK(holed.area_m2 == Approx(15e6));
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), holed.geometry.get()) == 1);

    const auto epsilon = *synthetic_layer().find_code("99005");
    const auto alpha = *synthetic_layer().find_code("99001");
    const auto beta = *synthetic_layer().find_code("99002");
    const Dissolved two = dissolve(shared_geos(), synthetic_layer(), {alpha, beta, epsilon});
    CHECK(two.parts == 2);
    CHECK(two.area_m2 == Approx(13e6));
}

TEST_CASE("edges that do not match fall back to a noded union, and say why", "[geometry]")
{
    // The right square's shared edge has an extra vertex the left one lacks: not a clean coverage.
    const CommuneLayer layer = layer_from_wkt({"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((10 0,20 0,20 10,10 10,10 5,10 0))"});
    const Dissolved d = dissolve(shared_geos(), layer, all_of(layer));
    CHECK(d.method == DissolveMethod::NodedUnion);
    CHECK_FALSE(d.reason.empty());
    CHECK(d.area_m2 == Approx(200.0));
    CHECK(d.parts == 1);
    CHECK(GEOSisValid_r(shared_geos(), d.geometry.get()) == 1);
}

namespace {
// Four communes around the hole x 1000..2000, y y0..y1, not in the layer. The left one lacks the
// vertices where the others meet it, so the coverage union refuses the set.
CommuneLayer around_hole(int y0, int y1)
{
    const std::string a = std::to_string(y0), b = std::to_string(y1);
    return layer_from_wkt({"POLYGON((0 0,1000 0,1000 3000,0 3000,0 0))", "POLYGON((2000 0,3000 0,3000 3000,2000 3000,2000 0))",
                     "POLYGON((1000 0,2000 0,2000 " + a + ",1000 " + a + ",1000 0))",
                     "POLYGON((1000 " + b + ",2000 " + b + ",2000 3000,1000 3000,1000 " + b + "))"});
}
} // namespace

TEST_CASE("after a fallback union a wide hole no commune fills (land outside the layer) is kept", "[geometry]")
{
    const CommuneLayer layer = around_hole(1000, 2000); // a 1 km square: a foreign enclave
    const Dissolved d = dissolve(shared_geos(), layer, all_of(layer));
    CHECK(d.method == DissolveMethod::NodedUnion);
    CHECK(d.slivers_filled == 0);
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), d.geometry.get()) == 1);
    CHECK(d.area_m2 == Approx(8e6));
}

TEST_CASE("after a fallback union a thin hole no commune fills is a sliver and is filled", "[geometry]")
{
    const CommuneLayer layer = around_hole(1500, 1502); // a 1 km × 2 m slit
    const Dissolved d = dissolve(shared_geos(), layer, all_of(layer));
    CHECK(d.method == DissolveMethod::NodedUnion);
    CHECK(d.slivers_filled == 1);
    CHECK(d.sliver_area_m2 == Approx(2000.0));
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), d.geometry.get()) == 0);
    CHECK(d.area_m2 == Approx(9e6));
}

TEST_CASE("overlapping communes are detected by the area check and unioned", "[geometry]")
{
    const CommuneLayer layer = layer_from_wkt({"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POLYGON((5 0,15 0,15 10,5 10,5 0))"});
    const Dissolved d = dissolve(shared_geos(), layer, all_of(layer));
    CHECK(d.method != DissolveMethod::CoverageUnion);
    CHECK(d.area_m2 == Approx(150.0));
}

TEST_CASE("an empty set dissolves to an empty polygon", "[geometry]")
{
    const Dissolved d = dissolve(shared_geos(), synthetic_layer(), {});
    CHECK(d.parts == 0);
    CHECK(d.area_m2 == 0.0);
    CHECK(GEOSisEmpty_r(shared_geos(), d.geometry.get()) == 1);
}
