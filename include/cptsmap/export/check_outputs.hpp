#pragma once
// What `cptsmap check` writes: one GeoJSON layer per kind of problem (RFC 7946, like the build's
// layers) and check.json, the summary with every problem listed, all in a fixed order.
//
//   invalid_rings.geojson    points      insee, nom, reason
//   overlaps.geojson         polygons    insee (the two codes), area_m2
//   gaps.geojson             polygons    insee (communes around it), area_m2, width_m
//   unmatched_edges.geojson  lines       insee, neighbour, length_m
//   check.json               summary     counts and the same lists, plus communes without geometry
#include "cptsmap/check/coverage_check.hpp"
#include "cptsmap/export/output_dir.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cptsmap {

nlohmann::ordered_json make_check_report(const CheckReport& report, const CommuneLayer& layer);
// Writes every file into `out` and commits it: all of them or, on failure, none.
void write_check_outputs(const CheckReport& report, const CommuneLayer& layer, OutputDir& out, const GeosContext& geos);
// The counts, for the terminal.
std::string format_check_summary(const CheckReport& report, const CommuneLayer& layer);

} // namespace cptsmap
