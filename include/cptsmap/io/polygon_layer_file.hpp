#pragma once
// A polygon layer read whole from any vector data set GDAL reads, kept feature by feature so that it
// can be written again with new geometries and the same fields and CRS, in any vector format GDAL
// writes: what `cptsmap simplify` and `cptsmap clean` read and write. The output is staged in an
// OutputDir beside its final name, so it is never half-written.
#include "cptsmap/export/output_dir.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

class OGRGeometry;

namespace cptsmap {

// Where a command that rewrites a polygon layer (simplify, clean) reads it and writes it.
struct PolygonFileOptions {
    std::string input;
    std::string layer;  // "" for the only layer (or the COMMUNE layer of a data set that has one)
    std::string output; // file name; its extension gives the format unless `driver` is set
    std::string driver; // GDAL short name ("GPKG", "ESRI Shapefile", "FlatGeobuf", "GeoJSON"...)
    bool overwrite = false; // replace an existing output file (never the input)
};

// The GDAL driver for an output file name by its extension (.gpkg, .shp, .geojson/.json, .fgb,
// .gml, .kml, .sqlite, .csv); throws InputError naming them for another one.
std::string driver_for_output(const std::string& path);

// Checks, before anything is computed, that `output` can be written with `driver` ("" for the one
// of its extension): GDAL has the driver, `output` is not `input`, and it does not exist unless
// `overwrite`. Returns the driver's name; throws InputError otherwise.
std::string check_output_file(const std::string& input, const std::string& output, const std::string& driver, bool overwrite);

class PolygonLayerFile {
public:
    // Reads layer `layer` of `input` ("" for the only layer, or the COMMUNE layer of a data set
    // that has one). Throws InputError, naming `command`, for an input that cannot be read or a
    // feature that is not a polygon.
    PolygonLayerFile(const std::string& input, const std::string& layer, std::string_view command);
    ~PolygonLayerFile();
    PolygonLayerFile(const PolygonLayerFile&) = delete;
    PolygonLayerFile& operator=(const PolygonLayerFile&) = delete;

    std::size_t size() const noexcept;
    const std::string& layer_name() const noexcept;
    // The layer's CRS as WKT ("" when it has none), and whether it is geographic (degrees).
    const std::string& crs_wkt() const noexcept;
    bool geographic() const noexcept;
    // Feature i's geometry (null when it has none) and FID.
    const OGRGeometry* geometry(std::size_t i) const;
    long long fid(std::size_t i) const;
    // The index of a field (-1 if the layer has none of that name), and feature i's value of it.
    int field_index(const std::string& name) const;
    std::string field_names() const; // "ID, NOM, INSEE_COM..." for messages
    std::string string_field(std::size_t i, int field) const;
    double real_field(std::size_t i, int field) const;

    // Writes every feature with its fields and geometry(i) (a MultiPolygon where the
    // input feature was one; null keeps the geometry as read) as `output` with GDAL's `driver`, staged in `out` (with the files a
    // driver writes beside it, a shapefile's .shx, .dbf...); the caller commits `out`. Throws
    // OutputError when GDAL cannot write it.
    void write(const std::string& output, const std::string& driver, const std::function<std::unique_ptr<OGRGeometry>(std::size_t)>& geometry,
               OutputDir& out) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace cptsmap
