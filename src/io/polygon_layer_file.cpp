#include "cptsmap/io/polygon_layer_file.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <vector>

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

std::string check_output_file(const std::string& input, const std::string& output, const std::string& driver, bool overwrite)
{
    ensure_gdal_registered();
    std::string name = driver.empty() ? driver_for_output(output) : driver;
    if (GetGDALDriverManager()->GetDriverByName(name.c_str()) == nullptr)
        throw InputError("GDAL has no driver " + name + " on this machine; `ogrinfo --formats` lists those it has");
    std::error_code ec;
    if (fs::exists(output, ec) && fs::equivalent(output, input, ec))
        throw InputError("--out " + output + " is the input itself; write the result to another file");
    if (fs::exists(output, ec) && !overwrite) throw InputError(output + " exists already; choose another name, or pass --overwrite to replace it");
    return name;
}

struct PolygonLayerFile::Impl {
    std::string input;
    GDALDatasetUniquePtr ds;
    OGRLayer* layer = nullptr;
    std::string layer_name;
    std::string crs_wkt;
    bool geographic = false;
    std::vector<std::unique_ptr<OGRFeature>> features;
};

namespace {

OGRLayer* layer_to_read(GDALDataset& ds, const std::string& input, const std::string& layer)
{
    if (!layer.empty()) {
        if (OGRLayer* l = ds.GetLayerByName(layer.c_str())) return l;
        throw InputError(input + " has no layer " + layer);
    }
    if (ds.GetLayerCount() == 1) return ds.GetLayer(0);
    for (const char* name : {"COMMUNE", "commune"})
        if (OGRLayer* l = ds.GetLayerByName(name)) return l;
    std::string names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) names += std::string(names.empty() ? "" : ", ") + ds.GetLayer(i)->GetName();
    throw InputError(input + " has " + std::to_string(ds.GetLayerCount()) + " layers (" + names + "); say which with --layer");
}

} // namespace

PolygonLayerFile::PolygonLayerFile(const std::string& input, const std::string& layer, std::string_view command) : impl_(std::make_unique<Impl>())
{
    ensure_gdal_registered();
    Impl& m = *impl_;
    m.input = input;
    m.ds.reset(GDALDataset::Open(input.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!m.ds) throw InputError("cannot open " + input + " as a vector data set (" + CPLGetLastErrorMsg() + "); is it a file GDAL reads?");
    m.layer = layer_to_read(*m.ds, input, layer);
    m.layer_name = m.layer->GetName();
    if (const OGRSpatialReference* srs = m.layer->GetSpatialRef()) {
        m.geographic = srs->IsGeographic();
        char* wkt = nullptr;
        if (srs->exportToWkt(&wkt) == OGRERR_NONE && wkt != nullptr) m.crs_wkt = wkt;
        CPLFree(wkt);
    }
    m.layer->ResetReading();
    for (OGRFeature* f = m.layer->GetNextFeature(); f != nullptr; f = m.layer->GetNextFeature()) {
        m.features.emplace_back(f);
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) continue;
        const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon)
            throw InputError(input + ": feature " + std::to_string(f->GetFID()) + " of layer " + m.layer_name + " is a " + OGRGeometryTypeToName(type) +
                             ", not a polygon; cptsmap " + std::string(command) + " works on polygon coverages");
    }
}

PolygonLayerFile::~PolygonLayerFile() = default;

std::size_t PolygonLayerFile::size() const noexcept { return impl_->features.size(); }
const std::string& PolygonLayerFile::layer_name() const noexcept { return impl_->layer_name; }
const std::string& PolygonLayerFile::crs_wkt() const noexcept { return impl_->crs_wkt; }
bool PolygonLayerFile::geographic() const noexcept { return impl_->geographic; }

const OGRGeometry* PolygonLayerFile::geometry(std::size_t i) const
{
    const OGRGeometry* g = impl_->features.at(i)->GetGeometryRef();
    return g != nullptr && !g->IsEmpty() ? g : nullptr;
}

long long PolygonLayerFile::fid(std::size_t i) const { return impl_->features.at(i)->GetFID(); }

int PolygonLayerFile::field_index(const std::string& name) const { return impl_->layer->GetLayerDefn()->GetFieldIndex(name.c_str()); }

std::string PolygonLayerFile::field_names() const
{
    std::string names;
    const OGRFeatureDefn* defn = impl_->layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) names += std::string(names.empty() ? "" : ", ") + defn->GetFieldDefn(i)->GetNameRef();
    return names;
}

std::string PolygonLayerFile::string_field(std::size_t i, int field) const { return impl_->features.at(i)->GetFieldAsString(field); }
double PolygonLayerFile::real_field(std::size_t i, int field) const { return impl_->features.at(i)->GetFieldAsDouble(field); }

void PolygonLayerFile::write(const std::string& output, const std::string& driver_name,
                             const std::function<std::unique_ptr<OGRGeometry>(std::size_t)>& geometry, OutputDir& out) const
{
    const Impl& m = *impl_;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (driver == nullptr) throw InputError("GDAL has no driver " + driver_name + " on this machine; `ogrinfo --formats` lists those it has");
    const fs::path target = fs::absolute(output);
    const fs::path staged = out.staged(target.filename().string());
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00Z"); // GeoPackage timestamps: the same bytes every run
    {
        GDALDatasetUniquePtr ds(driver->Create(staged.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw OutputError("cannot create " + output + " with GDAL's " + driver_name + " driver (" + CPLGetLastErrorMsg() + ")");
        char** layer_options = nullptr;
        if (driver_name == "GeoJSON") layer_options = CSLSetNameValue(layer_options, "RFC7946", "YES");
        if (driver_name == "ESRI Shapefile") layer_options = CSLSetNameValue(layer_options, "ENCODING", "UTF-8");
        const OGRSpatialReference* srs = m.layer->GetSpatialRef();
        OGRSpatialReference* out_srs = srs != nullptr ? srs->Clone() : nullptr;
        OGRLayer* dest = ds->CreateLayer(m.layer_name.c_str(), out_srs, m.layer->GetGeomType(), layer_options);
        CSLDestroy(layer_options);
        if (out_srs != nullptr) out_srs->Release();
        if (dest == nullptr) throw OutputError("cannot create layer " + m.layer_name + " in " + output + " (" + CPLGetLastErrorMsg() + ")");
        OGRFeatureDefn* defn = m.layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (dest->CreateField(defn->GetFieldDefn(i)) != OGRERR_NONE)
                throw OutputError("cannot create field " + std::string(defn->GetFieldDefn(i)->GetNameRef()) + " in " + output);
        const bool transaction = dest->StartTransaction() == OGRERR_NONE; // drivers without transactions write as they go
        for (std::size_t i = 0; i < m.features.size(); ++i) {
            OGRFeature f(dest->GetLayerDefn());
            f.SetFrom(m.features[i].get(), TRUE);
            if (std::unique_ptr<OGRGeometry> g = geometry(i)) {
                const OGRGeometry* before = m.features[i]->GetGeometryRef();
                if (before != nullptr && wkbFlatten(before->getGeometryType()) == wkbMultiPolygon && wkbFlatten(g->getGeometryType()) == wkbPolygon)
                    g.reset(OGRGeometryFactory::forceToMultiPolygon(g.release())); // as the input: a layer of MultiPolygons stays one
                f.SetGeometryDirectly(g.release());
            }
            if (dest->CreateFeature(&f) != OGRERR_NONE)
                throw OutputError("cannot write feature " + std::to_string(m.features[i]->GetFID()) + " to " + output + " (" + CPLGetLastErrorMsg() +
                                  "); is the disk full?");
        }
        if (transaction && dest->CommitTransaction() != OGRERR_NONE) throw OutputError("cannot write " + output + " (" + CPLGetLastErrorMsg() + ")");
        CPLErrorReset();
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError("cannot finish writing " + output + " (" + CPLGetLastErrorMsg() + "); is the disk full?");
    }
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    // The files the driver wrote beside the main one (a shapefile's .shx, .dbf, .prj, .cpg).
    const std::string stem = target.stem().string();
    for (const auto& e : fs::directory_iterator(staged.parent_path())) {
        const std::string name = e.path().filename().string();
        if (name != target.filename().string() && e.path().stem().string() == stem) out.staged(name);
    }
}

} // namespace cptsmap
