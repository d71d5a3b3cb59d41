#pragma once
// Leaflet 1.9.4 (BSD-2-Clause, web/package.json), bundled into the library when it is built (see
// cmake/EmbedWebAssets.cmake), for the self-contained map.html.
#include <string>

namespace cptsmap {

bool leaflet_available(); // false when the library was built without web/node_modules
const std::string& leaflet_js();
const std::string& leaflet_css();

} // namespace cptsmap
