#pragma once
// A quick sufficient test of polygon validity, run before GEOSisValid on every commune read and
// every geometry written: the rings of a (Multi)Polygon are cut into monotone chains (runs of
// segments going the same way in x), and a sweep over the chains in x compares the segments of two
// chains only where their x-ranges overlap, which checks that no two segments meet except
// consecutive ones at their shared vertex (the monotone chains of GEOS's noder, without its
// graph); then a point of each ring places the holes inside their
// shell, not inside one another, and the polygons outside one another. When it answers true the
// geometry is valid; when it answers false (an intersection, a touch, a repeated point, a ring
// too short, anything near-degenerate, or too much work) the caller asks GEOSisValid, which gives
// the reason.
//
// Written by hand because GEOSisValid builds a full topology graph for each geometry: on the
// 34,816 communes of France it was half of the loading time, and almost all of them are simple.
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <vector>

namespace cptsmap {

bool certainly_valid(const GeosContext& geos, const GEOSGeometry* g);
// The same for polygons given as coordinate arrays (the commune layer's, the writer's), read in place.
bool certainly_valid(const PolygonArrays& polygons);

// Whether `g` is valid: the quick test, then GEOSisValid where it cannot tell.
inline bool is_valid(const GeosContext& geos, const GEOSGeometry* g) { return certainly_valid(geos, g) || GEOSisValid_r(geos, g) == 1; }

} // namespace cptsmap
