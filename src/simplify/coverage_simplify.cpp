#include "cptsmap/simplify/coverage_simplify.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/geometry/box_index.hpp"
#include "cptsmap/geometry/primitives.hpp"
#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/io/threads.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace cptsmap {

namespace {

constexpr std::uint32_t kNone = CoverageTopology::none;
constexpr double kInf = std::numeric_limits<double>::infinity();

// One ring of a commune: its segments [first, end) of the topology, walked in order.
struct Ring {
    std::uint32_t commune, first, end;
    double area; // signed, of the input ring (shells > 0, holes < 0)
};

// A simplified segment: from arc_vertices[from] to arc_vertices[to] of one arc; `to - from > 1`
// when it stands for removed vertices.
struct Span {
    std::uint32_t from, to, arc;
};

class Simplifier {
public:
    Simplifier(const GeosContext& geos, const CoverageTopology& t, const SimplifyOptions& o, double units_per_metre)
        : geos_(geos), t_(t), o_(o), units_per_metre_(units_per_metre)
    {
    }

    CoverageSimplification run()
    {
        find_rings();
        find_junctions();
        build_arcs();
        compute_thresholds();
        choose_tolerance();
        keep_.assign(t_.vertex_count(), 0);
        for (std::uint32_t v = 0; v < keep_.size(); ++v) keep_[v] = junction_[v] != 0 || threshold_[v] >= stats_.tolerance ? 1 : 0;
        arc_changed_.assign(arc_first_.size() - 1, 0);
        commune_changed_.assign(t_.communes(), 0);
        arc_index_ = BoxIndex(arc_box_);
        std::size_t kept_before_repair = 0;
        for (std::uint32_t v = 0; v < keep_.size(); ++v) kept_before_repair += used_[v] != 0 && keep_[v] != 0;
        repair();
        CoverageSimplification out;
        out.polygons.resize(t_.communes());
        for (CommuneIndex c = 0; c < t_.communes(); ++c)
            if (whole_[c] == 0) out.polygons[c] = polygons_of(c);
        for (std::uint32_t v = 0; v < keep_.size(); ++v) stats_.vertices_after += used_[v] != 0 && keep_[v] != 0;
        stats_.restored = stats_.vertices_after - kept_before_repair;
        for (CommuneIndex c = 0; c < t_.communes(); ++c) stats_.communes_kept_whole += whole_[c];
        out.stats = stats_;
        return out;
    }

private:
    const GeosContext& geos_;
    const CoverageTopology& t_;
    const SimplifyOptions& o_;
    double units_per_metre_;
    SimplifyStats stats_;
    std::vector<Ring> rings_;
    std::vector<std::uint32_t> ring_first_;  // rings of commune c: [ring_first_[c], ring_first_[c + 1])
    std::vector<std::uint8_t> whole_;        // commune left as it is
    std::vector<std::uint8_t> used_, junction_, keep_;
    std::vector<double> threshold_;          // per vertex; +inf for junctions
    std::vector<std::uint32_t> arc_vertices_, arc_first_; // CSR: the arcs as vertex ids, junction to junction
    std::vector<std::uint32_t> arc_of_;                   // per vertex: the arc it is inside of; kNone for junctions
    std::vector<std::uint8_t> arc_changed_;               // arcs that got a vertex back since the last test of crossings
    std::vector<std::array<double, 4>> arc_box_;          // each arc's envelope
    std::vector<std::pair<std::uint32_t, std::uint32_t>> arc_communes_; // the communes on either side (kNone: none)
    BoxIndex arc_index_;                                  // the arcs' envelopes
    std::vector<std::uint8_t> commune_changed_;           // communes that got a vertex back since their rings were tested

    double x(std::uint32_t v) const { return t_.x(v); }
    double y(std::uint32_t v) const { return t_.y(v); }
    std::uint32_t ring_vertex(const Ring& r, std::uint32_t k) const { return t_.segments()[r.first + k].from; }
    std::uint32_t ring_size(const Ring& r) const { return r.end - r.first; }

    // Rings run until they come back to their first vertex (valid rings do not touch themselves),
    // as in CoverageTopology::commune_rings; a commune the topology cannot hold as rings, or whose
    // first ring is a hole, is left whole.
    void find_rings()
    {
        const auto segs = t_.segments();
        whole_.assign(t_.communes(), 0);
        used_.assign(t_.vertex_count(), 0);
        ring_first_.assign(t_.communes() + 1, 0);
        for (CommuneIndex c = 0; c < t_.communes(); ++c) {
            ring_first_[c] = static_cast<std::uint32_t>(rings_.size());
            if (t_.suspect(c)) whole_[c] = 1;
            for (std::uint32_t s0 = t_.begin(c); s0 < t_.end(c);) {
                std::uint32_t s = s0;
                while (s < t_.end(c) && segs[s].to != segs[s0].from) ++s;
                if (s == t_.end(c)) {
                    whole_[c] = 1;
                    break;
                }
                Ring r{c, s0, s + 1, 0.0};
                r.area = ring_signed_area(
                    ring_size(r) + 1, [&](std::size_t i) { return x(ring_vertex(r, static_cast<std::uint32_t>(i % ring_size(r)))); },
                    [&](std::size_t i) { return y(ring_vertex(r, static_cast<std::uint32_t>(i % ring_size(r)))); });
                if (rings_.size() == ring_first_[c] && r.area < 0) whole_[c] = 1;
                rings_.push_back(r);
                s0 = s + 1;
            }
            for (std::uint32_t s = t_.begin(c); s < t_.end(c); ++s) used_[segs[s].from] = used_[segs[s].to] = 1;
        }
        ring_first_[t_.communes()] = static_cast<std::uint32_t>(rings_.size());
        for (std::uint32_t v = 0; v < used_.size(); ++v) stats_.vertices_before += used_[v];
    }

    // Junctions: a vertex on other than two borders, or between two borders with different
    // neighbours; and every vertex that must stay (communes left whole, unmatched borders of
    // communes whose borders cross, touch or run side by side).
    void find_junctions()
    {
        const auto segs = t_.segments();
        const std::size_t nv = t_.vertex_count();
        junction_.assign(nv, 0);
        std::vector<std::uint8_t> degree(nv, 0);
        std::vector<std::uint64_t> sides(nv, std::numeric_limits<std::uint64_t>::max());
        for (std::uint32_t k = 0; k < segs.size(); ++k) {
            const auto& s = segs[k];
            if (s.twin != kNone && s.twin < k) continue; // each border segment once
            const std::uint32_t a = s.commune, b = s.twin == kNone ? kNone : segs[s.twin].commune;
            const std::uint64_t pair = (std::uint64_t(std::min(a, b)) << 32) | std::max(a, b);
            for (std::uint32_t v : {s.from, s.to}) {
                if (degree[v] < 3) ++degree[v];
                if (sides[v] == std::numeric_limits<std::uint64_t>::max()) sides[v] = pair;
                else if (sides[v] != pair) junction_[v] = 1;
            }
        }
        for (std::size_t v = 0; v < nv; ++v)
            if (degree[v] != 2) junction_[v] = 1;
        // Communes whose borders cross, touch or run near one another's: their unmatched borders,
        // and the borders they share with each other, stay as they are (the overlap or gap between
        // them is bounded by both).
        std::vector<std::uint8_t> unmatched(t_.communes(), 0);
        std::vector<std::uint64_t> defect_pairs;
        for (const auto& pairs : {t_.mismatched(), t_.near()})
            for (const auto& [a, b] : pairs) {
                unmatched[a] = unmatched[b] = 1;
                defect_pairs.push_back((std::uint64_t(a) << 32) | b);
            }
        std::sort(defect_pairs.begin(), defect_pairs.end());
        const auto defect_pair = [&](std::uint32_t a, std::uint32_t b) {
            return std::binary_search(defect_pairs.begin(), defect_pairs.end(), (std::uint64_t(std::min(a, b)) << 32) | std::max(a, b));
        };
        for (CommuneIndex c = 0; c < t_.communes(); ++c)
            for (std::uint32_t s = t_.begin(c); s < t_.end(c); ++s) {
                const bool hold = whole_[c] != 0 || (unmatched[c] != 0 && (segs[s].twin == kNone || defect_pair(c, segs[segs[s].twin].commune)));
                if (hold) junction_[segs[s].from] = junction_[segs[s].to] = 1;
            }
        hold_borders_facing_communes();
        hold_borders_of_holes();
    }

    // Whether (px, py) is inside commune c: the crossing number over all of its rings (even-odd,
    // right for holes and for several polygons alike).
    bool inside(CommuneIndex c, double px, double py) const
    {
        const auto segs = t_.segments();
        bool in = false;
        for (std::uint32_t s = t_.begin(c); s < t_.end(c); ++s) {
            const double ax = x(segs[s].from), ay = y(segs[s].from), bx = x(segs[s].to), by = y(segs[s].to);
            if ((ay > py) != (by > py) && px < ax + (py - ay) / (by - ay) * (bx - ax)) in = !in;
        }
        return in;
    }

    // An unmatched border (no twin) faces either nothing (the coast, the frontier, a wide hole) or
    // another commune across a narrow gap or over an overlap — a defect that the topology's own
    // tests miss when the two borders meet only at their ends (a lens). A point `hold_within`
    // outside the middle of the segment tells: inside another commune, the segment stays.
    void hold_borders_facing_communes()
    {
        const auto segs = t_.segments();
        std::vector<std::array<double, 4>> boxes(t_.communes(), {1.0, 1.0, 0.0, 0.0});
        for (CommuneIndex c = 0; c < t_.communes(); ++c)
            for (std::uint32_t s = t_.begin(c); s < t_.end(c); ++s) {
                auto& b = boxes[c];
                const std::uint32_t v = segs[s].from;
                if (b[0] > b[2]) b = {x(v), y(v), x(v), y(v)};
                b = {std::min(b[0], x(v)), std::min(b[1], y(v)), std::max(b[2], x(v)), std::max(b[3], y(v))};
            }
        const BoxIndex index(boxes);
        const double d = o_.hold_within * units_per_metre_;
        for (CommuneIndex c = 0; c < t_.communes(); ++c) {
            if (whole_[c] != 0) continue;
            for (std::uint32_t s = t_.begin(c); s < t_.end(c); ++s) {
                const auto& g = segs[s];
                if (g.twin != kNone || (junction_[g.from] != 0 && junction_[g.to] != 0)) continue;
                const double dx = x(g.to) - x(g.from), dy = y(g.to) - y(g.from), len = std::hypot(dx, dy);
                if (!(len > 0)) continue;
                // Rings run with the commune on their left: the outside is on the right.
                const double px = (x(g.from) + x(g.to)) / 2 + dy / len * d, py = (y(g.from) + y(g.to)) / 2 - dx / len * d;
                for (CommuneIndex other : index.query(px, py, px, py))
                    if (other != c && inside(other, px, py)) {
                        junction_[g.from] = junction_[g.to] = 1;
                        break;
                    }
            }
        }
    }

    // The unmatched borders chained into rings, the commune on their left: the outline of the
    // layer turns counter-clockwise, and the borders around a hole of the layer (a gap between
    // communes, however wide) clockwise. Those of holes, and those that chain into no ring, stay.
    void hold_borders_of_holes()
    {
        const auto segs = t_.segments();
        std::vector<std::uint32_t> free;
        for (std::uint32_t k = 0; k < segs.size(); ++k)
            if (segs[k].twin == kNone && whole_[segs[k].commune] == 0) free.push_back(k);
        // The free segments by the vertex they start from.
        std::vector<std::pair<std::uint32_t, std::uint32_t>> starts;
        starts.reserve(free.size());
        for (std::uint32_t k : free) starts.emplace_back(segs[k].from, k);
        std::sort(starts.begin(), starts.end());
        std::vector<std::uint8_t> visited(segs.size(), 0);
        std::vector<std::uint32_t> ring;
        for (std::uint32_t k0 : free) {
            if (visited[k0] != 0) continue;
            ring.clear();
            bool closed = false;
            for (std::uint32_t k = k0; k != kNone;) {
                visited[k] = 1;
                ring.push_back(k);
                if (segs[k].to == segs[k0].from) {
                    closed = true;
                    break;
                }
                std::uint32_t next = kNone;
                for (auto it = std::lower_bound(starts.begin(), starts.end(), std::make_pair(segs[k].to, std::uint32_t(0)));
                     it != starts.end() && it->first == segs[k].to; ++it)
                    if (visited[it->second] == 0) {
                        next = it->second;
                        break;
                    }
                k = next;
            }
            double area = 0.0;
            if (closed) {
                for (std::uint32_t k : ring) area += x(segs[k].from) * y(segs[k].to) - x(segs[k].to) * y(segs[k].from);
            }
            if (!closed || area < 0)
                for (std::uint32_t k : ring) junction_[segs[k].from] = junction_[segs[k].to] = 1;
        }
    }

    // Each border between two junctions once (from whichever side comes first), with the
    // Visvalingam threshold of each of its vertices. A closed border without a junction (an island,
    // an enclave) gets one at its lowest vertex (by coordinates: vertex ids vary between runs).
    void build_arcs()
    {
        const auto segs = t_.segments();
        threshold_.assign(t_.vertex_count(), kInf);
        arc_of_.assign(t_.vertex_count(), kNone);
        std::vector<std::uint8_t> done(segs.size(), 0);
        std::vector<double> xy;
        arc_first_.push_back(0);
        for (const Ring& r : rings_) {
            if (whole_[r.commune] != 0) continue;
            const std::uint32_t n = ring_size(r);
            std::uint32_t start = n;
            for (std::uint32_t k = 0; k < n && start == n; ++k)
                if (junction_[ring_vertex(r, k)] != 0) start = k;
            if (start == n) {
                start = 0;
                for (std::uint32_t k = 1; k < n; ++k) {
                    const std::uint32_t v = ring_vertex(r, k), w = ring_vertex(r, start);
                    if (x(v) < x(w) || (x(v) == x(w) && y(v) < y(w))) start = k;
                }
                junction_[ring_vertex(r, start)] = 1;
            }
            for (std::uint32_t k = 0; k < n;) {
                // The arc from the junction at start + k to the next one.
                const std::uint32_t first_seg = r.first + (start + k) % n;
                std::uint32_t len = 1;
                while (k + len < n && junction_[ring_vertex(r, (start + k + len) % n)] == 0) ++len;
                if (done[first_seg] == 0) {
                    xy.clear();
                    for (std::uint32_t i = 0; i <= len; ++i) {
                        const std::uint32_t v = ring_vertex(r, (start + k + i) % n);
                        arc_vertices_.push_back(v);
                        xy.push_back(x(v));
                        xy.push_back(y(v));
                    }
                    for (std::uint32_t i = 0; i < len; ++i) {
                        const std::uint32_t s = r.first + (start + k + i) % n;
                        done[s] = 1;
                        if (segs[s].twin != kNone) done[segs[s].twin] = 1;
                    }
                    arc_first_.push_back(static_cast<std::uint32_t>(arc_vertices_.size()));
                    std::array<double, 4> box{kInf, kInf, -kInf, -kInf};
                    for (std::size_t i = 0; i < xy.size(); i += 2)
                        box = {std::min(box[0], xy[i]), std::min(box[1], xy[i + 1]), std::max(box[2], xy[i]), std::max(box[3], xy[i + 1])};
                    arc_box_.push_back(box);
                    arc_communes_.emplace_back(r.commune, segs[first_seg].twin == kNone ? kNone : segs[segs[first_seg].twin].commune);
                    const std::uint32_t base = arc_first_[arc_first_.size() - 2];
                    for (std::uint32_t i = 1; i < len; ++i) arc_of_[arc_vertices_[base + i]] = static_cast<std::uint32_t>(arc_first_.size() - 2);
                }
                k += len;
            }
        }
    }

    // The Visvalingam thresholds of every arc's vertices, the arcs in batches over the threads
    // (each interior vertex is on one arc only, so the threads write apart).
    void compute_thresholds()
    {
        const std::size_t arcs = arc_first_.size() - 1, batch = 1024;
        WorkQueue queue((arcs + batch - 1) / batch);
        run_on_threads(thread_count(o_.threads), [&](unsigned) {
            std::vector<double> xy, thresholds;
            for (std::size_t b = 0; queue.take(b);)
                for (std::size_t a = b * batch; a < std::min(arcs, (b + 1) * batch); ++a) {
                    xy.clear();
                    for (std::uint32_t i = arc_first_[a]; i < arc_first_[a + 1]; ++i) {
                        xy.push_back(x(arc_vertices_[i]));
                        xy.push_back(y(arc_vertices_[i]));
                    }
                    visvalingam_thresholds(xy, thresholds, o_.weighting);
                    for (std::uint32_t i = arc_first_[a] + 1; i + 1 < arc_first_[a + 1]; ++i) threshold_[arc_vertices_[i]] = thresholds[i - arc_first_[a]];
                }
        });
    }

    void choose_tolerance()
    {
        std::vector<double> removable;
        for (std::uint32_t v = 0; v < threshold_.size(); ++v)
            if (used_[v] != 0 && junction_[v] == 0 && threshold_[v] < kInf) removable.push_back(threshold_[v]);
        stats_.removable = removable.size();
        stats_.tolerance = o_.tolerance;
        if (!o_.keep_pct) return;
        const double pct = std::clamp(*o_.keep_pct, 0.0, 100.0);
        const auto keep = static_cast<std::size_t>(std::llround(pct / 100.0 * static_cast<double>(removable.size())));
        if (keep == 0) {
            stats_.tolerance = kInf;
        } else if (keep >= removable.size()) {
            stats_.tolerance = 0.0;
        } else {
            std::nth_element(removable.begin(), removable.begin() + static_cast<std::ptrdiff_t>(keep - 1), removable.end(), std::greater<>());
            stats_.tolerance = removable[keep - 1];
        }
    }

    void restore(std::uint32_t v)
    {
        keep_[v] = 1;
        if (arc_of_[v] == kNone) return;
        arc_changed_[arc_of_[v]] = 1;
        const auto [a, b] = arc_communes_[arc_of_[v]];
        commune_changed_[a] = 1;
        if (b != kNone) commune_changed_[b] = 1;
    }

    // Puts back the removed vertex with the highest threshold among arc_vertices_[from + 1 .. to - 1].
    bool restore_in(std::uint32_t from, std::uint32_t to)
    {
        std::uint32_t best = kNone;
        for (std::uint32_t i = from + 1; i < to; ++i) {
            const std::uint32_t v = arc_vertices_[i];
            if (keep_[v] == 0 && (best == kNone || threshold_[v] > threshold_[arc_vertices_[best]])) best = i;
        }
        if (best == kNone) return false;
        restore(arc_vertices_[best]);
        return true;
    }

    // Rings that would collapse or turn over: fewer than three vertices left, or an area of
    // another sign. Each gets back its most significant removed vertex. Returns how many changed.
    std::size_t repair_rings(bool all)
    {
        std::size_t changed = 0;
        std::vector<std::uint32_t> kept;
        const std::vector<std::uint8_t> to_test = std::exchange(commune_changed_, std::vector<std::uint8_t>(t_.communes(), 0));
        for (const Ring& r : rings_) {
            if (whole_[r.commune] != 0 || (!all && to_test[r.commune] == 0)) continue;
            while (true) {
                kept.clear();
                std::uint32_t best = kNone;
                for (std::uint32_t k = 0; k < ring_size(r); ++k) {
                    const std::uint32_t v = ring_vertex(r, k);
                    if (keep_[v] != 0) kept.push_back(v);
                    else if (best == kNone || threshold_[v] > threshold_[best]) best = v;
                }
                if (best == kNone) break; // nothing removed
                bool ok = kept.size() >= 3;
                if (ok) {
                    const std::size_t m = kept.size();
                    const double area = ring_signed_area(
                        m + 1, [&](std::size_t i) { return x(kept[i % m]); }, [&](std::size_t i) { return y(kept[i % m]); });
                    ok = (area > 0) == (r.area > 0) && area != 0.0;
                }
                if (ok) break;
                restore(best);
                ++changed;
            }
        }
        return changed;
    }

    static bool on_segment(const double* a, const double* b, const double* p)
    {
        return std::min(a[0], b[0]) <= p[0] && p[0] <= std::max(a[0], b[0]) && std::min(a[1], b[1]) <= p[1] && p[1] <= std::max(a[1], b[1]);
    }

    // Whether two simplified segments meet other than at the one vertex they may share.
    bool conflict(std::uint32_t p, std::uint32_t q, std::uint32_t r, std::uint32_t s) const
    {
        const double P[2] = {x(p), y(p)}, Q[2] = {x(q), y(q)}, R[2] = {x(r), y(r)}, S[2] = {x(s), y(s)};
        if ((p == r && q == s) || (p == s && q == r)) return true; // two borders made one segment
        if (p == r || p == s || q == r || q == s) {
            // Sharing a vertex: only a fold back along each other is a conflict.
            const double* shared = (p == r || p == s) ? P : Q;
            const double* a = (p == r || p == s) ? Q : P;
            const double* b = (r == p || r == q) ? S : R;
            return orientation(shared, a, b) == 0 && (a[0] - shared[0]) * (b[0] - shared[0]) + (a[1] - shared[1]) * (b[1] - shared[1]) > 0;
        }
        const int o1 = orientation(P, Q, R), o2 = orientation(P, Q, S), o3 = orientation(R, S, P), o4 = orientation(R, S, Q);
        if (o1 * o2 < 0 && o3 * o4 < 0) return true;
        return (o1 == 0 && on_segment(P, Q, R)) || (o2 == 0 && on_segment(P, Q, S)) || (o3 == 0 && on_segment(R, S, P)) ||
               (o4 == 0 && on_segment(R, S, Q));
    }

    // Simplified segments that cross, touch or fold onto another: each gets back its most
    // significant removed vertex. A uniform grid over the segments finds the candidates; only pairs
    // with a segment that stands for removed vertices are tested (the others are the input's own),
    // and after the first round only those with a segment of an arc that got vertices back.
    std::size_t repair_crossings(bool first_round)
    {
        std::vector<Span> spans;
        std::vector<std::uint8_t> shortened;
        double x0 = kInf, y0 = kInf, x1 = -kInf, y1 = -kInf;
        for (std::size_t a = 0; a + 1 < arc_first_.size(); ++a) {
            std::uint32_t from = arc_first_[a];
            for (std::uint32_t i = from + 1; i < arc_first_[a + 1]; ++i) {
                if (keep_[arc_vertices_[i]] == 0) continue; // the last vertex, a junction, is always kept
                spans.push_back({from, i, static_cast<std::uint32_t>(a)});
                shortened.push_back(i - from > 1 ? 1 : 0);
                from = i;
            }
            for (std::uint32_t i = arc_first_[a]; i < arc_first_[a + 1]; ++i) {
                const std::uint32_t v = arc_vertices_[i];
                x0 = std::min(x0, x(v));
                y0 = std::min(y0, y(v));
                x1 = std::max(x1, x(v));
                y1 = std::max(y1, y(v));
            }
        }
        if (spans.empty()) return 0;
        // About two segments per cell.
        const double extent = std::max({x1 - x0, y1 - y0, 1e-9});
        const double cell = std::max(extent / std::sqrt(static_cast<double>(spans.size()) / 2.0 + 1.0), 1e-9);
        const auto gx = static_cast<std::size_t>((x1 - x0) / cell) + 1, gy = static_cast<std::size_t>((y1 - y0) / cell) + 1;
        const auto cells_of = [&](const Span& s, auto&& f) {
            const std::uint32_t a = arc_vertices_[s.from], b = arc_vertices_[s.to];
            const auto cx0 = static_cast<std::size_t>((std::min(x(a), x(b)) - x0) / cell), cx1 = static_cast<std::size_t>((std::max(x(a), x(b)) - x0) / cell);
            const auto cy0 = static_cast<std::size_t>((std::min(y(a), y(b)) - y0) / cell), cy1 = static_cast<std::size_t>((std::max(y(a), y(b)) - y0) / cell);
            for (std::size_t cy = cy0; cy <= std::min(cy1, gy - 1); ++cy)
                for (std::size_t cx = cx0; cx <= std::min(cx1, gx - 1); ++cx) f(cy * gx + cx);
        };
        std::vector<std::uint32_t> first(gx * gy + 1, 0), members;
        for (const Span& s : spans) cells_of(s, [&](std::size_t c) { ++first[c + 1]; });
        for (std::size_t c = 0; c < gx * gy; ++c) first[c + 1] += first[c];
        members.resize(first.back());
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::uint32_t k = 0; k < spans.size(); ++k) cells_of(spans[k], [&](std::size_t c) { members[fill[c]++] = k; });

        std::vector<std::uint8_t> active(spans.size(), 0), restore(spans.size(), 0);
        for (std::uint32_t k = 0; k < spans.size(); ++k) active[k] = first_round ? shortened[k] : arc_changed_[spans[k].arc];
        std::fill(arc_changed_.begin(), arc_changed_.end(), 0);
        std::vector<std::uint32_t> seen(spans.size(), kNone);
        for (std::uint32_t k = 0; k < spans.size(); ++k) {
            if (active[k] == 0) continue;
            const std::uint32_t p = arc_vertices_[spans[k].from], q = arc_vertices_[spans[k].to];
            cells_of(spans[k], [&](std::size_t c) {
                for (std::uint32_t m = first[c]; m < first[c + 1]; ++m) {
                    const std::uint32_t j = members[m];
                    // Each pair once: from the lower of two active segments.
                    if (j == k || seen[j] == k || (active[j] != 0 && j < k) || (shortened[k] == 0 && shortened[j] == 0)) continue;
                    seen[j] = k;
                    if (!conflict(p, q, arc_vertices_[spans[j].from], arc_vertices_[spans[j].to])) continue;
                    restore[k] = shortened[k];
                    restore[j] = shortened[j];
                }
            });
        }
        std::size_t changed = 0;
        for (std::uint32_t k = 0; k < spans.size(); ++k)
            if (restore[k] != 0 && restore_in(spans[k].from, spans[k].to)) ++changed;
        return changed;
    }

    // The simplified segments of arc a.
    void spans_of(std::uint32_t a, std::vector<Span>& out) const
    {
        out.clear();
        std::uint32_t from = arc_first_[a];
        for (std::uint32_t i = from + 1; i < arc_first_[a + 1]; ++i) {
            if (keep_[arc_vertices_[i]] == 0) continue;
            out.push_back({from, i, a});
            from = i;
        }
    }

    // After the first round: the segments of the arcs that got vertices back, each tested against
    // the segments of the arcs whose envelope meets it (the same pairs the grid of the first
    // round would give, without gridding every segment again).
    std::size_t repair_crossings_near_changes()
    {
        std::vector<std::uint8_t> active = std::exchange(arc_changed_, std::vector<std::uint8_t>(arc_changed_.size(), 0));
        std::vector<Span> mine, theirs, to_restore;
        for (std::uint32_t a = 0; a < active.size(); ++a) {
            if (active[a] == 0) continue;
            spans_of(a, mine);
            for (const Span& k : mine) {
                const std::uint32_t p = arc_vertices_[k.from], q = arc_vertices_[k.to];
                const bool k_shortened = k.to - k.from > 1;
                for (std::uint32_t b : arc_index_.query(std::min(x(p), x(q)), std::min(y(p), y(q)), std::max(x(p), x(q)), std::max(y(p), y(q)))) {
                    spans_of(b, theirs);
                    for (const Span& j : theirs) {
                        // Each pair once: from the earlier of two segments of changed arcs.
                        if (j.from == k.from || (active[b] != 0 && j.from < k.from)) continue;
                        const bool j_shortened = j.to - j.from > 1;
                        if (!k_shortened && !j_shortened) continue;
                        if (!conflict(p, q, arc_vertices_[j.from], arc_vertices_[j.to])) continue;
                        if (k_shortened) to_restore.push_back(k);
                        if (j_shortened) to_restore.push_back(j);
                    }
                }
            }
        }
        std::sort(to_restore.begin(), to_restore.end(), [](const Span& l, const Span& r) { return l.from < r.from; });
        std::size_t changed = 0;
        for (std::size_t i = 0; i < to_restore.size(); ++i)
            if ((i == 0 || to_restore[i].from != to_restore[i - 1].from) && restore_in(to_restore[i].from, to_restore[i].to)) ++changed;
        return changed;
    }

    PolygonArrays polygons_of(CommuneIndex c) const
    {
        PolygonArrays out;
        for (std::uint32_t k = ring_first_[c]; k < ring_first_[c + 1]; ++k) {
            const Ring& r = rings_[k];
            if (r.area > 0 && !out.ring_end.empty()) out.polygon_end.push_back(static_cast<std::uint32_t>(out.ring_end.size()));
            std::uint32_t first = kNone;
            for (std::uint32_t i = 0; i < ring_size(r); ++i) {
                const std::uint32_t v = ring_vertex(r, i);
                if (keep_[v] == 0) continue;
                if (first == kNone) first = v;
                out.xy.push_back(x(v));
                out.xy.push_back(y(v));
            }
            out.xy.push_back(x(first));
            out.xy.push_back(y(first));
            out.ring_end.push_back(static_cast<std::uint32_t>(out.xy.size() / 2));
        }
        if (!out.ring_end.empty()) out.polygon_end.push_back(static_cast<std::uint32_t>(out.ring_end.size()));
        out.multi = out.polygon_end.size() > 1;
        return out;
    }

    // The communes whose simplified polygons are not valid (GEOS decides where the quick test
    // cannot): each keeps all of its vertices. Returns how many.
    std::size_t repair_invalid()
    {
        std::size_t changed = 0;
        for (CommuneIndex c = 0; c < t_.communes(); ++c) {
            if (whole_[c] != 0) continue;
            bool shortened = false;
            for (std::uint32_t k = ring_first_[c]; k < ring_first_[c + 1] && !shortened; ++k)
                for (std::uint32_t i = 0; i < ring_size(rings_[k]) && !shortened; ++i) shortened = keep_[ring_vertex(rings_[k], i)] == 0;
            if (!shortened) continue;
            const PolygonArrays p = polygons_of(c);
            if (certainly_valid(p)) continue;
            GeomPtr g = to_geos(geos_, p);
            if (GEOSisValid_r(geos_, g.get()) == 1) continue;
            for (std::uint32_t k = ring_first_[c]; k < ring_first_[c + 1]; ++k)
                for (std::uint32_t i = 0; i < ring_size(rings_[k]); ++i)
                    if (keep_[ring_vertex(rings_[k], i)] == 0) restore(ring_vertex(rings_[k], i));
            ++changed;
        }
        return changed;
    }

    void repair()
    {
        // Each round only puts vertices back, so the rounds end: at worst with the input.
        for (int round = 0;; ++round) {
            stats_.repair_rounds = round + 1;
            std::size_t changed = repair_rings(round == 0);
            changed += round == 0 ? repair_crossings(true) : repair_crossings_near_changes();
            if (changed == 0) changed = repair_invalid();
            if (changed == 0) return;
        }
    }
};

} // namespace

CoverageSimplification simplify_coverage(const GeosContext& geos, const CoverageTopology& topology, const SimplifyOptions& options,
                                         double units_per_metre)
{
    if (!(options.tolerance >= 0.0)) throw InputError("the simplification tolerance must be 0 metres or more");
    if (options.keep_pct && !(*options.keep_pct >= 0.0 && *options.keep_pct <= 100.0))
        throw InputError("the percentage of vertices to keep must be between 0 and 100");
    return Simplifier(geos, topology, options, units_per_metre).run();
}

TopologyOptions simplify_topology_options(const SimplifyOptions& options, unsigned threads, double units_per_metre)
{
    TopologyOptions t;
    t.threads = threads;
    t.touch_tolerance *= units_per_metre;
    t.near_tolerance = options.hold_within * units_per_metre;
    return t;
}

void apply_simplification(CommuneLayer& layer, const GeosContext& geos, CoverageSimplification& s)
{
    for (CommuneIndex c = 0; c < layer.size() && c < s.polygons.size(); ++c) {
        if (!s.polygons[c]) continue;
        PolygonArrays& p = *s.polygons[c];
        const PolygonArrays* before = layer[c].geometry.coordinates();
        if (before != nullptr && before->multi) p.multi = true;
        else if (before == nullptr && GEOSGeomTypeId_r(geos, layer[c].geometry.get()) == GEOS_MULTIPOLYGON) p.multi = true;
        layer.set_geometry(c, CommuneGeometry(std::move(p)));
    }
}

SimplifyStats simplify_layer(CommuneLayer& layer, const GeosContext& geos, const SimplifyOptions& options)
{
    const CoverageTopology topology(geos, layer, simplify_topology_options(options, 0));
    CoverageSimplification s = simplify_coverage(geos, topology, options);
    apply_simplification(layer, geos, s);
    return s.stats;
}

} // namespace cptsmap
