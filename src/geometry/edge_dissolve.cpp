#include "cptsmap/geometry/edge_dissolve.hpp"

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

// The edge dissolve's entry points; its parts are ring_tracing.cpp, local_noding.cpp and
// full_noding.cpp.
namespace cptsmap {

using namespace detail;

EdgeDissolved edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer, const CommuneSet& communes)
{
    EdgeDissolved out;
    const auto refuse = [&](std::string why) {
        out.refusal = std::move(why);
        return std::move(out);
    };
    const auto member = [&](CommuneIndex c) { return std::binary_search(communes.begin(), communes.end(), c); };
    for (CommuneIndex c : communes) {
        if (topology.suspect(c)) return refuse("commune " + layer[c].insee + " has rings the edge topology cannot use");
        for (CommuneIndex o : topology.mismatched_with(c))
            if (o > c && member(o)) return refuse("the borders of communes " + layer[c].insee + " and " + layer[o].insee + " cross or touch");
    }
    try {
        return polygons_of_boundary(geos, topology, communes);
    } catch (const RingTracingError& e) {
        return refuse(e.what());
    }
}

EdgeDissolved noded_edge_dissolve(const GeosContext& geos, const CoverageTopology& topology, const CommuneLayer& layer,
                                  const CommuneSet& communes, bool local_first)
{
    EdgeDissolved out;
    for (CommuneIndex c : communes)
        if (topology.suspect(c)) {
            out.refusal = "commune " + layer[c].insee + " has rings the edge topology cannot use";
            return out;
        }
    const auto edges = boundary_edges(topology, communes);
    if (edges.empty()) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    if (local_first) {
        try {
            EdgeDissolved local = locally_noded(geos, topology, communes, edges);
            if (local.geometry) return local;
        } catch (const GeometryError&) {
            // the whole boundary noded below
        }
    }
    EdgeDissolved whole = fully_noded(geos, topology, edges);
    whole.whole_boundary_noded = true;
    return whole;
}

std::shared_ptr<const VertexRings> vertex_rings_of(const GeosContext& geos, const CoverageTopology& topology, const CommuneSet& communes,
                                                   const GEOSGeometry* geometry)
{
    if (geometry == nullptr || GEOSisEmpty_r(geos, geometry) == 1) return nullptr;
    const int type = GEOSGeomTypeId_r(geos, geometry);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) return nullptr;
    // The points of the result lie on the set's boundary: the vertices of its uncancelled edges.
    std::unordered_map<std::pair<double, double>, std::uint32_t, PointHash> ids;
    const auto edges = boundary_edges(topology, communes);
    ids.reserve(edges.size());
    for (const auto& e : edges) ids.emplace(std::make_pair(topology.x(e.from), topology.y(e.from)), e.from);
    auto out = std::make_shared<VertexRings>();
    std::vector<double> xy;
    const auto ring_ids = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0) return std::vector<std::uint32_t>{};
        xy.resize(2 * std::size_t(n));
        if (n > 0) GEOSCoordSeq_copyToBuffer_r(geos, seq, xy.data(), 0, 0);
        std::vector<std::uint32_t> ring_ids(n);
        for (unsigned i = 0; i < n; ++i) {
            const auto found = ids.find({xy[2 * i], xy[2 * i + 1]});
            if (found != ids.end()) {
                ring_ids[i] = found->second;
            } else if (i + 1 == n && n > 1) {
                ring_ids[i] = ring_ids[0]; // the closing point
            } else {
                ring_ids[i] = VertexRings::kExtra + static_cast<std::uint32_t>(out->extra_xy.size() / 2);
                out->extra_xy.push_back(xy[2 * i]);
                out->extra_xy.push_back(xy[2 * i + 1]);
            }
        }
        return ring_ids;
    };
    const int parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(geos, geometry);
    for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* polygon = type == GEOS_POLYGON ? geometry : GEOSGetGeometryN_r(geos, geometry, p);
        if (GEOSisEmpty_r(geos, polygon) == 1) continue;
        std::vector<std::vector<std::uint32_t>> rings{ring_ids(GEOSGetExteriorRing_r(geos, polygon))};
        for (int h = 0; h < GEOSGetNumInteriorRings_r(geos, polygon); ++h) rings.push_back(ring_ids(GEOSGetInteriorRingN_r(geos, polygon, h)));
        out->polygons.push_back(std::move(rings));
    }
    return out;
}

} // namespace cptsmap
