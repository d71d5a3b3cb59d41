#pragma once
// The formats `build --format` writes, through GDAL drivers. GeoJSON is RFC 7946 (WGS84); every
// other format keeps the working CRS (Lambert-93 by default) and declares it on each layer:
//   gpkg     cptsmap.gpkg: every layer, plus QGIS default styles in its layer_styles table
//   fgb      <layer>.fgb (FlatGeobuf with its packed R-tree spatial index) + <layer>.qml
//   shp      <layer>.shp/.shx/.dbf/.prj/.cpg (UTF-8) + <layer>.qml
//   postgis  tables <layer> in a PostgreSQL/PostGIS database, created or replaced in one transaction,
//            with QGIS styles in its public.layer_styles
// Layers: territories, communes, gaps, overlaps, study_area.
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/output_format.hpp"

#include <string>
#include <vector>

namespace cptsmap {

// Writes the file formats (gpkg, fgb, shp) into the staging folder of `out`.
void write_file_format(OutputFormat format, const std::vector<LayerTable>& tables, const std::string& crs, OutputDir& out);
// Creates or replaces the tables in the database `connection` ("dbname=... host=..."), all in one
// transaction: on any error nothing is changed.
void write_postgis(const std::vector<LayerTable>& tables, const std::string& crs, const std::string& connection);

} // namespace cptsmap
