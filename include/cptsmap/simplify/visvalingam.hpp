#pragma once
// Visvalingam–Whyatt thresholds along one polyline (an arc of the coverage): the order in which
// its interior vertices go as the simplification grows. Each vertex's threshold is the effective
// area of the triangle it makes with its current neighbours when it is removed (never less than
// that of a vertex removed before it), weighted by its angle as mapshaper's default "weighted
// Visvalingam" does (area × (1 − k cos θ), k = 0.7: sharp spikes go sooner, right angles stay
// longer), and turned into a length as mapshaper does (√area × 0.65), so that a tolerance in
// metres means here what mapshaper's `-simplify interval=` means.
//
// Visvalingam rather than Douglas–Peucker: it removes the least significant vertex first, with no
// chord to pick, so that a percentage of vertices kept is a single global threshold over every arc,
// and its results look smoother on administrative borders at the scales of a web map (as mapshaper
// and GEOS 3.12's CoverageSimplifier chose).
#include <span>
#include <vector>

namespace cptsmap {

inline constexpr double kDefaultVisvalingamWeighting = 0.7;

// `xy`: x, y, x, y... of the polyline's points; `out` receives one threshold per point, +infinity
// for the two end points (kept always). A closed ring is given with its first point repeated last.
void visvalingam_thresholds(std::span<const double> xy, std::vector<double>& out, double weighting = kDefaultVisvalingamWeighting);

} // namespace cptsmap
