#pragma once
// QGIS default styles (QML) for the layers of a build: territories filled with one colour per id
// and labelled with their name, gaps hatched in strong red, overlaps cross-hatched, communes as thin
// outlines, the study area as a dark outline. Written as `.qml` sidecars beside file outputs (QGIS
// loads `territories.qml` with `territories.shp`/`.fgb`) and into the `layer_styles` table of a
// GeoPackage or PostGIS database (QGIS's own default-style table).
#include "cptsmap/export/layer_table.hpp"

#include <string>

namespace cptsmap {

// The QML document for `table` (its name decides the style; territories use its rows for the
// categories). The styled fields (id, name) are the same in every format.
std::string qml_style(const LayerTable& table);

} // namespace cptsmap
