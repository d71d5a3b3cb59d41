#pragma once
// (Multi)Polygons between OGR and PolygonArrays, coordinates copied ring by ring (no WKB, no GEOS):
// how the commune loader reads and `cptsmap simplify` reads and writes.
#include "cptsmap/geometry/polygon_arrays.hpp"

#include <memory>

class OGRGeometry;

namespace cptsmap {

// False when a ring has fewer than 4 points or is not closed, or a polygon is empty, or `g` is no
// (Multi)Polygon: for GEOS to judge, through WKB.
bool read_polygon_arrays(const OGRGeometry& g, PolygonArrays& out);
// A Polygon, or a MultiPolygon when `p.multi` (or several polygons).
std::unique_ptr<OGRGeometry> ogr_polygons(const PolygonArrays& p);

} // namespace cptsmap
