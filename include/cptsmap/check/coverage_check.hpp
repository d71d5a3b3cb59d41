#pragma once
// Checks a commune layer as a polygonal coverage, the way mapshaper and GEOS's CoverageValidator
// (GEOS 3.12, not in Debian bookworm's 3.11) do, and returns what is wrong as geometry a user can map:
//
//   - invalid rings (self-intersections, bow-ties...): a point where GEOS found the problem;
//   - empty geometries: the commune, without geometry;
//   - overlaps: the area two communes both cover;
//   - gaps: holes in the union of all communes no wider than CheckOptions::gap_width_m (twice the
//     radius of the largest circle inside the hole), with the communes around them;
//   - unmatched edges: stretches of a commune's boundary that lie within edge_tolerance_m of a
//     neighbour's boundary but have no identical segment in it (vertices not shared, a commune
//     moved or simplified on its own) — what makes a coverage union fail.
//
// Invalid geometries are repaired with make-valid before the pairwise checks, so that one bad ring
// does not hide the rest. Results are in a fixed order (by INSEE code), so runs are reproducible.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <string>
#include <vector>

namespace cptsmap {

struct CheckOptions {
    // Holes in the union of the communes at most this wide (metres) are gaps; wider holes are
    // counted but not reported (a lake or an enclave outside the layer). DEFAULT: 5 m.
    double gap_width_m = 5.0;
    // A boundary segment lying within this distance (metres) of a neighbour's boundary must have
    // an identical segment there. DEFAULT: negative, meaning the gap width.
    double edge_tolerance_m = -1.0;
    // Overlaps and gaps smaller than this (m²) are left out: noise of the overlay, and below the
    // 1e-7° (about 1 cm) grid of the GeoJSON outputs, where they would collapse. DEFAULT: 0.01 m².
    double min_area_m2 = 0.01;
};

enum class ProblemKind { InvalidRing, EmptyGeometry, Overlap, Gap, UnmatchedEdge };

const char* to_string(ProblemKind kind) noexcept;

struct Problem {
    ProblemKind kind = ProblemKind::InvalidRing;
    std::vector<std::string> insee; // the communes involved, sorted
    std::string detail;             // GEOS's reason (invalid rings); "" otherwise
    GeomPtr geometry;               // point, polygon, lines; null for an empty geometry
    double area_m2 = 0.0;           // overlaps and gaps
    double width_m = 0.0;           // gaps: twice the radius of the largest inscribed circle
    double length_m = 0.0;          // unmatched edges
};

struct CheckReport {
    std::size_t communes = 0;
    double gap_width_m = 0.0;
    double edge_tolerance_m = 0.0;
    std::vector<Problem> problems; // by kind, then by INSEE codes
    std::size_t wide_holes = 0;    // holes in the union wider than gap_width_m (not problems)

    std::size_t count(ProblemKind kind) const noexcept;
};

// Runs every check on `layer` (loaded with LoadOptions::repair = false to see invalid rings).
CheckReport check_coverage(const CommuneLayer& layer, const GeosContext& geos, const CheckOptions& options = {});

} // namespace cptsmap
