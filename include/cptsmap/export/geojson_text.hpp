#pragma once
// The JSON text of GeoJSON features, formatted directly (std::to_chars) instead of through a JSON
// object tree: the national communes layer has 3.3 million vertices, and formatting them is most of
// the time a build spends writing. Output is deterministic: the same values give the same bytes.
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

// Appends `s` as a JSON string literal (quotes, escapes; UTF-8 passed through).
void append_json_string(std::string& out, std::string_view s);
// Appends an integer.
void append_json_integer(std::string& out, long long v);
// Appends a double in its shortest round-trip form ("13.897512", "0", "-2.5").
void append_json_real(std::string& out, double v);
// Appends a longitude or latitude with at most 7 decimals, trailing zeros dropped ("5.6294", "45.0").
void append_json_coordinate(std::string& out, double v);
// Appends the GeoJSON geometry object of a lon/lat Polygon or MultiPolygon (empty ones included),
// with exterior rings counter-clockwise and holes clockwise (RFC 7946 section 3.1.6); also of a
// Point, LineString, MultiPoint or MultiLineString (the findings of `check`).
void append_geojson_geometry(std::string& out, const GeosContext& geos, const GEOSGeometry* geometry);
// The same for a lon/lat Polygon (one polygon) or MultiPolygon given as coordinate arrays.
void append_geojson_polygons(std::string& out, const PolygonArrays& polygons);

} // namespace cptsmap
