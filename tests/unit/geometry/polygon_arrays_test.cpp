#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// A square with a square hole, then a second square: a MultiPolygon of two polygons.
PolygonArrays two_polygons()
{
    PolygonArrays p;
    p.xy = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0,  // shell
            2, 2, 2, 4, 4, 4, 4, 2, 2, 2,      // hole
            20, 0, 23, 0, 23, 3, 20, 3, 20, 0}; // second polygon
    p.ring_end = {5, 10, 15};
    p.polygon_end = {2, 3};
    p.multi = true;
    return p;
}

} // namespace

TEST_CASE("coordinate arrays give GEOS's area, their envelope and the same GEOS geometry", "[geometry]")
{
    const PolygonArrays p = two_polygons();
    CHECK(p.polygons() == 2);
    CHECK(p.rings() == 3);
    CHECK(p.points() == 15);
    CHECK(p.ring(1).size() == 10);
    CHECK(p.ring(1)[0] == 2.0);

    GeomPtr g = to_geos(shared_geos(), p);
    GeomPtr expected = shared_geos().from_wkt("MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2)), ((20 0, 23 0, 23 3, 20 3, 20 0)))");
    CHECK(GEOSEqualsExact_r(shared_geos(), g.get(), expected.get(), 0.0) == 1);
    double area = 0.0;
    GEOSArea_r(shared_geos(), g.get(), &area);
    CHECK(planar_area(p) == area); // the same formula, the same order: the same double
    CHECK(planar_area(p) == 100.0 - 4.0 + 9.0);
    CHECK(envelope(p) == std::array<double, 4>{0, 0, 23, 10});

    // One polygon not marked multi is a Polygon; nothing is an empty Polygon with an inverted envelope.
    PolygonArrays one;
    one.xy = {0, 0, 1, 0, 1, 1, 0, 0};
    one.ring_end = {4};
    one.polygon_end = {1};
    CHECK(GEOSGeomTypeId_r(shared_geos(), to_geos(shared_geos(), one).get()) == GEOS_POLYGON);
    const PolygonArrays none;
    CHECK(GEOSisEmpty_r(shared_geos(), to_geos(shared_geos(), none).get()) == 1);
    CHECK(envelope(none) == std::array<double, 4>{1, 1, 0, 0});
    CHECK(planar_area(none) == 0.0);
}

TEST_CASE("real communes: areas from the arrays equal GEOS's, to the last bit", "[geometry][e2e]")
{
    REQUIRE_SHARED_DATA();
    LoadOptions options;
    options.path = cote_dor_dir().string();
    const CommuneLayer layer = load_communes(options, shared_geos());
    std::size_t compared = 0;
    for (const Commune& c : layer.communes()) {
        const PolygonArrays* p = c.geometry.coordinates();
        if (p == nullptr) continue;
        double area = 0.0;
        GEOSArea_r(shared_geos(), c.geometry.get(), &area);
        INFO(c.insee);
        CHECK(planar_area(*p) == area);
        CHECK(c.area_m2 == area);
        ++compared;
    }
    CHECK(compared > layer.size() * 99 / 100);
}
