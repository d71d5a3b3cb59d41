#include "edge_dissolve_parts.hpp"
#include "cptsmap/geometry/primitives.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

// The noded union where borders cross only (see locally_noded in edge_dissolve_parts.hpp).
namespace cptsmap::detail {

namespace {

// The set's boundary edges, split into those at a contact between two of its communes (dirty:
// they need noding; indices into edges) and the others, each run along once (clean).
struct SplitBoundary {
    std::vector<BoundaryEdge> clean;
    std::vector<int> times; // how many times the boundary runs along each, in its direction
    std::vector<std::size_t> dirty;
};

SplitBoundary split_at_contacts(const CoverageTopology& topology, const CommuneSet& communes, const std::vector<BoundaryEdge>& edges)
{
    const auto segs = topology.segments();
    thread_local SetMarks members;
    members.mark(topology.communes(), communes);
    std::vector<std::uint32_t> touching;
    for (CommuneIndex c : communes)
        for (const auto& [own, other] : topology.contacts(c))
            if (members.has(segs[other].commune)) touching.push_back(own);
    std::sort(touching.begin(), touching.end());
    touching.erase(std::unique(touching.begin(), touching.end()), touching.end());
    SplitBoundary out;
    out.clean.reserve(edges.size());
    out.times.reserve(edges.size());
    for (std::size_t k = 0; k < edges.size(); ++k) {
        if (std::binary_search(touching.begin(), touching.end(), edges[k].key)) {
            out.dirty.push_back(k);
        } else {
            out.clean.push_back(edges[k]);
            out.times.push_back(1);
        }
    }
    return out;
}

// The dirty edges noded with GEOS. Each noded piece is added to b.clean, directed as most of the
// set's edges along it, with how many more run one way than the other; a piece with as many each
// way (two communes of the set on either side) is inside and dropped. Nodes that are not vertices
// of the topology go to extra. A reason to refuse, or empty.
std::string add_noded_pieces(const GeosContext& geos, const CoverageTopology& topology, const std::vector<BoundaryEdge>& edges, SplitBoundary& b,
                             std::vector<double>& extra)
{
    std::unordered_map<std::pair<double, double>, std::uint32_t, PointHash> id_at;
    std::vector<GeomPtr> lines;
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (std::size_t k : b.dirty) {
        const BoundaryEdge& e = edges[k];
        const double xy[4] = {topology.x(e.from), topology.y(e.from), topology.x(e.to), topology.y(e.to)};
        id_at.emplace(std::make_pair(xy[0], xy[1]), e.from);
        id_at.emplace(std::make_pair(xy[2], xy[3]), e.to);
        x0 = std::min({x0, xy[0], xy[2]});
        x1 = std::max({x1, xy[0], xy[2]});
        y0 = std::min({y0, xy[1], xy[3]});
        y1 = std::max({y1, xy[1], xy[3]});
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(geos, xy, 2, 0, 0);
        if (seq == nullptr) throw GeosError("cannot build a boundary segment: " + geos.last_error());
        lines.push_back(geos.own(GEOSGeom_createLineString_r(geos, seq), "boundary segment"));
    }
    GeomPtr noded = geos.own(GEOSNode_r(geos, geos.collect(GEOS_MULTILINESTRING, std::move(lines)).get()), "noding of the borders that cross");
    // The dirty edges in a grid, to find the ones each piece lies along (within 1 µm: a node
    // computed where two segments cross lies within rounding of both).
    constexpr double tol = 1e-6;
    const std::size_t side = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(b.dirty.size()))));
    const double cw = std::max((x1 - x0) / static_cast<double>(side), 1e-3), ch = std::max((y1 - y0) / static_cast<double>(side), 1e-3);
    const auto cell_x = [&](double x) { return std::min(side - 1, static_cast<std::size_t>(std::max(0.0, (x - x0) / cw))); };
    const auto cell_y = [&](double y) { return std::min(side - 1, static_cast<std::size_t>(std::max(0.0, (y - y0) / ch))); };
    std::vector<std::vector<std::uint32_t>> cells(side * side);
    for (std::uint32_t d = 0; d < b.dirty.size(); ++d) {
        const BoundaryEdge& e = edges[b.dirty[d]];
        const double ax = topology.x(e.from), ay = topology.y(e.from), bx = topology.x(e.to), by = topology.y(e.to);
        for (std::size_t j = cell_y(std::min(ay, by) - tol); j <= cell_y(std::max(ay, by) + tol); ++j)
            for (std::size_t i = cell_x(std::min(ax, bx) - tol); i <= cell_x(std::max(ax, bx) + tol); ++i) cells[j * side + i].push_back(d);
    }
    const auto id_of = [&](double x, double y) {
        const auto [it, added] = id_at.emplace(std::make_pair(x, y), VertexRings::kExtra + static_cast<std::uint32_t>(extra.size() / 2));
        if (added) {
            extra.push_back(x);
            extra.push_back(y);
        }
        return it->second;
    };
    std::vector<double> xy;
    const auto first_key = static_cast<std::uint32_t>(topology.segments().size());
    const int pieces = GEOSGetNumGeometries_r(geos, noded.get());
    for (int g = 0; g < pieces; ++g) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, GEOSGetGeometryN_r(geos, noded.get(), g));
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0) return "the noding of the borders that cross failed";
        xy.resize(2 * std::size_t(n));
        if (n > 0) GEOSCoordSeq_copyToBuffer_r(geos, seq, xy.data(), 0, 0);
        for (unsigned i = 0; i + 1 < n; ++i) {
            const double px = xy[2 * i], py = xy[2 * i + 1], qx = xy[2 * i + 2], qy = xy[2 * i + 3];
            if (px == qx && py == qy) continue;
            int along = 0;
            bool found = false;
            for (std::uint32_t d : cells[cell_y((py + qy) / 2) * side + cell_x((px + qx) / 2)]) {
                const BoundaryEdge& e = edges[b.dirty[d]];
                const double ax = topology.x(e.from), ay = topology.y(e.from), bx = topology.x(e.to), by = topology.y(e.to);
                if (squared_distance_to_segment(px, py, ax, ay, bx, by) > tol * tol || squared_distance_to_segment(qx, qy, ax, ay, bx, by) > tol * tol)
                    continue;
                found = true;
                along += (qx - px) * (bx - ax) + (qy - py) * (by - ay) > 0.0 ? 1 : -1;
            }
            if (!found) return "a noded piece of the boundary lies on none of its segments";
            if (along == 0) continue; // two communes of the set on either side: inside
            std::uint32_t from = id_of(px, py), to = id_of(qx, qy);
            if (along < 0) std::swap(from, to);
            b.clean.push_back(BoundaryEdge{from, to, first_key + static_cast<std::uint32_t>(b.clean.size())});
            b.times.push_back(std::abs(along));
        }
    }
    return {};
}

// Runs of segments whose inner vertices have one segment in and one out: along a run the face on
// the right is the same (no other segment meets the run there), so one ray per run tells it.
struct Runs {
    static constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> run_of; // per segment
    std::vector<std::uint32_t> first;  // a segment of each run, where its ray starts
};

Runs segment_runs(const std::vector<BoundaryEdge>& all)
{
    constexpr std::size_t none = VertexHeads::none;
    thread_local VertexHeads outgoing, incoming; // per vertex: a segment leaving (arriving), or `many`
    constexpr std::size_t many = none - 1;
    outgoing.reset(all.size());
    incoming.reset(all.size());
    for (std::size_t f = 0; f < all.size(); ++f) {
        std::size_t& out = outgoing.at(all[f].from);
        out = out == none ? f : many;
        std::size_t& in = incoming.at(all[f].to);
        in = in == none ? f : many;
    }
    // The segment after f in its run (none where the run ends).
    const auto after = [&](std::size_t f) {
        const std::size_t in = incoming.find(all[f].to), out = outgoing.find(all[f].to);
        return in == f && out != many && out != none ? out : none;
    };
    Runs runs;
    runs.run_of.assign(all.size(), Runs::unset);
    const auto walk = [&](std::size_t start) {
        const auto r = static_cast<std::uint32_t>(runs.first.size());
        runs.first.push_back(static_cast<std::uint32_t>(start));
        for (std::size_t f = start; f != none && runs.run_of[f] == Runs::unset; f = after(f)) runs.run_of[f] = r;
    };
    for (std::size_t f = 0; f < all.size(); ++f) { // runs that start at a vertex where segments meet
        const std::size_t in = incoming.find(all[f].from);
        const bool starts = in == none || in == many || after(in) != f;
        if (starts && runs.run_of[f] == Runs::unset) walk(f);
    }
    for (std::size_t f = 0; f < all.size(); ++f) // closed runs: whole loops with no such vertex
        if (runs.run_of[f] == Runs::unset) walk(f);
    return runs;
}

// The winding number on the right of each run (how many communes of the set cover it), from a ray
// off the middle of the run's first segment along x (along y for a segment nearer horizontal),
// across the segments of its band. Fails (nullopt, with the reason) on a negative number.
std::optional<std::vector<int>> right_windings(const BoundaryPoints& points, const std::vector<BoundaryEdge>& all, const std::vector<int>& times,
                                               const Runs& runs, std::string& refusal)
{
    std::vector<std::array<double, 4>> xy(all.size()); // each segment's coordinates, at hand
    for (std::size_t f = 0; f < all.size(); ++f) xy[f] = {points.x(all[f].from), points.y(all[f].from), points.x(all[f].to), points.y(all[f].to)};
    const std::unique_ptr<const Bands> rows = runs.first.size() > 8 ? std::make_unique<const Bands>(xy, true) : nullptr;
    const std::unique_ptr<const Bands> columns = runs.first.size() > 8 ? std::make_unique<const Bands>(xy, false) : nullptr;
    std::vector<std::uint32_t> every;
    if (!rows) {
        every.resize(all.size());
        std::iota(every.begin(), every.end(), 0U);
    }
    std::vector<int> run_right(runs.first.size(), 0);
    for (std::size_t r = 0; r < runs.first.size(); ++r) {
        const std::uint32_t f = runs.first[r];
        const auto [ax, ay, bx, by] = xy[f];
        const double mx = (ax + bx) / 2, my = (ay + by) / 2;
        const bool steep = std::fabs(by - ay) >= std::fabs(bx - ax);
        int winding = 0; // on the +x side of the segment (steep) or its +y side
        const std::span<const std::uint32_t> candidates = !rows ? std::span<const std::uint32_t>(every) : steep ? rows->at(my) : columns->at(mx);
        for (std::uint32_t g : candidates) {
            if (g == f) continue;
            const auto [gx0, gy0, gx1, gy1] = xy[g];
            // Whether the ray crosses g: g spans the ray's line (half-open), and the middle lies on
            // the side of g the ray leaves from (the sign of the orientation of g and the middle).
            const int side = orientation(gx0, gy0, gx1, gy1, mx, my);
            if (steep) {
                if ((gy0 <= my) == (gy1 <= my)) continue;
                const bool up = gy1 > gy0;
                if (side != (up ? 1 : -1)) continue;
                winding += up ? times[g] : -times[g]; // crossed going up: entering on the left
            } else {
                if ((gx0 <= mx) == (gx1 <= mx)) continue;
                const bool west = gx1 < gx0;
                if (side != (west ? 1 : -1)) continue;
                winding += west ? times[g] : -times[g];
            }
        }
        const bool plus_side_is_right = steep ? by > ay : bx < ax;
        const int right = plus_side_is_right ? winding : winding - times[f];
        if (right < 0) {
            refusal = "the winding number about the boundary is negative near (" + std::to_string(mx) + ", " + std::to_string(my) + ")";
            return std::nullopt;
        }
        run_right[r] = right;
    }
    return run_right;
}

} // namespace

// The union of a set whose borders cross or touch in a few places, noded there only. The boundary
// segments at a contact with another commune of the set (the topology's contacts) are noded with
// GEOS, and each noded piece counts the set's boundary segments along it, each way; the other
// segments stay as they are. A segment is on the union's boundary when the winding number about
// the directed boundary (how many communes of the set cover a point) is zero on its right: it is
// positive on its left by construction. The segments kept are chained into rings as by the exact
// dissolve. Linear in the boundary, plus the noding of the few segments at contacts, where the full
// noded union nodes and polygonizes it all. Refuses what it cannot account for — a piece on no
// segment of the set, a negative winding number, rings that do not close — for the full noded
// union to do.
EdgeDissolved locally_noded(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                            const std::vector<BoundaryEdge>& edges)
{
    EdgeDissolved out;
    SplitBoundary boundary = split_at_contacts(topology, communes, edges);
    std::vector<double> extra; // nodes that are not vertices of the topology
    if (!boundary.dirty.empty()) {
        if (std::string why = add_noded_pieces(geos, topology, edges, boundary, extra); !why.empty()) {
            out.refusal = std::move(why);
            return out;
        }
    }
    const BoundaryPoints points{topology, &extra};
    const Runs runs = segment_runs(boundary.clean);
    const std::optional<std::vector<int>> right = right_windings(points, boundary.clean, boundary.times, runs, out.refusal);
    if (!right) return out;
    std::vector<BoundaryEdge> kept;
    kept.reserve(boundary.clean.size());
    for (std::size_t f = 0; f < boundary.clean.size(); ++f) {
        if ((*right)[runs.run_of[f]] == 0) kept.push_back(boundary.clean[f]);
    }
    return polygons_from_edges(geos, points, kept);
}

} // namespace cptsmap::detail
