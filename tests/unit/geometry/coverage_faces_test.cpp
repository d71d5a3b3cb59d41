// CoverageFaces: the faces of small coverages written as WKT (an overlap, a commune inside another,
// an island in a gap, borders that overlap and are crossed by a third, a T-junction a fraction of a
// millimetre off), then coverages broken at random and compared with GEOS: each face's area and
// polygon against GEOS overlays of the communes, each commune's faces against its GEOS area, and
// the communes traced back from their faces against the faces themselves.
#include "cptsmap/geometry/coverage_faces.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

struct Faces {
    std::vector<GeomPtr> input;
    std::vector<const GEOSGeometry*> view;
    std::unique_ptr<CoverageTopology> topology;
    std::unique_ptr<CoverageFaces> faces;

    explicit Faces(const std::vector<std::string>& wkts, double tolerance = 0.001)
    {
        for (const auto& w : wkts) {
            input.push_back(shared_geos().from_wkt(w));
            view.push_back(input.back().get());
        }
        TopologyOptions o;
        o.touch_tolerance = tolerance;
        o.near_tolerance = tolerance;
        topology = std::make_unique<CoverageTopology>(shared_geos(), view, o);
        faces = std::make_unique<CoverageFaces>(*topology, tolerance);
    }
    std::vector<CommuneIndex> owners(CoverageFaces::FaceIndex f) const
    {
        const auto o = faces->owners(f);
        return {o.begin(), o.end()};
    }
    // The faces covered by exactly `who`.
    std::vector<CoverageFaces::FaceIndex> covered_by(const std::vector<CommuneIndex>& who) const
    {
        std::vector<CoverageFaces::FaceIndex> out;
        for (CoverageFaces::FaceIndex f = 0; f < faces->size(); ++f)
            if (owners(f) == who) out.push_back(f);
        return out;
    }
    double area_covered_by(const std::vector<CommuneIndex>& who) const
    {
        double a = 0.0;
        for (auto f : covered_by(who)) a += faces->area(f);
        return a;
    }
};

double geos_area(const GEOSGeometry* g) { return area_of(shared_geos(), g); }

GeomPtr intersection(const GEOSGeometry* a, const GEOSGeometry* b)
{
    return shared_geos().own(GEOSIntersection_r(shared_geos(), a, b), "intersection");
}

} // namespace

TEST_CASE("faces of two overlapping squares: each alone, and the overlap covered by both", "[geometry][faces]")
{
    const Faces f({square_wkt(0, 0), square_wkt(900, 0)});
    CHECK(f.faces->conflicts() == 0);
    REQUIRE(f.faces->size() == 3);
    CHECK(f.area_covered_by({0}) == Approx(900.0 * 1000.0));
    CHECK(f.area_covered_by({0, 1}) == Approx(100.0 * 1000.0));
    CHECK(f.area_covered_by({1}) == Approx(900.0 * 1000.0));
    CHECK(f.faces->nodes_added() == 0); // the borders meet at vertices of one another: cut there, no new node
}

TEST_CASE("a commune inside another: the inner face is covered by both, the outer has a hole", "[geometry][faces]")
{
    const Faces f({square_wkt(0, 0), square_wkt(200, 200, 100)});
    CHECK(f.faces->conflicts() == 0);
    REQUIRE(f.faces->size() == 2);
    const auto both = f.covered_by({0, 1});
    REQUIRE(both.size() == 1);
    CHECK(f.faces->area(both[0]) == Approx(1e4));
    const auto outer = f.covered_by({0});
    REQUIRE(outer.size() == 1);
    CHECK(f.faces->area(outer[0]) == Approx(1e6 - 1e4));
    const GeomPtr p = f.faces->polygon(shared_geos(), outer[0]);
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), p.get()) == 1);
}

TEST_CASE("an island in a gap: the gap is a face no commune covers, around the island", "[geometry][faces]")
{
    // A: a square with a square hole; B: a smaller square inside the hole, not touching it.
    const Faces f({"POLYGON((0 0,1000 0,1000 1000,0 1000,0 0),(300 300,700 300,700 700,300 700,300 300))", square_wkt(400, 400, 200)});
    CHECK(f.faces->conflicts() == 0);
    REQUIRE(f.faces->size() == 3);
    const auto gap = f.covered_by({});
    REQUIRE(gap.size() == 1);
    CHECK(f.faces->area(gap[0]) == Approx(400.0 * 400.0 - 200.0 * 200.0));
    CHECK(f.area_covered_by({1}) == Approx(200.0 * 200.0));
    // The gap borders A and B, and nothing outside.
    std::set<CommuneIndex> around;
    for (const auto& b : f.faces->borders(gap[0])) {
        REQUIRE(b.face != CoverageFaces::outside);
        around.insert(f.owners(b.face).at(0));
    }
    CHECK(around == std::set<CommuneIndex>{0, 1});
}

TEST_CASE("borders that overlap and are crossed by a third are noded once, consistently", "[geometry][faces]")
{
    // A and B share the line x = 1000 but not their vertices (B's runs from y = -100 to 900);
    // C crosses that line, over both.
    const Faces f({square_wkt(0, 0), "POLYGON((1000 -100,2000 -100,2000 900,1000 900,1000 -100))",
                   "POLYGON((900 400,1100 450,1100 550,900 500,900 400))"});
    CHECK(f.faces->conflicts() == 0);
    double total = 0.0;
    for (CoverageFaces::FaceIndex k = 0; k < f.faces->size(); ++k) total += f.faces->area(k) * (f.owners(k).empty() ? 0.0 : 1.0);
    std::vector<GeomPtr> parts;
    for (auto* g : f.view) parts.push_back(shared_geos().clone(g));
    const GeomPtr all = shared_geos().collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
    const GeomPtr u = shared_geos().own(GEOSUnaryUnion_r(shared_geos(), all.get()), "union");
    CHECK(total == Approx(geos_area(u.get())).epsilon(1e-12));
    CHECK(f.area_covered_by({0, 2}) == Approx(geos_area(intersection(f.view[0], f.view[2]).get())));
    CHECK(f.area_covered_by({1, 2}) == Approx(geos_area(intersection(f.view[1], f.view[2]).get())));
}

TEST_CASE("a vertex a fraction of a millimetre off a neighbour's border is snapped onto it", "[geometry][faces]")
{
    // B's west side has a vertex 0.4 mm east of A's east side (inside B's own side of the line).
    const Faces f({square_wkt(0, 0), "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000.0004 500,1000 0))"});
    CHECK(f.faces->conflicts() == 0);
    CHECK(f.faces->size() == 2); // no sliver face between them: A's side was cut at B's vertex
    CHECK(f.faces->nodes_added() == 0);
    CHECK(f.faces->noded(0));
    CHECK_FALSE(f.faces->noded(1));
    // Traced back, A's east side now goes through B's vertex: the two share every edge.
    std::vector<CommuneIndex> owner_of(f.faces->size());
    for (CoverageFaces::FaceIndex k = 0; k < f.faces->size(); ++k) owner_of[k] = f.owners(k).at(0);
    const auto traced = f.faces->polygons(shared_geos(), owner_of, 2);
    CHECK(shared_geos().to_wkt(traced[0].get(), 4).find("1000.0004 500") != std::string::npos);
}

TEST_CASE("faces of a coverage broken at random agree with GEOS, and the communes traced back from them", "[geometry][faces]")
{
    // A 6 × 6 grid of 1 km squares whose inner vertices each commune moves on its own, by up to
    // 30 m: neighbours overlap and leave gaps, and their borders cross, sometimes three over one
    // another. No snapping (a tolerance of 1e-9 m), so that areas must agree with GEOS exactly.
    std::mt19937 random(20261207);
    std::uniform_real_distribution<double> jitter(-30.0, 30.0);
    for (int round = 0; round < 20; ++round) {
        INFO("round " << round);
        std::vector<std::string> wkts;
        const int n = 6;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const auto corner = [&](int ci, int cj) {
                    const bool inner = ci > 0 && ci < n && cj > 0 && cj < n;
                    const double x = 1000.0 * ci + (inner ? jitter(random) : 0.0), y = 1000.0 * cj + (inner ? jitter(random) : 0.0);
                    return std::to_string(x) + " " + std::to_string(y);
                };
                const std::string a = corner(i, j);
                wkts.push_back("POLYGON((" + a + "," + corner(i + 1, j) + "," + corner(i + 1, j + 1) + "," + corner(i, j + 1) + "," + a + "))");
            }
        const Faces f(wkts, 1e-9);
        CHECK(f.faces->conflicts() == 0);
        // Each commune is the sum of the faces it covers.
        std::vector<double> covered(wkts.size(), 0.0);
        for (CoverageFaces::FaceIndex k = 0; k < f.faces->size(); ++k)
            for (CommuneIndex c : f.owners(k)) covered[c] += f.faces->area(k);
        for (std::size_t c = 0; c < wkts.size(); ++c) CHECK(covered[c] == Approx(geos_area(f.view[c])).epsilon(1e-9));
        // Each overlap face lies in the intersection of its communes (its area within it by GEOS).
        for (CoverageFaces::FaceIndex k = 0; k < f.faces->size(); ++k) {
            const auto o = f.owners(k);
            if (o.size() < 2) continue;
            const GeomPtr face = f.faces->polygon(shared_geos(), k);
            const GeomPtr in = intersection(face.get(), intersection(f.view[o[0]], f.view[o[1]]).get());
            CHECK(geos_area(in.get()) == Approx(f.faces->area(k)).epsilon(1e-6));
        }
        // Every face to its first owner (gaps to nobody): the communes traced back are valid and
        // have the area of their faces; side by side they overlap nowhere.
        std::vector<CommuneIndex> owner_of(f.faces->size(), CoverageFaces::nobody);
        std::vector<double> given(wkts.size(), 0.0);
        for (CoverageFaces::FaceIndex k = 0; k < f.faces->size(); ++k)
            if (!f.owners(k).empty()) {
                owner_of[k] = f.owners(k)[0];
                given[owner_of[k]] += f.faces->area(k);
            }
        const auto traced = f.faces->polygons(shared_geos(), owner_of, wkts.size());
        double sum = 0.0;
        std::vector<GeomPtr> parts;
        for (std::size_t c = 0; c < wkts.size(); ++c) {
            if (!traced[c]) {
                CHECK(given[c] == 0.0);
                continue;
            }
            CHECK(GEOSisValid_r(shared_geos(), traced[c].get()) == 1);
            CHECK(geos_area(traced[c].get()) == Approx(given[c]).epsilon(1e-9));
            sum += geos_area(traced[c].get());
            parts.push_back(shared_geos().clone(traced[c].get()));
        }
        const GeomPtr all = shared_geos().collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
        const GeomPtr u = shared_geos().own(GEOSUnaryUnion_r(shared_geos(), all.get()), "union");
        CHECK(geos_area(u.get()) == Approx(sum).epsilon(1e-9)); // no two overlap
    }
}
