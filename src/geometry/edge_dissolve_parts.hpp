#pragma once
// Inside the edge dissolve (geometry/edge_dissolve.hpp), shared by its three parts: the boundary
// of a set on the topology and its rings traced (ring_tracing.cpp), the noding where borders cross
// (local_noding.cpp) and of the whole boundary (full_noding.cpp). Not installed: src/ only.
#include "cptsmap/geometry/edge_dissolve.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace cptsmap::detail {

using Segment = CoverageTopology::Segment;

struct Ring {
    std::vector<std::uint32_t> ids; // vertex ids, closed like xy
    std::vector<double> xy; // closed: the first point repeated at the end
    double area = 0.0;      // signed: > 0 shell, < 0 hole
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::vector<std::size_t> holes; // for shells
};

// Hash of a point's coordinates, for tables of points.
struct PointHash {
    std::size_t operator()(const std::pair<double, double>& p) const noexcept
    {
        return std::hash<double>()(p.first) * 0x9E3779B97F4A7C15ULL ^ std::hash<double>()(p.second);
    }
};

// Crossing number of a point against a closed ring.
bool inside(const Ring& r, double px, double py);

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

// The set's segments whose twin is not in the set, in segment order (key: the segment).
std::vector<BoundaryEdge> boundary_edges(const CoverageTopology& topology, const CommuneSet& communes);

// Chains boundary edges into closed loops of vertex ids (first id repeated last), each simple.
// `edges` in key order (as boundary_edges gives them); they must not cross.
std::vector<std::vector<std::uint32_t>> trace_loops(const BoundaryPoints& points, const std::vector<BoundaryEdge>& edges);

// The polygons bounded by a set's boundary edges (which do not cross): rings chained, classified,
// nested.
EdgeDissolved polygons_from_edges(const GeosContext& geos, const BoundaryPoints& points, const std::vector<BoundaryEdge>& edges);

// The polygons of a set's boundary on the topology (boundary_edges, then polygons_from_edges).
EdgeDissolved polygons_of_boundary(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes);

// The union of a set whose borders cross or touch, noded where they do only (local_noding.cpp);
// the whole boundary noded and polygonized (full_noding.cpp). See noded_edge_dissolve.
EdgeDissolved locally_noded(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                            const std::vector<BoundaryEdge>& edges);
EdgeDissolved fully_noded(const GeosContext& geos, const CoverageTopology& topology, const std::vector<BoundaryEdge>& edges);

} // namespace cptsmap::detail
