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
// - Where the input is not a clean coverage, its defects stay exactly as they are: the vertices
//   of every border that matches no neighbour's stay when another commune lies within
//   `hold_within` beyond it (a narrow gap, an overlap, a lens between two borders that meet only
//   at their ends), as do those of communes whose borders cross, touch or run side by side, of the
//   borders such communes share, and of communes whose rings the topology cannot hold. Unmatched
//   borders that face nothing (the coast, the frontier, a wide hole) are simplified.
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
    // Borders that match no neighbour's but run within this distance of another commune (a gap,
    // an overlap: the defects `cptsmap check` reports up to its gap width) keep their vertices, so
    // that those defects stay exactly as they are. DEFAULT: 5 m, check's --gap-width.
    double hold_within = 5.0;
    unsigned threads = 0; // DEFAULT: one per core
};

// The topology to simplify on: near_tolerance = options.hold_within (scaled by `units_per_metre`
// for a layer in degrees).
TopologyOptions simplify_topology_options(const SimplifyOptions& options, unsigned threads, double units_per_metre = 1.0);

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

// `units_per_metre`: 1 for a projected CRS in metres; for a layer in degrees, degrees per metre.
CoverageSimplification simplify_coverage(const GeosContext& geos, const CoverageTopology& topology, const SimplifyOptions& options,
                                         double units_per_metre = 1.0);

// The communes of `layer` (the one `topology` was built on) replaced by their polygons in
// `simplification` (moved from it); those left as they were keep their geometry.
void apply_simplification(CommuneLayer& layer, const GeosContext& geos, CoverageSimplification& simplification);

// The layer's communes replaced by their simplified geometry (each commune's area_m2 stays that of
// the input; what is dissolved from them afterwards is measured on the simplified polygons).
SimplifyStats simplify_layer(CommuneLayer& layer, const GeosContext& geos, const SimplifyOptions& options);

} // namespace cptsmap
