#include "edge_dissolve_parts.hpp"
#include "cptsmap/geometry/primitives.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <span>
#include <unordered_map>

// The exact dissolve's boundary and ring tracing: a set's boundary segments on the topology,
// chained into rings, classified and nested into polygons.
namespace cptsmap::detail {

namespace {

void finish_ring(Ring& r)
{
    const std::size_t n = r.xy.size() / 2;
    r.x0 = r.x1 = r.xy[0];
    r.y0 = r.y1 = r.xy[1];
    for (std::size_t i = 1; i < n; ++i) {
        r.x0 = std::min(r.x0, r.xy[2 * i]);
        r.x1 = std::max(r.x1, r.xy[2 * i]);
        r.y0 = std::min(r.y0, r.xy[2 * i + 1]);
        r.y1 = std::max(r.y1, r.xy[2 * i + 1]);
    }
    r.area = ring_signed_area(r.xy);
}

bool box_contains(const Ring& outer, const Ring& inner)
{
    return outer.x0 <= inner.x0 && outer.y0 <= inner.y0 && outer.x1 >= inner.x1 && outer.y1 >= inner.y1;
}

// A point of a ring's interior side, just off the middle of its first segment (never on another
// ring of a clean coverage: the rings only meet at vertices).
std::pair<double, double> probe(const Ring& r)
{
    return {(r.xy[0] + r.xy[2]) / 2, (r.xy[1] + r.xy[3]) / 2};
}

// Clockwise angle from direction (ax, ay) to (bx, by), in (0, 2π].
double clockwise(double ax, double ay, double bx, double by)
{
    double a = std::atan2(ay, ax) - std::atan2(by, bx);
    while (a <= 0.0) a += 2 * std::numbers::pi;
    while (a > 2 * std::numbers::pi) a -= 2 * std::numbers::pi;
    return a;
}

GeomPtr polygon_geometry(const GeosContext& geos, const std::vector<Ring>& rings, const Ring& shell)
{
    std::vector<GeomPtr> holes;
    for (std::size_t h : shell.holes) holes.push_back(geos.ring(rings[h].xy.data(), rings[h].xy.size() / 2, "a dissolved ring"));
    return geos.polygon(geos.ring(shell.xy.data(), shell.xy.size() / 2, "a dissolved ring"), std::move(holes), "a dissolved polygon");
}

} // namespace

// Crossing number of a point against a closed ring.
bool inside(const Ring& r, double px, double py) { return point_in_ring(r.xy, px, py); }

// The set's segments whose twin is not in the set, in segment order (key: the segment).
std::vector<BoundaryEdge> boundary_edges(const CoverageTopology& topology, const CommuneSet& communes)
{
    thread_local SetMarks members;
    members.mark(topology.communes(), communes);
    const auto segs = topology.segments();
    std::vector<BoundaryEdge> edges;
    for (CommuneIndex c : communes)
        for (std::uint32_t s = topology.begin(c); s < topology.end(c); ++s) {
            const std::uint32_t t = segs[s].twin;
            if (t != CoverageTopology::none && members.has(segs[t].commune)) continue;
            edges.push_back(BoundaryEdge{segs[s].from, segs[s].to, s});
        }
    return edges;
}

// Chains boundary edges into closed loops of vertex ids (first id repeated last), each simple.
// `edges` in key order (as boundary_edges gives them); they must not cross.
std::vector<std::vector<std::uint32_t>> trace_loops(const BoundaryPoints& points, const std::vector<BoundaryEdge>& edges)
{
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::vector<std::uint32_t>> loops;
    // The edges out of each vertex, as a chain through `next_out` from the vertex's head (a small
    // table over the boundary's vertices: an array over all the topology's would be 27 MB per
    // thread on France, read at random). Loops are walked from the first unused edge in key
    // order, and where several edges leave a vertex the choice does not depend on the chain's
    // order: the rings do not depend on how vertices were numbered.
    thread_local VertexHeads heads;
    heads.reset(edges.size());
    std::vector<std::size_t> next_out(edges.size(), none);
    for (std::size_t k = edges.size(); k-- > 0;) {
        std::size_t& first = heads.at(edges[k].from);
        next_out[k] = first;
        first = k;
    }
    const auto head = [&](std::uint32_t v) { return heads.find(v); };
    std::vector<char> used(edges.size(), 0);
    std::vector<std::uint32_t> ids, stack;
    for (std::size_t e0 = 0; e0 < edges.size(); ++e0) {
        if (used[e0]) continue;
        std::size_t cur = e0;
        used[e0] = 1;
        bool pinched = false;
        ids.assign(1, edges[e0].from);
        while (true) {
            const BoundaryEdge& s = edges[cur];
            const std::uint32_t v = s.to;
            ids.push_back(v);
            // Several ways on: the boundary touches itself here; take the first clockwise from the
            // way back, which follows the face on the left (and separates parts that touch); of
            // ways in the same direction, the one of the lowest segment.
            std::size_t next = none, ways = 0, candidates = 0;
            for (std::size_t k = head(v); k != none; k = next_out[k]) {
                ++ways;
                if (used[k] && k != e0) continue;
                ++candidates;
                next = k;
            }
            if (candidates > 1) {
                const double bx = points.x(s.from) - points.x(v), by = points.y(s.from) - points.y(v);
                double best = 0.0;
                next = none;
                for (std::size_t k = head(v); k != none; k = next_out[k]) {
                    if (used[k] && k != e0) continue;
                    const BoundaryEdge& o = edges[k];
                    const double a = clockwise(bx, by, points.x(o.to) - points.x(v), points.y(o.to) - points.y(v));
                    if (next == none || a < best || (a == best && edges[k].key < edges[next].key)) next = k, best = a;
                }
            }
            if (ways > 1) pinched = true;
            if (next == none)
                throw RingTracingError("the boundary does not close at vertex (" + std::to_string(points.x(v)) + ", " + std::to_string(points.y(v)) + ")");
            if (next == e0) break;
            used[next] = 1;
            cur = next;
        }
        // A face whose boundary touches itself (a hole touching the outer ring at one vertex) comes
        // out as one cycle through that vertex twice: cut it there into simple rings, as OGC wants.
        if (!pinched) {
            loops.push_back(ids);
        } else {
            stack.clear();
            std::unordered_map<std::uint32_t, std::size_t> at; // vertex -> its position in stack
            for (std::uint32_t v : ids) {
                auto again = at.find(v);
                if (again != at.end()) {
                    const std::size_t p = again->second;
                    loops.emplace_back(stack.begin() + static_cast<std::ptrdiff_t>(p), stack.end());
                    loops.back().push_back(v);
                    for (std::size_t k = p + 1; k < stack.size(); ++k) at.erase(stack[k]);
                    stack.resize(p + 1);
                } else {
                    at.emplace(v, stack.size());
                    stack.push_back(v);
                }
            }
        }
    }
    return loops;
}

// The polygons bounded by a set's boundary edges (which do not cross): rings chained, classified,
// nested.
EdgeDissolved polygons_from_edges(const GeosContext& geos, const BoundaryPoints& points, const std::vector<BoundaryEdge>& edges)
{
    EdgeDissolved out;
    const auto refuse = [&](std::string why) {
        out.refusal = std::move(why);
        return std::move(out);
    };
    if (edges.empty()) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    std::vector<Ring> rings;
    for (auto& loop : trace_loops(points, edges)) {
        Ring ring;
        ring.xy.reserve(2 * loop.size());
        for (std::uint32_t v : loop) {
            ring.xy.push_back(points.x(v));
            ring.xy.push_back(points.y(v));
        }
        ring.ids = std::move(loop);
        finish_ring(ring);
        if (ring.xy.size() < 8 || ring.area == 0.0)
            return refuse("a ring of the boundary is degenerate near (" + std::to_string(ring.xy[0]) + ", " + std::to_string(ring.xy[1]) + ")");
        rings.push_back(std::move(ring));
    }

    std::vector<std::size_t> shells;
    for (std::size_t r = 0; r < rings.size(); ++r)
        if (rings[r].area > 0) shells.push_back(r);
    if (shells.empty()) return refuse("the boundary has holes but no outer ring");
    for (std::size_t r = 0; r < rings.size(); ++r) {
        if (rings[r].area > 0) continue;
        std::size_t owner = rings.size();
        if (shells.size() == 1) {
            owner = shells[0];
        } else {
            const auto [px, py] = probe(rings[r]);
            for (std::size_t s : shells) {
                if (!box_contains(rings[s], rings[r]) || !inside(rings[s], px, py)) continue;
                if (owner == rings.size() || rings[s].area < rings[owner].area) owner = s;
            }
        }
        if (owner == rings.size()) return refuse("a hole of the boundary lies outside every outer ring");
        rings[owner].holes.push_back(r);
    }
    for (std::size_t s : shells) {
        // Holes of one shell side by side, never one inside another (two gaps that overlap).
        const auto& hs = rings[s].holes;
        if (hs.size() < 2) continue;
        for (std::size_t h : hs) {
            const auto [px, py] = probe(rings[h]);
            for (std::size_t o : hs)
                if (o != h && box_contains(rings[o], rings[h]) && inside(rings[o], px, py)) return refuse("two holes of the boundary overlap");
        }
    }
    if (shells.size() > 1) {
        // A shell inside another polygon (not in one of its holes) is an overlap, not a part.
        for (std::size_t s : shells) {
            const auto [px, py] = probe(rings[s]);
            for (std::size_t o : shells) {
                if (o == s || !box_contains(rings[o], rings[s]) || !inside(rings[o], px, py)) continue;
                bool in_hole = false;
                for (std::size_t h : rings[o].holes) in_hole = in_hole || (box_contains(rings[h], rings[s]) && inside(rings[h], px, py));
                if (!in_hole) return refuse("two outer rings of the boundary overlap");
            }
        }
    }
    double area = 0.0;
    for (const Ring& r : rings) area += r.area;
    out.area_m2 = area;
    out.parts = static_cast<int>(shells.size());
    auto ids = std::make_shared<VertexRings>();
    if (points.extra != nullptr) ids->extra_xy = *points.extra;
    for (std::size_t sh : shells) {
        std::vector<std::vector<std::uint32_t>> polygon{std::move(rings[sh].ids)};
        for (std::size_t h : rings[sh].holes) polygon.push_back(std::move(rings[h].ids));
        ids->polygons.push_back(std::move(polygon));
    }
    out.rings = std::move(ids);
    if (shells.size() == 1) {
        out.geometry = polygon_geometry(geos, rings, rings[shells[0]]);
    } else {
        std::vector<GeomPtr> parts;
        for (std::size_t s : shells) parts.push_back(polygon_geometry(geos, rings, rings[s]));
        out.geometry = geos.collect(GEOS_MULTIPOLYGON, std::move(parts));
    }
    return out;
}

EdgeDissolved polygons_of_boundary(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes)
{
    return polygons_from_edges(geos, BoundaryPoints{topology}, boundary_edges(topology, communes));
}

} // namespace cptsmap::detail
