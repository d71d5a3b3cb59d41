#pragma once
// Topology-preserving simplification of a polygon coverage (`build --simplify`, `cptsmap
// simplify`), on the shared-edge topology of the layer (geometry/coverage_topology.hpp): every
// border between two junctions (an arc) is simplified once, so that the two communes on either side
// of it keep exactly the same vertices, and every commune, territory, gap zone and overlap zone
// dissolved from the simplified communes stays edge-matched — no gap, no overlap introduced.
//
// - Junctions stay: a vertex where three or more borders meet, where the neighbour on one side
//   changes, and one vertex (the lowest) of each closed border without a junction (an island, an
//   enclave).
// - Vertices go in the Visvalingam order (simplify/visvalingam.hpp: weighted effective area, as
//   mapshaper's default), below a tolerance in metres or so that a percentage of the removable
//   vertices is kept.
// - Nothing is made invalid: a simplified segment that crosses or touches another segment, or
//   runs along one, gets back the removed vertex that matters most on it, until none does; a ring
//   that would collapse (fewer than three vertices, no area) or turn over keeps its vertices; a
//   commune whose simplified polygon GEOS still finds invalid keeps all of its vertices. Restoring
//   a vertex restores it on both sides of its border, so the coverage stays matched.
// - Tiny parts: none is dropped (a commune never loses an island); each ring keeps at least three
//   vertices.
// - Where the input is not a clean coverage (communes whose borders cross, touch or run side by
//   side, or whose rings the topology cannot hold), the vertices of the unmatched borders stay, so
//   that simplification never widens a gap or an overlap the input already has.
//
// Written by hand: GEOS 3.12 has a CoverageSimplifier, but bookworm's GEOS 3.11 does not, and its
// per-geometry simplifiers (GEOSTopologyPreserveSimplify) simplify each neighbour on its own and
// open slivers between them.
#include "cptsmap/geometry/coverage_topology.hpp"
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/simplify/visvalingam.hpp"

#include <optional>
#include <vector>

namespace cptsmap {

struct SimplifyOptions {
    // Vertices whose Visvalingam threshold is below this go (working CRS units: metres); the same
    // measure as mapshaper's `-simplify interval=`.
    double tolerance = 0.0;
    // Instead of the tolerance: the percentage (0–100) of the removable vertices kept, as
    // mapshaper's `-simplify P%`.
    std::optional<double> keep_pct;
    double weighting = kDefaultVisvalingamWeighting;
};

struct SimplifyStats {
    std::size_t vertices_before = 0;  // distinct vertices of the coverage
    std::size_t vertices_after = 0;   // of them, those kept
    std::size_t removable = 0;        // vertices neither junctions nor held by an unmatched border
    std::size_t restored = 0;         // removed, then put back so that nothing crosses or collapses
    std::size_t communes_kept_whole = 0; // left exactly as they were (rings the topology cannot hold, or GEOS)
    double tolerance = 0.0;           // the tolerance used (from keep_pct when given)
    int repair_rounds = 0;
};

struct CoverageSimplification {
    // One per polygon of the topology, in its order; nullopt: left exactly as it was. Shells
    // counter-clockwise, holes clockwise; `multi` when there are several polygons.
    std::vector<std::optional<PolygonArrays>> polygons;
    SimplifyStats stats;
};

CoverageSimplification simplify_coverage(const GeosContext& geos, const CoverageTopology& topology, const SimplifyOptions& options);

// The layer's communes replaced by their simplified geometry (areas stay those of the input: the
// figures are computed at full precision, only the drawing is simplified).
SimplifyStats simplify_layer(CommuneLayer& layer, const GeosContext& geos, const SimplifyOptions& options);

} // namespace cptsmap
