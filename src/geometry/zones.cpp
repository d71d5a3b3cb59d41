#include "cptsmap/geometry/zones.hpp"

#include "cptsmap/geometry/edge_dissolve.hpp"

#include <algorithm>

namespace cptsmap {

std::string first_code(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::string best;
    for (CommuneIndex i : communes)
        if (best.empty() || layer[i].insee < best) best = layer[i].insee;
    return best;
}

ZoneSplit split_into_zones(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes, const DissolveOptions& options)
{
    ZoneSplit out;
    if (communes.empty()) return out;
    Dissolved d = dissolve(geos, layer, communes, options);
    out.method = d.method;
    out.reason = d.reason;

    std::vector<GeomPtr> polygons;
    if (GEOSGeomTypeId_r(geos, d.geometry.get()) == GEOS_POLYGON) {
        if (GEOSisEmpty_r(geos, d.geometry.get()) != 1) polygons.push_back(std::move(d.geometry));
    } else {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, d.geometry.get()); ++i)
            polygons.push_back(geos.clone(GEOSGetGeometryN_r(geos, d.geometry.get(), i)));
    }
    std::vector<PreparedPtr> prepared; // to place the communes when there are several zones
    if (polygons.size() > 1)
        for (const auto& p : polygons) prepared.push_back(geos.prepare(p.get()));

    std::vector<CommuneSet> members(polygons.size());
    CommuneSet without_geometry;
    for (CommuneIndex i : communes) {
        if (polygons.size() == 1 && !layer[i].geometry.empty()) {
            members[0].push_back(i); // one zone: every commune with a geometry is in it
            continue;
        }
        const GEOSGeometry* g = layer[i].geometry.get();
        if (GEOSisEmpty_r(geos, g) == 1) {
            without_geometry.push_back(i);
            continue;
        }
        // Each polygon of the commune lies inside exactly one zone: find it by a point on its surface.
        // A commune in several parts (a detached piece) belongs to every zone it has land in.
        bool placed = false;
        const int type = GEOSGeomTypeId_r(geos, g);
        const int n_parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(geos, g);
        for (int p = 0; p < n_parts; ++p) {
            const GEOSGeometry* part = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(geos, g, p);
            if (GEOSisEmpty_r(geos, part) == 1) continue;
            GeomPtr point = geos.own(GEOSPointOnSurface_r(geos, part), "point on surface of commune " + layer[i].insee);
            for (std::size_t k = 0; k < polygons.size(); ++k) {
                if (GEOSPreparedIntersects_r(geos, prepared[k].get(), point.get()) == 1) {
                    if (members[k].empty() || members[k].back() != i) members[k].push_back(i);
                    placed = true;
                    break;
                }
            }
        }
        if (!placed) without_geometry.push_back(i);
    }
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        if (members[k].empty()) continue; // a part made of nothing we can name: cannot happen for a union of communes
        Zone z;
        GEOSArea_r(geos, polygons[k].get(), &z.area_m2);
        z.geometry = std::move(polygons[k]);
        z.communes = std::move(members[k]);
        // (One zone: the dissolve's vertex rings are the zone's.)
        if (options.topology != nullptr)
            z.rings = polygons.size() == 1 && d.rings ? d.rings : vertex_rings_of(geos, *options.topology, z.communes, z.geometry.get());
        out.zones.push_back(std::move(z));
    }
    if (!without_geometry.empty()) {
        Zone z;
        z.geometry = geos.empty_polygon();
        z.communes = without_geometry;
        out.zones.push_back(std::move(z));
    }
    std::sort(out.zones.begin(), out.zones.end(),
              [&](const Zone& a, const Zone& b) { return first_code(layer, a.communes) < first_code(layer, b.communes); });
    return out;
}

} // namespace cptsmap
