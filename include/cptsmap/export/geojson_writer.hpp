#pragma once
// RFC 7946 GeoJSON, formatted by geojson_text and written through GDAL's virtual file API (VSI):
// WGS84 longitude/latitude, counter-clockwise exterior rings, 7 decimals. Geometries are reprojected
// from the working CRS and their coordinates rounded to the 1e-7° grid, so that the rounding done
// when printing cannot make a valid polygon invalid: the rounded geometry is kept when it is valid
// (nearly always), else the geometry is snapped with GEOS precision reduction, which keeps it valid.
#include "cptsmap/export/vertex_lonlat.hpp"
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_geometry.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace cptsmap {

enum class FieldKind { String, Integer, Real, StringList };

struct FieldSpec {
    std::string name;
    FieldKind kind = FieldKind::String;
};

using FieldValue = std::variant<std::string, std::int64_t, double, std::vector<std::string>>;

class GeoJsonWriter {
public:
    // `source_crs`: the CRS of the geometries passed to add() (e.g. "EPSG:2154").
    GeoJsonWriter(const std::string& path, const std::string& layer_name, std::vector<FieldSpec> fields,
                  const std::string& source_crs, const GeosContext& geos);
    // Geometries in several CRSs (France entière: one per delivery), each row's given by Row::crs.
    GeoJsonWriter(const std::string& path, const std::string& layer_name, std::vector<FieldSpec> fields,
                  const std::vector<std::string>& source_crs, const GeosContext& geos);
    ~GeoJsonWriter();
    GeoJsonWriter(const GeoJsonWriter&) = delete;
    GeoJsonWriter& operator=(const GeoJsonWriter&) = delete;

    // `crs`: which of the writer's source CRSs the geometry is in.
    void add(const std::vector<FieldValue>& values, const GEOSGeometry* geometry, unsigned crs = 0);

    struct Row {
        std::vector<FieldValue> values;
        const GEOSGeometry* geometry = nullptr; // null: a feature without geometry
        // The same geometry as vertex ids, when known: written from use_vertices()' coordinates
        // (and from `geometry` if rounding leaves a ring too short or the result not certainly valid).
        const VertexRings* rings = nullptr;
        // Instead of `geometry`: a commune's, built as GEOS only if `rings` cannot be used.
        const CommuneGeometry* commune = nullptr;
        unsigned crs = 0; // which of the writer's source CRSs the geometry is in
    };
    // Longitudes and latitudes of the vertices for rows given with `rings` (must outlive the writer).
    void use_vertices(const VertexLonLat* vertices);
    // Adds n features, row(0) ... row(n - 1), reprojecting and formatting them on `threads` threads
    // (0: one per core); row() is called concurrently and must only read. Same bytes as n add().
    void add_rows(std::size_t n, const std::function<Row(std::size_t)>& row, unsigned threads = 0);
    // Flushes and closes the file; throws OutputError if GDAL reported a failure.
    void close();

    // Reprojection to WGS84 and snapping to the output grid, for callers that need the exact
    // geometry that is written (tests, other writers).
    GeomPtr to_output_geometry(const GEOSGeometry* geometry, unsigned crs = 0) const;
    // The general path of to_output_geometry: reprojection, then GEOS precision reduction.
    GeomPtr snap_to_grid(const GEOSGeometry* geometry) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Rounds to `decimals` decimals (for figures written as properties).
double round_to(double value, int decimals);

// The output grid of every GeoJSON coordinate: 1e-7°, 7 decimals, about 1 cm.
inline constexpr double kOutputGrid = 1e-7;
// A longitude or latitude rounded to that grid.
inline double round_to_output_grid(double degrees) { return std::round(degrees / kOutputGrid) * kOutputGrid; }

} // namespace cptsmap
