#pragma once
// Dissolving a set of communes into one (Multi)Polygon.
//
// Robustness is stepwise, as in GEOS OverlayNGRobust:
//  1. GEOS coverage union (GEOSCoverageUnion): exact and linear on a clean coverage, where
//     neighbouring communes share their vertices; the result is accepted only if it is valid and its
//     area equals the sum of the communes' areas (relative tolerance `area_tolerance`).
//  2. Otherwise a full noded union (GEOSUnaryUnion), which copes with edges that do not match.
//  3. If that throws (rare robustness failures), a snap-rounded union on a `snap_grid` grid.
// The method used is reported so that callers can warn about inputs that are not a clean coverage.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <string>

namespace cptsmap {

enum class DissolveMethod { CoverageUnion, NodedUnion, SnapRoundedUnion };
const char* to_string(DissolveMethod m);

struct DissolveOptions {
    double area_tolerance = 1e-9; // DEFAULT: 1e-9 relative, far below any real sliver
    double snap_grid = 0.001;     // DEFAULT: 1 mm in a metric CRS, for the last-resort union
};

struct Dissolved {
    GeomPtr geometry; // Polygon, MultiPolygon, or an empty Polygon for an empty set
    DissolveMethod method = DissolveMethod::CoverageUnion;
    std::string reason; // why the coverage union was not used ("" when it was)
    double area_m2 = 0.0;
    int parts = 0;
};

Dissolved dissolve(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes,
                   const DissolveOptions& options = {});

// Number of polygons in a (Multi)Polygon; 0 for an empty geometry.
int polygon_count(const GeosContext& geos, const GEOSGeometry* g);

} // namespace cptsmap
