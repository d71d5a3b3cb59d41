#pragma once
// Leaflet 1.9.4 (BSD-2-Clause) and MapLibre GL JS 5.24.1 (BSD-3-Clause), from web/package.json,
// bundled into the library when it is built (see cmake/EmbedWebAssets.cmake): Leaflet for the
// self-contained map.html, MapLibre for the vector tile map (build --format mbtiles --map).
#include <string>

namespace cptsmap {

bool leaflet_available(); // false when the library was built without web/node_modules
const std::string& leaflet_js();
const std::string& leaflet_css();

bool maplibre_available(); // false when the library was built without web/node_modules
const std::string& maplibre_js();
const std::string& maplibre_css();

} // namespace cptsmap
