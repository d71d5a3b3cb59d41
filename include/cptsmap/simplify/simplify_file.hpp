#pragma once
// `cptsmap simplify`: any polygon coverage GDAL reads (communes of any edition, cantons, IRIS, a
// build's own layers...) simplified on its shared-edge topology (simplify/coverage_simplify.hpp)
// and written with the same fields and CRS, in any vector format GDAL writes (from the output's
// extension, or a GDAL driver name). The output is written beside its final name and renamed into
// place: never half-written.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/io/polygon_layer_file.hpp"
#include "cptsmap/simplify/coverage_simplify.hpp"

#include <string>

namespace cptsmap {

struct SimplifyFileOptions : PolygonFileOptions {
    SimplifyOptions simplify;
    unsigned threads = 0;
};

struct SimplifyFileResult {
    SimplifyStats stats;
    std::size_t features = 0;
    std::string layer;   // the layer read
    std::string driver;  // the driver written with
};

// Throws InputError for an input that cannot be read, a layer that is not polygons, or a
// tolerance in metres on geographic coordinates; OutputError when the output cannot be written.
SimplifyFileResult simplify_file(const SimplifyFileOptions& options, const GeosContext& geos);

} // namespace cptsmap
