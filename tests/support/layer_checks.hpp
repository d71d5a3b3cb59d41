#pragma once
// Re-reading the layers of a build with GDAL (any format: GeoPackage, FlatGeobuf, Shapefile,
// PostGIS) and comparing them with report.json: feature counts, codes, populations and areas.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

class OGRLayer;

namespace cptsmap::test {

struct LayerAccess {
    std::function<OGRLayer*(const std::string& name)> layer; // the layer "territories", "communes", ...
    bool dbf = false;       // Shapefile: short field names and 254-byte text values
    int expected_epsg = 2154;
    bool ordered = true;    // territories in definition order (FlatGeobuf: spatial order)
};

// Runs Catch2 checks of every layer against `report` (the build's report.json).
void check_layers_match_report(const LayerAccess& access, const nlohmann::json& report);

} // namespace cptsmap::test
