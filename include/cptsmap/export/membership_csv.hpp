#pragma once
// The resolved membership as a clean table, one row per (territory, commune):
//   territory_id, territory_name, insee, commune
// territories in definition order, communes by INSEE code. `cptsmap build --membership` reads it back
// with its default columns, so a list can be normalised once and reused.
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <string>

namespace cptsmap {

void write_membership_csv(const CommuneLayer& layer, const Resolution& resolution, const std::string& path);

// Throws OutputError, changing nothing, unless `path` may receive the table: not a folder, and, when
// it exists, a table this function's writer wrote (its first line is the header above), unless
// `overwrite`. Called before anything is computed.
void check_membership_csv_target(const std::string& path, bool overwrite);

} // namespace cptsmap
