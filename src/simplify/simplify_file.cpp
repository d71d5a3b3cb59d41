#include "cptsmap/simplify/simplify_file.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/io/ogr_polygons.hpp"
#include "cptsmap/io/polygon_layer_file.hpp"

#include <ogr_geometry.h>

#include <filesystem>
#include <memory>

namespace cptsmap {

namespace fs = std::filesystem;

namespace {

GeomPtr geos_of(const GeosContext& geos, const OGRGeometry& g)
{
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g.WkbSize()));
    g.exportToWkb(wkbNDR, wkb.data());
    return geos.from_wkb(wkb.data(), wkb.size());
}

} // namespace

SimplifyFileResult simplify_file(const SimplifyFileOptions& o, const GeosContext& geos)
{
    SimplifyFileResult result;
    result.driver = check_output_file(o.input, o.output, o.driver, o.overwrite);
    const PolygonLayerFile in(o.input, o.layer, "simplify");
    result.layer = in.layer_name();
    if (in.geographic() && !o.simplify.keep_pct && o.simplify.tolerance > 0)
        throw InputError(o.input + " is in geographic coordinates (degrees), so a tolerance in metres means nothing on it; give --simplify-pct, "
                         "or reproject it first (ogr2ogr -t_srs EPSG:2154)");

    // Every feature's polygon (its coordinates, or GEOS for a ring GEOS must judge); a feature
    // without geometry stays without.
    std::vector<CommuneGeometry> polygons;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (const OGRGeometry* g = in.geometry(i)) {
            PolygonArrays arrays;
            if (read_polygon_arrays(*g, arrays)) polygons.emplace_back(std::move(arrays));
            else polygons.emplace_back(geos_of(geos, *g));
        } else {
            polygons.emplace_back();
        }
    }
    result.features = in.size();
    // On a layer in degrees, the topology's tolerances in degrees of latitude (about 111 km each).
    const double units_per_metre = in.geographic() ? 1.0 / 111'000.0 : 1.0;
    const CoverageTopology topology(geos, polygons, simplify_topology_options(o.simplify, o.threads, units_per_metre));
    SimplifyOptions simplify = o.simplify;
    if (simplify.threads == 0) simplify.threads = o.threads;
    CoverageSimplification s = simplify_coverage(geos, topology, simplify, units_per_metre);
    result.stats = s.stats;

    // The output, with the input's fields and CRS, in a staging folder beside it.
    OutputDir out(fs::absolute(o.output).parent_path(), OutputDirOptions{false, true});
    in.write(o.output, result.driver, [&](std::size_t i) { return s.polygons[i] ? ogr_polygons(*s.polygons[i]) : nullptr; }, out);
    out.commit();
    return result;
}

} // namespace cptsmap
