#include "cptsmap/simplify/simplify_file.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/io/ogr_polygons.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace cptsmap {

namespace fs = std::filesystem;

std::string driver_for_output(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const std::pair<const char*, const char*> kDrivers[] = {
        {".gpkg", "GPKG"},     {".shp", "ESRI Shapefile"}, {".geojson", "GeoJSON"}, {".json", "GeoJSON"}, {".fgb", "FlatGeobuf"},
        {".gml", "GML"},       {".kml", "KML"},            {".sqlite", "SQLite"},   {".csv", "CSV"},
    };
    for (const auto& [e, driver] : kDrivers)
        if (ext == e) return driver;
    throw InputError("cannot tell the format of " + path + " from its extension; name it .gpkg, .shp, .geojson, .fgb, .gml, .kml, .sqlite or .csv, "
                     "or give --driver with a GDAL driver name");
}

namespace {

OGRLayer* layer_to_read(GDALDataset& ds, const SimplifyFileOptions& o)
{
    if (!o.layer.empty()) {
        if (OGRLayer* l = ds.GetLayerByName(o.layer.c_str())) return l;
        throw InputError(o.input + " has no layer " + o.layer);
    }
    if (ds.GetLayerCount() == 1) return ds.GetLayer(0);
    for (const char* name : {"COMMUNE", "commune"})
        if (OGRLayer* l = ds.GetLayerByName(name)) return l;
    std::string names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) names += std::string(names.empty() ? "" : ", ") + ds.GetLayer(i)->GetName();
    throw InputError(o.input + " has " + std::to_string(ds.GetLayerCount()) + " layers (" + names + "); say which with --layer");
}

GeomPtr geos_of(const GeosContext& geos, const OGRGeometry& g)
{
    std::vector<unsigned char> wkb(static_cast<std::size_t>(g.WkbSize()));
    g.exportToWkb(wkbNDR, wkb.data());
    return geos.from_wkb(wkb.data(), wkb.size());
}

} // namespace

SimplifyFileResult simplify_file(const SimplifyFileOptions& o, const GeosContext& geos)
{
    ensure_gdal_registered();
    SimplifyFileResult result;
    result.driver = o.driver.empty() ? driver_for_output(o.output) : o.driver;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(result.driver.c_str());
    if (driver == nullptr) throw InputError("GDAL has no driver " + result.driver + " on this machine; `ogrinfo --formats` lists those it has");

    std::error_code ec;
    if (fs::exists(o.output, ec) && fs::equivalent(o.output, o.input, ec))
        throw InputError("--out " + o.output + " is the input itself; write the simplified layer to another file");
    if (fs::exists(o.output, ec) && !o.overwrite)
        throw InputError(o.output + " exists already; choose another name, or pass --overwrite to replace it");
    GDALDatasetUniquePtr in(GDALDataset::Open(o.input.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!in) throw InputError("cannot open " + o.input + " as a vector data set (" + CPLGetLastErrorMsg() + "); is it a file GDAL reads?");
    OGRLayer* layer = layer_to_read(*in, o);
    result.layer = layer->GetName();
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    const bool geographic = srs != nullptr && srs->IsGeographic();
    if (geographic && !o.simplify.keep_pct && o.simplify.tolerance > 0)
        throw InputError(o.input + " is in geographic coordinates (degrees), so a tolerance in metres means nothing on it; give --simplify-pct, "
                         "or reproject it first (ogr2ogr -t_srs EPSG:2154)");

    // Every feature and its polygon (its coordinates, or GEOS for a ring GEOS must judge); a
    // feature without geometry stays without.
    std::vector<std::unique_ptr<OGRFeature>> features;
    std::vector<CommuneGeometry> polygons;
    layer->ResetReading();
    for (OGRFeature* f = layer->GetNextFeature(); f != nullptr; f = layer->GetNextFeature()) {
        features.emplace_back(f);
        const OGRGeometry* g = f->GetGeometryRef();
        if (g != nullptr && !g->IsEmpty()) {
            const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
            if (type != wkbPolygon && type != wkbMultiPolygon)
                throw InputError(o.input + ": feature " + std::to_string(f->GetFID()) + " of layer " + result.layer + " is a " +
                                 OGRGeometryTypeToName(type) + ", not a polygon; cptsmap simplify works on polygon coverages");
            PolygonArrays arrays;
            if (read_polygon_arrays(*g, arrays)) polygons.emplace_back(std::move(arrays));
            else polygons.emplace_back(geos_of(geos, *g));
        } else {
            polygons.emplace_back();
        }
    }
    result.features = features.size();
    // On a layer in degrees, the topology's tolerances in degrees of latitude (about 111 km each).
    const double units_per_metre = geographic ? 1.0 / 111'000.0 : 1.0;
    const CoverageTopology topology(geos, polygons, simplify_topology_options(o.simplify, o.threads, units_per_metre));
    SimplifyOptions simplify = o.simplify;
    if (simplify.threads == 0) simplify.threads = o.threads;
    CoverageSimplification s = simplify_coverage(geos, topology, simplify, units_per_metre);
    result.stats = s.stats;

    // The output, with the input's fields and CRS, in a staging folder beside it.
    const fs::path target = fs::absolute(o.output);
    OutputDir out(target.parent_path(), OutputDirOptions{false, true});
    const fs::path staged = out.staged(target.filename().string());
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00Z"); // GeoPackage timestamps: the same bytes every run
    {
        GDALDatasetUniquePtr ds(driver->Create(staged.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw OutputError("cannot create " + o.output + " with GDAL's " + result.driver + " driver (" + CPLGetLastErrorMsg() + ")");
        char** layer_options = nullptr;
        if (result.driver == "GeoJSON") layer_options = CSLSetNameValue(layer_options, "RFC7946", "YES");
        if (result.driver == "ESRI Shapefile") layer_options = CSLSetNameValue(layer_options, "ENCODING", "UTF-8");
        OGRSpatialReference* out_srs = srs != nullptr ? srs->Clone() : nullptr;
        OGRLayer* dest = ds->CreateLayer(result.layer.c_str(), out_srs, layer->GetGeomType(), layer_options);
        CSLDestroy(layer_options);
        if (out_srs != nullptr) out_srs->Release();
        if (dest == nullptr) throw OutputError("cannot create layer " + result.layer + " in " + o.output + " (" + CPLGetLastErrorMsg() + ")");
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (dest->CreateField(defn->GetFieldDefn(i)) != OGRERR_NONE)
                throw OutputError("cannot create field " + std::string(defn->GetFieldDefn(i)->GetNameRef()) + " in " + o.output);
        const bool transaction = dest->StartTransaction() == OGRERR_NONE; // drivers without transactions write as they go
        for (std::size_t i = 0; i < features.size(); ++i) {
            OGRFeature f(dest->GetLayerDefn());
            f.SetFrom(features[i].get(), TRUE);
            if (s.polygons[i]) {
                PolygonArrays& p = *s.polygons[i];
                if (const OGRGeometry* before = features[i]->GetGeometryRef(); before != nullptr && wkbFlatten(before->getGeometryType()) == wkbMultiPolygon)
                    p.multi = true; // as the input: a layer of MultiPolygons stays one
                f.SetGeometryDirectly(ogr_polygons(p).release());
            }
            if (dest->CreateFeature(&f) != OGRERR_NONE)
                throw OutputError("cannot write feature " + std::to_string(features[i]->GetFID()) + " to " + o.output + " (" + CPLGetLastErrorMsg() +
                                  "); is the disk full?");
        }
        if (transaction && dest->CommitTransaction() != OGRERR_NONE) throw OutputError("cannot write " + o.output + " (" + CPLGetLastErrorMsg() + ")");
        CPLErrorReset();
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError("cannot finish writing " + o.output + " (" + CPLGetLastErrorMsg() + "); is the disk full?");
    }
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    // The files the driver wrote beside the main one (a shapefile's .shx, .dbf, .prj, .cpg).
    const std::string stem = target.stem().string();
    for (const auto& e : fs::directory_iterator(staged.parent_path())) {
        const std::string name = e.path().filename().string();
        if (name != target.filename().string() && e.path().stem().string() == stem) out.staged(name);
    }
    out.commit();
    return result;
}

} // namespace cptsmap
