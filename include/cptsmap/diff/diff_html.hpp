#pragma once
// diff.html (`cptsmap diff --map`): the changes of diff.svg in a self-contained Leaflet page, in
// the style of map.html. The communes are drawn over the territories of either version (a switch
// between "before" and "after"); the changed ones are filled by kind of change; hovering a commune
// tells its change, population and claims before → after; the panel counts the changes and gives
// the coverage before → after. map.html's URL convention holds: diff.html#hover=INSEE.
#include "cptsmap/diff/territory_diff.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <string>

namespace cptsmap {

// Throws OutputError when the library was built without Leaflet.
std::string render_diff_html(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff,
                             const GeosContext& geos);

} // namespace cptsmap
