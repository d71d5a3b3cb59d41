#pragma once
// The exact dissolve of a set of communes on the layer's shared-edge topology: the segments whose
// twin belongs to the set cancel; the others are chained into rings (at a vertex where the
// boundary touches itself, the next segment is the first one clockwise from the way back, so that
// rings stay simple), counter-clockwise rings are shells, clockwise ones holes, each hole goes to
// the smallest shell around it. Linear in the number of segments of the set, plus a sort of its
// boundary.
//
// It refuses — and says why — a set it cannot dissolve exactly: a suspect commune, two communes of
// the set whose borders cross or touch (CoverageTopology::mismatched), a ring that does not close,
// a hole outside every shell or a shell inside another. The caller then uses a noded union.
#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <memory>
#include <string>

namespace cptsmap {

// The boundary of a set does not chain into closed rings (a vertex with no way on). edge_dissolve
// turns it into a refusal; the noded unions let it through to their caller's fallback.
class RingTracingError : public GeometryError {
public:
    using GeometryError::GeometryError;
};

struct EdgeDissolved {
    GeomPtr geometry;     // Polygon or MultiPolygon; null when refused
    // The same polygons as vertex ids of the topology (set by edge_dissolve), for writers that
    // reproject each vertex once.
    std::shared_ptr<const VertexRings> rings;
    std::string refusal;  // why it was refused ("" when not)
    double area_m2 = 0.0; // sum of the rings' signed areas (= the communes' areas)
    int parts = 0;
    // noded_edge_dissolve: the local noding refused and the whole boundary was noded.
    bool whole_boundary_noded = false;
};

EdgeDissolved edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer,
                            const CommuneSet& communes);

// The union of a set whose borders cross or touch. First noded where they do only: the boundary
// segments (those left after cancelling twins) at a contact between two communes of the set are
// noded with GEOS, and the segments with nothing of the set on their right — the winding number
// about the directed boundary is zero there, one ray per run of segments between vertices where
// more segments meet — are chained into rings as by edge_dissolve; the
// rings hold the nodes as extra points. Where that cannot account for every piece, the whole
// boundary is noded (GEOSNode) and polygonized, and the faces inside a commune of the set merged.
// Refuses suspect communes; throws GeometryError (GeosError, RingTracingError) when GEOS fails or
// the rings do not close, for the caller to fall back.
// `local_first` false: the whole boundary noded straight away (tests compare the two).
EdgeDissolved noded_edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer,
                                  const CommuneSet& communes, bool local_first = true);

// A dissolved set's GEOS geometry (from a noded union, say) as vertex ids of the topology: each
// point that is a vertex of one of the set's communes by its id, any other (a node made where
// borders cross) as an extra point; null for anything but a (Multi)Polygon. Writers then
// reproject the set's vertices once, shared with the other territories.
std::shared_ptr<const VertexRings> vertex_rings_of(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                                                   const GEOSGeometry* geometry);

} // namespace cptsmap
