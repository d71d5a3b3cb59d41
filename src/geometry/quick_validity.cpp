#include "cptsmap/geometry/quick_validity.hpp"

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

struct Seg {
    double x0, x1, y0, y1; // envelope
    std::uint32_t i0 = 0, i1 = 0, j0 = 0, j1 = 0; // grid cells it spans
    std::uint32_t ring, index;
};

struct Scratch {
    std::vector<double> buffer; // coordinates copied from GEOS or from nested vectors
    const double* xy = nullptr; // the coordinates checked: buffer's, or the caller's arrays
    std::vector<RingRef> rings;
    std::vector<Seg> segs;
    std::vector<std::size_t> cell_first, cell_fill;
    std::vector<std::uint32_t> cell_items;

    void clear()
    {
        buffer.clear();
        xy = nullptr;
        rings.clear();
        segs.clear();
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

// Sign of the orientation of c about a→b, 0 when too close to call (then the caller gives up).
int orientation(const double* a, const double* b, const double* c)
{
    const double abx = b[0] - a[0], aby = b[1] - a[1], acx = c[0] - a[0], acy = c[1] - a[1];
    const double det = abx * acy - aby * acx;
    const double bound = 1e-12 * (std::fabs(abx * acy) + std::fabs(aby * acx));
    if (det > bound) return 1;
    if (det < -bound) return -1;
    return 0;
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
bool inside(const Scratch& s, const RingRef& r, const double* p)
{
    bool in = false;
    const double* q = s.xy + 2 * r.begin;
    for (std::size_t i = 1; i < r.points; ++i) {
        const double* a = q + 2 * (i - 1);
        const double* b = q + 2 * i;
        if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])) in = !in;
    }
    return in;
}

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
    // 1. No two segments meet, but consecutive ones of a ring at their common vertex.
    for (std::uint32_t r = 0; r < s.rings.size(); ++r) {
        const RingRef& ref = s.rings[r];
        const double* p = s.xy + 2 * ref.begin;
        for (std::uint32_t i = 0; i + 1 < ref.points; ++i)
            s.segs.push_back(Seg{std::min(p[2 * i], p[2 * i + 2]), std::max(p[2 * i], p[2 * i + 2]), std::min(p[2 * i + 1], p[2 * i + 3]),
                                 std::max(p[2 * i + 1], p[2 * i + 3]), 0, 0, 0, 0, r, i});
    }
    // Candidates from a uniform grid of about one cell per segment: each pair is looked at in the
    // cell holding the lower-left corner of the intersection of their envelopes.
    const std::size_t n = s.segs.size();
    double gx0 = s.segs[0].x0, gy0 = s.segs[0].y0, gx1 = s.segs[0].x1, gy1 = s.segs[0].y1;
    for (const Seg& g : s.segs) {
        gx0 = std::min(gx0, g.x0);
        gx1 = std::max(gx1, g.x1);
        gy0 = std::min(gy0, g.y0);
        gy1 = std::max(gy1, g.y1);
    }
    const std::size_t side = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(n) / 2)));
    const double fx = gx1 > gx0 ? static_cast<double>(side) / (gx1 - gx0) : 0.0, fy = gy1 > gy0 ? static_cast<double>(side) / (gy1 - gy0) : 0.0;
    const auto cell_x = [&](double x) { return std::min<std::size_t>(side - 1, static_cast<std::size_t>((x - gx0) * fx)); };
    const auto cell_y = [&](double y) { return std::min<std::size_t>(side - 1, static_cast<std::size_t>((y - gy0) * fy)); };
    s.cell_first.assign(side * side + 1, 0);
    for (Seg& g : s.segs) {
        g.i0 = static_cast<std::uint32_t>(cell_x(g.x0));
        g.i1 = static_cast<std::uint32_t>(cell_x(g.x1));
        g.j0 = static_cast<std::uint32_t>(cell_y(g.y0));
        g.j1 = static_cast<std::uint32_t>(cell_y(g.y1));
        for (std::size_t j = g.j0; j <= g.j1; ++j)
            for (std::size_t i = g.i0; i <= g.i1; ++i) ++s.cell_first[j * side + i + 1];
    }
    for (std::size_t c = 0; c < side * side; ++c) s.cell_first[c + 1] += s.cell_first[c];
    if (s.cell_first.back() > 16 * n + 1024) return false; // long segments across many cells: leave it to GEOS
    s.cell_items.resize(s.cell_first.back());
    s.cell_fill.assign(s.cell_first.begin(), s.cell_first.end() - 1);
    for (std::uint32_t k = 0; k < n; ++k) {
        const Seg& g = s.segs[k];
        for (std::size_t j = g.j0; j <= g.j1; ++j)
            for (std::size_t i = g.i0; i <= g.i1; ++i) s.cell_items[s.cell_fill[j * side + i]++] = k;
    }
    const std::size_t budget = 64 * n + 1024;
    std::size_t work = 0;
    for (std::size_t c = 0; c < side * side; ++c) {
        const std::size_t ci = c % side, cj = c / side;
        for (std::size_t p = s.cell_first[c]; p < s.cell_first[c + 1]; ++p) {
            const Seg& a = s.segs[s.cell_items[p]];
            for (std::size_t q = p + 1; q < s.cell_first[c + 1]; ++q) {
                const Seg& b = s.segs[s.cell_items[q]];
                if (b.y1 < a.y0 || a.y1 < b.y0 || b.x1 < a.x0 || a.x1 < b.x0) continue;
                if (std::max(a.i0, b.i0) != ci || std::max(a.j0, b.j0) != cj) continue; // seen in another cell
                if (++work > budget) return false;
                const RingRef& ra = s.rings[a.ring];
                const RingRef& rb = s.rings[b.ring];
                const double* a0 = s.xy + 2 * (ra.begin + a.index);
                const double* b0 = s.xy + 2 * (rb.begin + b.index);
                if (a.ring == b.ring) {
                    const std::uint32_t last = static_cast<std::uint32_t>(ra.points - 2); // index of the closing segment
                    const bool next = b.index == a.index + 1 || (a.index == last && b.index == 0);
                    const bool prev = a.index == b.index + 1 || (b.index == last && a.index == 0);
                    if (next || prev) {
                        // Consecutive: they share one vertex; the other ends must not fold back onto them.
                        const double* shared = next ? a0 + 2 : b0 + 2;
                        const double* ea = next ? a0 : a0 + 2;
                        const double* eb = next ? b0 + 2 : b0;
                        if (orientation(ea, shared, eb) == 0) {
                            // Collinear: fine only if they go on in the same direction.
                            const double dx1 = shared[0] - ea[0], dy1 = shared[1] - ea[1], dx2 = eb[0] - shared[0], dy2 = eb[1] - shared[1];
                            if (dx1 * dx2 + dy1 * dy2 <= 0) return false;
                        }
                        continue;
                    }
                }
                if (!apart(a0, a0 + 2, b0, b0 + 2)) return false;
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
