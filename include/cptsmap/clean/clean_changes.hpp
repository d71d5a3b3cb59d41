#pragma once
// What `cptsmap clean` (and `build --clean`) write about the changes they made, one row per change,
// in the order they were made, the same rows in both files:
//
//   clean.csv        change, reason, insee, others, change_m2, piece_m2, width_m, rule
//   changes.geojson  the same properties (others as a list), the piece as geometry (RFC 7946,
//                    WGS84, like every GeoJSON cptsmap writes; a piece smaller than the output grid
//                    as the point where it is; none for a snap that only added vertices, or make-valid)
//
// change: its number (1, 2...); reason: make-valid, snap, overlap, gap or node; insee: the commune that changed;
// others: the commune that kept an overlap, or the other communes along a gap, or those a commune
// was snapped to, or those it traded slivers with; change_m2: its area after minus before (negative:
// it lost); piece_m2: the area of the overlap, the gap, of what snapping moved, or of the slivers;
// width_m: a gap's width as check measures it.
#include "cptsmap/clean/coverage_clean.hpp"
#include "cptsmap/export/output_dir.hpp"

#include <string>
#include <vector>

namespace cptsmap {

// `ids[k]`: the code of polygon k; `crs`: the CRS of the pieces (an EPSG code or WKT).
void write_clean_changes(const CleanResult& result, const std::vector<std::string>& ids, const std::string& crs, OutputDir& out,
                         const GeosContext& geos);

// A one-line summary of the stats, for the terminal.
std::string clean_summary(const CleanStats& stats);

} // namespace cptsmap
