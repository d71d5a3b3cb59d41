#include "cptsmap/export/vector_dataset_writer.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace cptsmap {

namespace {

constexpr const char* kFixedDate = "2000-01-01T00:00:00.000Z"; // stamped instead of "now" (determinism)

// Sets a GDAL configuration option on this thread for the lifetime of the object.
class ScopedConfig {
public:
    ScopedConfig(const char* key, const char* value) : key_(key)
    {
        if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) old_ = old, had_ = true;
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ScopedConfig() { CPLSetThreadLocalConfigOption(key_, had_ ? old_.c_str() : nullptr); }
    ScopedConfig(const ScopedConfig&) = delete;
    ScopedConfig& operator=(const ScopedConfig&) = delete;

private:
    const char* key_;
    std::string old_;
    bool had_ = false;
};

// DBF text fields hold 254 bytes: a longer list is cut after its last whole item and ends in ",...".
std::string fit_dbf(const std::string& s)
{
    constexpr std::size_t kMax = 254;
    if (s.size() <= kMax) return s;
    const std::size_t comma = s.rfind(',', kMax - 4);
    return s.substr(0, comma == std::string::npos ? kMax - 4 : comma) + ",...";
}

std::string joined(const std::vector<std::string>& list)
{
    std::string out;
    for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
    return out;
}

struct CslDeleter {
    void operator()(char** p) const noexcept { CSLDestroy(p); }
};
using CslPtr = std::unique_ptr<char*, CslDeleter>;

CslPtr to_csl(const std::vector<std::string>& options)
{
    char** list = nullptr;
    for (const auto& o : options) list = CSLAddString(list, o.c_str());
    return CslPtr(list);
}

} // namespace

std::string short_field_name(const std::string& name)
{
    if (name == "territories") return "terr_ids";
    if (name == "covered_communes") return "cov_comm";
    if (name == "covered_population") return "cov_pop";
    if (name == "coverage_pct") return "cover_pct";
    return name.substr(0, 10);
}

struct VectorDatasetWriter::Impl {
    std::string name;
    GdalErrorCapture capture;
    ScopedConfig date{"OGR_CURRENT_DATE", kFixedDate};
    GDALDatasetUniquePtr ds;
    bool in_transaction = false;

    std::string where() const { return database() ? "the PostgreSQL database" : name; }
    bool database() const { return name.rfind("PG:", 0) == 0; }
    std::string gdal() const { return capture.first_failure().empty() ? std::string() : " (GDAL: " + capture.first_failure() + ")"; }
};

VectorDatasetWriter::VectorDatasetWriter(const std::string& driver_name, const std::string& name, const std::vector<std::string>& dataset_options)
    : impl_(std::make_unique<Impl>())
{
    ensure_gdal_registered();
    Impl& m = *impl_;
    m.name = name;
    if (driver_name == "PostgreSQL") {
        const char* drivers[] = {"PostgreSQL", nullptr};
        m.ds.reset(GDALDataset::Open(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
        if (!m.ds) throw OutputError("cannot connect to PostgreSQL with \"" + name.substr(3) + "\"" + m.gdal() +
                                     "; check --pg (dbname=... host=... port=... user=...) and that the server runs");
        return;
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (driver == nullptr) throw OutputError("GDAL has no " + driver_name + " driver; install a GDAL built with it (Debian: gdal-bin)");
    CslPtr options = to_csl(dataset_options);
    m.ds.reset(driver->Create(name.c_str(), 0, 0, 0, GDT_Unknown, options.get()));
    if (!m.ds) throw OutputError("cannot create " + name + m.gdal());
}

VectorDatasetWriter::~VectorDatasetWriter()
{
    if (impl_ && impl_->ds && impl_->in_transaction) impl_->ds->RollbackTransaction();
}

void VectorDatasetWriter::begin_transaction()
{
    Impl& m = *impl_;
    if (m.ds->StartTransaction(FALSE) != OGRERR_NONE) throw OutputError("cannot start a transaction in " + m.where() + m.gdal());
    m.in_transaction = true;
}

void VectorDatasetWriter::commit_transaction()
{
    Impl& m = *impl_;
    m.in_transaction = false;
    if (m.ds->CommitTransaction() != OGRERR_NONE) throw OutputError("cannot commit the transaction in " + m.where() + m.gdal());
}

void VectorDatasetWriter::write(const LayerTable& table, const std::string& crs, const VectorLayerOptions& options)
{
    Impl& m = *impl_;
    const std::string& table_crs = table.crs.empty() ? crs : table.crs;
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (srs.SetFromUserInput(table_crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + table_crs + " for " + m.where());
    CslPtr layer_options = to_csl(options.creation_options);
    OGRLayer* layer = m.ds->CreateLayer(table.name.c_str(), &srs, wkbMultiPolygon, layer_options.get());
    if (layer == nullptr) throw OutputError("cannot create layer " + table.name + " in " + m.where() + m.gdal());
    for (const auto& f : table.fields) {
        OGRFieldType type = OFTString;
        if (f.kind == FieldKind::Integer) type = OFTInteger64;
        else if (f.kind == FieldKind::Real) type = OFTReal;
        const std::string field = options.dbf_limits ? short_field_name(f.name) : f.name;
        OGRFieldDefn defn(field.c_str(), type);
        if (layer->CreateField(&defn) != OGRERR_NONE) throw OutputError("cannot create field " + field + " in " + m.where() + m.gdal());
    }
    GeosContext geos; // only for WKB: geometries from any context serialise the same
    for (const LayerRow& row : table.rows) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t i = 0; i < row.values.size() && i < table.fields.size(); ++i) {
            const int idx = static_cast<int>(i);
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::int64_t>) feature->SetField(idx, static_cast<GIntBig>(v));
                    else if constexpr (std::is_same_v<T, double>) feature->SetField(idx, v);
                    else {
                        std::string text;
                        if constexpr (std::is_same_v<T, std::string>) text = v;
                        else text = joined(v);
                        feature->SetField(idx, (options.dbf_limits ? fit_dbf(text) : text).c_str());
                    }
                },
                row.values[i]);
        }
        if (row.geometry != nullptr) {
            std::vector<unsigned char> wkb = geos.to_wkb(row.geometry);
            OGRGeometry* ogr = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr) {
                throw OutputError("internal error: cannot convert a geometry of " + table.name + " for " + m.where());
            }
            OGRGeometry* multi = OGRGeometryFactory::forceToMultiPolygon(ogr);
            multi->assignSpatialReference(&srs);
            feature->SetGeometryDirectly(multi);
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
            throw OutputError("cannot write a feature of " + table.name + " to " + m.where() + m.gdal() + (m.database() ? "; nothing was changed in the database" : "; is the disk full?"));
        }
    }
}

void VectorDatasetWriter::write_styles(const std::vector<LayerStyle>& styles, const std::vector<std::string>& creation_options)
{
    Impl& m = *impl_;
    CslPtr layer_options = to_csl(creation_options);
    OGRLayer* layer = m.ds->CreateLayer("layer_styles", nullptr, wkbNone, layer_options.get());
    if (layer == nullptr) throw OutputError("cannot create the layer_styles table in " + m.where() + m.gdal());
    const char* text_fields[] = {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                                 "styleQML",        "styleSLD",       "description",  "owner",             "ui"};
    for (const char* name : text_fields) {
        OGRFieldDefn defn(name, OFTString);
        layer->CreateField(&defn);
    }
    OGRFieldDefn use_default("useAsDefault", OFTInteger);
    use_default.SetSubType(OFSTBoolean);
    layer->CreateField(&use_default);
    OGRFieldDefn update_time("update_time", OFTDateTime);
    layer->CreateField(&update_time);
    for (const LayerStyle& s : styles) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("f_table_catalog", "");
        f->SetField("f_table_schema", m.database() ? "public" : "");
        f->SetField("f_table_name", s.layer.c_str());
        f->SetField("f_geometry_column", "geom");
        f->SetField("styleName", s.layer.c_str());
        f->SetField("styleQML", s.qml.c_str());
        f->SetField("styleSLD", "");
        f->SetField("description", ("cptsmap default style for " + s.layer).c_str());
        f->SetField("owner", "");
        f->SetField("ui", "");
        f->SetField("useAsDefault", 1);
        f->SetField("update_time", 2000, 1, 1, 0, 0, 0.0F, 100);
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) throw OutputError("cannot write the style of " + s.layer + " to " + m.where() + m.gdal());
    }
}

void VectorDatasetWriter::close()
{
    Impl& m = *impl_;
    if (!m.ds) return;
    if (m.in_transaction) commit_transaction();
    m.ds->FlushCache(true);
    GDALClose(GDALDataset::ToHandle(m.ds.release()));
    if (m.capture.failed()) throw OutputError("cannot finish writing " + m.where() + m.gdal());
}

const std::vector<std::string>& VectorDatasetWriter::gdal_warnings() const
{
    return impl_->capture.warnings();
}

} // namespace cptsmap
