#pragma once
// Dissolving a set of communes into one (Multi)Polygon.
//
// Robustness is stepwise, as in GEOS OverlayNGRobust:
//  1. An exact coverage union, linear on a clean coverage, where neighbouring communes share their
//     vertices: with the layer's shared-edge topology (DissolveOptions::topology), the edge
//     dissolve of edge_dissolve.hpp, which knows beforehand where borders do not match; without
//     it, GEOS coverage union (GEOSCoverageUnion), accepted only if the result is valid and its area
//     equals the sum of the communes' areas (relative tolerance `area_tolerance`).
//  2. Otherwise a full noded union (GEOSUnaryUnion), which copes with edges that do not match.
//  3. If that throws (rare robustness failures), a snap-rounded union on a `snap_grid` grid.
// The method used is reported so that callers can warn about inputs that are not a clean coverage.
// After a fallback, thin holes that no commune of the layer fills (slivers between communes whose
// edges do not match, e.g. along a département border) are filled, so a territory never shows a hole
// where the land is in fact its own; true enclaves (holes filled by other communes) are kept, and so
// are wide holes the layer does not cover (land outside it: Andorra, Monaco, or a missing commune).
#include "cptsmap/geometry/box_index.hpp"
#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace cptsmap {

enum class DissolveMethod { CoverageUnion, NodedUnion, SnapRoundedUnion };
const char* to_string(DissolveMethod m);

// Envelopes of every commune of a layer (xmin, ymin, xmax, ymax; an inverted box for an empty
// geometry), computed once and shared by the dissolves of many sets over the same layer: the
// sliver test looks up the communes around a hole in them.
struct CommuneBoxes {
    std::vector<std::array<double, 4>> boxes;
    BoxIndex index; // the same in an R-tree
};
CommuneBoxes commune_boxes(const CommuneLayer& layer);

struct DissolveOptions {
    double area_tolerance = 1e-9; // DEFAULT: 1e-9 relative, far below any real sliver
    double snap_grid = 0.001;     // DEFAULT: 1 mm in a metric CRS, for the last-resort union
    // A hole is a sliver, and is filled, when other communes of the layer cover less than this share
    // of its area. DEFAULT: 0.5.
    double sliver_cover_ratio = 0.5;
    // ... and when it is thin: its mean width, 2 × area / perimeter, is below this (working CRS
    // units). DEFAULT: 200 m. On France the gaps between mismatched borders are up to ~60 m wide;
    // Llívia, the Spanish enclave that a territory in Cerdagne can surround, is 1.4 km wide (13 km²).
    double sliver_max_width = 200.0;
    // The layer's envelopes, when the caller has them (assemble does). DEFAULT: computed when needed.
    const CommuneBoxes* boxes = nullptr;
    // The layer's shared-edge topology, when the caller has built it (assemble does): the exact
    // dissolve then runs on it. DEFAULT: GEOS coverage union.
    const CoverageTopology* topology = nullptr;
};

struct Dissolved {
    GeomPtr geometry; // Polygon, MultiPolygon, or an empty Polygon for an empty set
    // The same as vertex ids of DissolveOptions::topology, when the exact edge dissolve made it
    // (null otherwise): writers reproject each vertex of the layer once.
    std::shared_ptr<const VertexRings> rings;
    DissolveMethod method = DissolveMethod::CoverageUnion;
    std::string reason; // why the coverage union was not used ("" when it was)
    double area_m2 = 0.0;
    int parts = 0;
    int slivers_filled = 0;        // sliver holes filled after a fallback
    double sliver_area_m2 = 0.0;   // their total area
};

Dissolved dissolve(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes,
                   const DissolveOptions& options = {});

// Number of polygons in a (Multi)Polygon; 0 for an empty geometry.
int polygon_count(const GeosContext& geos, const GEOSGeometry* g);

} // namespace cptsmap
