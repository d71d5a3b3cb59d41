#pragma once
// Repairs a polygonal coverage (a commune layer) and says exactly what changed, in three steps
// after invalid polygons are made valid (GEOS make-valid, their polygonal part):
//
//   1. snap: each polygon's vertices within CleanOptions::snap_distance_m of a neighbour's vertices
//      (and its segments within that distance of them) are moved onto them (GEOS snap, polygon by
//      polygon in input order, each to its neighbours as they are then), then made valid;
//   2. overlaps: the area two polygons both cover (what `cptsmap check` reports as an overlap) is
//      given to one of them by CleanOptions::rule and taken from the other;
//   3. gaps: each hole of the union no wider than CleanOptions::gap_width_m (measured as `check`
//      measures it: check/coverage_gaps.hpp) is merged into one of the polygons along it, by the
//      same rule.
//
// A polygon that changed loses the parts smaller than CleanOptions::min_area_m2 an overlay leaves
// (unless it has no other), within the area recorded for that change. No polygon ever disappears: an overlap that would leave the rule's loser empty is given to it
// instead ("kept"), and a polygon identical to another keeps the overlap (counted as unresolved).
// The polygon that keeps an overlap, and those along a filled gap, receive the vertices of the new
// border on theirs (CleanResult::noded), so that the repaired borders are edge-matched.
// Polygons keep their index (their identity); every change is a CleanChange with its piece, the
// area the polygon gained or lost (measured on the polygon, before and after) and why. The order of
// the input decides the order of the work, so runs are reproducible.
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
    // Overlaps and gaps smaller than this (m²) are left as they are: check's noise threshold.
    // DEFAULT: 0.01 m², check's.
    double min_area_m2 = 0.01;
    // With OverlapRule::Priority: one value per polygon, the greatest wins. DEFAULT: none.
    std::vector<double> priority;
};

enum class ChangeReason { MakeValid, Snap, Overlap, Gap };
const char* to_string(ChangeReason reason) noexcept;

struct CleanChange {
    ChangeReason reason = ChangeReason::Snap;
    std::size_t polygon = 0;         // the polygon that changed (index into the input)
    std::vector<std::size_t> others; // overlap: the polygon that kept the piece; gap: the other polygons along it; snap: its neighbours that moved it
    double change_m2 = 0.0;          // its area after minus its area before (negative: lost)
    double piece_m2 = 0.0;           // the area of the piece (snap: of the area that moved, both ways)
    double width_m = 0.0;            // gaps: their width, as check measures it
    std::string rule;                // how the receiver was chosen ("longest-border", "kept: would vanish"...)
    GeomPtr piece;                   // the overlap, the gap, or what snapping moved (symmetric difference); null for make-valid
};

struct CleanStats {
    std::size_t snapped = 0;             // polygons moved by snapping
    std::size_t overlaps = 0;            // overlaps given to one polygon
    std::size_t gaps = 0;                // gaps filled
    std::size_t kept_from_vanishing = 0; // overlaps given to the rule's loser, which would have vanished
    std::size_t unresolved_overlaps = 0; // overlaps between identical polygons, left as they are
    std::size_t wide_holes = 0;          // holes of the union wider than the gap width, left as they are
    std::size_t repaired_invalid = 0;    // input polygons made valid first
};

struct CleanResult {
    std::vector<GeomPtr> polygons; // one per input polygon, same order; null where the input had none
    std::vector<CleanChange> changes; // in the order they were made: make-valid, snaps, overlaps, gaps
    // Polygons that only received vertices (the nodes of a neighbour's new border on theirs, within
    // a micrometre: no area changes), so that both sides of a repaired border have the same ones.
    std::vector<std::size_t> noded;
    CleanStats stats;
};

// Cleans `polygons` (Polygons or MultiPolygons, any validity; null or empty for none). Distances
// and areas are in the units of the coordinates (a projected CRS in metres).
CleanResult clean_coverage(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, const CleanOptions& options = {});

} // namespace cptsmap
