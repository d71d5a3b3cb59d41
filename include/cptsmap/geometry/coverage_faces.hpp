#pragma once
// The faces of a polygonal coverage: the planar arrangement of all its borders, and for each face
// the polygons that cover it. This is the arc topology mapshaper repairs a coverage on (its
// `-clean`), built on the layer's shared-edge topology (coverage_topology.hpp):
//
//  - Borders are noded where the topology found them crossing or touching (its contacts, within
//    its touch tolerance): two segments that cross get one shared node at the crossing, and a
//    vertex within the tolerance of another polygon's segment becomes a node of that segment (a
//    T-junction is snapped, as mapshaper snaps by a tiny interval). Every other segment is taken
//    as it is, once for both polygons that share it. No vertex moves, no point is rounded.
//  - The edges are then a planar graph; its faces are traced (each face on the left of its
//    half-edges). A face is bounded by one outer cycle and by the outer cycles of the pieces of
//    the graph that lie inside it (an island in a gap, a commune within another).
//  - Which polygons cover each face is found by walking from the unbounded face across the edges:
//    crossing a polygon's border from its outside to its inside adds it, the other way removes it;
//    each face reached is set right by its own boundary (the polygons whose interior lies on its
//    side of an edge cover it), so that a flaw of the noding does not spread. A face covered by one
//    polygon is that polygon's; by none, a hole of the union (a gap or the outside); by two or
//    more, an overlap.
//
// Handing every face to one polygon (or none) and tracing the polygons back from the faces gives
// a coverage whose neighbours share every vertex and edge along their borders: what `cptsmap
// clean` does (clean/coverage_clean.hpp). Written by hand, not with GEOS: GEOS 3.11's C API
// polygonizes linework but says nothing of which input covers which face, nor keeps the vertices
// shared with the rest of the topology.
#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace cptsmap {

class CoverageFaces {
public:
    using FaceIndex = std::uint32_t;
    static constexpr FaceIndex outside = CoverageTopology::none; // the unbounded face
    static constexpr CommuneIndex nobody = CoverageTopology::none;

    // One face along another's boundary, and the length of boundary they share.
    struct Border {
        FaceIndex face;
        double length;
    };

    // `touch_tolerance`: a vertex this close to another polygon's segment is snapped onto it (the
    // tolerance the topology found its contacts with: TopologyOptions::touch_tolerance).
    CoverageFaces(const CoverageTopology& topology, double touch_tolerance);

    std::size_t size() const noexcept { return faces_.size(); } // bounded faces, 0 .. size() - 1
    // The polygons covering face f, ascending (a polygon listed once however often its rings pass).
    std::span<const CommuneIndex> owners(FaceIndex f) const { return faces_[f].owners; }
    double area(FaceIndex f) const { return faces_[f].area; }
    // The faces along the boundary of f (outside for the unbounded face), each once, with the
    // length of boundary f shares with it.
    std::vector<Border> borders(FaceIndex f) const;
    // Face f as a GEOS Polygon (its holes: what lies inside it that is not it); made valid should
    // its outer cycle touch itself.
    GeomPtr polygon(const GeosContext& geos, FaceIndex f) const;

    // The polygon of each of `communes` polygons when face f is given to owner_of[f] (nobody: to
    // none): the boundary between faces of different owners, chained into rings. Null for a
    // polygon given no face.
    std::vector<GeomPtr> polygons(const GeosContext& geos, const std::vector<CommuneIndex>& owner_of, std::size_t communes) const;

    // Polygons whose segments were cut at a node (a crossing, or a vertex of a neighbour snapped
    // onto them): their borders change by the nodes even where no face changes hands.
    bool noded(CommuneIndex c) const { return c < noded_.size() && noded_[c] != 0; }
    std::size_t nodes_added() const noexcept { return nodes_; } // nodes that are not vertices of the input
    // Edges across which the polygons covering the faces on either side do not change by the
    // polygons whose border it is (a flaw of the noding, or a polygon inside another that touches
    // it). 0 on a consistent arrangement.
    std::size_t conflicts() const noexcept { return conflicts_; }

private:
    struct Face {
        std::uint32_t shell = 0;           // its outer cycle
        std::vector<std::uint32_t> holes;  // outer cycles of the pieces inside it
        std::vector<CommuneIndex> owners;
        double area = 0.0;
    };
    struct Edge {
        std::uint32_t from, to; // vertex ids: the topology's, or VertexRings::kExtra + k
    };
    struct Label {
        CommuneIndex commune;
        std::int8_t side; // +1: its interior on the left of the edge from → to; -1: on the right
    };
    struct Cut { // where a segment is cut: a node, by its vertex id and coordinates
        std::uint32_t v;
        double x, y;
    };

    const CoverageTopology& topology_;
    double tolerance_;
    std::vector<double> extra_xy_;
    std::vector<Edge> edges_;
    std::vector<std::uint32_t> label_first_; // CSR: the labels of edge e
    std::vector<Label> labels_;
    // Half-edge h = 2e (from → to) or 2e + 1 (to → from): the next one around the face on its left,
    // its cycle, and per cycle its first half-edge, signed area and the face on its left.
    std::vector<std::uint32_t> next_, cycle_of_;
    std::vector<std::uint32_t> cycle_first_;
    std::vector<double> cycle_area_;
    std::vector<FaceIndex> cycle_face_;
    std::vector<std::uint32_t> cycle_piece_; // the connected piece of the graph it bounds
    std::vector<Face> faces_;
    std::vector<std::uint8_t> noded_;
    std::size_t conflicts_ = 0;
    std::size_t nodes_ = 0;

    // Vertex v's place in arrays over all vertices: the topology's, then the nodes added.
    std::uint32_t slot(std::uint32_t v) const;
    double x(std::uint32_t v) const;
    double y(std::uint32_t v) const;
    std::uint32_t head(std::uint32_t h) const { return (h & 1U) != 0 ? edges_[h >> 1].from : edges_[h >> 1].to; }
    std::uint32_t tail(std::uint32_t h) const { return (h & 1U) != 0 ? edges_[h >> 1].to : edges_[h >> 1].from; }
    FaceIndex face_of(std::uint32_t h) const { return cycle_face_[cycle_of_[h]]; }
    std::vector<double> cycle_xy(std::uint32_t cycle) const;

    std::unordered_map<std::uint64_t, std::vector<Cut>> cuts_at_contacts();
    void node_and_label();
    void trace_cycles();
    void make_faces();
    void find_owners();
};

} // namespace cptsmap
