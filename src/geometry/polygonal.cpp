#include "cptsmap/geometry/polygonal.hpp"

#include <vector>

namespace cptsmap {

namespace {
void collect_polygons(const GeosContext& geos, const GEOSGeometry* g, std::vector<GeomPtr>& out)
{
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(geos, g) != 1) out.push_back(geos.clone(g));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) collect_polygons(geos, GEOSGetGeometryN_r(geos, g, i), out);
    }
}
} // namespace

GeomPtr polygonal_part(const GeosContext& geos, GeomPtr g)
{
    const int type = GEOSGeomTypeId_r(geos, g.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
    std::vector<GeomPtr> polys;
    collect_polygons(geos, g.get(), polys);
    if (polys.empty()) return geos.empty_polygon();
    if (polys.size() == 1) return std::move(polys.front());
    return geos.collect(GEOS_MULTIPOLYGON, std::move(polys));
}

double area_of(const GeosContext& geos, const GEOSGeometry* g)
{
    double a = 0.0;
    if (g != nullptr) GEOSArea_r(geos, g, &a);
    return a;
}

std::array<double, 4> envelope_of(const GeosContext& geos, const GEOSGeometry* g)
{
    std::array<double, 4> e{};
    GEOSGeom_getXMin_r(geos, g, &e[0]);
    GEOSGeom_getYMin_r(geos, g, &e[1]);
    GEOSGeom_getXMax_r(geos, g, &e[2]);
    GEOSGeom_getYMax_r(geos, g, &e[3]);
    return e;
}

std::vector<std::array<double, 2>> ring_points(const GeosContext& geos, const GEOSGeometry* ring)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(geos, seq, &n);
    std::vector<std::array<double, 2>> pts(n);
    for (unsigned int k = 0; k < n; ++k) GEOSCoordSeq_getXY_r(geos, seq, k, &pts[k][0], &pts[k][1]);
    return pts;
}

} // namespace cptsmap
