#pragma once
// `cptsmap clean`: a commune layer GDAL reads, cleaned (clean/coverage_clean.hpp) and written with
// the same fields and CRS in any vector format GDAL writes, with clean.csv and changes.geojson
// (clean/clean_changes.hpp) beside it. The three files are staged and moved into place together:
// all of them or, on failure, none.
#include "cptsmap/clean/coverage_clean.hpp"
#include "cptsmap/io/polygon_layer_file.hpp"

#include <string>

namespace cptsmap {

struct CleanFileOptions : PolygonFileOptions { // overwrite: also clean.csv and changes.geojson
    // The field that names each commune in clean.csv and changes.geojson. DEFAULT: INSEE_COM.
    std::string id_field = "INSEE_COM";
    // With --overlap-rule priority: the numeric field whose greatest value wins (e.g. POPULATION).
    std::string priority_field;
    CleanOptions clean;
};

struct CleanFileResult {
    CleanStats stats;
    std::size_t features = 0;
    std::size_t changes = 0;
    std::string layer;  // the layer read
    std::string driver; // the driver written with
};

// Throws InputError for an input that cannot be read, a layer that is not polygons or is in
// degrees, a missing field; OutputError when the output cannot be written.
CleanFileResult clean_file(const CleanFileOptions& options, const GeosContext& geos);

} // namespace cptsmap
