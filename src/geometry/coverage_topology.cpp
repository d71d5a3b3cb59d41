#include "cptsmap/geometry/coverage_topology.hpp"

#include "cptsmap/geometry/primitives.hpp"
#include "cptsmap/io/threads.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <thread>

#include <sys/mman.h>

namespace cptsmap {

namespace detail {

// Distinct vertices by their exact coordinates: open addressing with linear probing over vertex
// ids (4 bytes per slot), the coordinates in a preallocated array; several threads insert at once
// (a slot is claimed with a compare-and-swap, then published with its id). Ids therefore depend
// on the threads' interleaving: nothing downstream orders anything by vertex id.
class VertexTable {
public:
    // Slots hold id + 1; 0 is an empty slot. The zeroed pages are mapped up front (MAP_POPULATE):
    // mapped lazily, a page first read by a probe and then written faults twice, the second time
    // with a TLB shootdown across the threads (a third of the insertion time on France).
    static constexpr std::uint32_t empty = 0, busy = CoverageTopology::none;

    VertexTable(double* xy, std::size_t max_vertices) : xy_(xy)
    {
        std::size_t capacity = 1024;
        while (capacity < max_vertices + max_vertices / 4) capacity *= 2; // load factor below 0.8 even if no vertex is shared
        bytes_ = capacity * sizeof(std::uint32_t);
        void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        slots_ = static_cast<std::uint32_t*>(p);
        mask_ = capacity - 1;
    }
    ~VertexTable() { munmap(slots_, bytes_); }
    VertexTable(const VertexTable&) = delete;
    VertexTable& operator=(const VertexTable&) = delete;

    // Ids are handed out to each thread in blocks (to keep threads off one shared counter); the
    // unused end of a block is a run of ids without a vertex, filled by fill_unused().
    using Block = VertexBlock;
    static constexpr std::uint32_t block_size = 4096;

    std::uint32_t id(double x, double y, Block& block)
    {
        if (x == 0.0) x = 0.0; // -0.0 and 0.0 are the same point
        if (y == 0.0) y = 0.0;
        std::size_t i = hash(x, y) & mask_;
        while (true) {
            std::atomic_ref<std::uint32_t> slot(slots_[i]);
            std::uint32_t v = slot.load(std::memory_order_acquire);
            if (v == empty) {
                if (!slot.compare_exchange_strong(v, busy, std::memory_order_acq_rel)) continue;
                if (block.next == block.end) {
                    block.next = next_.fetch_add(block_size, std::memory_order_relaxed);
                    block.end = block.next + block_size;
                }
                const std::uint32_t id = block.next++;
                xy_[2 * std::size_t(id)] = x;
                xy_[2 * std::size_t(id) + 1] = y;
                slot.store(id + 1, std::memory_order_release);
                return id;
            }
            if (v == busy) continue; // another thread is writing this slot's point
            --v;
            if (xy_[2 * std::size_t(v)] == x && xy_[2 * std::size_t(v) + 1] == y) return v;
            i = (i + 1) & mask_;
        }
    }

    std::uint32_t size() const { return next_.load(); }

    // Ids of n points, in batches whose slots, then vertices, are prefetched first: the table and
    // the vertex array are too large for the caches, and each lookup would otherwise wait twice.
    void ids(const double* xy, std::size_t n, Block& block, std::vector<std::uint32_t>& out)
    {
        constexpr std::size_t batch = 32;
        std::size_t slot[batch];
        for (std::size_t b = 0; b < n; b += batch) {
            const std::size_t m = std::min(batch, n - b);
            for (std::size_t k = 0; k < m; ++k) {
                double x = xy[2 * (b + k)], y = xy[2 * (b + k) + 1];
                if (x == 0.0) x = 0.0;
                if (y == 0.0) y = 0.0;
                slot[k] = hash(x, y) & mask_;
                __builtin_prefetch(slots_ + slot[k]);
            }
            for (std::size_t k = 0; k < m; ++k) {
                const std::uint32_t v = std::atomic_ref<std::uint32_t>(slots_[slot[k]]).load(std::memory_order_relaxed);
                if (v != empty && v != busy) __builtin_prefetch(xy_ + 2 * std::size_t(v - 1));
            }
            for (std::size_t k = 0; k < m; ++k) out.push_back(id(xy[2 * (b + k)], xy[2 * (b + k) + 1], block));
        }
    }

private:
    std::size_t bytes_ = 0;
    double* xy_;
    std::uint32_t* slots_ = nullptr;
    std::size_t mask_ = 0;
    std::atomic<std::uint32_t> next_{0};

    static std::size_t hash(double x, double y)
    {
        std::uint64_t a = std::bit_cast<std::uint64_t>(x), b = std::bit_cast<std::uint64_t>(y);
        std::uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 29;
        return static_cast<std::size_t>(h);
    }
};

} // namespace detail

double CoverageTopology::length(const Segment& s) const
{
    const double dx = x(s.to) - x(s.from), dy = y(s.to) - y(s.from);
    return std::sqrt(dx * dx + dy * dy); // no overflow for std::hypot to guard against in a projected CRS
}

namespace {

// Coordinate arrays where a boundary holds them (no GEOS geometry is built), its GEOS geometry
// otherwise (communes repaired by make-valid, or given as GEOS).
template <class Get>
std::vector<CoverageTopology::Source> sources_of(std::size_t n, Get geometry_of)
{
    std::vector<CoverageTopology::Source> sources(n);
    for (std::size_t c = 0; c < n; ++c) {
        const CommuneGeometry& g = geometry_of(c);
        if (g.coordinates() != nullptr) sources[c].arrays = g.coordinates();
        else if (!g.empty()) sources[c].geometry = g.get();
    }
    return sources;
}

} // namespace

CoverageTopology::CoverageTopology([[maybe_unused]] const GeosContext& geos, const CommuneLayer& layer, const TopologyOptions& options)
{
    build(sources_of(layer.size(), [&](std::size_t c) -> const CommuneGeometry& { return layer[c].geometry; }), options);
}

CoverageTopology::CoverageTopology([[maybe_unused]] const GeosContext& geos, const std::vector<CommuneGeometry>& polygons, const TopologyOptions& options)
{
    build(sources_of(polygons.size(), [&](std::size_t c) -> const CommuneGeometry& { return polygons[c]; }), options);
}

CoverageTopology::CoverageTopology([[maybe_unused]] const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons,
                                   const TopologyOptions& options)
{
    std::vector<Source> sources(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) sources[i].geometry = polygons[i];
    build(sources, options);
}

// Each thread reads GEOS geometries through a GEOS context of its own.
void CoverageTopology::build(const std::vector<Source>& sources, const TopologyOptions& options)
{
    const std::size_t n = sources.size();
    unsigned threads = thread_count(options.threads);
    if (n < 1000) threads = 1;
    threads_ = threads;
    std::vector<std::size_t> counts(threads, 0);
    run_on_threads(threads, [&](unsigned t) {
        GeosContext local;
        for (std::size_t c = n * t / threads; c < n * (t + 1) / threads; ++c) {
            if (sources[c].arrays != nullptr) {
                counts[t] += sources[c].arrays->points();
            } else if (sources[c].geometry != nullptr) {
                const int k = GEOSGetNumCoordinates_r(local, sources[c].geometry);
                if (k > 0) counts[t] += static_cast<std::size_t>(k);
            }
        }
    });
    std::size_t coordinates = 0;
    std::vector<std::size_t> base(threads + 1, 0);
    for (unsigned t = 0; t < threads; ++t) base[t + 1] = base[t] + counts[t];
    coordinates = base[threads];
    // Upper bounds: a distinct vertex and a segment per coordinate at most (plus the threads'
    // id blocks); pages are only touched where written, and both are compacted in place below.
    xy_.allocate(2 * (coordinates + threads * std::size_t(detail::VertexTable::block_size)) + 2);
    segments_.allocate(coordinates + 1);
    suspect_.assign(n, 0);
    first_.assign(n + 1, 0);
    detail::VertexTable vertices(xy_.data(), coordinates);
    // Communes in contiguous ranges, one per thread, each writing its segments from base[t].
    std::vector<std::size_t> written(threads, 0);
    std::vector<detail::VertexBlock> blocks(threads);
    run_on_threads(threads, [&](unsigned t) {
        GeosContext local;
        std::vector<double> buffer;
        std::vector<std::uint32_t> ids;
        detail::VertexBlock& block = blocks[t];
        Segment* const start = segments_.data() + base[t];
        Segment* cursor = start;
        for (std::size_t c = n * t / threads; c < n * (t + 1) / threads; ++c) {
            first_[c] = static_cast<std::uint32_t>(cursor - segments_.data());
            const auto commune = static_cast<CommuneIndex>(c);
            if (const PolygonArrays* a = sources[c].arrays) {
                for (std::size_t p = 0; p < a->polygons(); ++p)
                    for (std::size_t r = a->polygon_begin(p); r < a->polygon_end[p]; ++r) {
                        const std::span<const double> xy = a->ring(r);
                        add_ring(commune, xy.data(), xy.size() / 2, r == a->polygon_begin(p), vertices, block, ids, cursor);
                    }
            } else if (sources[c].geometry != nullptr) {
                add_geometry(local, commune, sources[c].geometry, vertices, block, buffer, ids, cursor);
            }
        }
        written[t] = static_cast<std::size_t>(cursor - start);
    });
    std::size_t total = written[0];
    for (unsigned t = 1; t < threads; ++t) {
        if (total != base[t]) {
            std::memmove(static_cast<void*>(segments_.data() + total), segments_.data() + base[t], written[t] * sizeof(Segment));
            const auto shift = static_cast<std::uint32_t>(base[t] - total);
            for (std::size_t c = n * t / threads; c < n * (t + 1) / threads; ++c) first_[c] -= shift;
        }
        total += written[t];
    }
    segments_.set_size(total);
    first_[n] = static_cast<std::uint32_t>(total);
    // The unused ends of the threads' last id blocks: ids without a vertex, squeezed out.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> holes; // [begin, end)
    for (const auto& b : blocks)
        if (b.next < b.end && b.next < vertices.size()) holes.emplace_back(b.next, std::min(b.end, vertices.size()));
    std::sort(holes.begin(), holes.end());
    const auto below = [&](std::uint32_t v) { // number of hole ids below v
        std::uint32_t k = 0;
        for (const auto& [b, e] : holes)
            if (b < v) k += std::min(v, e) - b;
        return k;
    };
    std::size_t kept = 0; // vertices kept so far, in place
    std::uint32_t from = 0;
    for (const auto& [b, e] : holes) {
        std::memmove(xy_.data() + 2 * kept, xy_.data() + 2 * std::size_t(from), 2 * std::size_t(b - from) * sizeof(double));
        kept += b - from;
        from = e;
    }
    std::memmove(xy_.data() + 2 * kept, xy_.data() + 2 * std::size_t(from), 2 * std::size_t(vertices.size() - from) * sizeof(double));
    kept += vertices.size() - from;
    xy_.set_size(2 * kept);
    if (!holes.empty()) {
        for (Segment& g : segments_) {
            g.from -= below(g.from);
            g.to -= below(g.to);
        }
    }
    match_twins();
    if (options.find_contacts) {
        find_mismatches(options);
    } else {
        for (const Segment& g : segments_) free_segments_ += g.twin == none ? 1 : 0;
        mismatch_first_.assign(communes() + 1, 0);
    }
}

void CoverageTopology::add_geometry(const GeosContext& geos, CommuneIndex c, const GEOSGeometry* g, detail::VertexTable& vertices,
                                    detail::VertexBlock& block, std::vector<double>& buffer, std::vector<std::uint32_t>& ids, Segment*& out)
{
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return;
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) add_geometry(geos, c, GEOSGetGeometryN_r(geos, g, i), vertices, block, buffer, ids, out);
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
        add_ring(c, buffer.data(), n, r < 0, vertices, block, ids, out);
    }
}

void CoverageTopology::add_ring(CommuneIndex c, const double* xy, std::size_t n, bool shell, detail::VertexTable& vertices,
                                detail::VertexBlock& block, std::vector<std::uint32_t>& ids, Segment*& out)
{
    if (n == 0) return;
    ids.clear();
    thread_local std::vector<std::uint32_t> raw;
    raw.clear();
    vertices.ids(xy, n, block, raw);
    for (std::uint32_t v : raw)
        if (ids.empty() || ids.back() != v) ids.push_back(v);
    while (ids.size() > 1 && ids.back() == ids.front()) ids.pop_back();
    if (ids.size() < 3) {
        suspect_[c] = 1;
        return;
    }
    // Shells counter-clockwise, holes clockwise: the interior is always on the left.
    // (From the ring's own coordinates: the vertex array is being written by other threads.)
    const double area = ring_signed_area(std::span<const double>(xy, 2 * n));
    if (area == 0.0) {
        suspect_[c] = 1;
        return;
    }
    if ((area > 0.0) != shell) std::reverse(ids.begin(), ids.end());
    for (std::size_t i = 0; i < ids.size(); ++i) *out++ = Segment{ids[i], ids[(i + 1) % ids.size()], none, c};
}

void CoverageTopology::match_twins()
{
    // Outgoing segments of each vertex (CSR), then each segment's twin among the outgoing segments
    // of its end vertex. A segment is paired only when its edge is walked exactly once each way,
    // so that both sides of a pair see each other (each thread writes its own segments only).
    // Each thread counts and files the segments leaving its own range of vertices (all threads
    // read every segment; none writes where another does).
    const std::size_t nv = vertex_count();
    const std::size_t n = segments_.size();
    std::vector<std::uint32_t> out_first(nv + 1, 0), out(n);
    const auto vertex_range = [&](unsigned t) { return std::pair<std::size_t, std::size_t>{nv * t / threads_, nv * (t + 1) / threads_}; };
    run_on_threads(threads_, [&](unsigned t) {
        const auto [lo, hi] = vertex_range(t);
        for (const Segment& s : segments_)
            if (s.from >= lo && s.from < hi) ++out_first[s.from + 1];
    });
    for (std::size_t v = 0; v < nv; ++v) out_first[v + 1] += out_first[v];
    {
        std::vector<std::uint32_t> fill(out_first.begin(), out_first.end() - 1);
        run_on_threads(threads_, [&](unsigned t) {
            const auto [lo, hi] = vertex_range(t);
            for (std::uint32_t s = 0; s < n; ++s)
                if (segments_[s].from >= lo && segments_[s].from < hi) out[fill[segments_[s].from]++] = s;
        });
    }
    std::vector<std::vector<CommuneIndex>> suspects(threads_);
    run_on_threads(threads_, [&](unsigned t) {
        for (std::size_t i = n * t / threads_; i < n * (t + 1) / threads_; ++i) {
            const auto s = static_cast<std::uint32_t>(i);
            Segment& seg = segments_[s];
            std::uint32_t found = none;
            int reverse = 0, same = 0;
            for (std::uint32_t k = out_first[seg.to]; k < out_first[seg.to + 1]; ++k) {
                if (segments_[out[k]].to != seg.from) continue;
                ++reverse;
                found = out[k];
            }
            for (std::uint32_t k = out_first[seg.from]; k < out_first[seg.from + 1]; ++k)
                if (out[k] != s && segments_[out[k]].to == seg.to) ++same; // the same edge twice in the same direction
            if (same > 0 || reverse > 1 || (reverse == 1 && segments_[found].commune == seg.commune)) {
                suspects[t].push_back(seg.commune);
                if (reverse > 0) suspects[t].push_back(segments_[found].commune);
                continue;
            }
            if (reverse == 1) seg.twin = found;
        }
    });
    for (const auto& list : suspects)
        for (CommuneIndex c : list) suspect_[c] = 1;
}

namespace {

using Segment = CoverageTopology::Segment;

// The segments without a twin, and the extent of the vertices.
struct FreeSegments {
    std::vector<std::uint32_t> ids;
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    bool all_finite = true;
};

FreeSegments free_segments_and_extent(const CoverageTopology& topology, unsigned threads)
{
    std::vector<FreeSegments> parts(threads);
    const std::span<const Segment> segments = topology.segments();
    run_on_threads(threads, [&](unsigned t) {
        FreeSegments& p = parts[t];
        const std::size_t ns = segments.size(), nv = topology.vertex_count();
        for (std::size_t i = ns * t / threads; i < ns * (t + 1) / threads; ++i)
            if (segments[i].twin == CoverageTopology::none) p.ids.push_back(static_cast<std::uint32_t>(i));
        for (std::size_t v = nv * t / threads; v < nv * (t + 1) / threads; ++v) {
            const double vx = topology.x(std::uint32_t(v)), vy = topology.y(std::uint32_t(v));
            if (!std::isfinite(vx) || !std::isfinite(vy)) {
                p.all_finite = false;
                continue;
            }
            p.x0 = std::min(p.x0, vx);
            p.x1 = std::max(p.x1, vx);
            p.y0 = std::min(p.y0, vy);
            p.y1 = std::max(p.y1, vy);
        }
    });
    FreeSegments all;
    for (const FreeSegments& p : parts) {
        all.ids.insert(all.ids.end(), p.ids.begin(), p.ids.end());
        all.x0 = std::min(all.x0, p.x0);
        all.y0 = std::min(all.y0, p.y0);
        all.x1 = std::max(all.x1, p.x1);
        all.y1 = std::max(all.y1, p.y1);
        all.all_finite = all.all_finite && p.all_finite;
    }
    return all;
}

// A uniform grid over the layer's extent widened by the tolerance, of at most 2^28 cells.
struct SegmentGrid {
    double x0 = 0, y0 = 0, cell = 0;
    std::uint64_t nx = 0, ny = 0;

    // None for coordinates no grid can hold (not numbers, or absurdly far apart).
    static std::optional<SegmentGrid> over(const FreeSegments& extent, double tol)
    {
        if (!extent.all_finite || !(extent.x1 - extent.x0 < 1e15) || !(extent.y1 - extent.y0 < 1e15)) return std::nullopt;
        SegmentGrid g;
        g.cell = std::max(256.0, 4 * tol);
        g.x0 = extent.x0 - 2 * tol;
        g.y0 = extent.y0 - 2 * tol;
        while (true) {
            g.nx = static_cast<std::uint64_t>((extent.x1 - g.x0 + 2 * tol) / g.cell) + 1;
            g.ny = static_cast<std::uint64_t>((extent.y1 - g.y0 + 2 * tol) / g.cell) + 1;
            if (g.nx * g.ny <= (std::uint64_t(1) << 28)) break;
            g.cell *= 2;
        }
        return g;
    }
    std::uint64_t column(double v) const { return std::min(nx - 1, static_cast<std::uint64_t>(std::max(0.0, (v - x0) / cell))); }
    std::uint64_t row(double v) const { return std::min(ny - 1, static_cast<std::uint64_t>(std::max(0.0, (v - y0) / cell))); }
    // Calls f(cell) for each cell the box [x0, x1] × [y0, y1] meets.
    template <class F> void for_cells(double bx0, double by0, double bx1, double by1, const F& f) const
    {
        const std::uint64_t i0 = column(bx0), i1 = column(bx1), j0 = row(by0), j1 = row(by1);
        for (std::uint64_t j = j0; j <= j1; ++j)
            for (std::uint64_t i = i0; i <= i1; ++i) f(j * nx + i);
    }
};

// A segment in a grid cell; free: without a twin.
struct CellEntry {
    std::uint64_t cell;
    std::uint32_t segment;
    bool free;
};

// The free segments in every cell they come within tol of, and the other segments in those cells,
// sorted by cell. A commune whose envelope meets no such cell (most of those inland) is passed
// over as a whole.
std::vector<CellEntry> entries_in_marked_cells(const CoverageTopology& t, const SegmentGrid& grid, const std::vector<std::uint32_t>& free,
                                               double tol, unsigned threads)
{
    const std::span<const Segment> segments = t.segments();
    std::vector<std::uint64_t> marked((grid.nx * grid.ny + 63) / 64, 0);
    const auto is_marked = [&](std::uint64_t k) { return ((marked[k / 64] >> (k % 64)) & 1U) != 0; };
    std::vector<CellEntry> entries;
    for (std::uint32_t s : free) {
        const Segment& g = segments[s];
        grid.for_cells(std::min(t.x(g.from), t.x(g.to)) - tol, std::min(t.y(g.from), t.y(g.to)) - tol, std::max(t.x(g.from), t.x(g.to)) + tol,
                       std::max(t.y(g.from), t.y(g.to)) + tol, [&](std::uint64_t k) {
                           marked[k / 64] |= std::uint64_t(1) << (k % 64);
                           entries.push_back(CellEntry{k, s, true});
                       });
    }
    std::vector<std::vector<CellEntry>> found(threads);
    const std::size_t nc = t.communes();
    run_on_threads(threads, [&](unsigned th) {
        for (std::size_t c = nc * th / threads; c < nc * (th + 1) / threads; ++c) {
            if (t.begin(CommuneIndex(c)) == t.end(CommuneIndex(c))) continue;
            double ex0 = HUGE_VAL, ey0 = HUGE_VAL, ex1 = -HUGE_VAL, ey1 = -HUGE_VAL;
            for (std::uint32_t s = t.begin(CommuneIndex(c)); s < t.end(CommuneIndex(c)); ++s) {
                const std::uint32_t v = segments[s].from; // each ring's vertices are its segments' starts
                ex0 = std::min(ex0, t.x(v));
                ex1 = std::max(ex1, t.x(v));
                ey0 = std::min(ey0, t.y(v));
                ey1 = std::max(ey1, t.y(v));
            }
            bool any = false;
            grid.for_cells(ex0, ey0, ex1, ey1, [&](std::uint64_t k) { any = any || is_marked(k); });
            if (!any) continue;
            for (std::uint32_t s = t.begin(CommuneIndex(c)); s < t.end(CommuneIndex(c)); ++s) {
                const Segment& g = segments[s];
                if (g.twin == CoverageTopology::none) continue;
                grid.for_cells(std::min(t.x(g.from), t.x(g.to)), std::min(t.y(g.from), t.y(g.to)), std::max(t.x(g.from), t.x(g.to)),
                               std::max(t.y(g.from), t.y(g.to)), [&](std::uint64_t k) {
                                   if (is_marked(k)) found[th].push_back(CellEntry{k, s, false});
                               });
            }
        }
    });
    for (auto& f : found) entries.insert(entries.end(), f.begin(), f.end());
    found.clear();
    const auto by_cell = [](const CellEntry& a, const CellEntry& b) { return a.cell != b.cell ? a.cell < b.cell : a.segment < b.segment; };
    if (threads > 1) {
        const auto middle = entries.begin() + static_cast<std::ptrdiff_t>(entries.size() / 2);
        std::thread other([&] { std::sort(entries.begin(), middle, by_cell); });
        std::sort(middle, entries.end(), by_cell);
        other.join();
        std::inplace_merge(entries.begin(), middle, entries.end(), by_cell);
    } else {
        std::sort(entries.begin(), entries.end(), by_cell);
    }
    return entries;
}

enum class Contact { None, Near, Touch };

// How two segments of different communes meet, apart from the vertices they share.
Contact contact(const CoverageTopology& t, const Segment& a, const Segment& b, double touch2, double near2)
{
    if ((a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from)) return Contact::Touch; // the same edge, not twins
    const auto point = [&](std::uint32_t v) { return std::array<double, 2>{t.x(v), t.y(v)}; };
    const auto dist2 = [](const std::array<double, 2>& p, const std::array<double, 2>& s0, const std::array<double, 2>& s1) {
        return squared_distance_to_segment(p[0], p[1], s0[0], s0[1], s1[0], s1[1]);
    };
    const std::array<double, 2> p0 = point(a.from), p1 = point(a.to), q0 = point(b.from), q1 = point(b.to);
    double d2 = 0.0;
    if (a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to) {
        // One shared vertex: only the other ends count (a fold along the other segment).
        const bool a_from_shared = a.from == b.from || a.from == b.to;
        const bool b_from_shared = b.from == a.from || b.from == a.to;
        d2 = std::min(dist2(a_from_shared ? p1 : p0, q0, q1), dist2(b_from_shared ? q1 : q0, p0, p1));
    } else {
        if (cross_properly(p0.data(), p1.data(), q0.data(), q1.data())) return Contact::Touch;
        d2 = std::min({dist2(p0, q0, q1), dist2(p1, q0, q1), dist2(q0, p0, p1), dist2(q1, p0, p1)});
    }
    if (d2 <= touch2) return Contact::Touch;
    if (d2 <= near2) return Contact::Near;
    return Contact::None;
}

// The commune pairs (sorted, unique) whose segments touch or run near, and the touching segment
// pairs, from the segments that share grid cells with a free segment.
struct Contacts {
    std::vector<std::pair<CommuneIndex, CommuneIndex>> touch, near;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> touching_segments;
};

Contacts contacts_in_cells(const CoverageTopology& t, const std::vector<CellEntry>& entries, const TopologyOptions& options, unsigned threads)
{
    const std::span<const Segment> segments = t.segments();
    const double tol = std::max(options.near_tolerance, options.touch_tolerance);
    const double touch2 = options.touch_tolerance * options.touch_tolerance, near2 = options.near_tolerance * options.near_tolerance;
    // Pairs tested cell by cell, the cells split between threads at cell boundaries.
    std::vector<Contacts> parts(threads);
    std::vector<std::size_t> bounds(threads + 1, entries.size());
    bounds[0] = 0;
    for (unsigned th = 1; th < threads; ++th) {
        std::size_t b = entries.size() * th / threads;
        while (b > 0 && b < entries.size() && entries[b].cell == entries[b - 1].cell) ++b;
        bounds[th] = std::max(b, bounds[th - 1]);
    }
    run_on_threads(threads, [&](unsigned th) {
        Contacts& out = parts[th];
        for (std::size_t lo = bounds[th]; lo < bounds[th + 1];) {
            std::size_t hi = lo;
            while (hi < bounds[th + 1] && entries[hi].cell == entries[lo].cell) ++hi;
            for (std::size_t i = lo; i < hi; ++i) {
                if (!entries[i].free) continue;
                const Segment& a = segments[entries[i].segment];
                const double ax0 = std::min(t.x(a.from), t.x(a.to)) - tol, ax1 = std::max(t.x(a.from), t.x(a.to)) + tol;
                const double ay0 = std::min(t.y(a.from), t.y(a.to)) - tol, ay1 = std::max(t.y(a.from), t.y(a.to)) + tol;
                for (std::size_t j = lo; j < hi; ++j) {
                    if (j == i || (entries[j].free && j < i)) continue;
                    const Segment& b = segments[entries[j].segment];
                    if (b.commune == a.commune) continue;
                    if (std::max(t.x(b.from), t.x(b.to)) < ax0 || std::min(t.x(b.from), t.x(b.to)) > ax1 || std::max(t.y(b.from), t.y(b.to)) < ay0 ||
                        std::min(t.y(b.from), t.y(b.to)) > ay1)
                        continue;
                    const Contact k = contact(t, a, b, touch2, near2);
                    if (k == Contact::None) continue;
                    const auto pair = std::minmax(a.commune, b.commune);
                    (k == Contact::Touch ? out.touch : out.near).emplace_back(pair.first, pair.second);
                    if (k == Contact::Touch) out.touching_segments.emplace_back(entries[i].segment, entries[j].segment);
                }
            }
            lo = hi;
        }
    });
    Contacts all;
    for (const Contacts& p : parts) {
        all.touch.insert(all.touch.end(), p.touch.begin(), p.touch.end());
        all.near.insert(all.near.end(), p.near.begin(), p.near.end());
        all.touching_segments.insert(all.touching_segments.end(), p.touching_segments.begin(), p.touching_segments.end());
    }
    for (auto* v : {&all.touch, &all.near}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    return all;
}

} // namespace

void CoverageTopology::find_mismatches(const TopologyOptions& options)
{
    const FreeSegments free = free_segments_and_extent(*this, threads_);
    free_segments_ = free.ids.size();
    mismatch_first_.assign(communes() + 1, 0);
    if (free.ids.empty()) return;
    const double tol = std::max(options.near_tolerance, options.touch_tolerance);
    const std::optional<SegmentGrid> grid = SegmentGrid::over(free, tol);
    if (!grid) {
        // Coordinates no grid can hold (not numbers, or absurdly far apart): no exact dissolve
        // anywhere, every set goes to GEOS.
        std::fill(suspect_.begin(), suspect_.end(), std::uint8_t(1));
        return;
    }
    const std::vector<CellEntry> entries = entries_in_marked_cells(*this, *grid, free.ids, tol, threads_);
    Contacts found = contacts_in_cells(*this, entries, options, threads_);

    // A touching pair is also near.
    std::vector<std::pair<CommuneIndex, CommuneIndex>> all_near;
    std::set_union(found.near.begin(), found.near.end(), found.touch.begin(), found.touch.end(), std::back_inserter(all_near));
    mismatched_ = std::move(found.touch);
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

    // The touching segment pairs, each way, by commune (a pair is met in every grid cell it shares).
    for (const auto& [a, b] : found.touching_segments) {
        contacts_.emplace_back(a, b);
        contacts_.emplace_back(b, a);
    }
    std::sort(contacts_.begin(), contacts_.end(), [&](const auto& p, const auto& q) {
        const CommuneIndex cp = segments_[p.first].commune, cq = segments_[q.first].commune;
        return cp != cq ? cp < cq : p < q;
    });
    contacts_.erase(std::unique(contacts_.begin(), contacts_.end()), contacts_.end());
    contact_first_.assign(communes() + 1, 0);
    for (const auto& p : contacts_) ++contact_first_[segments_[p.first].commune + 1];
    for (std::size_t c = 0; c < communes(); ++c) contact_first_[c + 1] += contact_first_[c];
}

std::span<const std::pair<std::uint32_t, std::uint32_t>> CoverageTopology::contacts(CommuneIndex c) const
{
    if (contact_first_.size() <= std::size_t(c) + 1) return {};
    return {contacts_.data() + contact_first_[c], contact_first_[c + 1] - contact_first_[c]};
}

bool CoverageTopology::commune_rings(CommuneIndex c, VertexRings& out) const
{
    out.polygons.clear();
    if (c >= communes() || suspect(c)) return false;
    std::vector<std::vector<std::uint32_t>> shells, holes;
    for (std::uint32_t s0 = begin(c); s0 < end(c);) {
        // A ring runs until it comes back to its first vertex (valid rings do not touch themselves).
        std::vector<std::uint32_t> ids{segments_[s0].from};
        std::uint32_t s = s0;
        while (true) {
            const Segment& g = segments_[s];
            ids.push_back(g.to);
            ++s;
            if (g.to == segments_[s0].from) break;
            if (s >= end(c)) return false;
        }
        const double area = ring_signed_area(
            ids.size(), [&](std::size_t i) { return x(ids[i]); }, [&](std::size_t i) { return y(ids[i]); });
        (area > 0 ? shells : holes).push_back(std::move(ids));
        s0 = s;
    }
    if (shells.empty() || (shells.size() > 1 && !holes.empty())) return false;
    if (shells.size() == 1) {
        out.polygons.emplace_back(std::move(shells));
        for (auto& h : holes) out.polygons[0].push_back(std::move(h));
    } else {
        for (auto& sh : shells) out.polygons.push_back({std::move(sh)});
    }
    return true;
}

std::span<const CommuneIndex> CoverageTopology::mismatched_with(CommuneIndex c) const
{
    if (mismatch_first_.size() <= std::size_t(c) + 1) return {};
    return {mismatch_with_.data() + mismatch_first_[c], mismatch_first_[c + 1] - mismatch_first_[c]};
}

} // namespace cptsmap
