#pragma once
// map.html: one self-contained page (Leaflet and the data inlined; no tiles, no network) showing the
// territories with their labels, gaps, overlaps, the study area and the communes; hovering a commune
// shows its name, INSEE code, population and territories; a layer switcher toggles every layer; a
// panel gives the coverage summary and the legend. Geometries are in WGS84 with 5 decimals (~1 m).
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/map/svg_map.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cptsmap {

// Throws OutputError when the library was built without Leaflet (web/node_modules missing).
// The coverage figures of the maps' summary panel (study area, gaps, overlaps, shared communes),
// and the colours of their layers: shared by map.html and the vector tile map.
nlohmann::ordered_json html_map_summary(const BuildResult& r);
nlohmann::ordered_json html_map_style(bool shared);

std::string render_html_map(const BuildResult& r, const std::vector<LayerTable>& tables, const GeosContext& geos,
                            const MapOptions& options = {});

} // namespace cptsmap
