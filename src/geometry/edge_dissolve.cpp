#include "cptsmap/geometry/edge_dissolve.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <span>
#include <unordered_map>

namespace cptsmap {

namespace {

using Segment = CoverageTopology::Segment;

struct Ring {
    std::vector<std::uint32_t> ids; // vertex ids, closed like xy
    std::vector<double> xy; // closed: the first point repeated at the end
    double area = 0.0;      // signed: > 0 shell, < 0 hole
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::vector<std::size_t> holes; // for shells
};

void finish_ring(Ring& r)
{
    const std::size_t n = r.xy.size() / 2;
    double a2 = 0.0;
    const double ox = r.xy[0], oy = r.xy[1];
    r.x0 = r.x1 = ox;
    r.y0 = r.y1 = oy;
    for (std::size_t i = 1; i < n; ++i) {
        const double px = r.xy[2 * i - 2] - ox, py = r.xy[2 * i - 1] - oy, qx = r.xy[2 * i] - ox, qy = r.xy[2 * i + 1] - oy;
        a2 += px * qy - qx * py;
        r.x0 = std::min(r.x0, r.xy[2 * i]);
        r.x1 = std::max(r.x1, r.xy[2 * i]);
        r.y0 = std::min(r.y0, r.xy[2 * i + 1]);
        r.y1 = std::max(r.y1, r.xy[2 * i + 1]);
    }
    r.area = a2 / 2.0;
}

bool box_contains(const Ring& outer, const Ring& inner)
{
    return outer.x0 <= inner.x0 && outer.y0 <= inner.y0 && outer.x1 >= inner.x1 && outer.y1 >= inner.y1;
}

// Crossing number of a point against a closed ring.
bool inside(const Ring& r, double px, double py)
{
    bool in = false;
    const std::size_t n = r.xy.size() / 2;
    for (std::size_t i = 1; i < n; ++i) {
        const double ax = r.xy[2 * i - 2], ay = r.xy[2 * i - 1], bx = r.xy[2 * i], by = r.xy[2 * i + 1];
        if ((ay > py) != (by > py) && px < ax + (py - ay) * (bx - ax) / (by - ay)) in = !in;
    }
    return in;
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

// A directed edge of a boundary between two vertex ids (of the topology, or extra points); `key`
// orders edges that leave a vertex the same way (the topology's segment index, or above).
struct BoundaryEdge {
    std::uint32_t from, to, key;
};

// Coordinates of vertex ids: the topology's, and extra points (VertexRings::kExtra + k).
struct BoundaryPoints {
    const CoverageTopology& topology;
    const std::vector<double>* extra = nullptr;

    bool is_extra(std::uint32_t v) const { return v >= VertexRings::kExtra; }
    double x(std::uint32_t v) const { return is_extra(v) ? (*extra)[2 * std::size_t(v - VertexRings::kExtra)] : topology.x(v); }
    double y(std::uint32_t v) const { return is_extra(v) ? (*extra)[2 * std::size_t(v - VertexRings::kExtra) + 1] : topology.y(v); }
    std::size_t extras() const { return extra != nullptr ? extra->size() / 2 : 0; }
};

// The boundary of a set: its segments whose twin is not in the set.
// Marks the communes of a set, on this thread, for constant-time membership: a stamp per commune
// (no clearing between sets).
class SetMarks {
public:
    void mark(std::size_t communes, const CommuneSet& set)
    {
        if (stamp_.size() < communes) stamp_.assign(communes, 0);
        if (++epoch_ == 0) { // wrapped: start again from clean stamps
            std::fill(stamp_.begin(), stamp_.end(), 0);
            epoch_ = 1;
        }
        for (CommuneIndex c : set) stamp_[c] = epoch_;
    }
    bool has(CommuneIndex c) const { return stamp_[c] == epoch_; }

private:
    std::vector<std::uint32_t> stamp_;
    std::uint32_t epoch_ = 0;
};

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

// Open addressing over vertex ids: for each, the first of the edges leaving it (`none` before).
class VertexHeads {
public:
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

    void reset(std::size_t vertices)
    {
        std::size_t capacity = 64;
        while (capacity < 2 * vertices) capacity *= 2;
        keys_.assign(capacity, kEmpty);
        heads_.assign(capacity, none);
        mask_ = capacity - 1;
    }
    std::size_t& at(std::uint32_t v)
    {
        std::size_t i = slot(v);
        while (keys_[i] != v && keys_[i] != kEmpty) i = (i + 1) & mask_;
        keys_[i] = v;
        return heads_[i];
    }
    std::size_t find(std::uint32_t v) const
    {
        for (std::size_t i = slot(v);; i = (i + 1) & mask_) {
            if (keys_[i] == v) return heads_[i];
            if (keys_[i] == kEmpty) return none;
        }
    }

private:
    static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max(); // never a vertex id
    std::vector<std::uint32_t> keys_;
    std::vector<std::size_t> heads_;
    std::size_t mask_ = 0;

    std::size_t slot(std::uint32_t v) const { return (static_cast<std::uint64_t>(v) * 0x9E3779B97F4A7C15ULL >> 32) & mask_; }
};

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

} // namespace

EdgeDissolved edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer, const CommuneSet& communes)
{
    EdgeDissolved out;
    const auto refuse = [&](std::string why) {
        out.refusal = std::move(why);
        return std::move(out);
    };
    const auto member = [&](CommuneIndex c) { return std::binary_search(communes.begin(), communes.end(), c); };
    for (CommuneIndex c : communes) {
        if (topology.suspect(c)) return refuse("commune " + layer[c].insee + " has rings the edge topology cannot use");
        for (CommuneIndex o : topology.mismatched_with(c))
            if (o > c && member(o)) return refuse("the borders of communes " + layer[c].insee + " and " + layer[o].insee + " cross or touch");
    }
    try {
        return polygons_of_boundary(geos, topology, communes);
    } catch (const RingTracingError& e) {
        return refuse(e.what());
    }
}

namespace {

struct PointHash {
    std::size_t operator()(const std::pair<double, double>& p) const noexcept
    {
        return std::hash<double>()(p.first) * 0x9E3779B97F4A7C15ULL ^ std::hash<double>()(p.second);
    }
};

double dist2_to_segment(double px, double py, double ax, double ay, double bx, double by)
{
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const double t = len2 > 0.0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
    const double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

// Segments {x0, y0, x1, y1} filed in bands across one axis by their range on it, for rays along
// the other axis.
class Bands {
public:
    // `along_x`: rays run along +x, bands split y (segments parallel to x never cross such a ray).
    Bands(const std::vector<std::array<double, 4>>& segments, bool along_x)
    {
        const int a = along_x ? 1 : 0;
        for (const auto& g : segments) {
            lo_ = std::min({lo_, g[a], g[a + 2]});
            hi_ = std::max({hi_, g[a], g[a + 2]});
        }
        count_ = std::clamp<std::size_t>(segments.size() / 4, 1, 4096);
        scale_ = hi_ > lo_ ? static_cast<double>(count_) / (hi_ - lo_) : 0.0;
        // Each segment's first and last band, then the segments of each band (CSR).
        std::vector<std::array<std::uint32_t, 2>> range(segments.size());
        first_.assign(count_ + 1, 0);
        std::size_t total = 0;
        for (std::size_t k = 0; k < segments.size(); ++k) {
            const double u = segments[k][a], v = segments[k][a + 2];
            if (u == v) {
                range[k] = {1, 0}; // parallel to the rays: in no band
                continue;
            }
            range[k] = {band(std::min(u, v)), band(std::max(u, v))};
            total += range[k][1] - range[k][0] + 1;
        }
        if (total > 16 * segments.size() + 1024) { // long segments across most bands: one band
            count_ = 1;
            scale_ = 0.0;
            first_.assign(2, 0);
            for (auto& r : range)
                if (r[0] <= r[1]) r = {0, 0};
        }
        for (const auto& r : range)
            for (std::uint32_t i = r[0]; i <= r[1] && r[0] <= r[1]; ++i) ++first_[i + 1];
        for (std::size_t i = 0; i < count_; ++i) first_[i + 1] += first_[i];
        members_.resize(first_[count_]);
        std::vector<std::uint32_t> fill(first_.begin(), first_.end() - 1);
        for (std::uint32_t k = 0; k < segments.size(); ++k)
            for (std::uint32_t i = range[k][0]; i <= range[k][1] && range[k][0] <= range[k][1]; ++i) members_[fill[i]++] = k;
    }
    std::span<const std::uint32_t> at(double v) const
    {
        const std::uint32_t b = band(v);
        return {members_.data() + first_[b], first_[b + 1] - first_[b]};
    }

private:
    double lo_ = HUGE_VAL, hi_ = -HUGE_VAL, scale_ = 0.0;
    std::size_t count_ = 1;
    std::vector<std::uint32_t> first_, members_;

    std::uint32_t band(double v) const
    {
        const double b = (v - lo_) * scale_;
        if (!(b > 0.0)) return 0;
        return static_cast<std::uint32_t>(std::min(static_cast<double>(count_ - 1), b));
    }
};

// The union of a set whose borders cross or touch in a few places, noded there only. The boundary
// segments at a contact with another commune of the set (the topology's contacts) are noded with
// GEOS, and each noded piece counts the set's boundary segments along it, each way; the other
// segments stay as they are. A segment is on the union's boundary when the winding number about
// the directed boundary (how many communes of the set cover a point) is zero on its right: it is
// positive on its left by construction. The winding number comes from a ray from the segment's
// middle along x (along y for a segment nearer horizontal) across the segments of its band. The
// segments kept are chained into rings as by the exact dissolve. Linear in the boundary, plus the
// noding of the few segments at contacts, where the full noded union nodes and polygonizes it all.
// Refuses what it cannot account for — a piece on no segment of the set, a negative winding
// number, rings that do not close — for the full noded union to do.
EdgeDissolved locally_noded(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                            const std::vector<BoundaryEdge>& edges)
{
    EdgeDissolved out;
    const auto refuse = [&](std::string why) {
        out.refusal = std::move(why);
        return std::move(out);
    };
    const auto segs = topology.segments();
    thread_local SetMarks members;
    members.mark(topology.communes(), communes);
    std::vector<std::uint32_t> touching;
    for (CommuneIndex c : communes)
        for (const auto& [own, other] : topology.contacts(c))
            if (members.has(segs[other].commune)) touching.push_back(own);
    std::sort(touching.begin(), touching.end());
    touching.erase(std::unique(touching.begin(), touching.end()), touching.end());

    std::vector<double> extra; // nodes that are not vertices of the topology
    std::vector<BoundaryEdge> all;
    std::vector<int> times; // how many times the boundary runs along each, in its direction
    all.reserve(edges.size());
    times.reserve(edges.size());
    std::vector<std::size_t> dirty;
    for (std::size_t k = 0; k < edges.size(); ++k) {
        if (std::binary_search(touching.begin(), touching.end(), edges[k].key)) {
            dirty.push_back(k);
        } else {
            all.push_back(edges[k]);
            times.push_back(1);
        }
    }
    if (!dirty.empty()) {
        std::unordered_map<std::pair<double, double>, std::uint32_t, PointHash> id_at;
        std::vector<GeomPtr> lines;
        double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
        for (std::size_t k : dirty) {
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
        // The touching segments in a grid, to find the ones each piece lies along (within 1 µm:
        // a node computed where two segments cross lies within rounding of both).
        constexpr double tol = 1e-6;
        const std::size_t side = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(dirty.size()))));
        const double cw = std::max((x1 - x0) / static_cast<double>(side), 1e-3), ch = std::max((y1 - y0) / static_cast<double>(side), 1e-3);
        const auto cell_x = [&](double x) { return std::min(side - 1, static_cast<std::size_t>(std::max(0.0, (x - x0) / cw))); };
        const auto cell_y = [&](double y) { return std::min(side - 1, static_cast<std::size_t>(std::max(0.0, (y - y0) / ch))); };
        std::vector<std::vector<std::uint32_t>> cells(side * side);
        for (std::uint32_t d = 0; d < dirty.size(); ++d) {
            const BoundaryEdge& e = edges[dirty[d]];
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
        const std::uint32_t first_key = static_cast<std::uint32_t>(segs.size());
        const int pieces = GEOSGetNumGeometries_r(geos, noded.get());
        for (int g = 0; g < pieces; ++g) {
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, GEOSGetGeometryN_r(geos, noded.get(), g));
            unsigned n = 0;
            if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0) return refuse("the noding of the borders that cross failed");
            xy.resize(2 * std::size_t(n));
            if (n > 0) GEOSCoordSeq_copyToBuffer_r(geos, seq, xy.data(), 0, 0);
            for (unsigned i = 0; i + 1 < n; ++i) {
                const double px = xy[2 * i], py = xy[2 * i + 1], qx = xy[2 * i + 2], qy = xy[2 * i + 3];
                if (px == qx && py == qy) continue;
                int along = 0;
                bool found = false;
                for (std::uint32_t d : cells[cell_y((py + qy) / 2) * side + cell_x((px + qx) / 2)]) {
                    const BoundaryEdge& e = edges[dirty[d]];
                    const double ax = topology.x(e.from), ay = topology.y(e.from), bx = topology.x(e.to), by = topology.y(e.to);
                    if (dist2_to_segment(px, py, ax, ay, bx, by) > tol * tol || dist2_to_segment(qx, qy, ax, ay, bx, by) > tol * tol) continue;
                    found = true;
                    along += (qx - px) * (bx - ax) + (qy - py) * (by - ay) > 0.0 ? 1 : -1;
                }
                if (!found) return refuse("a noded piece of the boundary lies on none of its segments");
                if (along == 0) continue; // two communes of the set on either side: inside
                std::uint32_t from = id_of(px, py), to = id_of(qx, qy);
                if (along < 0) std::swap(from, to);
                all.push_back(BoundaryEdge{from, to, first_key + static_cast<std::uint32_t>(all.size())});
                times.push_back(std::abs(along));
            }
        }
    }

    // Keep the segments with nothing of the set on their right. Along a run of segments whose
    // inner vertices have one segment in and one out, the face on the right is the same (no other
    // segment meets the run there): one ray per run.
    const BoundaryPoints points{topology, &extra};
    std::vector<std::array<double, 4>> xy(all.size()); // each segment's coordinates, at hand
    for (std::size_t f = 0; f < all.size(); ++f) xy[f] = {points.x(all[f].from), points.y(all[f].from), points.x(all[f].to), points.y(all[f].to)};
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
    std::vector<std::uint32_t> run_of(all.size(), std::numeric_limits<std::uint32_t>::max());
    std::vector<std::uint32_t> run_first; // a segment of each run, where its ray starts
    const auto walk = [&](std::size_t start) {
        const auto r = static_cast<std::uint32_t>(run_first.size());
        run_first.push_back(static_cast<std::uint32_t>(start));
        for (std::size_t f = start; f != none && run_of[f] == std::numeric_limits<std::uint32_t>::max(); f = after(f)) run_of[f] = r;
    };
    for (std::size_t f = 0; f < all.size(); ++f) { // runs that start at a vertex where segments meet
        const std::size_t in = incoming.find(all[f].from);
        const bool starts = in == none || in == many || after(in) != f;
        if (starts && run_of[f] == std::numeric_limits<std::uint32_t>::max()) walk(f);
    }
    for (std::size_t f = 0; f < all.size(); ++f) // closed runs: whole loops with no such vertex
        if (run_of[f] == std::numeric_limits<std::uint32_t>::max()) walk(f);
    const std::unique_ptr<const Bands> rows = run_first.size() > 8 ? std::make_unique<const Bands>(xy, true) : nullptr;
    const std::unique_ptr<const Bands> columns = run_first.size() > 8 ? std::make_unique<const Bands>(xy, false) : nullptr;
    std::vector<std::uint32_t> every;
    if (!rows) {
        every.resize(all.size());
        std::iota(every.begin(), every.end(), 0U);
    }
    std::vector<int> run_right(run_first.size(), 0);
    for (std::size_t r = 0; r < run_first.size(); ++r) {
        const std::uint32_t f = run_first[r];
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
            const double side = (gx1 - gx0) * (my - gy0) - (gy1 - gy0) * (mx - gx0);
            if (steep) {
                if ((gy0 <= my) == (gy1 <= my)) continue;
                const bool up = gy1 > gy0;
                if (up ? !(side > 0.0) : !(side < 0.0)) continue;
                winding += up ? times[g] : -times[g]; // crossed going up: entering on the left
            } else {
                if ((gx0 <= mx) == (gx1 <= mx)) continue;
                const bool west = gx1 < gx0;
                if (west ? !(side > 0.0) : !(side < 0.0)) continue;
                winding += west ? times[g] : -times[g];
            }
        }
        const bool plus_side_is_right = steep ? by > ay : bx < ax;
        const int right = plus_side_is_right ? winding : winding - times[f];
        if (right < 0) return refuse("the winding number about the boundary is negative near (" + std::to_string(mx) + ", " + std::to_string(my) + ")");
        run_right[r] = right;
    }
    std::vector<BoundaryEdge> kept;
    kept.reserve(all.size());
    for (std::size_t f = 0; f < all.size(); ++f) {
        if (run_right[run_of[f]] == 0) kept.push_back(all[f]);
    }
    return polygons_from_edges(geos, points, kept);
}

// The noded union of the whole boundary (see noded_edge_dissolve), for sets the local noding
// refuses.
EdgeDissolved fully_noded(const GeosContext& geos, const CoverageTopology& topology, const std::vector<BoundaryEdge>& edges)
{
    EdgeDissolved out;
    // The boundary linework, noded where the borders of the set's communes cross or touch...
    std::vector<GeomPtr> lines;
    std::vector<double> xy;
    for (const auto& loop : trace_loops(BoundaryPoints{topology}, edges)) {
        xy.clear();
        for (std::uint32_t v : loop) {
            xy.push_back(topology.x(v));
            xy.push_back(topology.y(v));
        }
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(geos, xy.data(), static_cast<unsigned>(loop.size()), 0, 0);
        if (seq == nullptr) throw GeosError("cannot build a boundary line: " + geos.last_error());
        lines.push_back(geos.own(GEOSGeom_createLineString_r(geos, seq), "boundary line"));
    }
    GeomPtr linework = geos.collect(GEOS_MULTILINESTRING, std::move(lines));
    GeomPtr noded = geos.own(GEOSNode_r(geos, linework.get()), "noding of the boundary");
    const GEOSGeometry* input[] = {noded.get()};
    GeomPtr faces = geos.own(GEOSPolygonize_r(geos, input, 1), "polygonize of the boundary");
    // ... and of its faces those inside at least one commune: the winding number of a point about
    // the directed boundary counts the communes of the set around it (twin edges cancel out).
    // Edges are filed in horizontal bands by their y-range, so a point meets only its band's.
    std::vector<std::array<double, 4>> segments(edges.size());
    for (std::size_t k = 0; k < edges.size(); ++k)
        segments[k] = {topology.x(edges[k].from), topology.y(edges[k].from), topology.x(edges[k].to), topology.y(edges[k].to)};
    const Bands rows(segments, true);
    std::vector<const GEOSGeometry*> kept;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, faces.get()); ++i) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(geos, faces.get(), i);
        GeomPtr point = geos.own(GEOSPointOnSurface_r(geos, face), "point in a face");
        double px = 0, py = 0;
        if (GEOSGeomGetX_r(geos, point.get(), &px) != 1 || GEOSGeomGetY_r(geos, point.get(), &py) != 1) continue;
        int winding = 0;
        for (std::uint32_t k : rows.at(py)) {
            const auto [ax, ay, bx, by] = segments[k];
            const double left = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
            if (ay <= py && by > py && left > 0) ++winding;
            else if (by <= py && ay > py && left < 0) --winding;
        }
        if (winding > 0) kept.push_back(face);
    }
    if (kept.empty()) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    // The faces are a noded coverage: merged by cancelling their shared edges, as the communes'.
    TopologyOptions face_options;
    face_options.threads = 1;
    face_options.find_contacts = false;
    const CoverageTopology face_topology(geos, kept, face_options);
    CommuneSet all(kept.size());
    bool clean = true;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        all[i] = static_cast<CommuneIndex>(i);
        clean = clean && !face_topology.suspect(static_cast<CommuneIndex>(i));
    }
    if (clean) {
        EdgeDissolved merged = polygons_of_boundary(geos, face_topology, all);
        merged.rings.reset(); // ids of the faces' topology, not of the layer's
        if (merged.geometry) return merged;
    }
    std::vector<GeomPtr> copies;
    for (const GEOSGeometry* f : kept) copies.push_back(geos.clone(f));
    GeomPtr collection = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(copies));
    GEOSGeometry* u = GEOSCoverageUnion_r(geos, collection.get());
    if (u == nullptr) {
        out.refusal = "the union of the noded faces failed: " + geos.last_error();
        return out;
    }
    out.geometry = geos.own_nothrow(u);
    GEOSArea_r(geos, out.geometry.get(), &out.area_m2);
    return out;
}

} // namespace

EdgeDissolved noded_edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer,
                                  const CommuneSet& communes, bool local_first)
{
    EdgeDissolved out;
    for (CommuneIndex c : communes)
        if (topology.suspect(c)) {
            out.refusal = "commune " + layer[c].insee + " has rings the edge topology cannot use";
            return out;
        }
    const auto edges = boundary_edges(topology, communes);
    if (edges.empty()) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    if (local_first) {
        try {
            EdgeDissolved local = locally_noded(geos, topology, communes, edges);
            if (local.geometry) return local;
        } catch (const GeometryError&) {
            // the whole boundary noded below
        }
    }
    EdgeDissolved whole = fully_noded(geos, topology, edges);
    whole.whole_boundary_noded = true;
    return whole;
}

std::shared_ptr<const VertexRings> vertex_rings_of(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                                                   const GEOSGeometry* geometry)
{
    if (geometry == nullptr || GEOSisEmpty_r(geos, geometry) == 1) return nullptr;
    const int type = GEOSGeomTypeId_r(geos, geometry);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) return nullptr;
    // The points of the result lie on the set's boundary: the vertices of its uncancelled edges.
    std::unordered_map<std::pair<double, double>, std::uint32_t, PointHash> ids;
    const auto edges = boundary_edges(topology, communes);
    ids.reserve(edges.size());
    for (const auto& e : edges) ids.emplace(std::make_pair(topology.x(e.from), topology.y(e.from)), e.from);
    auto out = std::make_shared<VertexRings>();
    std::vector<double> xy;
    const auto ring_ids = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0) return std::vector<std::uint32_t>{};
        xy.resize(2 * std::size_t(n));
        if (n > 0) GEOSCoordSeq_copyToBuffer_r(geos, seq, xy.data(), 0, 0);
        std::vector<std::uint32_t> ring_ids(n);
        for (unsigned i = 0; i < n; ++i) {
            const auto found = ids.find({xy[2 * i], xy[2 * i + 1]});
            if (found != ids.end()) {
                ring_ids[i] = found->second;
            } else if (i + 1 == n && n > 1) {
                ring_ids[i] = ring_ids[0]; // the closing point
            } else {
                ring_ids[i] = VertexRings::kExtra + static_cast<std::uint32_t>(out->extra_xy.size() / 2);
                out->extra_xy.push_back(xy[2 * i]);
                out->extra_xy.push_back(xy[2 * i + 1]);
            }
        }
        return ring_ids;
    };
    const int parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(geos, geometry);
    for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* polygon = type == GEOS_POLYGON ? geometry : GEOSGetGeometryN_r(geos, geometry, p);
        if (GEOSisEmpty_r(geos, polygon) == 1) continue;
        std::vector<std::vector<std::uint32_t>> rings{ring_ids(GEOSGetExteriorRing_r(geos, polygon))};
        for (int h = 0; h < GEOSGetNumInteriorRings_r(geos, polygon); ++h) rings.push_back(ring_ids(GEOSGetInteriorRingN_r(geos, polygon, h)));
        out->polygons.push_back(std::move(rings));
    }
    return out;
}

} // namespace cptsmap
