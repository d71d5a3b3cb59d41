#pragma once
// The layers of a build as format-neutral tables (fields, then one row of values and a geometry per
// feature), for every writer but the RFC 7946 GeoJSON one: GeoPackage, FlatGeobuf, Shapefile,
// PostGIS, and the maps. Geometries stay in the working CRS (Lambert-93 by default). Same order as
// the GeoJSON layers: territories as defined, communes and zones by INSEE code.
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/result/build_result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cptsmap {

struct LayerRow {
    std::vector<FieldValue> values;  // parallel to LayerTable::fields
    const GEOSGeometry* geometry = nullptr; // owned by the BuildResult or by LayerTable::owned
    unsigned delivery = 0; // the delivery (CommuneLayer::deliveries) whose CRS the geometry is in
};

struct LayerTable {
    std::string name; // "territories", "communes", "gaps", "overlaps", "study_area"
    std::vector<FieldSpec> fields;
    std::vector<LayerRow> rows;
    std::vector<GeomPtr> owned; // geometries computed for this table (the study area outline)
    std::string crs;            // the CRS of its geometries when not the layer's (one table per CRS)
};

// territories, communes, gaps, overlaps, study_area (the study area's communes dissolved), in that
// order. The tables point into `r`, which must outlive them. With `wanted`, the layers it refuses
// come back without rows and are not computed (the study area outline is a dissolve of every
// commune).
std::vector<LayerTable> make_layer_tables(const BuildResult& r, const GeosContext& geos,
                                          const std::function<bool(const std::string& layer)>& wanted = {});

// With deliveries in several CRSs (France entière), each table split into one per CRS: the first
// delivery's keeps the name, the others' are suffixed with their deliveries' names
// ("territories_972", "territories_971_972" for two in one CRS), each with its `crs`. One CRS: the
// tables as they are. The rows point into `tables`, which must outlive the result.
std::vector<LayerTable> tables_by_crs(const std::vector<LayerTable>& tables, const CommuneLayer& layer);

// The names of the layers make_layer_tables() returns, in order.
const std::vector<std::string>& layer_names();

} // namespace cptsmap
