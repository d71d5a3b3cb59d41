#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/geometry/primitives.hpp"

#include <algorithm>
#include <cmath>

namespace cptsmap {

namespace {

struct RingRef {
    std::size_t begin = 0; // index of its first point in the coordinate buffer
    std::size_t points = 0; // closed: first point repeated
    int polygon = 0;
    bool shell = false;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct Chain {
    std::uint32_t ring, first, count; // segments first .. first + count - 1 of the ring
    int way;                          // +1: x increasing, -1: decreasing, 0: vertical
    double x0, x1, y0, y1;
};

struct Scratch {
    std::vector<double> buffer; // coordinates copied from GEOS or from nested vectors
    const double* xy = nullptr; // the coordinates checked: buffer's, or the caller's arrays
    std::vector<RingRef> rings;
    std::vector<Chain> chains;

    void clear()
    {
        buffer.clear();
        xy = nullptr;
        rings.clear();
    }
};

// Checks a closed ring of n points at s.xy + 2 * begin and records it; false when it cannot be
// certified (too short, not closed, not finite, a repeated point).
bool add_ring(Scratch& s, std::size_t begin, std::size_t n, int polygon, bool shell)
{
    if (n < 4) return false;
    const double* p = s.xy + 2 * begin;
    if (p[0] != p[2 * (n - 1)] || p[1] != p[2 * (n - 1) + 1]) return false;
    for (std::size_t i = 0; i < 2 * n; ++i)
        if (!std::isfinite(p[i])) return false; // NaN or infinite coordinates: GEOS says what is wrong
    RingRef ref;
    ref.begin = begin;
    ref.points = n;
    ref.polygon = polygon;
    ref.shell = shell;
    ref.x0 = ref.x1 = p[0];
    ref.y0 = ref.y1 = p[1];
    for (std::size_t i = 1; i < n; ++i) {
        if (p[2 * i] == p[2 * i - 2] && p[2 * i + 1] == p[2 * i - 1]) return false; // repeated point
        ref.x0 = std::min(ref.x0, p[2 * i]);
        ref.x1 = std::max(ref.x1, p[2 * i]);
        ref.y0 = std::min(ref.y0, p[2 * i + 1]);
        ref.y1 = std::max(ref.y1, p[2 * i + 1]);
    }
    s.rings.push_back(ref);
    return true;
}

// Copies the rings of a GEOS polygon into s.buffer (ring references are made once all are copied).
bool gather(const GeosContext& geos, const GEOSGeometry* g, int polygon, Scratch& s, std::vector<RingRef>& pending)
{
    const int holes = GEOSGetNumInteriorRings_r(geos, g);
    if (holes < 0) return false;
    for (int r = -1; r < holes; ++r) {
        const GEOSGeometry* ring = r < 0 ? GEOSGetExteriorRing_r(geos, g) : GEOSGetInteriorRingN_r(geos, g, r);
        const GEOSCoordSequence* seq = ring != nullptr ? GEOSGeom_getCoordSeq_r(geos, ring) : nullptr;
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0 || n < 4) return false;
        RingRef ref;
        ref.begin = s.buffer.size() / 2;
        ref.points = n;
        ref.polygon = polygon;
        ref.shell = r < 0;
        s.buffer.resize(s.buffer.size() + 2 * std::size_t(n));
        GEOSCoordSeq_copyToBuffer_r(geos, seq, s.buffer.data() + 2 * ref.begin, 0, 0);
        pending.push_back(ref);
    }
    return true;
}

// Whether segments p0p1 and q0q1 (no shared endpoint) certainly do not meet.
bool apart(const double* p0, const double* p1, const double* q0, const double* q1)
{
    if (std::max(p0[1], p1[1]) < std::min(q0[1], q1[1]) || std::max(q0[1], q1[1]) < std::min(p0[1], p1[1])) return true;
    if (std::max(p0[0], p1[0]) < std::min(q0[0], q1[0]) || std::max(q0[0], q1[0]) < std::min(p0[0], p1[0])) return true;
    const int a = orientation(p0, p1, q0), b = orientation(p0, p1, q1), c = orientation(q0, q1, p0), d = orientation(q0, q1, p1);
    if (a == 0 || b == 0 || c == 0 || d == 0) return false; // touching or too close to call
    return a == b || c == d;
}

// Crossing number of point p against a closed ring.
bool inside(const Scratch& s, const RingRef& r, const double* p) { return point_in_ring({s.xy + 2 * r.begin, 2 * r.points}, p[0], p[1]); }

bool box_overlaps(const RingRef& a, const RingRef& b) { return a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1; }

bool check(Scratch& s);

} // namespace

bool certainly_valid(const GeosContext& geos, const GEOSGeometry* g)
{
    thread_local Scratch s;
    thread_local std::vector<RingRef> pending;
    s.clear();
    pending.clear();
    if (g == nullptr) return false;
    if (GEOSisEmpty_r(geos, g) == 1) return true;
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_POLYGON) {
        if (!gather(geos, g, 0, s, pending)) return false;
    } else if (type == GEOS_MULTIPOLYGON) {
        const int n = GEOSGetNumGeometries_r(geos, g);
        for (int i = 0; i < n; ++i)
            if (!gather(geos, GEOSGetGeometryN_r(geos, g, i), i, s, pending)) return false;
    } else {
        return false;
    }
    s.xy = s.buffer.data();
    for (const RingRef& r : pending)
        if (!add_ring(s, r.begin, r.points, r.polygon, r.shell)) return false;
    return check(s);
}

bool certainly_valid(const PolygonArrays& polygons)
{
    thread_local Scratch s;
    s.clear();
    if (polygons.empty()) return true;
    s.xy = polygons.xy.data();
    for (std::size_t p = 0; p < polygons.polygons(); ++p)
        for (std::size_t r = polygons.polygon_begin(p); r < polygons.polygon_end[p]; ++r)
            if (!add_ring(s, polygons.ring_begin(r), polygons.ring_end[r] - polygons.ring_begin(r), static_cast<int>(p), r == polygons.polygon_begin(p)))
                return false;
    return check(s);
}

namespace {

bool check(Scratch& s)
{
    // 1. At each vertex, the two segments do not fold back onto each other (collinear and turning
    // back); no two other segments meet. Each ring is cut into monotone chains, runs of segments
    // going the same way in x (or vertical): within a chain going one way in x no vertex can fold
    // back, and two segments that are not consecutive cover x-ranges apart (y-ranges for a
    // vertical run, which cannot fold back either), so only segments of different chains can
    // meet, and of two chains only the segments whose x-ranges overlap. Chains are swept in order
    // of their smallest x.
    s.chains.clear();
    for (std::uint32_t r = 0; r < s.rings.size(); ++r) {
        const RingRef& ref = s.rings[r];
        const double* p = s.xy + 2 * ref.begin;
        const std::uint32_t segments = static_cast<std::uint32_t>(ref.points - 1);
        const auto way = [&](std::uint32_t i) { return p[2 * i + 2] > p[2 * i] ? 1 : p[2 * i + 2] < p[2 * i] ? -1 : 0; };
        // The vertex between segment i - 1 and segment i (cyclically) folds back.
        const auto folds = [&](std::uint32_t i) {
            const double* prev = p + 2 * (i == 0 ? segments - 1 : i - 1);
            const double* v = p + 2 * i;
            const double* next = p + 2 * (i + 1);
            if (orientation(prev, v, next) != 0) return false;
            const double dx1 = v[0] - prev[0], dy1 = v[1] - prev[1], dx2 = next[0] - v[0], dy2 = next[1] - v[1];
            return dx1 * dx2 + dy1 * dy2 <= 0;
        };
        int w = way(0);
        for (std::uint32_t i = 0; i < segments;) {
            if (folds(i)) return false;
            std::uint32_t j = i + 1;
            int next_way = 0;
            while (j < segments) {
                next_way = way(j);
                if (next_way != w) break;
                if (w == 0 && (p[2 * j + 3] - p[2 * j + 1]) * (p[2 * j + 1] - p[2 * j - 1]) <= 0) return false; // a vertical run turning back
                ++j;
            }
            Chain c{r, i, j - i, w, HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
            for (std::uint32_t k = i; k <= j; ++k) {
                c.x0 = std::min(c.x0, p[2 * k]);
                c.x1 = std::max(c.x1, p[2 * k]);
                c.y0 = std::min(c.y0, p[2 * k + 1]);
                c.y1 = std::max(c.y1, p[2 * k + 1]);
            }
            s.chains.push_back(c);
            i = j;
            w = next_way;
        }
    }
    std::sort(s.chains.begin(), s.chains.end(), [](const Chain& a, const Chain& b) { return a.x0 < b.x0; });
    std::size_t segments_total = 0;
    for (const RingRef& ref : s.rings) segments_total += ref.points - 1;
    const std::size_t budget = 64 * segments_total + 1024;
    std::size_t work = 0;
    // The k-th segment of a chain in increasing x, as the index of its first point in the ring.
    const auto segment = [](const Chain& c, std::uint32_t k) { return c.way < 0 ? c.first + c.count - 1 - k : c.first + k; };
    const auto adjacent = [&](std::uint32_t ring, std::uint32_t i, std::uint32_t j) {
        const std::uint32_t last = static_cast<std::uint32_t>(s.rings[ring].points - 2);
        return i + 1 == j || j + 1 == i || (i == last && j == 0) || (j == last && i == 0);
    };
    for (std::size_t a = 0; a < s.chains.size(); ++a) {
        const Chain& ca = s.chains[a];
        for (std::size_t b = a + 1; b < s.chains.size() && s.chains[b].x0 <= ca.x1; ++b) {
            const Chain& cb = s.chains[b];
            if (cb.y1 < ca.y0 || ca.y1 < cb.y0) continue;
            const double* pa = s.xy + 2 * s.rings[ca.ring].begin;
            const double* pb = s.xy + 2 * s.rings[cb.ring].begin;
            std::uint32_t from = 0;
            for (std::uint32_t ka = 0; ka < ca.count; ++ka) {
                const std::uint32_t ia = segment(ca, ka);
                const double* a0 = pa + 2 * ia;
                const double ax0 = std::min(a0[0], a0[2]), ax1 = std::max(a0[0], a0[2]);
                if (ax1 < cb.x0) continue;
                if (ax0 > cb.x1) break;
                while (from < cb.count) {
                    const double* q = pb + 2 * segment(cb, from);
                    if (std::max(q[0], q[2]) < ax0) ++from;
                    else break;
                }
                for (std::uint32_t kb = from; kb < cb.count; ++kb) {
                    const std::uint32_t ib = segment(cb, kb);
                    const double* b0 = pb + 2 * ib;
                    if (std::min(b0[0], b0[2]) > ax1) break;
                    if (++work > budget) return false;
                    if (ca.ring == cb.ring && adjacent(ca.ring, ia, ib)) continue; // their shared vertex: 1a
                    if (!apart(a0, a0 + 2, b0, b0 + 2)) return false;
                }
            }
        }
    }

    // 2. Holes inside their shell and not inside one another; polygons not inside one another.
    for (std::size_t i = 0; i < s.rings.size(); ++i) {
        const RingRef& r = s.rings[i];
        const double* first = s.xy + 2 * r.begin;
        for (std::size_t j = 0; j < s.rings.size(); ++j) {
            if (j == i) continue;
            const RingRef& o = s.rings[j];
            if (r.shell) {
                // A shell inside another polygon's shell is valid only within one of its holes:
                // leave that (islands in lakes) to GEOS.
                if (o.shell && o.polygon != r.polygon && box_overlaps(r, o) && inside(s, o, first)) return false;
            } else if (o.polygon == r.polygon) {
                if (o.shell && !inside(s, o, first)) return false;
                if (!o.shell && box_overlaps(r, o) && inside(s, o, first)) return false;
            }
        }
    }
    return true;
}

} // namespace

} // namespace cptsmap
