#include "cptsmap/geometry/coverage_faces.hpp"

#include "edge_dissolve_parts.hpp"
#include "cptsmap/geometry/box_index.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/geometry/primitives.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace cptsmap {

namespace {

using Segment = CoverageTopology::Segment;
constexpr std::uint32_t kNone = CoverageTopology::none;

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b)
{
    const auto [lo, hi] = std::minmax(a, b);
    return (static_cast<std::uint64_t>(lo) << 32) | hi;
}

// Union-find over vertex slots, for the connected pieces of the graph.
class Pieces {
public:
    explicit Pieces(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0U); }
    std::uint32_t find(std::uint32_t a)
    {
        while (parent_[a] != a) a = parent_[a] = parent_[parent_[a]];
        return a;
    }
    void join(std::uint32_t a, std::uint32_t b)
    {
        a = find(a);
        b = find(b);
        if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::uint32_t> parent_;
};

} // namespace

CoverageFaces::CoverageFaces(const CoverageTopology& topology, double touch_tolerance) : topology_(topology), tolerance_(touch_tolerance)
{
    if (topology.vertex_count() >= VertexRings::kExtra) throw GeometryError("too many vertices for the faces of a coverage");
    node_and_label();
    trace_cycles();
    make_faces();
    find_owners();
}

std::uint32_t CoverageFaces::slot(std::uint32_t v) const
{
    return v >= VertexRings::kExtra ? static_cast<std::uint32_t>(topology_.vertex_count() + (v - VertexRings::kExtra)) : v;
}

double CoverageFaces::x(std::uint32_t v) const
{
    return v >= VertexRings::kExtra ? extra_xy_[2 * std::size_t(v - VertexRings::kExtra)] : topology_.x(v);
}
double CoverageFaces::y(std::uint32_t v) const
{
    return v >= VertexRings::kExtra ? extra_xy_[2 * std::size_t(v - VertexRings::kExtra) + 1] : topology_.y(v);
}

// The nodes on each segment in contact with another (crossings, and vertices snapped onto it), by
// the vertex pair of the segment cut.
std::unordered_map<std::uint64_t, std::vector<CoverageFaces::Cut>> CoverageFaces::cuts_at_contacts()
{
    const auto segs = topology_.segments();
    const double tol2 = tolerance_ * tolerance_;
    std::unordered_map<std::uint64_t, std::vector<Cut>> cuts;
    const auto cut = [&](const Segment& s, std::uint32_t v, double px, double py) {
        if (v == s.from || v == s.to) return;
        const double ax = x(s.from), ay = y(s.from), bx = x(s.to), by = y(s.to);
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        const double t = len2 > 0.0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
        if (!(t > 0.0 && t < 1.0)) return; // beside an end: the ends stay as they are
        cuts[pair_key(s.from, s.to)].push_back(Cut{v, px, py});
    };
    const auto near = [&](std::uint32_t v, const Segment& s) {
        return squared_distance_to_segment(x(v), y(v), x(s.from), y(s.from), x(s.to), y(s.to)) <= tol2;
    };
    // The segments in contact, each with the others it touches or crosses (its partners).
    std::unordered_map<std::uint32_t, std::uint32_t> local; // segment -> index in `dirty`
    std::vector<std::uint32_t> dirty;
    std::vector<std::vector<std::uint32_t>> partners;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    const auto index_of = [&](std::uint32_t s) {
        auto [it, fresh] = local.try_emplace(s, static_cast<std::uint32_t>(dirty.size()));
        if (fresh) {
            dirty.push_back(s);
            partners.emplace_back();
        }
        return it->second;
    };
    for (CommuneIndex c = 0; c < topology_.communes(); ++c)
        for (const auto& [own, other] : topology_.contacts(c)) {
            if (own > other || pair_key(segs[own].from, segs[own].to) == pair_key(segs[other].from, segs[other].to)) continue;
            const std::uint32_t a = index_of(own), b = index_of(other);
            partners[a].push_back(b);
            partners[b].push_back(a);
            pairs.emplace_back(a, b);
        }
    // Where two cross, with no vertex of either within the tolerance of the other, a new node.
    std::vector<std::vector<std::uint32_t>> nodes_on(dirty.size());
    for (const auto& [i, j] : pairs) {
        const Segment& a = segs[dirty[i]];
        const Segment& b = segs[dirty[j]];
        if (a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to) continue;
        if (near(a.from, b) || near(a.to, b) || near(b.from, a) || near(b.to, a)) continue;
        const double p0[2] = {x(a.from), y(a.from)}, p1[2] = {x(a.to), y(a.to)}, q0[2] = {x(b.from), y(b.from)}, q1[2] = {x(b.to), y(b.to)};
        if (!cross_properly(p0, p1, q0, q1)) continue;
        const double rx = p1[0] - p0[0], ry = p1[1] - p0[1], sx = q1[0] - q0[0], sy = q1[1] - q0[1];
        const double t = ((q0[0] - p0[0]) * sy - (q0[1] - p0[1]) * sx) / (rx * sy - ry * sx);
        const auto v = static_cast<std::uint32_t>(VertexRings::kExtra + extra_xy_.size() / 2);
        extra_xy_.push_back(p0[0] + t * rx);
        extra_xy_.push_back(p0[1] + t * ry);
        nodes_on[i].push_back(v);
        nodes_on[j].push_back(v);
    }
    // A node within the tolerance of a vertex of the segments around it is that vertex; one within
    // the tolerance of an earlier node is that node (segments that overlap, crossed by a third, get
    // one node, not one each a few 1e-10 m apart).
    std::vector<std::uint32_t> rep(extra_xy_.size() / 2);
    std::iota(rep.begin(), rep.end(), VertexRings::kExtra);
    const auto resolved = [&](std::uint32_t v) { return v >= VertexRings::kExtra ? rep[v - VertexRings::kExtra] : v; };
    const auto close = [&](std::uint32_t v, std::uint32_t w) {
        const double dx = x(v) - x(w), dy = y(v) - y(w);
        return dx * dx + dy * dy <= tol2;
    };
    for (std::uint32_t i = 0; i < dirty.size(); ++i)
        for (std::uint32_t v : nodes_on[i]) {
            std::uint32_t& r = rep[v - VertexRings::kExtra];
            if (r != v) continue; // already merged
            for (std::uint32_t p : partners[i]) {
                for (std::uint32_t w : {segs[dirty[p]].from, segs[dirty[p]].to})
                    if (r >= VertexRings::kExtra && close(v, w)) r = w;
                for (std::uint32_t w : nodes_on[p])
                    if (r == v && w < v && close(v, w)) r = resolved(w);
            }
            for (std::uint32_t w : {segs[dirty[i]].from, segs[dirty[i]].to})
                if (r >= VertexRings::kExtra && close(v, w)) r = w;
        }
    for (std::uint32_t k = 0; k < rep.size(); ++k) nodes_ += rep[k] == VertexRings::kExtra + k ? 1 : 0;
    // Each segment is cut at its own crossings, and at the vertices and nodes of its partners
    // (and of theirs) within the tolerance of it.
    std::vector<std::uint32_t> hot;
    for (std::uint32_t i = 0; i < dirty.size(); ++i) {
        const Segment& a = segs[dirty[i]];
        for (std::uint32_t v : nodes_on[i]) {
            const std::uint32_t r = resolved(v);
            cut(a, r, x(r), y(r));
        }
        hot.clear();
        for (std::uint32_t p : partners[i]) {
            hot.push_back(segs[dirty[p]].from);
            hot.push_back(segs[dirty[p]].to);
            for (std::uint32_t v : nodes_on[p]) hot.push_back(resolved(v));
        }
        std::sort(hot.begin(), hot.end());
        hot.erase(std::unique(hot.begin(), hot.end()), hot.end());
        for (std::uint32_t v : hot)
            if (near(v, a)) cut(a, v, x(v), y(v));
    }
    return cuts;
}

// Every segment once per edge (twins together, pieces that coincide merged, segments cut at their
// nodes), each edge with the polygons along it and their side.
void CoverageFaces::node_and_label()
{
    const auto segs = topology_.segments();
    noded_.assign(topology_.communes(), 0);
    const auto cuts = cuts_at_contacts();
    // Edges, in the order of the segments that first run along them (so the faces do not depend on
    // how vertices were numbered), with their labels gathered as (edge, label) pairs.
    std::vector<std::pair<std::uint32_t, Label>> tagged;
    tagged.reserve(segs.size());
    std::unordered_map<std::uint64_t, std::uint32_t> edge_at; // free segments and pieces only
    std::vector<std::uint8_t> cut_segment(segs.size(), 0);
    const auto edge = [&](std::uint32_t from, std::uint32_t to, bool hashed) {
        if (hashed) {
            auto [it, fresh] = edge_at.try_emplace(pair_key(from, to), static_cast<std::uint32_t>(edges_.size()));
            if (!fresh) return it->second;
        }
        edges_.push_back(Edge{from, to});
        return static_cast<std::uint32_t>(edges_.size() - 1);
    };
    const auto label = [&](std::uint32_t e, std::uint32_t from, CommuneIndex c) {
        tagged.emplace_back(e, Label{c, static_cast<std::int8_t>(edges_[e].from == from ? 1 : -1)});
    };
    // First the segments without a twin and those cut (every piece through the table)...
    std::vector<Cut> along;
    for (std::uint32_t s = 0; s < segs.size(); ++s) {
        const Segment& g = segs[s];
        const auto found = cuts.empty() ? cuts.end() : cuts.find(pair_key(g.from, g.to));
        if (found == cuts.end()) {
            if (g.twin != kNone) continue; // below
            const std::uint32_t e = edge(g.from, g.to, true);
            label(e, g.from, g.commune);
            continue;
        }
        cut_segment[s] = 1;
        noded_[g.commune] = 1;
        along = found->second;
        const double ax = x(g.from), ay = y(g.from), dx = x(g.to) - ax, dy = y(g.to) - ay;
        std::sort(along.begin(), along.end(), [&](const Cut& p, const Cut& q) {
            const double tp = (p.x - ax) * dx + (p.y - ay) * dy, tq = (q.x - ax) * dx + (q.y - ay) * dy;
            return tp != tq ? tp < tq : p.v < q.v;
        });
        std::uint32_t prev = g.from;
        for (const Cut& k : along) {
            if (k.v == prev) continue;
            label(edge(prev, k.v, true), prev, g.commune);
            prev = k.v;
        }
        if (prev != g.to) label(edge(prev, g.to, true), prev, g.commune);
    }
    // ... then twin pairs not cut, once for both (merged with a piece along the same edge, if any).
    for (std::uint32_t s = 0; s < segs.size(); ++s) {
        const Segment& g = segs[s];
        if (g.twin == kNone || cut_segment[s] != 0 || g.twin < s) continue;
        const auto found = edge_at.empty() ? edge_at.end() : edge_at.find(pair_key(g.from, g.to));
        const std::uint32_t e = found != edge_at.end() ? found->second : edge(g.from, g.to, false);
        label(e, g.from, g.commune);
        label(e, g.to, segs[g.twin].commune);
    }
    // Labels by edge (CSR).
    label_first_.assign(edges_.size() + 1, 0);
    for (const auto& [e, l] : tagged) ++label_first_[e + 1];
    for (std::size_t e = 0; e < edges_.size(); ++e) label_first_[e + 1] += label_first_[e];
    labels_.resize(tagged.size());
    std::vector<std::uint32_t> fill(label_first_.begin(), label_first_.end() - 1);
    for (const auto& [e, l] : tagged) labels_[fill[e]++] = l;
}

// Half-edges around each vertex by angle; each one's next around the face on its left is the
// first clockwise from its way back; the cycles they form, with their signed areas.
void CoverageFaces::trace_cycles()
{
    const std::size_t nv = topology_.vertex_count(), slots = nv + extra_xy_.size() / 2;
    const std::size_t nh = 2 * edges_.size();
    if (nh >= kNone) throw GeometryError("too many edges for the faces of a coverage");
    std::vector<std::uint32_t> first(slots + 1, 0), around(nh), position(nh);
    for (std::uint32_t h = 0; h < nh; ++h) ++first[slot(tail(h)) + 1];
    for (std::size_t v = 0; v < slots; ++v) first[v + 1] += first[v];
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::uint32_t h = 0; h < nh; ++h) around[fill[slot(tail(h))]++] = h;
    }
    std::vector<std::pair<double, std::uint32_t>> by_angle;
    for (std::size_t v = 0; v < slots; ++v) {
        const std::uint32_t lo = first[v], hi = first[v + 1];
        if (hi - lo > 1) {
            by_angle.clear();
            for (std::uint32_t k = lo; k < hi; ++k) {
                const std::uint32_t h = around[k];
                by_angle.emplace_back(std::atan2(y(head(h)) - y(tail(h)), x(head(h)) - x(tail(h))), h);
            }
            std::sort(by_angle.begin(), by_angle.end());
            for (std::uint32_t k = lo; k < hi; ++k) around[k] = by_angle[k - lo].second;
        }
        for (std::uint32_t k = lo; k < hi; ++k) position[around[k]] = k;
    }
    next_.resize(nh);
    for (std::uint32_t h = 0; h < nh; ++h) {
        const std::uint32_t back = h ^ 1U, k = position[back], v = slot(head(h));
        next_[h] = around[k == first[v] ? first[v + 1] - 1 : k - 1];
    }
    cycle_of_.assign(nh, kNone);
    for (std::uint32_t h0 = 0; h0 < nh; ++h0) {
        if (cycle_of_[h0] != kNone) continue;
        const auto c = static_cast<std::uint32_t>(cycle_first_.size());
        cycle_first_.push_back(h0);
        // Signed area as ring_signed_area computes it, about the first vertex.
        const double x0 = x(tail(h0)), y0 = y(tail(h0));
        double sum = 0.0;
        std::size_t steps = 0;
        std::uint32_t h = h0;
        do {
            cycle_of_[h] = c;
            const std::uint32_t a = tail(h), b = head(h);
            sum += (x(a) - x0) * (y(b) - y0) - (x(b) - x0) * (y(a) - y0);
            h = next_[h];
            if (++steps > nh) throw GeometryError("the faces of the coverage do not close");
        } while (h != h0);
        cycle_area_.push_back(sum / 2.0);
    }
}

std::vector<double> CoverageFaces::cycle_xy(std::uint32_t cycle) const
{
    std::vector<double> xy;
    const std::uint32_t h0 = cycle_first_[cycle];
    std::uint32_t h = h0;
    do {
        xy.push_back(x(tail(h)));
        xy.push_back(y(tail(h)));
        h = next_[h];
    } while (h != h0);
    xy.push_back(xy[0]);
    xy.push_back(xy[1]);
    return xy;
}

// Counter-clockwise cycles bound faces; each connected piece of the graph has one clockwise cycle
// around it, which is a hole of the smallest face of another piece around it (or of the outside).
void CoverageFaces::make_faces()
{
    const std::size_t cycles = cycle_first_.size();
    cycle_face_.assign(cycles, outside);
    for (std::uint32_t c = 0; c < cycles; ++c) {
        if (!(cycle_area_[c] > 0.0)) continue;
        cycle_face_[c] = static_cast<FaceIndex>(faces_.size());
        Face f;
        f.shell = c;
        f.area = cycle_area_[c];
        faces_.push_back(std::move(f));
    }
    const std::size_t nv = topology_.vertex_count();
    Pieces pieces(nv + extra_xy_.size() / 2);
    for (const Edge& e : edges_) pieces.join(slot(e.from), slot(e.to));
    cycle_piece_.resize(cycles);
    for (std::uint32_t c = 0; c < cycles; ++c) cycle_piece_[c] = pieces.find(slot(tail(cycle_first_[c])));
    const auto piece_of = [&](std::uint32_t cycle) { return cycle_piece_[cycle]; };

    std::vector<std::array<double, 4>> boxes(faces_.size());
    std::vector<std::vector<double>> shell_xy(faces_.size());
    std::vector<std::uint32_t> outer;
    for (std::uint32_t c = 0; c < cycles; ++c)
        if (!(cycle_area_[c] > 0.0)) outer.push_back(c);
    // Only pieces that are not the first one (the unbounded face is around most) need a search;
    // boxes and rings are made once, for the faces met.
    bool indexed = false;
    BoxIndex index;
    for (std::uint32_t c : outer) {
        if (!indexed) {
            for (FaceIndex f = 0; f < faces_.size(); ++f) {
                std::array<double, 4> b{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
                const std::uint32_t h0 = cycle_first_[faces_[f].shell];
                std::uint32_t h = h0;
                do {
                    const std::uint32_t v = tail(h);
                    b = {std::min(b[0], x(v)), std::min(b[1], y(v)), std::max(b[2], x(v)), std::max(b[3], y(v))};
                    h = next_[h];
                } while (h != h0);
                boxes[f] = b;
            }
            index = BoxIndex(boxes);
            indexed = true;
        }
        const std::uint32_t piece = piece_of(c);
        const std::uint32_t v = tail(cycle_first_[c]);
        const double px = x(v), py = y(v);
        FaceIndex around = outside;
        for (CommuneIndex f : index.query(px, py, px, py)) {
            if (piece_of(faces_[f].shell) == piece) continue;
            if (around != outside && faces_[f].area >= faces_[around].area) continue;
            if (shell_xy[f].empty()) shell_xy[f] = cycle_xy(faces_[f].shell);
            if (point_in_ring(shell_xy[f], px, py)) around = f;
        }
        cycle_face_[c] = around;
        if (around != outside) {
            faces_[around].holes.push_back(c);
            faces_[around].area += cycle_area_[c];
        }
    }
}

// From the unbounded face across every edge: crossing a polygon's border from its outside to its
// inside adds it, the other way removes it (a face inside three overlapping communes may be
// bounded by two of them only: only the walk tells the third). A piece of the graph inside a face
// starts from that face's owners, so pieces are walked outermost first. Each face reached is then
// set right by its own boundary: the polygons whose interior lies on its side of one of its edges
// cover it, and those whose border it is, with their interior only on the far side, do not; so a
// flaw of the noding does not spread from face to face.
void CoverageFaces::find_owners()
{
    const std::size_t cycles = cycle_first_.size();
    const auto walk = [&](std::uint32_t cycle, const auto& visit) {
        const std::uint32_t h0 = cycle_first_[cycle];
        std::uint32_t h = h0;
        do {
            visit(h);
            h = next_[h];
        } while (h != h0);
    };
    // Per face, the polygons on its side of its edges (in) and those only beyond them (out).
    std::vector<std::vector<CommuneIndex>> in(faces_.size()), out(faces_.size());
    for (FaceIndex f = 0; f < faces_.size(); ++f) {
        std::vector<CommuneIndex>& here = in[f];
        std::vector<CommuneIndex>& beyond = out[f];
        const auto read = [&](std::uint32_t h) {
            const std::uint32_t e = h >> 1;
            const int sign = (h & 1U) != 0 ? -1 : 1;
            for (std::uint32_t k = label_first_[e]; k < label_first_[e + 1]; ++k)
                (labels_[k].side * sign > 0 ? here : beyond).push_back(labels_[k].commune);
        };
        walk(faces_[f].shell, read);
        for (std::uint32_t c : faces_[f].holes) walk(c, read);
        for (auto* v : {&here, &beyond}) {
            std::sort(v->begin(), v->end());
            v->erase(std::unique(v->begin(), v->end()), v->end());
        }
        std::vector<CommuneIndex> only_beyond;
        std::set_difference(beyond.begin(), beyond.end(), here.begin(), here.end(), std::back_inserter(only_beyond));
        beyond = std::move(only_beyond);
    }
    std::vector<std::uint8_t> seen(cycles, 0);
    std::vector<std::vector<CommuneIndex>> owners_of(cycles);
    std::vector<std::uint8_t> face_known(faces_.size(), 0);
    std::vector<std::uint32_t> pending, queue;
    for (std::uint32_t c = 0; c < cycles; ++c)
        if (!(cycle_area_[c] > 0.0)) pending.push_back(c);
    std::vector<CommuneIndex> crossed, merged;
    const auto cross = [&](const std::vector<CommuneIndex>& from, std::uint32_t h) {
        crossed = from;
        const std::uint32_t e = h >> 1;
        const int sign = (h & 1U) != 0 ? -1 : 1;
        for (std::uint32_t k = label_first_[e]; k < label_first_[e + 1]; ++k) {
            const Label& l = labels_[k];
            if (l.side * sign > 0) { // its interior on this side: left behind
                auto it = std::lower_bound(crossed.begin(), crossed.end(), l.commune);
                if (it != crossed.end() && *it == l.commune) crossed.erase(it);
            } else {
                crossed.insert(std::upper_bound(crossed.begin(), crossed.end(), l.commune), l.commune);
            }
        }
        crossed.erase(std::unique(crossed.begin(), crossed.end()), crossed.end());
    };
    while (!pending.empty()) {
        std::vector<std::uint32_t> later;
        for (std::uint32_t start : pending) {
            const FaceIndex around = cycle_face_[start];
            if (around != outside && face_known[around] == 0) {
                later.push_back(start);
                continue;
            }
            if (seen[start] != 0) continue;
            seen[start] = 1;
            owners_of[start] = around == outside ? std::vector<CommuneIndex>{} : owners_of[faces_[around].shell];
            queue.assign(1, start);
            while (!queue.empty()) {
                const std::uint32_t c = queue.back();
                queue.pop_back();
                walk(c, [&](std::uint32_t h) {
                    const std::uint32_t d = cycle_of_[h ^ 1U];
                    if (seen[d] != 0) return;
                    seen[d] = 1;
                    cross(owners_of[c], h);
                    const FaceIndex f = cycle_face_[d];
                    if (f != outside && faces_[f].shell == d) {
                        merged.clear();
                        std::set_union(crossed.begin(), crossed.end(), in[f].begin(), in[f].end(), std::back_inserter(merged));
                        crossed.clear();
                        std::set_difference(merged.begin(), merged.end(), out[f].begin(), out[f].end(), std::back_inserter(crossed));
                        face_known[f] = 1;
                    } else if (f != outside) { // the outer cycle of a piece inside f, met from within
                        crossed = owners_of[faces_[f].shell];
                    }
                    owners_of[d] = crossed;
                    queue.push_back(d);
                });
            }
        }
        if (later.size() == pending.size()) break; // cannot happen: a face inside itself
        pending = std::move(later);
    }
    for (Face& f : faces_) f.owners = std::move(owners_of[f.shell]);

    // The check across each edge.
    const std::vector<CommuneIndex> none;
    for (std::uint32_t h = 0; h < next_.size(); h += 2) {
        const FaceIndex a = face_of(h), b = face_of(h + 1);
        crossed = a == outside ? none : faces_[a].owners;
        const std::uint32_t e = h >> 1;
        bool ok = true;
        for (std::uint32_t k = label_first_[e]; k < label_first_[e + 1]; ++k) {
            const Label& l = labels_[k];
            if (l.side > 0) { // its interior on a's side: left behind
                auto it = std::lower_bound(crossed.begin(), crossed.end(), l.commune);
                if (it != crossed.end() && *it == l.commune) crossed.erase(it);
                else ok = false;
            } else {
                crossed.insert(std::upper_bound(crossed.begin(), crossed.end(), l.commune), l.commune);
            }
        }
        crossed.erase(std::unique(crossed.begin(), crossed.end()), crossed.end());
        if (!ok || crossed != (b == outside ? none : faces_[b].owners)) ++conflicts_;
    }
}

std::vector<CoverageFaces::Border> CoverageFaces::borders(FaceIndex f) const
{
    std::vector<Border> out;
    const auto walk = [&](std::uint32_t cycle) {
        const std::uint32_t h0 = cycle_first_[cycle];
        std::uint32_t h = h0;
        do {
            const FaceIndex other = face_of(h ^ 1U);
            if (other != f) {
                const double len = std::hypot(x(head(h)) - x(tail(h)), y(head(h)) - y(tail(h)));
                auto it = std::find_if(out.begin(), out.end(), [&](const Border& b) { return b.face == other; });
                if (it == out.end()) out.push_back(Border{other, len});
                else it->length += len;
            }
            h = next_[h];
        } while (h != h0);
    };
    walk(faces_[f].shell);
    for (std::uint32_t c : faces_[f].holes) walk(c);
    return out;
}

GeomPtr CoverageFaces::polygon(const GeosContext& geos, FaceIndex f) const
{
    const auto ring = [&](std::uint32_t cycle) {
        const std::vector<double> xy = cycle_xy(cycle);
        return geos.ring(xy.data(), xy.size() / 2, "a face of the coverage");
    };
    std::vector<GeomPtr> holes;
    for (std::uint32_t c : faces_[f].holes) holes.push_back(ring(c));
    GeomPtr p = geos.polygon(ring(faces_[f].shell), std::move(holes), "a face of the coverage");
    if (!is_valid(geos, p.get())) p = polygonal_part(geos, geos.own(GEOSMakeValid_r(geos, p.get()), "make-valid of a face"));
    return p;
}

std::vector<GeomPtr> CoverageFaces::polygons(const GeosContext& geos, const std::vector<CommuneIndex>& owner_of, std::size_t communes) const
{
    const auto owner = [&](FaceIndex f) { return f == outside ? nobody : owner_of[f]; };
    // Each polygon's boundary: the half-edges with it on the left and another (or none) on the right.
    std::vector<std::uint32_t> first(communes + 1, 0);
    const std::uint32_t nh = static_cast<std::uint32_t>(next_.size());
    const auto boundary_of = [&](std::uint32_t h) {
        const CommuneIndex c = owner(face_of(h));
        return c != nobody && c != owner(face_of(h ^ 1U)) ? c : nobody;
    };
    for (std::uint32_t h = 0; h < nh; ++h)
        if (const CommuneIndex c = boundary_of(h); c != nobody) ++first[c + 1];
    for (std::size_t c = 0; c < communes; ++c) first[c + 1] += first[c];
    std::vector<detail::BoundaryEdge> edges(first[communes]);
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::uint32_t h = 0; h < nh; ++h)
            if (const CommuneIndex c = boundary_of(h); c != nobody) edges[fill[c]++] = detail::BoundaryEdge{tail(h), head(h), h};
    }
    const detail::BoundaryPoints points{topology_, &extra_xy_};
    std::vector<GeomPtr> out(communes);
    std::vector<detail::BoundaryEdge> mine;
    for (std::size_t c = 0; c < communes; ++c) {
        if (first[c] == first[c + 1]) continue;
        mine.assign(edges.begin() + first[c], edges.begin() + first[c + 1]);
        EdgeDissolved traced;
        try {
            traced = detail::polygons_from_edges(geos, points, mine);
        } catch (const RingTracingError&) {
            traced.geometry.reset();
        }
        if (traced.geometry && is_valid(geos, traced.geometry.get())) {
            out[c] = std::move(traced.geometry);
            continue;
        }
        // The rings could not be told apart as they are (faces touching at a vertex in a way the
        // tracing refuses): the union of the polygon's faces, by GEOS.
        std::vector<GeomPtr> parts;
        for (FaceIndex f = 0; f < faces_.size(); ++f)
            if (owner_of[f] == c) parts.push_back(polygon(geos, f));
        GeomPtr all = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
        out[c] = polygonal_part(geos, geos.own(GEOSUnaryUnion_r(geos, all.get()), "union of the faces of a commune"));
    }
    return out;
}

} // namespace cptsmap
