// Coverage simplification on a synthetic coverage: a 3 × 3 grid of communes whose borders wiggle
// (each border drawn once, so neighbours share every vertex), an enclave in the middle one, and an
// island. After simplification: fewer vertices, every polygon valid, still a coverage (the union
// has no hole and its area is the sum of the parts: no gap, no overlap), the grid's junctions kept,
// the enclave and the island kept.
#include "cptsmap/error.hpp"
#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/simplify/coverage_simplify.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace cptsmap;

namespace {

using Line = std::vector<std::pair<double, double>>;

// A border from a to b with 60 vertices, offset by up to 15 m across its direction.
Line wiggly(std::pair<double, double> a, std::pair<double, double> b, std::uint32_t seed)
{
    Line out{a};
    const double dx = b.first - a.first, dy = b.second - a.second, len = std::hypot(dx, dy);
    for (int i = 1; i < 60; ++i) {
        seed = seed * 1664525U + 1013904223U;
        const double t = i / 60.0, off = (static_cast<double>(seed >> 8) / (1U << 24) - 0.5) * 30.0;
        out.emplace_back(a.first + t * dx - dy / len * off, a.second + t * dy + dx / len * off);
    }
    out.push_back(b);
    return out;
}

Line circle(double cx, double cy, double r, int n)
{
    Line out;
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * (i % n) / n;
        out.emplace_back(cx + r * std::cos(a), cy + r * std::sin(a));
    }
    return out;
}

std::string ring_text(const Line& ring)
{
    std::string s = "(";
    for (std::size_t i = 0; i < ring.size(); ++i) s += (i ? ", " : "") + std::to_string(ring[i].first) + " " + std::to_string(ring[i].second);
    return s + ")";
}

struct Coverage {
    std::vector<GeomPtr> polygons;
    std::vector<const GEOSGeometry*> view;
};

// Cells (i, j) of 1000 m; borders between grid points drawn once and walked both ways.
Coverage grid_coverage(const GeosContext& geos)
{
    std::map<std::pair<int, int>, Line> horizontal, vertical; // from (i, j) to (i + 1, j), to (i, j + 1)
    std::uint32_t seed = 7;
    for (int i = 0; i <= 3; ++i)
        for (int j = 0; j <= 3; ++j) {
            if (i < 3) horizontal[{i, j}] = wiggly({i * 1000.0, j * 1000.0}, {(i + 1) * 1000.0, j * 1000.0}, seed += 101);
            if (j < 3) vertical[{i, j}] = wiggly({i * 1000.0, j * 1000.0}, {i * 1000.0, (j + 1) * 1000.0}, seed += 101);
        }
    Coverage c;
    const Line enclave = circle(1500, 1500, 100, 30);
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i) {
            Line ring = horizontal[{i, j}];
            for (std::size_t k = 1; k < vertical[{i + 1, j}].size(); ++k) ring.push_back(vertical[{i + 1, j}][k]);
            const Line& top = horizontal[{i, j + 1}];
            for (std::size_t k = top.size() - 1; k-- > 0;) ring.push_back(top[k]);
            const Line& left = vertical[{i, j}];
            for (std::size_t k = left.size() - 1; k-- > 0;) ring.push_back(left[k]);
            std::string wkt = "POLYGON (" + ring_text(ring);
            if (i == 1 && j == 1) wkt += ", " + ring_text(Line(enclave.rbegin(), enclave.rend()));
            c.polygons.push_back(geos.from_wkt(wkt + ")"));
        }
    c.polygons.push_back(geos.from_wkt("POLYGON (" + ring_text(enclave) + ")"));
    c.polygons.push_back(geos.from_wkt("POLYGON (" + ring_text(circle(6000, 6000, 20, 40)) + ")")); // an island
    for (const auto& p : c.polygons) c.view.push_back(p.get());
    return c;
}

double area(const GeosContext& geos, const GEOSGeometry* g)
{
    double a = 0;
    GEOSArea_r(geos, g, &a);
    return a;
}

std::set<std::pair<double, double>> shell_vertices(const GeosContext& geos, const GEOSGeometry* polygon)
{
    std::set<std::pair<double, double>> out;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, GEOSGetExteriorRing_r(geos, polygon));
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(geos, seq, &n);
    for (unsigned i = 0; i < n; ++i) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(geos, seq, i, &x, &y);
        out.emplace(x, y);
    }
    return out;
}

} // namespace

TEST_CASE("simplify_coverage keeps a coverage a coverage: no gap, no overlap, valid, junctions and small parts kept", "[simplify]")
{
    GeosContext geos;
    const Coverage input = grid_coverage(geos);
    const CoverageTopology topology(geos, input.view, simplify_topology_options(SimplifyOptions{}, 1));
    for (double pct : {0.0, 5.0, 20.0}) {
        INFO("keep " << pct << " %");
        SimplifyOptions o;
        o.keep_pct = pct;
        const CoverageSimplification s = simplify_coverage(geos, topology, o);
        REQUIRE(s.polygons.size() == input.polygons.size());
        CHECK(s.stats.vertices_after < s.stats.vertices_before / 2);
        std::vector<GeomPtr> out;
        for (std::size_t k = 0; k < s.polygons.size(); ++k) {
            INFO("polygon " << k);
            REQUIRE(s.polygons[k].has_value());
            out.push_back(to_geos(geos, *s.polygons[k]));
            CHECK(GEOSisValid_r(geos, out.back().get()) == 1);
            CHECK(area(geos, out.back().get()) > 0);
        }
        // The grid and its enclave: one polygon without holes whose area is the sum of the cells'.
        std::vector<GEOSGeometry*> cells;
        double sum = 0;
        for (std::size_t k = 0; k + 1 < out.size(); ++k) {
            cells.push_back(GEOSGeom_clone_r(geos, out[k].get()));
            sum += area(geos, out[k].get());
        }
        GeomPtr collection = geos.own(GEOSGeom_createCollection_r(geos, GEOS_GEOMETRYCOLLECTION, cells.data(), static_cast<unsigned>(cells.size())), "cells");
        GeomPtr u = geos.own(GEOSUnaryUnion_r(geos, collection.get()), "union");
        REQUIRE(GEOSGeomTypeId_r(geos, u.get()) == GEOS_POLYGON);
        CHECK(GEOSGetNumInteriorRings_r(geos, u.get()) == 0);
        CHECK(area(geos, u.get()) == Approx(sum).epsilon(1e-9));
        // The grid points where three borders or more meet are vertices of each cell around them still.
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 3; ++i) {
                const auto vertices = shell_vertices(geos, out[static_cast<std::size_t>(3 * j + i)].get());
                for (int ci = i; ci <= i + 1; ++ci)
                    for (int cj = j; cj <= j + 1; ++cj) {
                        if ((ci == 0 || ci == 3) && (cj == 0 || cj == 3)) continue; // an outer corner: two borders only
                        INFO("cell " << i << "," << j << ": " << ci * 1000 << " " << cj * 1000);
                        CHECK(vertices.count({ci * 1000.0, cj * 1000.0}) == 1);
                    }
            }
    }
}

TEST_CASE("simplify_coverage: no tolerance keeps every vertex, a tolerance keeps fewer as it grows", "[simplify]")
{
    GeosContext geos;
    const Coverage input = grid_coverage(geos);
    const CoverageTopology topology(geos, input.view, simplify_topology_options(SimplifyOptions{}, 1));
    SimplifyOptions none;
    const CoverageSimplification same = simplify_coverage(geos, topology, none);
    CHECK(same.stats.vertices_after == same.stats.vertices_before);
    for (std::size_t k = 0; k < input.polygons.size(); ++k) {
        REQUIRE(same.polygons[k].has_value());
        GeomPtr g = to_geos(geos, *same.polygons[k]);
        CHECK(area(geos, g.get()) == Approx(area(geos, input.polygons[k].get())).epsilon(1e-12));
        CHECK(GEOSGetNumCoordinates_r(geos, g.get()) == GEOSGetNumCoordinates_r(geos, input.polygons[k].get()));
    }
    std::size_t previous = same.stats.vertices_after;
    for (double metres : {1.0, 5.0, 20.0}) {
        SimplifyOptions o;
        o.tolerance = metres;
        const CoverageSimplification s = simplify_coverage(geos, topology, o);
        CHECK(s.stats.vertices_after <= previous);
        previous = s.stats.vertices_after;
    }
    CHECK(previous < same.stats.vertices_after);
    SimplifyOptions bad;
    bad.keep_pct = 120;
    CHECK_THROWS_AS(simplify_coverage(geos, topology, bad), InputError);
}
