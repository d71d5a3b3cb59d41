#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/geometry/dissolve.hpp"
#include "cptsmap/geometry/edge_dissolve.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

std::string square(double x, double y, double size = 1000)
{
    const auto s = [](double v) { return std::to_string(v); };
    return "POLYGON((" + s(x) + " " + s(y) + ", " + s(x + size) + " " + s(y) + ", " + s(x + size) + " " + s(y + size) + ", " + s(x) + " " +
           s(y + size) + ", " + s(x) + " " + s(y) + "))";
}


// A 3 × 3 grid of 1 km squares; commune k (0-based) is at column k % 3, row k / 3.
CommuneLayer grid()
{
    std::vector<std::string> wkts;
    for (int k = 0; k < 9; ++k) wkts.push_back(square(1000.0 * (k % 3), 1000.0 * (k / 3)));
    return layer_from_wkt(wkts);
}

int holes(const GEOSGeometry* g)
{
    const GeosContext& geos = shared_geos();
    int n = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) n += GEOSGetNumInteriorRings_r(geos, GEOSGetGeometryN_r(geos, g, i));
    return n;
}

// Area of the symmetric difference of the edge dissolve and GEOS's own union of the same communes.
double difference_with_geos(const CommuneLayer& layer, const CommuneSet& set, const GEOSGeometry* ours)
{
    const GeosContext& geos = shared_geos();
    std::vector<GeomPtr> parts;
    for (CommuneIndex i : set) parts.push_back(geos.clone(layer[i].geometry.get()));
    GeomPtr all = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
    GeomPtr reference = geos.own(GEOSUnaryUnion_r(geos, all.get()), "reference union");
    GeomPtr diff = geos.own(GEOSSymDifference_r(geos, reference.get(), ours), "difference");
    double a = 0.0;
    GEOSArea_r(geos, diff.get(), &a);
    return a;
}

} // namespace

TEST_CASE("the topology pairs every shared edge with its twin and leaves the outer edges free", "[geometry][topology]")
{
    const CommuneLayer layer = grid();
    const CoverageTopology topology(shared_geos(), layer);
    CHECK(topology.vertex_count() == 16);
    CHECK(topology.segments().size() == 36);
    CHECK(topology.free_segments() == 12); // the 12 unit edges of the outer square
    for (const auto& s : topology.segments()) {
        if (s.twin == CoverageTopology::none) continue;
        const auto& t = topology.segments()[s.twin];
        CHECK(t.from == s.to);
        CHECK(t.to == s.from);
        CHECK(t.commune != s.commune);
    }
    CHECK(topology.mismatched().empty());
    for (CommuneIndex c = 0; c < layer.size(); ++c) CHECK_FALSE(topology.suspect(c));
}

TEST_CASE("edge dissolve: whole blocks, a ring around a hole, corners that touch, a hole touching the outer ring", "[geometry][topology]")
{
    const CommuneLayer layer = grid();
    const CoverageTopology topology(shared_geos(), layer);
    const GeosContext& geos = shared_geos();
    struct Case {
        CommuneSet set;
        double area;
        int parts, holes;
    };
    const std::vector<Case> cases = {
        {{0, 1, 2, 3, 4, 5, 6, 7, 8}, 9e6, 1, 0}, // everything: one square
        {{0, 1, 2, 3, 5, 6, 7, 8}, 8e6, 1, 1},    // the ring around the centre: a hole
        {{0, 4, 8}, 3e6, 3, 0},                   // a diagonal: three parts touching at corners
        {{1, 2, 3, 5, 6, 7, 8}, 7e6, 1, 1},       // ring without a corner: the hole touches the notch at (1000, 1000)
        {{0, 2, 4}, 3e6, 3, 0},
        {{1, 3, 4, 5, 7}, 5e6, 1, 0}, // a cross
    };
    for (const Case& c : cases) {
        INFO("set of " << c.set.size() << " communes starting with " << c.set.front());
        const EdgeDissolved d = edge_dissolve(geos, topology, layer, c.set);
        REQUIRE(d.geometry);
        CHECK(d.refusal.empty());
        CHECK(GEOSisValid_r(geos, d.geometry.get()) == 1);
        CHECK(d.area_m2 == Approx(c.area).epsilon(1e-12));
        CHECK(d.parts == c.parts);
        CHECK(holes(d.geometry.get()) == c.holes);
        CHECK(difference_with_geos(layer, c.set, d.geometry.get()) < 1e-6);
    }
}

TEST_CASE("edge dissolve refuses communes whose borders cross, the noded union of the boundary handles them", "[geometry][topology]")
{
    // Two squares whose common border does not match: the east one's west edge zigzags 10 m to
    // either side of the west one's east edge, crossing it at (1000, 500).
    const CommuneLayer layer = layer_from_wkt({square(0, 0), "POLYGON((1000 0, 2000 0, 2000 1000, 1000 1000, 1010 700, 990 300, 1000 0))",
                                         "POLYGON((0 1000, 1000 1000, 2000 1000, 2000 2000, 0 2000, 0 1000))"});
    const CoverageTopology topology(shared_geos(), layer);
    CHECK(topology.mismatched() == std::vector<std::pair<CommuneIndex, CommuneIndex>>{{0, 1}});
    const GeosContext& geos = shared_geos();
    const EdgeDissolved exact = edge_dissolve(geos, topology, layer, {0, 1});
    CHECK_FALSE(exact.geometry);
    CHECK_THAT(exact.refusal, Catch::Contains("00001") && Catch::Contains("00002") && Catch::Contains("cross or touch"));

    const EdgeDissolved noded = noded_edge_dissolve(geos, topology, layer, {0, 1});
    REQUIRE(noded.geometry);
    CHECK_FALSE(noded.whole_boundary_noded); // noded where the borders cross only
    CHECK(GEOSisValid_r(geos, noded.geometry.get()) == 1);
    CHECK(difference_with_geos(layer, {0, 1}, noded.geometry.get()) < 1e-6);
    CHECK(holes(noded.geometry.get()) == 1); // the 10 m wedge that neither covers
    CHECK(noded.area_m2 == Approx(2e6 - 10 * 500 / 2.0).epsilon(1e-12)); // the squares less the wedge neither covers
    // Its rings as vertex ids hold the node where the borders cross as an extra point.
    REQUIRE(noded.rings);
    CHECK(noded.rings->extra_xy == std::vector<double>{1000, 500});
    // The whole boundary noded and polygonized (the fallback) gives the same polygon.
    const EdgeDissolved whole = noded_edge_dissolve(geos, topology, layer, {0, 1}, false);
    REQUIRE(whole.geometry);
    CHECK(whole.whole_boundary_noded);
    CHECK(GEOSisValid_r(geos, whole.geometry.get()) == 1);
    CHECK(whole.area_m2 == Approx(noded.area_m2).epsilon(1e-12));
    CHECK(holes(whole.geometry.get()) == 1);
    GeomPtr apart = geos.own(GEOSSymDifference_r(geos, whole.geometry.get(), noded.geometry.get()), "difference");
    double apart_area = 0.0;
    GEOSArea_r(geos, apart.get(), &apart_area);
    CHECK(apart_area < 1e-6);

    // With the north commune, which borders both exactly, the set is still refused by the exact
    // method; dissolve() reports the noded union and why, and fills the wedge (a sliver: thin, and
    // no commune of the layer covers it).
    DissolveOptions options;
    options.topology = &topology;
    const Dissolved d = dissolve(geos, layer, {0, 1, 2}, options);
    CHECK(d.method == DissolveMethod::NodedUnion);
    CHECK_THAT(d.reason, Catch::Contains("cross or touch"));
    CHECK(d.slivers_filled == 1);
    CHECK(d.area_m2 == Approx(4e6).epsilon(1e-9));
    CHECK(GEOSisValid_r(geos, d.geometry.get()) == 1);
    // Each alone with the north commune is clean.
    CHECK(edge_dissolve(geos, topology, layer, {0, 2}).geometry);
    CHECK(edge_dissolve(geos, topology, layer, {1, 2}).geometry);

    // The noded result as vertex ids: the communes' vertices by id, the node made where the
    // borders cross (1000, 500) as an extra point; the coordinates they stand for are the result's.
    const auto rings = vertex_rings_of(geos, topology, {0, 1}, noded.geometry.get());
    REQUIRE(rings);
    CHECK(rings->extra_xy == std::vector<double>{1000, 500});
    std::vector<double> from_ids, from_geos;
    for (const auto& polygon : rings->polygons)
        for (const auto& ring : polygon)
            for (std::uint32_t v : ring) {
                const bool extra = v >= VertexRings::kExtra;
                from_ids.push_back(extra ? rings->extra_xy[2 * (v - VertexRings::kExtra)] : topology.x(v));
                from_ids.push_back(extra ? rings->extra_xy[2 * (v - VertexRings::kExtra) + 1] : topology.y(v));
            }
    const int parts = GEOSGetNumGeometries_r(geos, noded.geometry.get());
    for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* polygon = GEOSGetGeometryN_r(geos, noded.geometry.get(), p);
        for (int r = -1; r < GEOSGetNumInteriorRings_r(geos, polygon); ++r) {
            const GEOSGeometry* ring = r < 0 ? GEOSGetExteriorRing_r(geos, polygon) : GEOSGetInteriorRingN_r(geos, polygon, r);
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(geos, seq, &n);
            std::vector<double> xy(2 * std::size_t(n));
            GEOSCoordSeq_copyToBuffer_r(geos, seq, xy.data(), 0, 0);
            from_geos.insert(from_geos.end(), xy.begin(), xy.end());
        }
    }
    CHECK(from_ids == from_geos);
}

TEST_CASE("edge dissolve refuses communes that overlap without crossing", "[geometry][topology]")
{
    // The east square's west edge bulges 10 m into the west square, meeting it only at the corners.
    const CommuneLayer layer = layer_from_wkt({square(0, 0), "POLYGON((1000 0, 2000 0, 2000 1000, 1000 1000, 990 500, 1000 0))"});
    const CoverageTopology topology(shared_geos(), layer);
    const GeosContext& geos = shared_geos();
    const EdgeDissolved exact = edge_dissolve(geos, topology, layer, {0, 1});
    CHECK_FALSE(exact.geometry);
    CHECK_THAT(exact.refusal, Catch::Contains("overlap"));
    const EdgeDissolved noded = noded_edge_dissolve(geos, topology, layer, {0, 1});
    REQUIRE(noded.geometry);
    CHECK(GEOSisValid_r(geos, noded.geometry.get()) == 1);
    CHECK(noded.area_m2 == Approx(2e6).epsilon(1e-9));
    CHECK(difference_with_geos(layer, {0, 1}, noded.geometry.get()) < 1e-6);
}

TEST_CASE("the noding where borders cross also drops a border that lies inside a neighbour without touching it", "[geometry][topology]")
{
    // West square 0, east square 1 whose west edge zigzags across the shared border (crossing at
    // (1000, 500), a contact), and north square 2 whose south edge bulges 10 m into square 0
    // between the vertices they share, (0, 1000) and (1000, 1000): no contact there, yet 2's bulge
    // lies inside 0 and 0's north edge inside 2. The winding number is needed on every segment,
    // not only on those of communes in contact (as on real data: the Métropole du Grand Paris has
    // such borders).
    const CommuneLayer layer = layer_from_wkt({square(0, 0), "POLYGON((1000 0, 2000 0, 2000 1000, 1000 1000, 1010 700, 990 300, 1000 0))",
                                               "POLYGON((0 1000, 500 990, 1000 1000, 2000 1000, 2000 2000, 0 2000, 0 1000))"});
    const CoverageTopology topology(shared_geos(), layer);
    CHECK(topology.mismatched() == std::vector<std::pair<CommuneIndex, CommuneIndex>>{{0, 1}});
    const GeosContext& geos = shared_geos();
    const EdgeDissolved noded = noded_edge_dissolve(geos, topology, layer, {0, 1, 2});
    REQUIRE(noded.geometry);
    CHECK_FALSE(noded.whole_boundary_noded);
    CHECK(GEOSisValid_r(geos, noded.geometry.get()) == 1);
    CHECK(difference_with_geos(layer, {0, 1, 2}, noded.geometry.get()) < 1e-6);
    CHECK(holes(noded.geometry.get()) == 1); // the wedge between 0 and 1 that none covers
    CHECK(noded.area_m2 == Approx(4e6 - 10 * 500 / 2.0).epsilon(1e-12));
}

TEST_CASE("a gap between two communes of a set stays a hole with the edge dissolve", "[geometry][topology]")
{
    // The east square starts 5 m away: a 5 m × 1 km gap closed by the north and south communes.
    const CommuneLayer layer = layer_from_wkt({square(0, 0), "POLYGON((1005 0, 2000 0, 2000 1000, 1005 1000, 1005 0))",
                                         "POLYGON((0 1000, 1000 1000, 1005 1000, 2000 1000, 2000 2000, 0 2000, 0 1000))",
                                         "POLYGON((0 -1000, 2000 -1000, 2000 0, 1005 0, 1000 0, 0 0, 0 -1000))"});
    const CoverageTopology topology(shared_geos(), layer);
    const GeosContext& geos = shared_geos();
    const EdgeDissolved d = edge_dissolve(geos, topology, layer, {0, 1, 2, 3});
    REQUIRE(d.geometry);
    CHECK(GEOSisValid_r(geos, d.geometry.get()) == 1);
    CHECK(d.parts == 1);
    CHECK(holes(d.geometry.get()) == 1);
    CHECK(d.area_m2 == Approx(1e6 + 995e3 + 2e6 + 2e6));
    CHECK(difference_with_geos(layer, {0, 1, 2, 3}, d.geometry.get()) < 1e-6);

    // With a 5 m wide south commune instead, the gap is closed by a part that touches the others at
    // two corners only: two polygons, no hole, still GEOS's union.
    const CommuneLayer narrow = layer_from_wkt({square(0, 0), "POLYGON((1005 0, 2000 0, 2000 1000, 1005 1000, 1005 0))",
                                          "POLYGON((0 1000, 1000 1000, 1005 1000, 2000 1000, 2000 2000, 0 2000, 0 1000))",
                                          "POLYGON((1000 -1000, 1005 -1000, 1005 0, 1000 0, 1000 -1000))"});
    const CoverageTopology narrow_topology(shared_geos(), narrow);
    const EdgeDissolved corners = edge_dissolve(geos, narrow_topology, narrow, {0, 1, 2, 3});
    REQUIRE(corners.geometry);
    CHECK(GEOSisValid_r(geos, corners.geometry.get()) == 1);
    CHECK(corners.parts == 2);
    CHECK(difference_with_geos(narrow, {0, 1, 2, 3}, corners.geometry.get()) < 1e-6);
}

TEST_CASE("coordinates that are not numbers leave every set to GEOS, without a crash", "[geometry][topology]")
{
    const CommuneLayer layer = layer_from_wkt({"POLYGON((0 0, 1000 0, 1000 1000, 0 1000, 0 0))", "POLYGON((1000 0, 2000 0, NaN 1000, 1000 1000, 1000 0))"});
    const CoverageTopology topology(shared_geos(), layer);
    CHECK(topology.suspect(0));
    CHECK(topology.suspect(1));
    const EdgeDissolved d = edge_dissolve(shared_geos(), topology, layer, {0, 1});
    CHECK_FALSE(d.geometry);
    CHECK_THAT(d.refusal, Catch::Contains("cannot use"));
}
