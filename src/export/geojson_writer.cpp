#include "cptsmap/export/geojson_writer.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>

namespace cptsmap {

double round_to(double value, int decimals)
{
    const double f = std::pow(10.0, decimals);
    return std::round(value * f) / f;
}

namespace {
constexpr double kGrid = 1e-7; // degrees: 7 decimals, about 1 cm
}

struct GeoJsonWriter::Impl {
    const GeosContext& geos;
    std::string path;
    std::vector<FieldSpec> fields;
    OGRSpatialReference wgs84;
    OGRSpatialReference source;
    std::unique_ptr<OGRCoordinateTransformation> transform;
    GDALDatasetUniquePtr ds;
    OGRLayer* layer = nullptr;
    GdalErrorCapture capture;

    explicit Impl(const GeosContext& g) : geos(g) {}
};

GeoJsonWriter::GeoJsonWriter(const std::string& path, const std::string& layer_name, std::vector<FieldSpec> fields,
                             const std::string& source_crs, const GeosContext& geos)
    : impl_(std::make_unique<Impl>(geos))
{
    ensure_gdal_registered();
    Impl& m = *impl_;
    m.path = path;
    m.fields = std::move(fields);
    m.wgs84.SetWellKnownGeogCS("WGS84");
    m.wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m.source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (m.source.SetFromUserInput(source_crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + source_crs);
    m.transform.reset(OGRCreateCoordinateTransformation(&m.source, &m.wgs84));
    if (!m.transform) throw OutputError("cannot transform from " + source_crs + " to WGS84 (PROJ database missing?)");

    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
    if (driver == nullptr) throw OutputError("GDAL has no GeoJSON driver");
    m.ds.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m.ds) throw OutputError("cannot create " + path + " (GDAL: " + m.capture.last_failure() + ")");
    char** options = nullptr;
    options = CSLSetNameValue(options, "RFC7946", "YES");
    options = CSLSetNameValue(options, "COORDINATE_PRECISION", "7");
    options = CSLSetNameValue(options, "SIGNIFICANT_FIGURES", "15");
    options = CSLSetNameValue(options, "WRITE_NAME", "YES");
    m.layer = m.ds->CreateLayer(layer_name.c_str(), &m.wgs84, wkbUnknown, options);
    CSLDestroy(options);
    if (m.layer == nullptr) throw OutputError("cannot create layer in " + path + " (GDAL: " + m.capture.last_failure() + ")");
    for (const auto& f : m.fields) {
        OGRFieldType type = OFTString;
        if (f.kind == FieldKind::Integer) type = OFTInteger64;
        else if (f.kind == FieldKind::Real) type = OFTReal;
        else if (f.kind == FieldKind::StringList) type = OFTStringList;
        OGRFieldDefn defn(f.name.c_str(), type);
        if (m.layer->CreateField(&defn) != OGRERR_NONE) throw OutputError("cannot create field " + f.name + " in " + path);
    }
}

GeoJsonWriter::~GeoJsonWriter() = default;

GeomPtr GeoJsonWriter::to_output_geometry(const GEOSGeometry* geometry) const
{
    const GeosContext& geos = impl_->geos;
    if (GEOSisEmpty_r(geos, geometry) == 1) return geos.clone(geometry);
    std::vector<unsigned char> wkb = geos.to_wkb(geometry);
    OGRGeometry* ogr = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr) {
        throw OutputError("internal error: cannot convert a geometry for " + impl_->path);
    }
    std::unique_ptr<OGRGeometry> owned(ogr);
    if (owned->transform(impl_->transform.get()) != OGRERR_NONE) throw OutputError("cannot reproject a geometry to WGS84 for " + impl_->path);
    wkb.resize(static_cast<std::size_t>(owned->WkbSize()));
    owned->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    GeomPtr lonlat = geos.from_wkb(wkb.data(), wkb.size());
    return geos.own(GEOSGeom_setPrecision_r(geos, lonlat.get(), kGrid, 0), "snapping to the 1e-7° grid");
}

void GeoJsonWriter::add(const std::vector<FieldValue>& values, const GEOSGeometry* geometry)
{
    Impl& m = *impl_;
    OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(m.layer->GetLayerDefn()));
    for (std::size_t i = 0; i < values.size() && i < m.fields.size(); ++i) {
        const int idx = static_cast<int>(i);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::string>) feature->SetField(idx, v.c_str());
                else if constexpr (std::is_same_v<T, std::int64_t>) feature->SetField(idx, static_cast<GIntBig>(v));
                else if constexpr (std::is_same_v<T, double>) feature->SetField(idx, v);
                else {
                    CPLStringList list;
                    for (const auto& s : v) list.AddString(s.c_str());
                    feature->SetField(idx, list.List());
                }
            },
            values[i]);
    }
    if (geometry != nullptr) {
        GeomPtr out = to_output_geometry(geometry);
        std::vector<unsigned char> wkb = m.geos.to_wkb(out.get());
        OGRGeometry* ogr = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr) {
            throw OutputError("internal error: cannot convert a geometry for " + m.path);
        }
        ogr->assignSpatialReference(&m.wgs84);
        feature->SetGeometryDirectly(ogr);
    }
    if (m.layer->CreateFeature(feature.get()) != OGRERR_NONE) {
        throw OutputError("cannot write a feature to " + m.path + " (GDAL: " + m.capture.last_failure() + "); is the disk full?");
    }
}

void GeoJsonWriter::close()
{
    Impl& m = *impl_;
    if (!m.ds) return;
    m.layer = nullptr;
    m.ds->FlushCache(true);
    GDALClose(GDALDataset::ToHandle(m.ds.release()));
    if (m.capture.failed()) throw OutputError("cannot finish writing " + m.path + " (GDAL: " + m.capture.last_failure() + ")");
}

} // namespace cptsmap
