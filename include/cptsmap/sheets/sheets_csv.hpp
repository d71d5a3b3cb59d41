#pragma once
// The sheets' figures for spreadsheets: sheets.csv (one row per territory, the figures of its
// sheet) and uncovered.csv (the study area's uncovered communes, most inhabitants first).
#include "cptsmap/result/build_result.hpp"

#include <string>

namespace cptsmap {

// Columns: id, name, communes, population, area_km2, density_per_km2, departements (share of each
// département's population: "21 Côte-d'Or: 52.0 %; ..."), epci ("Dijon Métropole 18/23; ..."),
// neighbours (ids), parts, detached_communes, enclave_communes, shared_communes, funding_band,
// annual_amount_eur.
void write_sheets_csv(const BuildResult& r, const std::string& path);
// Columns: rank, insee, nom, departement, population.
void write_uncovered_csv(const BuildResult& r, const std::string& path);

} // namespace cptsmap
