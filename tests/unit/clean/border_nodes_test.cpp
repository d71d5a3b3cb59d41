// with_border_nodes: a neighbour's vertices on a polygon's segments are inserted, in order; nothing
// else changes.
#include "cptsmap/clean/border_nodes.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

TEST_CASE("the vertices of a neighbour that lie on a border are inserted into it, none moved", "[clean]")
{
    const GeosContext& geos = shared_geos();
    GeomPtr square = geos.from_wkt(square_wkt(0, 0));
    // East of it: a polygon with vertices on the square's east edge at y = 300 and 700, one 1 m
    // off it (y = 500), and one at the square's own corner.
    GeomPtr east = geos.from_wkt("POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 700,1001 500,1000 300,1000 0))");
    GeomPtr noded = with_border_nodes(geos, square.get(), east.get(), 1e-6);
    REQUIRE(noded);
    CHECK(geos.to_wkt(noded.get(), 0) == "POLYGON ((0 0, 1000 0, 1000 300, 1000 700, 1000 1000, 0 1000, 0 0))");
    double before = 0.0, after = 0.0;
    GEOSArea_r(geos, square.get(), &before);
    GEOSArea_r(geos, noded.get(), &after);
    CHECK(after == before);
    SECTION("nothing to insert: null")
    {
        GeomPtr far = geos.from_wkt(square_wkt(5000, 0));
        CHECK_FALSE(with_border_nodes(geos, square.get(), far.get(), 1e-6));
    }
    SECTION("a MultiPolygon stays one")
    {
        GeomPtr multi = geos.from_wkt("MULTIPOLYGON(((0 0,1000 0,1000 1000,0 1000,0 0)),((3000 0,3100 0,3100 100,3000 100,3000 0)))");
        GeomPtr m = with_border_nodes(geos, multi.get(), east.get(), 1e-6);
        REQUIRE(m);
        CHECK(GEOSGeomTypeId_r(geos, m.get()) == GEOS_MULTIPOLYGON);
        CHECK(GEOSGetNumGeometries_r(geos, m.get()) == 2);
    }
}
