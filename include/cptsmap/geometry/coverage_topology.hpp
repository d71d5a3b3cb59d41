#pragma once
// The shared-edge topology of a commune layer, built once: every distinct vertex once, every ring
// of every commune as a run of directed segments (shells counter-clockwise, holes clockwise), and
// each segment paired with its twin — the same edge walked the other way by the neighbouring
// commune. On it, dissolving a set of communes is linear: the segments whose twin is also in the
// set cancel, the others are the boundary (see edge_dissolve.hpp). This is the arc topology of
// mapshaper and the edge cancellation of GEOS CoverageUnion, computed once for the whole layer
// instead of once per territory.
//
// It also finds where the layer is not a clean coverage, so that the exact method is only used
// where it is valid: a segment without a twin is either on the outer edge of the layer (coast,
// border) or where neighbouring borders do not match. Segments without a twin are tested against
// every segment around them (a uniform grid): those that cross or touch a segment of another
// commune, away from a vertex they share, mark the two communes as `mismatched`; those that merely
// run within `near_tolerance` (side by side) mark them as `near` (neighbours across a gap).
//
// Written by hand, not with GEOS: GEOS 3.11's C API has no coverage validator (3.12 has one) and
// no access to its edge graph; a hash of vertices, a CSR adjacency and a grid keep it linear.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace cptsmap {

namespace detail {
class VertexTable;

// An array that is never value-initialised: of a generous upper bound, only the pages written are
// ever touched (a national layer's topology would otherwise fault in tens of megabytes twice).
template <typename T>
class RawArray {
public:
    void allocate(std::size_t capacity)
    {
        data_ = std::make_unique_for_overwrite<T[]>(capacity);
        size_ = 0;
    }
    T* data() noexcept { return data_.get(); }
    const T* data() const noexcept { return data_.get(); }
    std::size_t size() const noexcept { return size_; }
    void set_size(std::size_t n) noexcept { size_ = n; }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    T* begin() noexcept { return data_.get(); }
    T* end() noexcept { return data_.get() + size_; }
    const T* begin() const noexcept { return data_.get(); }
    const T* end() const noexcept { return data_.get() + size_; }

private:
    std::unique_ptr<T[]> data_;
    std::size_t size_ = 0;
};
struct VertexBlock {
    std::uint32_t next = 0, end = 0; // a thread's current run of vertex ids
};
} // namespace detail

// Polygons as vertex ids of a CoverageTopology: polygons → rings (exterior first, then holes) →
// closed lists of ids (the first repeated last); exteriors counter-clockwise, holes clockwise.
struct VertexRings {
    std::vector<std::vector<std::vector<std::uint32_t>>> polygons;
    // Points that are not vertices of the topology (where a noded union met crossing borders):
    // id kExtra + k stands for extra_xy[2k], extra_xy[2k + 1].
    static constexpr std::uint32_t kExtra = 0x80000000U;
    std::vector<double> extra_xy;
};

struct TopologyOptions {
    // Segments of two communes closer than this, other than at a vertex they share, touch: the
    // exact dissolve of a set holding both would be invalid. DEFAULT: 1 mm (working CRS units).
    double touch_tolerance = 0.001;
    // Segments closer than this run side by side: the communes are neighbours across a gap.
    // DEFAULT: 0.5 m, as SheetOptions::border_tolerance_m.
    double near_tolerance = 0.5;
    unsigned threads = 0; // DEFAULT: one per hardware core
    // Look for borders that cross, touch or run side by side. DEFAULT: true; false for polygons
    // known to form a noded coverage (faces of a polygonization).
    bool find_contacts = true;
};

class CoverageTopology {
public:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

    // A commune's boundary as the topology reads it: its coordinate arrays, or a GEOS (Multi)Polygon.
    struct Source {
        const PolygonArrays* arrays = nullptr;
        const GEOSGeometry* geometry = nullptr;
    };

    struct Segment {
        std::uint32_t from, to; // vertex ids
        std::uint32_t twin;     // the same edge in the other direction, in another commune; none
        std::uint32_t commune;
    };

    CoverageTopology() = default;
    CoverageTopology(const GeosContext& geos, const CommuneLayer& layer, const TopologyOptions& options = {});
    // The same over any list of (Multi)Polygons, "communes" 0 .. n-1 in that order.
    CoverageTopology(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, const TopologyOptions& options);
    // The same over boundaries held as the layer holds them (coordinate arrays, or GEOS).
    CoverageTopology(const GeosContext& geos, const std::vector<CommuneGeometry>& polygons, const TopologyOptions& options);

    std::size_t communes() const noexcept { return first_.empty() ? 0 : first_.size() - 1; }
    std::span<const Segment> segments() const noexcept { return {segments_.data(), segments_.size()}; }
    // Segments of commune c: [begin(c), end(c)), ring after ring.
    std::uint32_t begin(CommuneIndex c) const { return first_[c]; }
    std::uint32_t end(CommuneIndex c) const { return first_[c + 1]; }
    double x(std::uint32_t v) const { return xy_[2 * std::size_t(v)]; }
    double y(std::uint32_t v) const { return xy_[2 * std::size_t(v) + 1]; }
    std::size_t vertex_count() const noexcept { return xy_.size() / 2; }
    double length(const Segment& s) const;

    // A commune whose rings cannot enter the topology as they are: an edge walked twice in the same
    // direction, by three communes, or back and forth by the same commune, or a ring of fewer
    // than three vertices. The exact dissolve is not used for a set holding it.
    bool suspect(CommuneIndex c) const { return suspect_[c] != 0; }
    // Pairs (a < b) of communes whose borders cross or touch away from shared vertices.
    const std::vector<std::pair<CommuneIndex, CommuneIndex>>& mismatched() const noexcept { return mismatched_; }
    // Pairs (a < b) of communes with segments within near_tolerance, shared vertices apart.
    const std::vector<std::pair<CommuneIndex, CommuneIndex>>& near() const noexcept { return near_; }
    // Commune c's polygons as vertex ids (exteriors counter-clockwise, holes clockwise), when the
    // topology holds them unambiguously: false for a suspect commune, or one with several outer
    // rings and holes (which hole goes where is left to GEOS).
    bool commune_rings(CommuneIndex c, VertexRings& out) const;
    // The communes mismatched with c, sorted.
    std::span<const CommuneIndex> mismatched_with(CommuneIndex c) const;
    // Where commune c's borders cross or touch another commune's: pairs (segment of c, segment of
    // the other), sorted; the places a noded union of a set holding both has to node.
    std::span<const std::pair<std::uint32_t, std::uint32_t>> contacts(CommuneIndex c) const;

    std::size_t free_segments() const noexcept { return free_segments_; } // segments without a twin

private:
    detail::RawArray<double> xy_;
    detail::RawArray<Segment> segments_;
    std::vector<std::uint32_t> first_;
    std::vector<std::uint8_t> suspect_;
    std::vector<std::pair<CommuneIndex, CommuneIndex>> mismatched_, near_;
    std::vector<std::uint32_t> mismatch_first_; // CSR over both directions of mismatched_
    std::vector<CommuneIndex> mismatch_with_;
    std::vector<std::uint32_t> contact_first_; // CSR by commune over both directions of the touching segment pairs
    std::vector<std::pair<std::uint32_t, std::uint32_t>> contacts_;
    std::size_t free_segments_ = 0;
    unsigned threads_ = 1;

    void build(const std::vector<Source>& sources, const TopologyOptions& options);
    void add_geometry(const GeosContext& geos, CommuneIndex c, const GEOSGeometry* g, detail::VertexTable& vertices,
                      detail::VertexBlock& block, std::vector<double>& buffer, std::vector<std::uint32_t>& ids, Segment*& out);
    // One closed ring of n points x, y, x, y...
    void add_ring(CommuneIndex c, const double* xy, std::size_t n, bool shell, detail::VertexTable& vertices, detail::VertexBlock& block,
                  std::vector<std::uint32_t>& ids, Segment*& out);
    void match_twins();
    void find_mismatches(const TopologyOptions& options);
};

} // namespace cptsmap
