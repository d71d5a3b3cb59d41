#pragma once
// resolution.csv: how every term of the definitions resolved, one row per (term, selected commune):
//   territory, selector, term, position, method, insee, commune, note
// (a term that selected nothing has one row with empty insee and commune). Lets a user audit which
// names were matched loosely, which old codes the history mapped, and how ambiguities were scoped.
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <string>

namespace cptsmap {

void write_resolution_csv(const CommuneLayer& layer, const std::vector<TermResolution>& terms, const std::string& path);

} // namespace cptsmap
