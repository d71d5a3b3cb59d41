#pragma once
// Keeping the polygonal part of a geometry: make-valid and unions may return collections holding
// lines or points beside the polygons; the commune world is made of polygons only.
#include "cptsmap/io/geos_context.hpp"

#include <array>
#include <vector>

namespace cptsmap {

// The Polygon or MultiPolygon made of the polygons in `g` (an empty Polygon if there are none).
GeomPtr polygonal_part(const GeosContext& geos, GeomPtr g);

// The area of `g` in the units of its coordinates; 0 for null.
double area_of(const GeosContext& geos, const GEOSGeometry* g);

// The bounding box of `g`: xmin, ymin, xmax, ymax.
std::array<double, 4> envelope_of(const GeosContext& geos, const GEOSGeometry* g);

// Calls f(ring) for every ring (exterior and holes) of a Polygon or MultiPolygon (or collection).
template <typename F>
void for_each_ring(const GeosContext& geos, const GEOSGeometry* g, F&& f)
{
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) for_each_ring(geos, GEOSGetGeometryN_r(geos, g, i), f);
        return;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(geos, g) == 1) return;
    f(GEOSGetExteriorRing_r(geos, g));
    for (int r = 0; r < GEOSGetNumInteriorRings_r(geos, g); ++r) f(GEOSGetInteriorRingN_r(geos, g, r));
}

// The points of a ring (closed: the first repeated last).
std::vector<std::array<double, 2>> ring_points(const GeosContext& geos, const GEOSGeometry* ring);

} // namespace cptsmap
