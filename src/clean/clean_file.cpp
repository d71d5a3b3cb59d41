#include "cptsmap/clean/clean_file.hpp"

#include "cptsmap/clean/clean_changes.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/io/polygon_layer_file.hpp"

#include <ogr_geometry.h>

#include <filesystem>
#include <memory>

namespace cptsmap {

namespace fs = std::filesystem;

CleanFileResult clean_file(const CleanFileOptions& o, const GeosContext& geos)
{
    CleanFileResult result;
    result.driver = check_output_file(o.input, o.output, o.driver, o.overwrite);
    const fs::path folder = fs::absolute(o.output).parent_path();
    for (const char* beside : {"clean.csv", "changes.geojson"}) {
        std::error_code ec;
        if (fs::exists(folder / beside, ec) && !o.overwrite)
            throw InputError((folder / beside).string() + " exists already (cptsmap clean writes it beside " + o.output +
                             "); write elsewhere, or pass --overwrite to replace it");
    }
    const PolygonLayerFile in(o.input, o.layer, "clean");
    result.layer = in.layer_name();
    result.features = in.size();
    if (in.geographic())
        throw InputError(o.input + " is in geographic coordinates (degrees), so distances and areas in metres mean nothing on it; "
                         "reproject it first (ogr2ogr -t_srs EPSG:2154 for the mainland)");
    const int id = in.field_index(o.id_field);
    if (id < 0) throw InputError(o.input + " has no field " + o.id_field + " to name the communes (its fields: " + in.field_names() + "); say which with --id-field");
    CleanOptions options = o.clean;
    if (options.rule == OverlapRule::Priority) {
        if (o.priority_field.empty()) throw InputError("--overlap-rule priority needs --priority FIELD, a numeric field whose greatest value wins (e.g. POPULATION)");
        const int p = in.field_index(o.priority_field);
        if (p < 0) throw InputError(o.input + " has no field " + o.priority_field + " (its fields: " + in.field_names() + "); check --priority");
        options.priority.clear();
        for (std::size_t i = 0; i < in.size(); ++i) options.priority.push_back(in.real_field(i, p));
    }

    std::vector<std::string> ids;
    std::vector<GeomPtr> read;
    std::vector<const GEOSGeometry*> polygons;
    for (std::size_t i = 0; i < in.size(); ++i) {
        ids.push_back(in.string_field(i, id));
        GeomPtr g;
        if (const OGRGeometry* ogr = in.geometry(i)) {
            std::vector<unsigned char> wkb(static_cast<std::size_t>(ogr->WkbSize()));
            ogr->exportToWkb(wkbNDR, wkb.data());
            g = geos.from_wkb(wkb.data(), wkb.size());
        }
        polygons.push_back(g.get());
        read.push_back(std::move(g));
    }
    CleanResult cleaned = clean_coverage(geos, polygons, options);
    read.clear();
    result.stats = cleaned.stats;
    result.changes = cleaned.changes.size();

    // Only the polygons that changed are written anew; the others as read, to the byte.
    std::vector<bool> changed(in.size(), false);
    for (const CleanChange& c : cleaned.changes) changed[c.polygon] = true;
    OutputDir out(folder, OutputDirOptions{false, true});
    in.write(
        o.output, result.driver,
        [&](std::size_t i) -> std::unique_ptr<OGRGeometry> {
            if (!changed[i] || !cleaned.polygons[i]) return nullptr;
            const std::vector<unsigned char> wkb = geos.to_wkb(cleaned.polygons[i].get());
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE)
                throw OutputError("cannot convert the cleaned commune " + ids[i] + " for GDAL");
            return std::unique_ptr<OGRGeometry>(g);
        },
        out);
    write_clean_changes(cleaned, ids, in.crs_wkt().empty() ? std::string("EPSG:2154") : in.crs_wkt(), out, geos);
    out.commit();
    return result;
}

} // namespace cptsmap
