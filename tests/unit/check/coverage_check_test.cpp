// check_coverage on small layers written as WKT: a clean 3 × 3 grid of 1 km squares, then the same
// grid broken in the ways real layers are (a commune moved by 1 m, a bow-tie ring, a duplicated
// commune, an empty geometry). Expected figures are worked out by hand from the coordinates.
#include "cptsmap/check/coverage_check.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// Communes 99011..99033: row r (1..3 from the bottom), column c (1..3 from the left), code 990rc.
std::vector<std::pair<std::string, std::string>> grid()
{
    std::vector<std::pair<std::string, std::string>> g;
    for (int r = 1; r <= 3; ++r)
        for (int c = 1; c <= 3; ++c) g.emplace_back("990" + std::to_string(r) + std::to_string(c), square_wkt((c - 1) * 1000.0, (r - 1) * 1000.0));
    return g;
}

CommuneLayer layer_of(const std::vector<std::pair<std::string, std::string>>& communes)
{
    CommuneLayer layer;
    layer.source = "test";
    layer.crs = "EPSG:2154";
    for (const auto& [code, wkt] : communes) {
        Commune c;
        c.insee = code;
        c.name = "Commune " + code;
        c.departement = "99";
        c.geometry = wkt.empty() ? shared_geos().empty_polygon() : shared_geos().from_wkt(wkt);
        layer.add(std::move(c));
    }
    return layer;
}

void replace(std::vector<std::pair<std::string, std::string>>& g, const std::string& code, const std::string& wkt)
{
    std::find_if(g.begin(), g.end(), [&](const auto& e) { return e.first == code; })->second = wkt;
}

// The grid with commune `code` replaced by `wkt` ("" for an empty geometry), checked. The report
// owns its geometries: it outlives the layer.
CheckReport check_grid(const std::string& code, const std::string& wkt, const CheckOptions& options = {})
{
    auto g = grid();
    replace(g, code, wkt);
    return check_coverage(layer_of(g), shared_geos(), options);
}

std::vector<const Problem*> of_kind(const CheckReport& r, ProblemKind kind)
{
    std::vector<const Problem*> out;
    for (const auto& p : r.problems)
        if (p.kind == kind) out.push_back(&p);
    return out;
}

} // namespace

TEST_CASE("a clean grid of communes sharing their vertices has no problem", "[check]")
{
    const CommuneLayer layer = layer_of(grid());
    const CheckReport r = check_coverage(layer, shared_geos());
    CHECK(r.communes == 9);
    CHECK(r.problems.empty());
    CHECK(r.wide_holes == 0);
}

TEST_CASE("a commune moved by 1 m gives an overlap, a 1 m gap and unmatched edges with its four neighbours", "[check]")
{
    const CheckReport r = check_grid("99022", square_wkt(1001.0, 1000.0));

    const auto overlaps = of_kind(r, ProblemKind::Overlap);
    REQUIRE(overlaps.size() == 1);
    CHECK(overlaps[0]->insee == std::vector<std::string>{"99022", "99023"});
    CHECK(overlaps[0]->area_m2 == Approx(1000.0)); // 1 m × 1000 m

    const auto gaps = of_kind(r, ProblemKind::Gap);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0]->area_m2 == Approx(1000.0));
    CHECK(gaps[0]->width_m == Approx(1.0).margin(0.2));
    // The strip x 1000–1001, y 1000–2000 runs along the west neighbour, the moved commune, and the
    // communes above and below it (those touching it at a corner only are not listed).
    CHECK(gaps[0]->insee == std::vector<std::string>{"99012", "99021", "99022", "99032"});

    // Each side of the moved square against the neighbour it should share it with, both ways.
    const auto edges = of_kind(r, ProblemKind::UnmatchedEdge);
    std::vector<std::string> pairs;
    for (const Problem* p : edges) {
        pairs.push_back(p->insee[0] + ">" + p->insee[1]);
        CHECK(p->length_m == Approx(1000.0));
    }
    std::sort(pairs.begin(), pairs.end());
    CHECK(pairs == std::vector<std::string>{"99012>99022", "99021>99022", "99022>99012", "99022>99021", "99022>99023", "99022>99032",
                                            "99023>99022", "99032>99022"});
    CHECK(r.count(ProblemKind::InvalidRing) == 0);
}

TEST_CASE("a bow-tie ring is reported as invalid where it crosses itself, and checked repaired", "[check]")
{
    const CheckReport r = check_grid("99022", "POLYGON((1000 1000,2000 2000,2000 1000,1000 2000,1000 1000))");
    const auto invalid = of_kind(r, ProblemKind::InvalidRing);
    REQUIRE(invalid.size() == 1);
    CHECK(invalid[0]->insee == std::vector<std::string>{"99022"});
    CHECK(invalid[0]->detail == "Self-intersection");
    double x = 0, y = 0;
    REQUIRE(GEOSGeomTypeId_r(shared_geos(), invalid[0]->geometry.get()) == GEOS_POINT);
    GEOSGeomGetX_r(shared_geos(), invalid[0]->geometry.get(), &x);
    GEOSGeomGetY_r(shared_geos(), invalid[0]->geometry.get(), &y);
    CHECK(x == Approx(1500.0));
    CHECK(y == Approx(1500.0));
    // Repaired, the bow-tie is two triangles: the rest of the centre square is a hole 1 km wide,
    // too wide to be a gap, and no pair of communes overlaps.
    CHECK(r.count(ProblemKind::Overlap) == 0);
    CHECK(r.count(ProblemKind::Gap) == 0);
    CHECK(r.wide_holes == 2);
}

TEST_CASE("a duplicated commune overlaps its original over its whole area", "[check]")
{
    auto g = grid();
    g.emplace_back("99099", square_wkt(1000.0, 1000.0));
    const CommuneLayer layer = layer_of(g);
    const CheckReport r = check_coverage(layer, shared_geos());
    const auto overlaps = of_kind(r, ProblemKind::Overlap);
    REQUIRE(overlaps.size() == 1);
    CHECK(overlaps[0]->insee == std::vector<std::string>{"99022", "99099"});
    CHECK(overlaps[0]->area_m2 == Approx(1e6));
    CHECK(r.count(ProblemKind::UnmatchedEdge) == 0); // its edges match, three times over
    CHECK(r.count(ProblemKind::Gap) == 0);
}

TEST_CASE("an empty geometry is reported and leaves a hole too wide to be a gap", "[check]")
{
    const CheckReport r = check_grid("99022", "");
    const auto empty = of_kind(r, ProblemKind::EmptyGeometry);
    REQUIRE(empty.size() == 1);
    CHECK(empty[0]->insee == std::vector<std::string>{"99022"});
    CHECK(empty[0]->geometry == nullptr);
    CHECK(r.count(ProblemKind::Gap) == 0);
    CHECK(r.wide_holes == 1);
}

TEST_CASE("a sliver wider than the gap width is a wide hole, and a gap with a larger width", "[check]")
{
    const std::string narrowed = "POLYGON((1010 1000,2000 1000,2000 2000,1010 2000,1010 1000))"; // a 10 m strip open on the west
    CheckOptions narrow;
    narrow.gap_width_m = 5.0;
    const CheckReport r5 = check_grid("99022", narrowed, narrow);
    CHECK(r5.count(ProblemKind::Gap) == 0);
    CHECK(r5.wide_holes == 1);
    CheckOptions wide;
    wide.gap_width_m = 20.0;
    const CheckReport r20 = check_grid("99022", narrowed, wide);
    REQUIRE(r20.count(ProblemKind::Gap) == 1);
    CHECK(of_kind(r20, ProblemKind::Gap)[0]->width_m == Approx(10.0).margin(0.5));
    CHECK(of_kind(r20, ProblemKind::Gap)[0]->area_m2 == Approx(10000.0));
}

TEST_CASE("a vertex on a shared edge that the neighbour lacks is an unmatched edge, within tolerance 0", "[check]")
{
    CheckOptions exact;
    exact.edge_tolerance_m = 0.0;
    // The centre gets an extra vertex in the middle of its west side: the same line, not the same segments.
    const CheckReport r = check_grid("99022", "POLYGON((1000 1000,2000 1000,2000 2000,1000 2000,1000 1500,1000 1000))", exact);
    const auto edges = of_kind(r, ProblemKind::UnmatchedEdge);
    REQUIRE(edges.size() == 2);
    CHECK(edges[0]->insee == std::vector<std::string>{"99021", "99022"});
    CHECK(edges[1]->insee == std::vector<std::string>{"99022", "99021"});
    CHECK(r.count(ProblemKind::Overlap) == 0);
    CHECK(r.count(ProblemKind::Gap) == 0);
}
