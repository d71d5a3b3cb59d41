#include "edge_dissolve_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <span>
#include <unordered_map>

namespace cptsmap::detail {

// The noded union of the whole boundary (see noded_edge_dissolve), for sets the local noding
// refuses.
EdgeDissolved fully_noded(const GeosContext& geos, const CoverageTopology& topology, const std::vector<BoundaryEdge>& edges)
{
    EdgeDissolved out;
    // The boundary linework, noded where the borders of the set's communes cross or touch...
    std::vector<GeomPtr> lines;
    std::vector<double> xy;
    for (const auto& loop : trace_loops(BoundaryPoints{topology}, edges)) {
        xy.clear();
        for (std::uint32_t v : loop) {
            xy.push_back(topology.x(v));
            xy.push_back(topology.y(v));
        }
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(geos, xy.data(), static_cast<unsigned>(loop.size()), 0, 0);
        if (seq == nullptr) throw GeosError("cannot build a boundary line: " + geos.last_error());
        lines.push_back(geos.own(GEOSGeom_createLineString_r(geos, seq), "boundary line"));
    }
    GeomPtr linework = geos.collect(GEOS_MULTILINESTRING, std::move(lines));
    GeomPtr noded = geos.own(GEOSNode_r(geos, linework.get()), "noding of the boundary");
    const GEOSGeometry* input[] = {noded.get()};
    GeomPtr faces = geos.own(GEOSPolygonize_r(geos, input, 1), "polygonize of the boundary");
    // ... and of its faces those inside at least one commune: the winding number of a point about
    // the directed boundary counts the communes of the set around it (twin edges cancel out).
    // Edges are filed in horizontal bands by their y-range, so a point meets only its band's.
    std::vector<std::array<double, 4>> segments(edges.size());
    for (std::size_t k = 0; k < edges.size(); ++k)
        segments[k] = {topology.x(edges[k].from), topology.y(edges[k].from), topology.x(edges[k].to), topology.y(edges[k].to)};
    const Bands rows(segments, true);
    std::vector<const GEOSGeometry*> kept;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, faces.get()); ++i) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(geos, faces.get(), i);
        GeomPtr point = geos.own(GEOSPointOnSurface_r(geos, face), "point in a face");
        double px = 0, py = 0;
        if (GEOSGeomGetX_r(geos, point.get(), &px) != 1 || GEOSGeomGetY_r(geos, point.get(), &py) != 1) continue;
        int winding = 0;
        for (std::uint32_t k : rows.at(py)) {
            const auto [ax, ay, bx, by] = segments[k];
            const double left = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
            if (ay <= py && by > py && left > 0) ++winding;
            else if (by <= py && ay > py && left < 0) --winding;
        }
        if (winding > 0) kept.push_back(face);
    }
    if (kept.empty()) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    // The faces are a noded coverage: merged by cancelling their shared edges, as the communes'.
    TopologyOptions face_options;
    face_options.threads = 1;
    face_options.find_contacts = false;
    const CoverageTopology face_topology(geos, kept, face_options);
    CommuneSet all(kept.size());
    bool clean = true;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        all[i] = static_cast<CommuneIndex>(i);
        clean = clean && !face_topology.suspect(static_cast<CommuneIndex>(i));
    }
    if (clean) {
        EdgeDissolved merged = polygons_of_boundary(geos, face_topology, all);
        merged.rings.reset(); // ids of the faces' topology, not of the layer's
        if (merged.geometry) return merged;
    }
    std::vector<GeomPtr> copies;
    for (const GEOSGeometry* f : kept) copies.push_back(geos.clone(f));
    GeomPtr collection = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(copies));
    GEOSGeometry* u = GEOSCoverageUnion_r(geos, collection.get());
    if (u == nullptr) {
        out.refusal = "the union of the noded faces failed: " + geos.last_error();
        return out;
    }
    out.geometry = geos.own_nothrow(u);
    GEOSArea_r(geos, out.geometry.get(), &out.area_m2);
    return out;
}

} // namespace cptsmap::detail
