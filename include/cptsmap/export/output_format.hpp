#pragma once
// The output formats of `build --format` (see output_formats.hpp for what each one writes).
#include <string>

namespace cptsmap {

enum class OutputFormat { GeoJson, GeoPackage, FlatGeobuf, Shapefile, PostGis, MBTiles };

// "geojson", "gpkg", "fgb", "shp", "postgis", "mbtiles" (case-insensitive); throws Error otherwise.
OutputFormat parse_output_format(const std::string& name);
const char* to_string(OutputFormat format);

} // namespace cptsmap
