#include "cptsmap/geometry/coverage_topology.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace cptsmap {

namespace detail {

// Distinct vertices by their exact coordinates: open addressing with linear probing over vertex
// ids, the coordinates themselves living in the topology's array (4 bytes per slot).
class VertexTable {
public:
    VertexTable(std::vector<double>& xy, std::size_t expected) : xy_(xy)
    {
        std::size_t capacity = 1024;
        while (capacity < 2 * expected) capacity *= 2;
        slots_.assign(capacity, CoverageTopology::none);
        mask_ = capacity - 1;
    }

    std::uint32_t id(double x, double y)
    {
        if (x == 0.0) x = 0.0; // -0.0 and 0.0 are the same point
        if (y == 0.0) y = 0.0;
        std::size_t i = hash(x, y) & mask_;
        while (true) {
            const std::uint32_t v = slots_[i];
            if (v == CoverageTopology::none) {
                const auto id = static_cast<std::uint32_t>(xy_.size() / 2);
                xy_.push_back(x);
                xy_.push_back(y);
                slots_[i] = id;
                if (2 * (id + 1) > slots_.size()) grow();
                return id;
            }
            if (xy_[2 * std::size_t(v)] == x && xy_[2 * std::size_t(v) + 1] == y) return v;
            i = (i + 1) & mask_;
        }
    }

private:
    std::vector<double>& xy_;
    std::vector<std::uint32_t> slots_;
    std::size_t mask_ = 0;

    static std::size_t hash(double x, double y)
    {
        std::uint64_t a = std::bit_cast<std::uint64_t>(x), b = std::bit_cast<std::uint64_t>(y);
        std::uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 29;
        return static_cast<std::size_t>(h);
    }

    void grow()
    {
        std::vector<std::uint32_t> old = std::move(slots_);
        slots_.assign(old.size() * 2, CoverageTopology::none);
        mask_ = slots_.size() - 1;
        for (std::uint32_t v : old) {
            if (v == CoverageTopology::none) continue;
            std::size_t i = hash(xy_[2 * std::size_t(v)], xy_[2 * std::size_t(v) + 1]) & mask_;
            while (slots_[i] != CoverageTopology::none) i = (i + 1) & mask_;
            slots_[i] = v;
        }
    }
};

} // namespace detail

namespace {

struct Point {
    double x, y;
};

double dist2_point_segment(Point p, Point a, Point b)
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

double cross(Point o, Point a, Point b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

// Proper crossing of two segments that share no endpoint.
bool cross_properly(Point a, Point b, Point c, Point d)
{
    const double d1 = cross(a, b, c), d2 = cross(a, b, d), d3 = cross(c, d, a), d4 = cross(c, d, b);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

enum class Contact { None, Near, Touch };

} // namespace

double CoverageTopology::length(const Segment& s) const { return std::hypot(x(s.to) - x(s.from), y(s.to) - y(s.from)); }

CoverageTopology::CoverageTopology(const GeosContext& geos, const CommuneLayer& layer, const TopologyOptions& options)
{
    auto t0 = std::chrono::steady_clock::now();
    std::size_t coordinates = 0;
    for (const Commune& c : layer.communes()) {
        const int n = GEOSGetNumCoordinates_r(geos, c.geometry.get());
        if (n > 0) coordinates += static_cast<std::size_t>(n);
    }
    xy_.reserve(coordinates); // about half of the coordinates are shared: 2 doubles per distinct vertex
    segments_.reserve(coordinates);
    first_.reserve(layer.size() + 1);
    suspect_.assign(layer.size(), 0);
    detail::VertexTable vertices(xy_, coordinates / 2);
    std::vector<double> buffer;
    std::vector<std::uint32_t> ids;
    for (CommuneIndex c = 0; c < layer.size(); ++c) {
        first_.push_back(static_cast<std::uint32_t>(segments_.size()));
        add_geometry(geos, c, layer[c].geometry.get(), vertices, buffer, ids);
    }
    first_.push_back(static_cast<std::uint32_t>(segments_.size()));
    auto t1 = std::chrono::steady_clock::now();
    match_twins();
    auto t2 = std::chrono::steady_clock::now();
    find_mismatches(options);
    auto t3 = std::chrono::steady_clock::now();
    if (std::getenv("CPTSMAP_DEBUG_TOPO")) std::fprintf(stderr, "vertices %.3f twins %.3f mismatches %.3f\n", std::chrono::duration<double>(t1-t0).count(), std::chrono::duration<double>(t2-t1).count(), std::chrono::duration<double>(t3-t2).count());
}

void CoverageTopology::add_geometry(const GeosContext& geos, CommuneIndex c, const GEOSGeometry* g, detail::VertexTable& vertices,
                                    std::vector<double>& buffer, std::vector<std::uint32_t>& ids)
{
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return;
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) add_geometry(geos, c, GEOSGetGeometryN_r(geos, g, i), vertices, buffer, ids);
        return;
    }
    if (type != GEOS_POLYGON) return;
    const int holes = GEOSGetNumInteriorRings_r(geos, g);
    for (int r = -1; r < holes; ++r) {
        const GEOSGeometry* ring = r < 0 ? GEOSGetExteriorRing_r(geos, g) : GEOSGetInteriorRingN_r(geos, g, r);
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0 || n == 0) continue;
        buffer.resize(2 * std::size_t(n));
        GEOSCoordSeq_copyToBuffer_r(geos, seq, buffer.data(), 0, 0);
        ids.clear();
        for (unsigned i = 0; i < n; ++i) {
            const std::uint32_t v = vertices.id(buffer[2 * i], buffer[2 * i + 1]);
            if (ids.empty() || ids.back() != v) ids.push_back(v);
        }
        while (ids.size() > 1 && ids.back() == ids.front()) ids.pop_back();
        if (ids.size() < 3) {
            suspect_[c] = 1;
            continue;
        }
        // Shells counter-clockwise, holes clockwise: the interior is always on the left.
        double area2 = 0.0;
        const double ox = x(ids[0]), oy = y(ids[0]);
        for (std::size_t i = 1; i + 1 < ids.size(); ++i)
            area2 += (x(ids[i]) - ox) * (y(ids[i + 1]) - oy) - (x(ids[i + 1]) - ox) * (y(ids[i]) - oy);
        if (area2 == 0.0) {
            suspect_[c] = 1;
            continue;
        }
        if ((area2 > 0.0) != (r < 0)) std::reverse(ids.begin(), ids.end());
        for (std::size_t i = 0; i < ids.size(); ++i)
            segments_.push_back(Segment{ids[i], ids[(i + 1) % ids.size()], none, c});
    }
}

void CoverageTopology::match_twins()
{
    // Outgoing segments of each vertex (CSR), then each segment's twin among the outgoing segments
    // of its end vertex.
    const std::size_t nv = vertex_count();
    std::vector<std::uint32_t> out_first(nv + 1, 0), out(segments_.size());
    for (const Segment& s : segments_) ++out_first[s.from + 1];
    for (std::size_t v = 0; v < nv; ++v) out_first[v + 1] += out_first[v];
    {
        std::vector<std::uint32_t> fill(out_first.begin(), out_first.end() - 1);
        for (std::uint32_t s = 0; s < segments_.size(); ++s) out[fill[segments_[s].from]++] = s;
    }
    for (std::uint32_t s = 0; s < segments_.size(); ++s) {
        Segment& seg = segments_[s];
        std::uint32_t found = none;
        int reverse = 0;
        for (std::uint32_t k = out_first[seg.to]; k < out_first[seg.to + 1]; ++k) {
            const std::uint32_t t = out[k];
            if (segments_[t].to != seg.from) continue;
            ++reverse;
            found = t;
        }
        for (std::uint32_t k = out_first[seg.from]; k < out_first[seg.from + 1]; ++k) {
            const std::uint32_t t = out[k];
            if (t != s && segments_[t].to == seg.to) { // the same edge twice in the same direction
                suspect_[seg.commune] = 1;
                suspect_[segments_[t].commune] = 1;
            }
        }
        if (reverse == 0) continue;
        if (reverse > 1 || segments_[found].commune == seg.commune) {
            suspect_[seg.commune] = 1;
            suspect_[segments_[found].commune] = 1;
            continue;
        }
        if (seg.twin == none && segments_[found].twin == none) {
            seg.twin = found;
            segments_[found].twin = s;
        }
    }
}

void CoverageTopology::find_mismatches(const TopologyOptions& options)
{
    std::vector<std::uint32_t> free;
    for (std::uint32_t s = 0; s < segments_.size(); ++s)
        if (segments_[s].twin == none) free.push_back(s);
    free_segments_ = free.size();
    mismatch_first_.assign(communes() + 1, 0);
    if (free.empty()) return;

    // A uniform grid over the layer; cells touched by a free segment (with the tolerance) are marked.
    double x0 = x(0), y0 = y(0), x1 = x0, y1 = y0;
    for (std::size_t v = 0; v < vertex_count(); ++v) {
        x0 = std::min(x0, x(std::uint32_t(v)));
        x1 = std::max(x1, x(std::uint32_t(v)));
        y0 = std::min(y0, y(std::uint32_t(v)));
        y1 = std::max(y1, y(std::uint32_t(v)));
    }
    const double tol = std::max(options.near_tolerance, options.touch_tolerance);
    double cell = std::max(256.0, 4 * tol);
    x0 -= 2 * tol;
    y0 -= 2 * tol;
    std::uint64_t nx = 0, ny = 0;
    while (true) {
        nx = static_cast<std::uint64_t>((x1 - x0 + 2 * tol) / cell) + 1;
        ny = static_cast<std::uint64_t>((y1 - y0 + 2 * tol) / cell) + 1;
        if (nx * ny <= (std::uint64_t(1) << 28)) break;
        cell *= 2;
    }
    const auto cx = [&](double v) { return static_cast<std::uint64_t>(std::max(0.0, (v - x0) / cell)); };
    const auto cy = [&](double v) { return static_cast<std::uint64_t>(std::max(0.0, (v - y0) / cell)); };
    std::vector<std::uint64_t> marked((nx * ny + 63) / 64, 0);
    struct Entry {
        std::uint64_t cell;
        std::uint32_t segment;
        bool free;
    };
    std::vector<Entry> entries;
    for (std::uint32_t s : free) {
        const Segment& g = segments_[s];
        const std::uint64_t i0 = cx(std::min(x(g.from), x(g.to)) - tol), i1 = std::min(nx - 1, cx(std::max(x(g.from), x(g.to)) + tol));
        const std::uint64_t j0 = cy(std::min(y(g.from), y(g.to)) - tol), j1 = std::min(ny - 1, cy(std::max(y(g.from), y(g.to)) + tol));
        for (std::uint64_t j = j0; j <= j1; ++j)
            for (std::uint64_t i = i0; i <= i1; ++i) {
                const std::uint64_t k = j * nx + i;
                marked[k / 64] |= std::uint64_t(1) << (k % 64);
                entries.push_back(Entry{k, s, true});
            }
    }
    for (std::uint32_t s = 0; s < segments_.size(); ++s) {
        const Segment& g = segments_[s];
        if (g.twin == none) continue;
        const std::uint64_t i0 = cx(std::min(x(g.from), x(g.to))), i1 = std::min(nx - 1, cx(std::max(x(g.from), x(g.to))));
        const std::uint64_t j0 = cy(std::min(y(g.from), y(g.to))), j1 = std::min(ny - 1, cy(std::max(y(g.from), y(g.to))));
        for (std::uint64_t j = j0; j <= j1; ++j)
            for (std::uint64_t i = i0; i <= i1; ++i) {
                const std::uint64_t k = j * nx + i;
                if ((marked[k / 64] >> (k % 64)) & 1U) entries.push_back(Entry{k, s, false});
            }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.cell != b.cell ? a.cell < b.cell : a.segment < b.segment; });

    const double touch2 = options.touch_tolerance * options.touch_tolerance, near2 = options.near_tolerance * options.near_tolerance;
    const auto point = [&](std::uint32_t v) { return Point{x(v), y(v)}; };
    const auto contact = [&](const Segment& a, const Segment& b) {
        double d2 = 0.0;
        if ((a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from)) return Contact::Touch; // the same edge, not twins
        const Point p0 = point(a.from), p1 = point(a.to), q0 = point(b.from), q1 = point(b.to);
        if (a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to) {
            // One shared vertex: only the other ends count (a fold along the other segment).
            const bool a_from_shared = a.from == b.from || a.from == b.to;
            const bool b_from_shared = b.from == a.from || b.from == a.to;
            d2 = std::min(dist2_point_segment(a_from_shared ? p1 : p0, q0, q1), dist2_point_segment(b_from_shared ? q1 : q0, p0, p1));
        } else {
            if (cross_properly(p0, p1, q0, q1)) return Contact::Touch;
            d2 = std::min({dist2_point_segment(p0, q0, q1), dist2_point_segment(p1, q0, q1), dist2_point_segment(q0, p0, p1),
                           dist2_point_segment(q1, p0, p1)});
        }
        if (d2 <= touch2) return Contact::Touch;
        if (d2 <= near2) return Contact::Near;
        return Contact::None;
    };
    std::vector<std::pair<CommuneIndex, CommuneIndex>> touch, near;
    for (std::size_t lo = 0; lo < entries.size();) {
        std::size_t hi = lo;
        while (hi < entries.size() && entries[hi].cell == entries[lo].cell) ++hi;
        for (std::size_t i = lo; i < hi; ++i) {
            if (!entries[i].free) continue;
            const Segment& a = segments_[entries[i].segment];
            const double ax0 = std::min(x(a.from), x(a.to)) - tol, ax1 = std::max(x(a.from), x(a.to)) + tol;
            const double ay0 = std::min(y(a.from), y(a.to)) - tol, ay1 = std::max(y(a.from), y(a.to)) + tol;
            for (std::size_t j = lo; j < hi; ++j) {
                if (j == i || (entries[j].free && j < i)) continue;
                const Segment& b = segments_[entries[j].segment];
                if (b.commune == a.commune) continue;
                if (std::max(x(b.from), x(b.to)) < ax0 || std::min(x(b.from), x(b.to)) > ax1 || std::max(y(b.from), y(b.to)) < ay0 ||
                    std::min(y(b.from), y(b.to)) > ay1)
                    continue;
                const Contact k = contact(a, b);
                if (k == Contact::None) continue;
                const auto pair = std::minmax(a.commune, b.commune);
                (k == Contact::Touch ? touch : near).emplace_back(pair.first, pair.second);
            }
        }
        lo = hi;
    }
    for (auto* v : {&touch, &near}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    // A touching pair is also near.
    std::vector<std::pair<CommuneIndex, CommuneIndex>> all_near;
    std::set_union(near.begin(), near.end(), touch.begin(), touch.end(), std::back_inserter(all_near));
    mismatched_ = std::move(touch);
    near_ = std::move(all_near);
    for (const auto& [a, b] : mismatched_) {
        ++mismatch_first_[a + 1];
        ++mismatch_first_[b + 1];
    }
    for (std::size_t c = 0; c < communes(); ++c) mismatch_first_[c + 1] += mismatch_first_[c];
    mismatch_with_.resize(mismatch_first_.back());
    std::vector<std::uint32_t> fill(mismatch_first_.begin(), mismatch_first_.end() - 1);
    for (const auto& [a, b] : mismatched_) {
        mismatch_with_[fill[a]++] = b;
        mismatch_with_[fill[b]++] = a;
    }
    for (std::size_t c = 0; c < communes(); ++c) std::sort(mismatch_with_.begin() + mismatch_first_[c], mismatch_with_.begin() + mismatch_first_[c + 1]);
}

std::vector<CommuneIndex> CoverageTopology::mismatched_with(CommuneIndex c) const
{
    if (mismatch_first_.size() <= std::size_t(c) + 1) return {};
    return {mismatch_with_.begin() + mismatch_first_[c], mismatch_with_.begin() + mismatch_first_[c + 1]};
}

} // namespace cptsmap
