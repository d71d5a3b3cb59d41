#pragma once
// The gaps of a coverage, as `cptsmap check` reports them and `cptsmap clean` fills them: the holes
// of the (noded) union of the polygons that are no wider than a gap width, where the width of a
// hole is twice the radius of the largest circle inside it (GEOS MaximumInscribedCircle, to a
// fiftieth of the gap width), with the polygons around each one. A hole is taken without the
// islands of the union inside it (a commune within a ring-shaped gap), and a hole whose ring
// touches itself is cut into its valid parts: each part is a gap (or a wide hole) of its own.
#include "cptsmap/io/geos_context.hpp"

#include <cstddef>
#include <vector>

namespace cptsmap {

struct CoverageGap {
    GeomPtr geometry;         // the hole (or a part of it), a valid Polygon
    double area_m2 = 0.0;
    double width_m = 0.0;     // twice the radius of its largest inscribed circle
    // The polygons along it (indices into the input, ascending): those sharing a stretch of its
    // boundary (a corner is not enough), or, should noding have moved its vertices, those within a
    // millimetre; border_m[k] is the length of boundary it shares with along[k] (0 for the latter).
    std::vector<std::size_t> along;
    std::vector<double> border_m;
};

struct CoverageGaps {
    std::vector<CoverageGap> gaps; // in the order of the union's polygons and holes (deterministic)
    std::size_t wide_holes = 0;    // holes wider than the gap width (a lake, an enclave outside the layer)
};

// The width of a hole as above (twice the radius of its largest inscribed circle).
double hole_width(const GeosContext& geos, const GEOSGeometry* hole, double gap_width_m);

// The gaps of `polygons` (valid; null for none) no wider than gap_width_m, leaving out those smaller
// than min_area_m2.
CoverageGaps find_coverage_gaps(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, double gap_width_m, double min_area_m2);

} // namespace cptsmap
