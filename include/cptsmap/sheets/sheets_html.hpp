#pragma once
// Printable territory sheets: sheets.html (the summary: every territory's figures, the study area's
// coverage, uncovered communes and zones, the funding bands) and one sheet-<id>.html per territory
// (its map drawn from the data as inline SVG, its figures and anomalies, its communes listed).
// Self-contained HTML (no script, no file beside it), A4-friendly print styles; deterministic.
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/result/build_result.hpp"

#include <string>

namespace cptsmap {

std::string render_summary_sheet(const BuildResult& r, const GeosContext& geos);
std::string render_territory_sheet(const BuildResult& r, std::size_t territory, const GeosContext& geos);

// Throws DefinitionError, at the territory, unless every territory id makes a sheet file name of
// its own (sheet_file_name) that a file system takes: at most kMaxSheetIdBytes bytes of id.
inline constexpr std::size_t kMaxSheetIdBytes = 200;
void check_sheet_file_names(const Definitions& definitions);

// Stages sheets.html, every sheet-<id>.html, sheets.csv and uncovered.csv in `out`; checks the
// file names first (check_sheet_file_names).
void write_sheets(const BuildResult& r, OutputDir& out, const GeosContext& geos);

} // namespace cptsmap
