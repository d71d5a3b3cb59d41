#pragma once
// Repairs a polygonal coverage (a commune layer) and says exactly what changed, on the faces of
// its borders (geometry/coverage_faces.hpp), as mapshaper's `-clean` does on its arcs:
//
//   0. invalid polygons are made valid (GEOS make-valid, their polygonal part); with
//      CleanOptions::snap_distance_m, each polygon's vertices within that distance of a
//      neighbour's are moved onto them (GEOS snap, polygon by polygon in input order);
//   1. the borders are noded: where two cross, and where a vertex lies within
//      CleanOptions::node_tolerance_m of a neighbour's segment (then snapped onto it); the faces of
//      the noded borders are found, each with the polygons that cover it;
//   2. overlaps: a face covered by two polygons or more (what `cptsmap check` reports as an
//      overlap) is given to one of them by CleanOptions::rule and taken from the others;
//   3. gaps: a face inside the union that no polygon covers, no wider than
//      CleanOptions::gap_width_m (measured as `check` measures it: check/coverage_gaps.hpp), is
//      given to one of the polygons along it, by the same rule;
//   4. each polygon is traced back from its faces. Neighbours then share every vertex and edge of
//      their borders: the exact dissolve (geometry/edge_dissolve.hpp) takes any set of them.
//
// Overlaps and gaps smaller than CleanOptions::min_area_m2 (check's noise threshold) are given
// the same way, so that the coverage is exact, but are not changes of their own: they are summed,
// with what snapping to nodes moved, into one change per polygon (ChangeReason::Node: its piece
// the slivers, or else the vertices it received), for each polygon that changed and has no other
// change, or whose changes leave a thousandth of a square metre or more unaccounted for. No polygon ever disappears: one that the rule
// would empty keeps its largest face ("kept"), and one identical to another keeps its geometry
// (counted as unresolved). Polygons keep their index (their identity); a polygon no face changed
// and no node cut is returned as it was given. Every change is a CleanChange with its piece, the
// area the polygon gained or lost and why. The order of the input decides every choice, so runs
// are reproducible.
#include "cptsmap/io/geos_context.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace cptsmap {

// Who receives an overlap or a gap among the polygons it lies between.
enum class OverlapRule {
    LongestBorder, // the one sharing the longest border with the piece (for an overlap: the polygon without the piece)
    Largest,       // the largest in area
    Smallest,      // the smallest in area
    Priority,      // the one of greatest CleanOptions::priority value
};

const char* to_string(OverlapRule rule) noexcept;
// "longest-border", "largest", "smallest" or "priority"; throws InputError naming them otherwise.
OverlapRule overlap_rule_from(const std::string& name);

struct CleanOptions {
    // Vertices closer than this (metres) are snapped together. DEFAULT: 0, no snapping.
    double snap_distance_m = 0.0;
    // Who receives an overlap or a gap. DEFAULT: the longest border. Ties go to the longest border,
    // then to the polygon first in the input.
    OverlapRule rule = OverlapRule::LongestBorder;
    // Holes of the union at most this wide (metres) are gaps, filled. DEFAULT: 5 m, check's default.
    double gap_width_m = 5.0;
    // Overlaps and gaps smaller than this (m²) are noise, not changes of their own (see above):
    // check's threshold. DEFAULT: 0.01 m², check's.
    double min_area_m2 = 0.01;
    // A vertex this close to a neighbour's segment is snapped onto it, and becomes a node of both.
    // DEFAULT: 1 mm, the touch tolerance of the build's topology (TopologyOptions::touch_tolerance).
    double node_tolerance_m = 0.001;
    // With OverlapRule::Priority: one value per polygon, the greatest wins. DEFAULT: none.
    std::vector<double> priority;
};

enum class ChangeReason { MakeValid, Snap, Overlap, Gap, Node };
const char* to_string(ChangeReason reason) noexcept;

struct CleanChange {
    ChangeReason reason = ChangeReason::Snap;
    std::size_t polygon = 0;         // the polygon that changed (index into the input)
    std::vector<std::size_t> others; // overlap: the polygon that kept the piece; gap: the other polygons along it; snap: its neighbours that moved it;
                                     // node: the polygons it gave slivers to or took them from
    double change_m2 = 0.0;          // its area after minus its area before (negative: lost)
    double piece_m2 = 0.0;           // the area of the piece (snap: of the area that moved, both ways; node: of the slivers)
    double width_m = 0.0;            // gaps: their width, as check measures it
    std::string rule;                // how the receiver was chosen ("longest-border", "kept: would vanish"...)
    GeomPtr piece;                   // the overlap, the gap, what snapping moved (symmetric difference), the slivers; null for make-valid
};

struct CleanStats {
    std::size_t snapped = 0;             // polygons moved by snapping
    std::size_t overlaps = 0;            // overlaps given to one polygon
    std::size_t gaps = 0;                // gaps filled
    std::size_t kept_from_vanishing = 0; // overlaps given to the rule's loser, which would have vanished
    std::size_t unresolved_overlaps = 0; // overlaps between identical polygons, left as they are
    std::size_t wide_holes = 0;          // holes of the union wider than the gap width, left as they are
    std::size_t repaired_invalid = 0;    // input polygons made valid first
    std::size_t nodes = 0;               // nodes added where borders crossed (vertices snapped onto a segment not counted)
    std::size_t slivers = 0;             // overlaps and gaps under the minimum area given to one polygon
    std::size_t conflicts = 0;           // faces whose polygons could not be told consistently (0 on sound input)
};

struct CleanResult {
    std::vector<GeomPtr> polygons; // one per input polygon, same order; null where the input had none
    // Make-valid, snaps, overlaps (by polygon), gaps, nodes (by polygon). Every polygon whose
    // geometry changed has one at least.
    std::vector<CleanChange> changes;
    CleanStats stats;
};

// Cleans `polygons` (Polygons or MultiPolygons, any validity; null or empty for none). Distances
// and areas are in the units of the coordinates (a projected CRS in metres).
CleanResult clean_coverage(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, const CleanOptions& options = {});

} // namespace cptsmap
