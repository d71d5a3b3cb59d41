#pragma once
// How the summary, report, maps and sheets write their figures, so all say the same thing: populations with
// thousands separators, percentages and areas with a fixed number of decimals, EPCI shares as the
// announcements write them ("Dijon Métropole 18/23").
#include "cptsmap/result/figures.hpp"

#include <cstdint>
#include <string>

namespace cptsmap {

std::string thousands(std::int64_t v);            // 280924 → "280,924"
std::string fixed_decimals(double v, int decimals); // (12.345, 1) → "12.3"
std::string epci_share_text(const EpciShare& e);  // "Dijon Métropole 18/23"
std::string departement_share_text(const DepartementShare& d); // "21 Côte-d'Or: 52.0 %"
// The file of a territory's sheet: "sheet-" + its id with every character but [A-Za-z0-9_-] as "_".
std::string sheet_file_name(const std::string& territory_id);
// Names of communes: "Asnières-lès-Dijon (21027), ...".
std::string commune_list_text(const CommuneLayer& layer, const CommuneSet& communes);

} // namespace cptsmap
