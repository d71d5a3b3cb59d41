#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {
bool quick(const std::string& wkt) { return certainly_valid(shared_geos(), shared_geos().from_wkt(wkt).get()); }
bool geos_valid(const std::string& wkt) { return GEOSisValid_r(shared_geos(), shared_geos().from_wkt(wkt).get()) == 1; }
} // namespace

TEST_CASE("the quick validity test certifies simple polygons and never an invalid one", "[geometry][validity]")
{
    const std::vector<std::string> certified = {
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2), (6 6, 6 8, 8 8, 8 6, 6 6))",
        "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((2 0, 3 0, 3 1, 2 1, 2 0)))",
        "POLYGON((0 0, 5 0, 10 0, 10 10, 0 10, 0 0))", // collinear vertices going on
        "POLYGON EMPTY",
    };
    for (const auto& wkt : certified) {
        INFO(wkt);
        CHECK(quick(wkt));
        CHECK(geos_valid(wkt));
    }
    // Invalid: never certified.
    const std::vector<std::string> invalid = {
        "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))",                                     // bow-tie
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 20 22, 22 22, 22 20, 20 20))", // hole outside
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 8, 8 8, 8 2, 2 2), (3 3, 3 4, 4 4, 4 3, 3 3))", // hole in hole
        "MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0)), ((2 2, 3 2, 3 3, 2 3, 2 2)))",  // part inside part
        "POLYGON((0 0, 10 0, 10 10, 5 10, 5 15, 5 10, 0 10, 0 0))",                    // spike
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 5 2, 5 5, 0 0))",                // hole touching along... at a vertex and crossing
        "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((1 0, 2 0, 2 1, 1 1, 1 0)))",      // parts sharing an edge
    };
    for (const auto& wkt : invalid) {
        INFO(wkt);
        CHECK_FALSE(quick(wkt));
    }
    // Coordinates that are not numbers are never certified (nor a crash).
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_FALSE(certainly_valid(PolygonArrays{{0, 0, 10, 0, nan, 10, 0, 10, 0, 0}, {5}, {1}, false}));
    CHECK_FALSE(certainly_valid(PolygonArrays{{0, 0, 10, 0, std::numeric_limits<double>::infinity(), 10, 0, 10, 0, 0}, {5}, {1}, false}));
    CHECK(certainly_valid(PolygonArrays{{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, {5}, {1}, false}));
    // Valid but not certified (touching at a vertex): left to GEOS, which says valid.
    const std::string touching = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 5 2, 5 5, 2 5, 0 0))";
    CHECK_FALSE(quick(touching));
    CHECK(geos_valid(touching));
}

TEST_CASE("Côte-d'Or: every commune the quick test certifies is valid for GEOS, and nearly all are certified", "[geometry][validity][e2e]")
{
    REQUIRE_SHARED_DATA();
    LoadOptions options;
    options.path = cote_dor_dir().string();
    options.repair = false;
    const CommuneLayer layer = load_communes(options, shared_geos());
    std::size_t certified = 0;
    for (const Commune& c : layer.communes()) {
        // The layer's coordinate arrays and their GEOS geometry get the same answer.
        REQUIRE(c.geometry.coordinates() != nullptr);
        CHECK(certainly_valid(*c.geometry.coordinates()) == certainly_valid(shared_geos(), c.geometry.get()));
        if (!certainly_valid(shared_geos(), c.geometry.get())) continue;
        ++certified;
        INFO(c.insee);
        CHECK(GEOSisValid_r(shared_geos(), c.geometry.get()) == 1);
    }
    CHECK(certified > layer.size() * 95 / 100);
}
