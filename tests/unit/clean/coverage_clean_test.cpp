// clean_coverage on small coverages written as WKT, each broken in one way (an overlap, a sliver
// gap, an edge a few decimetres off, a commune inside another, a duplicate): who receives what by
// each rule, and that the result is a coverage `check` finds clean. Expected figures are worked out
// by hand from the coordinates.
#include "cptsmap/check/coverage_check.hpp"
#include "cptsmap/clean/coverage_clean.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

struct Cleaned {
    std::vector<GeomPtr> input;
    CleanResult result;
    Cleaned(const std::vector<std::string>& wkts, const CleanOptions& options)
    {
        std::vector<const GEOSGeometry*> view;
        for (const auto& w : wkts) {
            input.push_back(shared_geos().from_wkt(w));
            view.push_back(input.back().get());
        }
        result = clean_coverage(shared_geos(), view, options);
    }
    double area(std::size_t i) const
    {
        double a = 0.0;
        GEOSArea_r(shared_geos(), result.polygons.at(i).get(), &a);
        return a;
    }
    double area_before(std::size_t i) const
    {
        double a = 0.0;
        GEOSArea_r(shared_geos(), input.at(i).get(), &a);
        return a;
    }
    // check_coverage on the result, the codes 00001, 00002... in input order.
    CheckReport check(double gap_width = 5.0) const
    {
        std::vector<std::string> wkts;
        for (const GeomPtr& g : result.polygons) wkts.push_back(shared_geos().to_wkt(g.get()));
        CheckOptions o;
        o.gap_width_m = gap_width;
        return check_coverage(layer_from_wkt(wkts), shared_geos(), o);
    }
};

// A: the square [0, 1000]²; B: the square east of it, with a triangular bump (10,000 m²) into A,
// whose two slanted sides (2 × 141.4 m) border the rest of A and whose base (200 m) the rest of B.
const std::vector<std::string> kBump{square_wkt(0, 0),
                                     "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 600,900 500,1000 400,1000 0))"};

CleanOptions with_rule(OverlapRule rule)
{
    CleanOptions o;
    o.rule = rule;
    return o;
}

// The changes other than `node` (the vertices and slivers a polygon received so that its borders
// match its neighbours'): the repairs a test is about.
std::vector<const CleanChange*> repairs(const CleanResult& r)
{
    std::vector<const CleanChange*> out;
    for (const CleanChange& c : r.changes)
        if (c.reason != ChangeReason::Node) out.push_back(&c);
    return out;
}

// The 3 × 3 grid of 1 km squares with the centre one (index 4) 1 m short on its west and south
// sides: an L-shaped gap 1 m wide (1,999 m²) along the west neighbour (index 3, 1,000 m of border),
// the south one (index 1, 1,000 m), the centre (1,998 m), and 1 m of the north and east ones.
std::vector<std::string> grid_with_l_gap()
{
    std::vector<std::string> g;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            g.push_back(r == 1 && c == 1 ? "POLYGON((1001 1001,2000 1001,2000 2000,1001 2000,1001 1001))" : square_wkt(c * 1000.0, r * 1000.0));
    return g;
}

} // namespace

TEST_CASE("an overlap goes to the commune with the longest border with it by default", "[clean]")
{
    const Cleaned c(kBump, CleanOptions{});
    REQUIRE(repairs(c.result).size() == 1);
    const CleanChange& change = *repairs(c.result).front();
    CHECK(change.reason == ChangeReason::Overlap);
    CHECK(change.polygon == 1); // B loses its bump: A borders it on 282.8 m, the rest of B on 200 m
    CHECK(change.others == std::vector<std::size_t>{0});
    CHECK(change.piece_m2 == Approx(10000.0));
    CHECK(change.change_m2 == Approx(-10000.0));
    CHECK(change.rule == "longest-border");
    CHECK(c.area(0) == Approx(1e6));
    CHECK(c.area(1) == Approx(1e6));
    CHECK(c.result.stats.overlaps == 1);
    CHECK(c.check().count(ProblemKind::Overlap) == 0);
    // A receives the two vertices where B's bump left its side, so that both share the border:
    // a `node` change of no area, its piece those two points.
    REQUIRE(c.result.changes.size() == 2);
    const CleanChange& node = c.result.changes.back();
    CHECK(node.reason == ChangeReason::Node);
    CHECK(node.polygon == 0);
    CHECK(node.change_m2 == Approx(0.0).margin(1e-9));
    REQUIRE(node.piece);
    CHECK(shared_geos().to_wkt(node.piece.get(), 0) == "MULTIPOINT (1000 400, 1000 600)");
}

TEST_CASE("an overlap goes to the largest, the smallest or the priority commune by those rules", "[clean]")
{
    SECTION("largest: B (1,010,000 m²) keeps its bump, A loses it")
    {
        const Cleaned c(kBump, with_rule(OverlapRule::Largest));
        REQUIRE(repairs(c.result).size() == 1);
        CHECK(repairs(c.result)[0]->polygon == 0);
        CHECK(c.area(0) == Approx(990000.0));
        CHECK(c.area(1) == Approx(1010000.0));
    }
    SECTION("smallest: A (1,000,000 m²) keeps it, B loses it")
    {
        const Cleaned c(kBump, with_rule(OverlapRule::Smallest));
        REQUIRE(repairs(c.result).size() == 1);
        CHECK(repairs(c.result)[0]->polygon == 1);
        CHECK(c.area(1) == Approx(1e6));
    }
    SECTION("priority: the greater value wins, whichever it is")
    {
        CleanOptions o = with_rule(OverlapRule::Priority);
        o.priority = {1.0, 2.0};
        const Cleaned b_wins(kBump, o);
        REQUIRE(repairs(b_wins.result).size() == 1);
        CHECK(repairs(b_wins.result)[0]->polygon == 0);
        CHECK(repairs(b_wins.result)[0]->rule == "priority");
        o.priority = {3.0, 2.0};
        const Cleaned a_wins(kBump, o);
        REQUIRE(repairs(a_wins.result).size() == 1);
        CHECK(repairs(a_wins.result)[0]->polygon == 1);
    }
    SECTION("priority without one value per commune is an error")
    {
        CleanOptions o = with_rule(OverlapRule::Priority);
        o.priority = {1.0};
        CHECK_THROWS_AS(Cleaned(kBump, o), InputError);
    }
}

TEST_CASE("a sliver gap is merged into the neighbour the rule chooses", "[clean]")
{
    SECTION("longest border: the centre, which borders it on 1,998 m")
    {
        const Cleaned c(grid_with_l_gap(), CleanOptions{});
        REQUIRE(repairs(c.result).size() == 1);
        const CleanChange& change = *repairs(c.result).front();
        CHECK(change.reason == ChangeReason::Gap);
        CHECK(change.polygon == 4);
        CHECK(change.piece_m2 == Approx(1999.0));
        CHECK(change.change_m2 == Approx(1999.0));
        CHECK(change.width_m == Approx(1.1).margin(0.1)); // the corner of the L holds a wider circle
        std::vector<std::size_t> others = change.others;
        std::sort(others.begin(), others.end());
        CHECK(others == std::vector<std::size_t>{1, 3, 5, 7});
        CHECK(c.area(4) == Approx(1e6));
        const CheckReport r = c.check();
        CHECK(r.count(ProblemKind::Gap) == 0);
        CHECK(r.count(ProblemKind::Overlap) == 0);
    }
    SECTION("largest: of the four whole squares along it, the one of longest border first in the input (south)")
    {
        const Cleaned c(grid_with_l_gap(), with_rule(OverlapRule::Largest));
        REQUIRE(repairs(c.result).size() == 1);
        CHECK(repairs(c.result)[0]->polygon == 1);
        CHECK(c.area(1) == Approx(1e6 + 1999.0));
        CHECK(c.check().count(ProblemKind::Gap) == 0);
    }
    SECTION("a gap wider than --gap-width stays")
    {
        CleanOptions o;
        o.gap_width_m = 0.5;
        const Cleaned c(grid_with_l_gap(), o);
        CHECK(repairs(c.result).empty());
        CHECK(c.result.stats.wide_holes == 1);
        // The centre's corners on its north and east neighbours' sides become their vertices.
        std::vector<std::size_t> noded;
        for (const CleanChange& change : c.result.changes) {
            noded.push_back(change.polygon);
            CHECK(change.change_m2 == Approx(0.0).margin(1e-9));
            REQUIRE(change.piece);
            CHECK(GEOSGeomTypeId_r(shared_geos(), change.piece.get()) == GEOS_MULTIPOINT);
            CHECK(GEOSGetNumGeometries_r(shared_geos(), change.piece.get()) == 1);
        }
        std::sort(noded.begin(), noded.end());
        CHECK(noded == std::vector<std::size_t>{5, 7});
    }
}

TEST_CASE("vertices within the snap distance are snapped together", "[clean]")
{
    // B's west edge is 0.3 m east of A's east edge.
    const std::vector<std::string> wkts{square_wkt(0, 0), "POLYGON((1000.3 0,2000 0,2000 1000,1000.3 1000,1000.3 0))"};
    SECTION("with --snap-distance 0.5 they share their edge")
    {
        CleanOptions o;
        o.snap_distance_m = 0.5;
        const Cleaned c(wkts, o);
        REQUIRE(repairs(c.result).size() == 1);
        CHECK(repairs(c.result)[0]->reason == ChangeReason::Snap);
        CHECK(std::abs(repairs(c.result)[0]->change_m2) == Approx(300.0));
        CHECK(repairs(c.result)[0]->piece_m2 == Approx(300.0));
        CHECK(c.result.stats.snapped == 1);
        GeomPtr both = shared_geos().own(GEOSUnion_r(shared_geos(), c.result.polygons[0].get(), c.result.polygons[1].get()), "union");
        double area = 0.0;
        GEOSArea_r(shared_geos(), both.get(), &area);
        CHECK(area == Approx(2e6));
        CHECK(c.area(0) + c.area(1) == Approx(2e6));
    }
    SECTION("without snapping (the default) nothing moves: the strip is open, not a gap")
    {
        const Cleaned c(wkts, CleanOptions{});
        CHECK(c.result.changes.empty());
    }
}

TEST_CASE("a commune the rule would empty keeps the overlap, and no commune disappears", "[clean]")
{
    // B lies inside A: by the largest rule A would keep B's whole area.
    const Cleaned c({square_wkt(0, 0), square_wkt(100, 100, 100)}, with_rule(OverlapRule::Largest));
    REQUIRE(repairs(c.result).size() == 1);
    CHECK(repairs(c.result)[0]->polygon == 0); // A loses B's area instead
    CHECK(repairs(c.result)[0]->rule.rfind("kept", 0) == 0);
    CHECK(c.result.stats.kept_from_vanishing == 1);
    CHECK(c.area(0) == Approx(1e6 - 1e4));
    CHECK(c.area(1) == Approx(1e4));
    CHECK(c.check().count(ProblemKind::Overlap) == 0);
}

TEST_CASE("identical communes are both kept, their overlap counted as unresolved", "[clean]")
{
    const Cleaned c({square_wkt(0, 0), square_wkt(0, 0), square_wkt(1000, 0)}, CleanOptions{});
    CHECK(c.result.changes.empty());
    CHECK(c.result.stats.unresolved_overlaps == 1);
    CHECK(c.area(0) == Approx(1e6));
    CHECK(c.area(1) == Approx(1e6));
}

TEST_CASE("every commune keeps its place and changes by no more than its recorded changes", "[clean]")
{
    // The grid with the L gap, and the centre's east neighbour moved 2 m west into it.
    std::vector<std::string> wkts = grid_with_l_gap();
    wkts[5] = square_wkt(1998.0, 1000.0);
    const Cleaned c(wkts, CleanOptions{});
    REQUIRE(c.result.polygons.size() == wkts.size());
    std::vector<double> recorded(wkts.size(), 0.0);
    for (const CleanChange& change : c.result.changes) recorded[change.polygon] += std::abs(change.change_m2);
    for (std::size_t i = 0; i < wkts.size(); ++i) {
        INFO(i);
        REQUIRE(c.result.polygons[i]);
        CHECK(GEOSisEmpty_r(shared_geos(), c.result.polygons[i].get()) == 0);
        CHECK(GEOSisValid_r(shared_geos(), c.result.polygons[i].get()) == 1);
        GeomPtr centre = shared_geos().own(GEOSPointOnSurface_r(shared_geos(), c.input[i].get()), "point");
        CHECK(std::abs(c.area(i) - c.area_before(i)) <= recorded[i] + 1e-6);
        // Still where it was: the cleaned commune covers most of its input.
        GeomPtr common = shared_geos().own(GEOSIntersection_r(shared_geos(), c.result.polygons[i].get(), c.input[i].get()), "common");
        double a = 0.0;
        GEOSArea_r(shared_geos(), common.get(), &a);
        CHECK(a >= 0.99 * c.area_before(i));
    }
    const CheckReport r = c.check();
    CHECK(r.count(ProblemKind::Overlap) == 0);
    CHECK(r.count(ProblemKind::Gap) == 0);
}

TEST_CASE("an invalid commune is made valid and the change recorded", "[clean]")
{
    // A bow-tie beside a square.
    const Cleaned c({"POLYGON((0 0,1000 1000,1000 0,0 1000,0 0))", square_wkt(1000, 0)}, CleanOptions{});
    REQUIRE_FALSE(c.result.changes.empty());
    CHECK(repairs(c.result)[0]->reason == ChangeReason::MakeValid);
    CHECK(repairs(c.result)[0]->polygon == 0);
    CHECK(c.result.stats.repaired_invalid == 1);
    CHECK(GEOSisValid_r(shared_geos(), c.result.polygons[0].get()) == 1);
}

TEST_CASE("overlap rules are read by their names", "[clean]")
{
    CHECK(overlap_rule_from("longest-border") == OverlapRule::LongestBorder);
    CHECK(overlap_rule_from("priority") == OverlapRule::Priority);
    CHECK_THROWS_WITH(overlap_rule_from("biggest"), Catch::Contains("longest-border, largest, smallest or priority"));
}
