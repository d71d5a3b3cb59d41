#include "cptsmap/layer/commune_geometry.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

PolygonArrays square()
{
    PolygonArrays p;
    p.xy = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0};
    p.ring_end = {5};
    p.polygon_end = {1};
    return p;
}

} // namespace

TEST_CASE("a commune's GEOS geometry is built once, on first use, from its coordinates", "[layer]")
{
    const CommuneGeometry g(square());
    REQUIRE(g.coordinates() != nullptr);
    CHECK_FALSE(g.empty());
    CHECK(g.envelope() == std::array<double, 4>{0, 0, 4, 4});
    const GEOSGeometry* first = g.get();
    REQUIRE(first != nullptr);
    CHECK(g.get() == first);
    double area = 0.0;
    GEOSArea_r(shared_geos(), first, &area);
    CHECK(area == 16.0);

    // Asked for by many threads at once: one geometry for all of them.
    const CommuneGeometry shared(square());
    std::vector<const GEOSGeometry*> seen(8, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) threads.emplace_back([&, t] { seen[t] = shared.get(); });
    for (auto& th : threads) th.join();
    CHECK(std::set<const GEOSGeometry*>(seen.begin(), seen.end()).size() == 1);
}

TEST_CASE("a commune's geometry given as GEOS is kept as it is, none is an empty polygon", "[layer]")
{
    GeomPtr wkt = shared_geos().from_wkt("POLYGON((1 1, 3 1, 3 2, 1 1))");
    const GEOSGeometry* raw = wkt.get();
    CommuneGeometry g(std::move(wkt));
    CHECK(g.coordinates() == nullptr);
    CHECK(g.get() == raw);
    CHECK(g.envelope() == std::array<double, 4>{1, 1, 3, 2});

    // Moved: the geometry goes along, the source is left empty.
    CommuneGeometry moved(std::move(g));
    CHECK(moved.get() == raw);
    CHECK(g.empty()); // NOLINT(bugprone-use-after-move): the moved-from state is specified

    const CommuneGeometry none;
    CHECK(none.empty());
    CHECK(GEOSisEmpty_r(shared_geos(), none.get()) == 1);
    CHECK(none.envelope() == std::array<double, 4>{1, 1, 0, 0});
}
