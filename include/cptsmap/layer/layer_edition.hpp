#pragma once
// What a commune layer is, as far as it can be seen from the layer itself: the ADMIN EXPRESS schema
// its fields follow, the format it came in, what IGN's delivery name says (product, edition, COG
// year), and how densely its boundaries are drawn, which tells a full-precision layer (ADMIN
// EXPRESS, ADMIN EXPRESS COG) from a generalised one (COG CARTO) or a web simplification.
#include "cptsmap/layer/admin_express_schema.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace cptsmap {

enum class LayerPrecision { Unknown, Full, Generalised, Simplified };

// "full", "generalised", "simplified", "unknown".
const char* to_string(LayerPrecision p);

// Vertex spacing thresholds, in metres of mean segment length. IGN's full-precision layers
// (metric precision, from BD TOPO) have vertices every few metres; COG CARTO is generalised to a
// few tens of metres; a layer coarser than 150 m has been simplified beyond COG CARTO (the web
// extracts of the geo API, ../shared/data).
inline constexpr double full_precision_max_segment_m = 25.0;
inline constexpr double generalised_max_segment_m = 150.0;

LayerPrecision precision_of_spacing(double mean_segment_m);

// What IGN's delivery names say ("ADMIN-EXPRESS-COG-CARTO_3-2__SHP_LAMB93_FXX_2023-05-03",
// "ADE-COG_4-0_GPKG_LAMB93_FXX-ED2025-..."): found in any component of the path.
struct DeliveryName {
    std::string product;         // "ADMIN EXPRESS", "ADMIN EXPRESS COG", "ADMIN EXPRESS COG CARTO", "" unknown
    std::string version;         // "3-2", "4-0", "" unknown
    std::optional<int> year;     // the year of the delivery (for the COG products: the COG year)
};

DeliveryName parse_delivery_name(const std::string& path);

struct LayerEdition {
    SchemaEdition schema = SchemaEdition::V3;
    std::string format;          // GDAL's driver ("ESRI Shapefile", "GPKG", ...)
    DeliveryName delivery;
    std::size_t segments = 0;    // boundary segments measured (of the communes kept as read)
    double mean_segment_m = 0.0; // their mean length in the working CRS
    LayerPrecision precision = LayerPrecision::Unknown;
};

// One line for the summary: "ADMIN EXPRESS 4-0 schema (GeoPackage); generalised: a vertex every
// 62 m on average".
std::string describe(const LayerEdition& e);

} // namespace cptsmap
