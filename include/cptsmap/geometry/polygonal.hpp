#pragma once
// Keeping the polygonal part of a geometry: make-valid and unions may return collections holding
// lines or points beside the polygons; the commune world is made of polygons only.
#include "cptsmap/io/geos_context.hpp"

namespace cptsmap {

// The Polygon or MultiPolygon made of the polygons in `g` (an empty Polygon if there are none).
GeomPtr polygonal_part(const GeosContext& geos, GeomPtr g);

} // namespace cptsmap
