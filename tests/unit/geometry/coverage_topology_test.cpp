#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/geometry/primitives.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// The length of the boundary of the union of every commune, by GEOS.
double union_boundary_length(const CommuneLayer& layer)
{
    std::vector<GeomPtr> parts;
    for (CommuneIndex i = 0; i < layer.size(); ++i) parts.push_back(shared_geos().clone(layer[i].geometry.get()));
    const GeomPtr all = shared_geos().collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
    const GeomPtr u = shared_geos().own(GEOSUnaryUnion_r(shared_geos(), all.get()), "union");
    const GeomPtr b = shared_geos().own(GEOSBoundary_r(shared_geos(), u.get()), "boundary");
    double length = 0.0;
    GEOSLength_r(shared_geos(), b.get(), &length);
    return length;
}

std::pair<CommuneIndex, CommuneIndex> pair_of(CommuneIndex a, CommuneIndex b) { return {a, b}; }

} // namespace

TEST_CASE("topology of a clean coverage: every shared edge has its twin, the rest is the outline", "[geometry][topology]")
{
    const CommuneLayer& layer = synthetic_layer();
    const CoverageTopology t(shared_geos(), layer);
    REQUIRE(t.communes() == layer.size());
    double free_length = 0.0;
    for (std::uint32_t s = 0; s < t.segments().size(); ++s) {
        const auto& g = t.segments()[s];
        if (g.twin == CoverageTopology::none) {
            free_length += t.length(g);
            continue;
        }
        const auto& twin = t.segments()[g.twin];
        CHECK(twin.twin == s); // twins pair up
        CHECK(twin.from == g.to);
        CHECK(twin.to == g.from);
        CHECK(twin.commune != g.commune);
    }
    CHECK(free_length == Approx(union_boundary_length(layer)).epsilon(1e-12)); // 6 × 4 block + the 1 × 1 detached square
    CHECK(free_length == Approx(24000.0));
    CHECK(t.mismatched().empty());
    CHECK(t.near().empty());
    for (CommuneIndex c = 0; c < layer.size(); ++c) CHECK_FALSE(t.suspect(c));
}

TEST_CASE("topology rings: exteriors counter-clockwise, holes clockwise, areas as the commune's", "[geometry][topology]")
{
    const CommuneLayer& layer = synthetic_layer();
    const CoverageTopology t(shared_geos(), layer);
    for (CommuneIndex c = 0; c < layer.size(); ++c) {
        VertexRings rings;
        REQUIRE(t.commune_rings(c, rings));
        double area = 0.0;
        for (const auto& polygon : rings.polygons)
            for (std::size_t r = 0; r < polygon.size(); ++r) {
                const auto& ids = polygon[r];
                REQUIRE(ids.front() == ids.back());
                const double a = ring_signed_area(
                    ids.size(), [&](std::size_t i) { return t.x(ids[i]); }, [&](std::size_t i) { return t.y(ids[i]); });
                CHECK((r == 0 ? a > 0 : a < 0));
                area += a;
            }
        INFO(layer[c].insee);
        CHECK(area == Approx(layer[c].area_m2).epsilon(1e-12));
    }
    const VertexRings gamma = [&] {
        VertexRings r;
        t.commune_rings(*layer.find_code("99003"), r);
        return r;
    }();
    REQUIRE(gamma.polygons.size() == 1);
    CHECK(gamma.polygons[0].size() == 2); // Saint-Gamma has its hole
}

TEST_CASE("topology finds borders that cross, and borders that run side by side across a gap", "[geometry][topology]")
{
    SECTION("overlapping squares are mismatched, at the places they cross")
    {
        const CommuneLayer layer = layer_from_wkt({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))"});
        const CoverageTopology t(shared_geos(), layer);
        CHECK(t.mismatched() == std::vector{pair_of(0, 1)});
        CHECK(t.mismatched_with(0).size() == 1);
        CHECK_FALSE(t.contacts(0).empty());
        for (const auto& [own, other] : t.contacts(0)) {
            CHECK(t.segments()[own].commune == 0);
            CHECK(t.segments()[other].commune == 1);
        }
    }
    SECTION("a 0.2 m gap: near, not mismatched; a 2 m gap: neither")
    {
        const CommuneLayer narrow = layer_from_wkt({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((10.2 0, 20 0, 20 10, 10.2 10, 10.2 0))"});
        const CoverageTopology t(shared_geos(), narrow);
        CHECK(t.mismatched().empty());
        CHECK(t.near() == std::vector{pair_of(0, 1)});
        const CommuneLayer wide = layer_from_wkt({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((12 0, 20 0, 20 10, 12 10, 12 0))"});
        const CoverageTopology u(shared_geos(), wide);
        CHECK(u.mismatched().empty());
        CHECK(u.near().empty());
    }
    SECTION("a vertex of one commune in the middle of the other's edge (a T-junction) is a touch")
    {
        const CommuneLayer layer = layer_from_wkt({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((10 5, 20 5, 20 15, 10 15, 10 5))"});
        const CoverageTopology t(shared_geos(), layer);
        CHECK(t.mismatched() == std::vector{pair_of(0, 1)});
    }
}
