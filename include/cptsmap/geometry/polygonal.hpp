#pragma once
// Keeping the polygonal part of a geometry: make-valid and unions may return collections holding
// lines or points beside the polygons; the commune world is made of polygons only.
#include "cptsmap/io/geos_context.hpp"

#include <array>

namespace cptsmap {

// The Polygon or MultiPolygon made of the polygons in `g` (an empty Polygon if there are none).
GeomPtr polygonal_part(const GeosContext& geos, GeomPtr g);

// The area of `g` in the units of its coordinates; 0 for null.
double area_of(const GeosContext& geos, const GEOSGeometry* g);

// The bounding box of `g`: xmin, ymin, xmax, ymax.
std::array<double, 4> envelope_of(const GeosContext& geos, const GEOSGeometry* g);

} // namespace cptsmap
