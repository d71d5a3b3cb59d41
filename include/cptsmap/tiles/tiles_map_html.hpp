#pragma once
// map.html of `build --format mbtiles --map`: the coverage drawn by MapLibre GL JS (WebGL) from the
// build's vector tiles, so that a national map of every commune opens and pans smoothly. The page
// holds MapLibre and the figures; its tiles come from `cptsmap serve` (tiles/tile_server.hpp), and
// opened from the disk it says so. The panels are map.html's: the coverage summary and legend,
// hovering a commune (or, below the communes' zoom, a territory or zone) shows what it is, and a
// layer switcher toggles every layer.
//
// For links and tests, the address's fragment may hold, joined by '&':
//   view=LON,LAT,ZOOM   open there;
//   hover=LON,LAT       once the tiles are drawn, move the mouse over that point;
//   pan=LON,LAT         then pan there, and wait for its tiles.
// <body> then tells data-status="ready", data-zoom, data-tiles-loaded, data-rendered-territories,
// data-rendered-communes, data-hover-insee and, after a pan, data-tiles-after-pan.
#include "cptsmap/result/build_result.hpp"
#include "cptsmap/tiles/mbtiles_writer.hpp"

#include <string>

namespace cptsmap {

// `tiles`: what write_mbtiles wrote. Throws OutputError when the library was built without MapLibre.
std::string render_tiles_map(const BuildResult& r, const std::vector<LayerTable>& tables, const MbtilesSummary& tiles, const GeosContext& geos,
                             const std::string& title);

} // namespace cptsmap
