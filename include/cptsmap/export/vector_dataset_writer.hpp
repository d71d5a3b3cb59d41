#pragma once
// Writes LayerTables into any vector data set GDAL can create: a GeoPackage, a FlatGeobuf or a
// Shapefile (one file per layer), or a PostgreSQL/PostGIS database. Geometries are written as
// MultiPolygons in the CRS they come in (declared on the layer); string lists become
// comma-separated strings (these formats have no list type in common). Writes are deterministic:
// the dates GDAL would stamp (GeoPackage last_change, DBF header) are fixed.
#include "cptsmap/export/layer_table.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cptsmap {

struct LayerStyle {
    std::string layer; // table name
    std::string qml;   // QGIS style document
};

struct VectorLayerOptions {
    std::vector<std::string> creation_options; // GDAL layer creation options, "KEY=VALUE"
    // Shapefile (DBF): field names of at most 10 characters, and text values of at most 254 bytes
    // (longer lists are cut after their last whole item and end in ",...").
    bool dbf_limits = false;
};

class VectorDatasetWriter {
public:
    // `driver`: GDAL short name ("GPKG", "FlatGeobuf", "ESRI Shapefile", "PostgreSQL"); `name`: the
    // file to create, or a "PG:..." connection string to open for update; `dataset_options`: GDAL
    // dataset creation options, "KEY=VALUE".
    VectorDatasetWriter(const std::string& driver, const std::string& name, const std::vector<std::string>& dataset_options = {});
    ~VectorDatasetWriter();
    VectorDatasetWriter(const VectorDatasetWriter&) = delete;
    VectorDatasetWriter& operator=(const VectorDatasetWriter&) = delete;

    void begin_transaction();
    void commit_transaction();

    void write(const LayerTable& table, const std::string& crs, const VectorLayerOptions& options = {});
    // QGIS default styles: a `layer_styles` table as QGIS reads it from a GeoPackage or PostGIS.
    void write_styles(const std::vector<LayerStyle>& styles, const std::vector<std::string>& creation_options = {});
    // Flushes and closes; throws OutputError if GDAL reported a failure.
    void close();
    // What GDAL warned about while writing (a vector tile over its size limit...), in order.
    const std::vector<std::string>& gdal_warnings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The Shapefile name of a field (at most 10 characters): territories → terr_ids,
// covered_communes → cov_comm, covered_population → cov_pop, coverage_pct → cover_pct.
std::string short_field_name(const std::string& name);

} // namespace cptsmap
