#include "cptsmap/geometry/zones.hpp"

#include <algorithm>

namespace cptsmap {

std::string first_code(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::string best;
    for (CommuneIndex i : communes)
        if (best.empty() || layer[i].insee < best) best = layer[i].insee;
    return best;
}

ZoneSplit split_into_zones(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes)
{
    ZoneSplit out;
    if (communes.empty()) return out;
    Dissolved d = dissolve(geos, layer, communes);
    out.method = d.method;
    out.reason = d.reason;

    std::vector<GeomPtr> polygons;
    if (GEOSGeomTypeId_r(geos, d.geometry.get()) == GEOS_POLYGON) {
        if (GEOSisEmpty_r(geos, d.geometry.get()) != 1) polygons.push_back(std::move(d.geometry));
    } else {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, d.geometry.get()); ++i)
            polygons.push_back(geos.clone(GEOSGetGeometryN_r(geos, d.geometry.get(), i)));
    }
    std::vector<PreparedPtr> prepared;
    for (const auto& p : polygons) prepared.push_back(geos.prepare(p.get()));

    std::vector<CommuneSet> members(polygons.size());
    CommuneSet without_geometry;
    for (CommuneIndex i : communes) {
        const GEOSGeometry* g = layer[i].geometry.get();
        if (GEOSisEmpty_r(geos, g) == 1) {
            without_geometry.push_back(i);
            continue;
        }
        GeomPtr point = geos.own(GEOSPointOnSurface_r(geos, g), "point on surface of commune " + layer[i].insee);
        std::size_t best = polygons.size();
        for (std::size_t k = 0; k < polygons.size() && best == polygons.size(); ++k)
            if (GEOSPreparedIntersects_r(geos, prepared[k].get(), point.get()) == 1) best = k;
        if (best == polygons.size()) {
            // Not expected for a part of the union; attach the commune to the part it intersects most.
            double most = -1.0;
            for (std::size_t k = 0; k < polygons.size(); ++k) {
                GEOSGeometry* inter = GEOSIntersection_r(geos, polygons[k].get(), g);
                if (inter == nullptr) continue;
                GeomPtr owned = geos.own_nothrow(inter);
                double a = 0.0;
                GEOSArea_r(geos, owned.get(), &a);
                if (a > most) {
                    most = a;
                    best = k;
                }
            }
        }
        if (best < polygons.size()) members[best].push_back(i);
        else without_geometry.push_back(i);
    }
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        if (members[k].empty()) continue; // a part made of nothing we can name: cannot happen for a union of communes
        Zone z;
        GEOSArea_r(geos, polygons[k].get(), &z.area_m2);
        z.geometry = std::move(polygons[k]);
        z.communes = std::move(members[k]);
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
