#pragma once
// Inserting a neighbour's nodes into a polygon's border: after an overlay has repaired one side of a
// border (an overlap cut out, a gap merged), the other side lacks the nodes the overlay made on it,
// and the two borders no longer have the same segments. The vertices of the repaired piece that lie
// on the polygon's boundary (within a tolerance) are inserted into its segments; no vertex moves
// (GEOS snap would move them, and open micro-overlaps with a third polygon at a triple point).
#include "cptsmap/io/geos_context.hpp"

namespace cptsmap {

// `polygon` (a Polygon or MultiPolygon) with the vertices of `from` that lie within `tolerance` of
// one of its segments, strictly between its ends, inserted in order; null when none is.
GeomPtr with_border_nodes(const GeosContext& geos, const GEOSGeometry* polygon, const GEOSGeometry* from, double tolerance);

} // namespace cptsmap
