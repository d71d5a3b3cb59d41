#pragma once
// `build --format mbtiles`: cptsmap.mbtiles, Mapbox Vector Tiles in an MBTiles file, written by
// GDAL's MVT driver, with the layers territories, communes, gaps, overlaps and study_area. Zoom
// levels are chosen from the data (tiles/tile_zooms.hpp), and each level is drawn from the
// communes simplified for it on the shared-edge topology (tiles/zoom_levels.hpp): one OGR layer
// per layer and level ("territories_z7"), which GDAL writes into the tiles' layer "territories"
// at that zoom only. Features keep the full build's values at every zoom; GDAL reprojects to Web
// Mercator and quantises to the tiles' 4096-unit grid, on which shared vertices stay shared.
//
// QGIS opens the file as a vector tile layer; `cptsmap serve` serves it to map.html.
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/result/build_result.hpp"
#include "cptsmap/tiles/tile_zooms.hpp"

#include <string>
#include <vector>

namespace cptsmap {

struct MbtilesOptions {
    std::vector<std::string> layers; // among layer_names(); DEFAULT: empty, all of them
    unsigned threads = 0;            // DEFAULT: one per core
};

struct MbtilesSummary {
    TileZooms zooms;
    std::vector<std::size_t> vertices; // the communes' vertices kept at each zoom, min_zoom first
    std::vector<std::string> warnings; // what GDAL had to give up (a tile over its size limit)
};

// Writes `path` (a new file: the caller stages it). `tables`: make_layer_tables(full). Throws
// OutputError when GDAL cannot write it.
MbtilesSummary write_mbtiles(const BuildResult& full, const std::vector<LayerTable>& tables, const GeosContext& geos, const std::string& path,
                             const MbtilesOptions& options = {});

} // namespace cptsmap
