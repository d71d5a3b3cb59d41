#include "cptsmap/layer/commune_loader.hpp"

#include "cptsmap/io/ogr_polygons.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/io/threads.hpp"
#include "cptsmap/layer/admin_express_schema.hpp"
#include "cptsmap/layer/population.hpp"
#include "cptsmap/names/normalize.hpp"
#include "cptsmap/names/utf8.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace cptsmap {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// True when `where` (a path, or "path layer NAME" in a multi-layer data set) names a shapefile:
// messages then speak of its .shp and .prj, otherwise of the file.
bool is_shapefile(const std::string& where) { return lower(fs::path(where).extension().string()) == ".shp"; }

std::string trim(std::string s)
{
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string with_gdal_reason(std::string msg, const GdalErrorCapture& capture)
{
    if (capture.failed()) msg += " (GDAL: " + capture.last_failure() + ")";
    return msg;
}

// A file in `dir` whose name matches `name` case-insensitively.
std::optional<fs::path> sibling(const fs::path& dir, const std::string& name)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (lower(entry.path().filename().string()) == lower(name)) return entry.path();
    }
    return std::nullopt;
}

// An ADMIN EXPRESS delivery nests COMMUNE.shp a few folders deep; find it (them, in a France
// entière folder: one per territory, in path order).
std::vector<fs::path> find_commune_files(const fs::path& dir)
{
    std::vector<fs::path> shapefiles, geopackages, parquets;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied | fs::directory_options::follow_directory_symlink, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const std::string name = lower(it->path().filename().string());
        if (name == "commune.shp") shapefiles.push_back(it->path());
        else if (lower(it->path().extension().string()) == ".gpkg") geopackages.push_back(it->path());
        else if (name.starts_with("commune") && lower(it->path().extension().string()) == ".parquet") parquets.push_back(it->path());
    }
    std::sort(parquets.begin(), parquets.end());
    std::sort(shapefiles.begin(), shapefiles.end());
    if (!shapefiles.empty()) return shapefiles;
    if (geopackages.size() == 1) return geopackages;
    if (geopackages.empty() && parquets.size() == 1) return parquets;
    throw InputError("no COMMUNE.shp (nor a single GeoPackage) found in folder " + dir.string() +
                     "; pass the path of the ADMIN EXPRESS COMMUNE layer with --communes");
}

void check_shapefile_parts(const fs::path& shp)
{
    if (lower(shp.extension().string()) != ".shp") return;
    const fs::path dir = shp.has_parent_path() ? shp.parent_path() : fs::path(".");
    const std::string stem = shp.stem().string();
    for (const char* ext : {".shx", ".dbf"}) {
        if (!sibling(dir, stem + ext)) {
            throw InputError(std::string(ext + 1) + " file missing beside " + shp.string() + ": a shapefile is a set of files (" +
                             stem + ".shp, .shx, .dbf, .prj); copy all of them from the delivery");
        }
    }
}

// ADMIN EXPRESS 4-0 is also shipped as GeoParquet (from 2026); GDAL reads it only when built with
// Arrow, which Debian bookworm's GDAL 3.6 is not.
void check_parquet_driver(const fs::path& path)
{
    if (lower(path.extension().string()) != ".parquet") return;
    if (GetGDALDriverManager()->GetDriverByName("Parquet") != nullptr) return;
    throw InputError(path.string() + " is GeoParquet, and this GDAL (" + GDALVersionInfo("RELEASE_NAME") +
                     ") has no Parquet driver (GDAL is built without Arrow here, as on Debian bookworm); download the GeoPackage "
                     "edition of the delivery, or convert it where GDAL has the driver: ogr2ogr -f GPKG commune.gpkg " +
                     path.filename().string());
}

GDALDatasetUniquePtr open_vector(const fs::path& path, GdalErrorCapture& capture)
{
    check_parquet_driver(path);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        throw InputError(with_gdal_reason("cannot open " + path.string() + " as a vector data set", capture) +
                         "; check that it is a complete shapefile, GeoPackage or other format GDAL reads");
    }
    return ds;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& wanted, const std::string& path)
{
    const int n = ds.GetLayerCount();
    std::string names;
    for (int i = 0; i < n; ++i) names += std::string(i ? ", " : "") + ds.GetLayer(i)->GetName();
    if (!wanted.empty()) {
        for (int i = 0; i < n; ++i)
            if (lower(ds.GetLayer(i)->GetName()) == lower(wanted)) return ds.GetLayer(i);
        throw InputError("no layer \"" + wanted + "\" in " + path + " (layers: " + names + ")");
    }
    if (n == 1) return ds.GetLayer(0);
    for (int i = 0; i < n; ++i)
        if (lower(ds.GetLayer(i)->GetName()) == "commune") return ds.GetLayer(i);
    if (n == 0) throw InputError(path + " holds no vector layer");
    throw InputError(path + " holds " + std::to_string(n) + " layers and none is named COMMUNE (layers: " + names +
                     "); choose one with --layer");
}

// Names must be UTF-8 as written by IGN. A .cpg that states the wrong encoding gives either bytes
// that are not UTF-8 (a Latin-1 .dbf read as UTF-8) or UTF-8 decoded twice ("BÃªta" for a UTF-8
// .dbf read as Latin-1); both would make every name lookup fail, so they stop the load.
void check_name_encoding(const Commune& c, const std::string& where, OGRLayer& layer)
{
    const auto cpg = [&] {
        const char* declared = layer.GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
        return declared != nullptr && *declared != '\0' ? std::string("says ") + declared : std::string("is missing");
    };
    if (invalid_utf8_offset(c.name) != std::string_view::npos) {
        throw InputError("the name of commune " + c.insee + " in " + where + " is not UTF-8 text: the .cpg " + cpg() +
                         " but the .dbf is in another encoding; write its real encoding in the .cpg (ADMIN EXPRESS: UTF-8; Latin-1: ISO-8859-1)");
    }
    if (looks_double_encoded(c.name)) {
        throw InputError("the name of commune " + c.insee + " in " + where + " reads \"" + c.name + "\": the .cpg " + cpg() +
                         " but the .dbf is UTF-8; write UTF-8 in the .cpg");
    }
}

struct FieldIndex {
    int insee = -1, name = -1, population = -1, dep = -1, epci = -1, region = -1;
};

// The COMMUNE fields in either ADMIN EXPRESS schema (3-x INSEE_COM..., 4-0 code_insee...).
FieldIndex find_fields(const SchemaMatch& m)
{
    return FieldIndex{m.index[0], m.index[1], m.index[2], m.index[3], m.index[4], m.index[5]};
}

std::string departement_of(const std::string& insee)
{
    if (insee.size() >= 3 && insee.compare(0, 2, "97") == 0) return insee.substr(0, 3);
    return insee.substr(0, 2);
}

// The population of commune `c`'s feature: 0 with `missing` set when the field is empty or not a
// number; an InputError naming the commune when it is outside 0 ... kMaxCommunePopulation.
std::int64_t read_population(OGRFeature& feature, int field, const Commune& c, const std::string& where, bool& missing)
{
    missing = !feature.IsFieldSetAndNotNull(field);
    if (missing) return 0;
    const auto refuse = [&](const std::string& why) {
        return InputError("the " + std::string(feature.GetFieldDefnRef(field)->GetNameRef()) + " of commune " + c.insee + " (" + c.name + ") in " +
                          where + " " + why + ": correct the field, or copy the layer again from the delivery");
    };
    const auto checked = [&](std::int64_t v) {
        if (const auto why = population_out_of_range(v)) throw refuse(*why);
        return v;
    };
    const OGRFieldType type = feature.GetFieldDefnRef(field)->GetType();
    if (type == OFTInteger || type == OFTInteger64) return checked(feature.GetFieldAsInteger64(field));
    if (type == OFTReal) {
        const double v = feature.GetFieldAsDouble(field);
        // Compared as a double first: a cast of 1e19 or NaN to an integer is undefined.
        if (!(v > -0.5 && v < static_cast<double>(kMaxCommunePopulation) + 0.5)) throw refuse(population_refusal(feature.GetFieldAsString(field)));
        return checked(static_cast<std::int64_t>(v + 0.5));
    }
    const std::string text = trim(feature.GetFieldAsString(field));
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size()) return checked(v);
    } catch (const std::out_of_range&) {
        throw refuse(population_refusal(text));
    } catch (const std::exception&) {
    }
    missing = true;
    return 0;
}

// The companion layer of a delivery (EPCI, ARRONDISSEMENT_MUNICIPAL): a layer of that name in the
// same multi-layer data set (a 4-0 GeoPackage: "epci"), else <NAME>.shp beside COMMUNE.shp.
OGRLayer* find_companion_layer(GDALDataset* same_ds, const fs::path& commune_file, const LayerSchema& schema,
                               GDALDatasetUniquePtr& own_ds, std::string& where)
{
    if (same_ds != nullptr && same_ds->GetLayerCount() > 1) {
        for (int i = 0; i < same_ds->GetLayerCount(); ++i) {
            const std::string name = lower(same_ds->GetLayer(i)->GetName());
            if (name == lower(schema.layer_v3) || name == schema.layer_v4) {
                where = commune_file.string() + " layer " + same_ds->GetLayer(i)->GetName();
                return same_ds->GetLayer(i);
            }
        }
    }
    if (lower(commune_file.extension().string()) == ".shp") {
        const fs::path dir = commune_file.has_parent_path() ? commune_file.parent_path() : fs::path(".");
        if (auto p = sibling(dir, std::string(schema.layer_v3) + ".shp")) {
            own_ds.reset(GDALDataset::Open(p->string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
            where = p->string();
            if (own_ds && own_ds->GetLayerCount() > 0) return own_ds->GetLayer(0);
        }
    }
    return nullptr;
}

void load_epci_names(CommuneLayer& layer, GDALDataset* same_ds, const fs::path& commune_file, const std::string& epci_path)
{
    GdalErrorCapture capture;
    GDALDatasetUniquePtr own_ds;
    OGRLayer* epci = nullptr;
    std::string where;
    if (!epci_path.empty()) {
        own_ds = open_vector(epci_path, capture);
        epci = pick_layer(*own_ds, own_ds->GetLayerCount() == 1 ? "" : "EPCI", epci_path);
        where = epci_path;
    } else {
        epci = find_companion_layer(same_ds, commune_file, epci_schema(), own_ds, where);
    }
    if (epci == nullptr) return;
    SchemaMatch m;
    try {
        m = match_schema(epci_schema(), *epci->GetLayerDefn(), where);
    } catch (const InputError&) {
        layer.warnings.push_back("EPCI layer " + where + " has no CODE_SIREN/NOM fields (nor 4-0's code_siren/nom_officiel); EPCI are known by SIREN only");
        return;
    }
    const int siren = m.index[0], name = m.index[1], nature = m.index[2];
    // Names only: the EPCI outlines (14 MB for France) are not parsed.
    const char* no_geometry[] = {"OGR_GEOMETRY", nullptr};
    epci->SetIgnoredFields(no_geometry);
    epci->ResetReading();
    for (auto& f : *epci) {
        Epci e;
        e.siren = trim(f->GetFieldAsString(siren));
        e.name = trim(f->GetFieldAsString(name));
        if (nature >= 0) e.nature = trim(f->GetFieldAsString(nature));
        if (!e.siren.empty()) layer.add_epci(std::move(e));
    }
}

struct ReadContext {
    std::string where;
    FieldIndex fields;
    LoadOptions options;
    OGRCoordinateTransformation* transform = nullptr;
    std::string crs_name;
};

struct ReadBatch {
    std::vector<Commune> communes;
    std::vector<std::string> name_keys; // normalize_name() of each commune's name
    std::size_t no_population = 0, no_geometry = 0, repaired = 0;
    std::vector<std::string> repaired_examples;
    double boundary_m = 0.0; // the rings' length and segments of the communes kept as read, for
    std::size_t segments = 0; // the layer's vertex spacing
};

// Reads `count` features from feature index `start` (0-based) of `layer_in` into `out`.
void read_features(const ReadContext& context, OGRLayer& layer_in, GIntBig start, GIntBig count, const GeosContext& geos, ReadBatch& out)
{
    GdalErrorCapture capture;
    const std::string& where = context.where;
    const FieldIndex& fields = context.fields;
    std::vector<unsigned char> wkb;
    layer_in.ResetReading();
    if (start > 0 && layer_in.SetNextByIndex(start) != OGRERR_NONE) {
        throw InputError("cannot seek to feature " + std::to_string(start + 1) + " of " + where + "; the file is truncated or corrupt: copy it again from the delivery");
    }
    out.communes.reserve(static_cast<std::size_t>(std::max<GIntBig>(count, 0)));
    GIntBig feature_number = start;
    capture.clear();
    for (GIntBig k = 0; k < count; ++k) {
        OGRFeatureUniquePtr feature(layer_in.GetNextFeature());
        if (!feature) {
            if (capture.failed()) {
                throw InputError("cannot read " + where + " after feature " + std::to_string(feature_number) +
                                 " (GDAL: " + capture.last_failure() + "); the file is truncated or corrupt: copy it again from the delivery");
            }
            break;
        }
        ++feature_number;
        if (capture.failed()) {
            throw InputError("cannot read feature " + std::to_string(feature_number) + " of " + where + " (GDAL: " +
                             capture.last_failure() + "); the file is truncated or corrupt: copy it again from the delivery");
        }
        Commune c;
        c.insee = trim(feature->GetFieldAsString(fields.insee));
        if (c.insee.empty()) {
            throw InputError("feature " + std::to_string(feature_number) + " of " + where + " has an empty " +
                             feature->GetFieldDefnRef(fields.insee)->GetNameRef() + "; every commune needs its INSEE code");
        }
        c.name = trim(feature->GetFieldAsString(fields.name));
        check_name_encoding(c, where, layer_in);
        bool pop_missing = false;
        c.population = read_population(*feature, fields.population, c, where, pop_missing);
        if (pop_missing) ++out.no_population;
        c.departement = fields.dep >= 0 ? trim(feature->GetFieldAsString(fields.dep)) : std::string();
        if (c.departement.empty()) c.departement = departement_of(c.insee);
        if (fields.epci >= 0) c.epci = first_siren(feature->GetFieldAsString(fields.epci));
        if (fields.region >= 0) c.region = trim(feature->GetFieldAsString(fields.region));

        OGRGeometry* g = feature->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            ++out.no_geometry;
        } else {
            const OGRwkbGeometryType flat = wkbFlatten(g->getGeometryType());
            if (flat != wkbPolygon && flat != wkbMultiPolygon && flat != wkbCurvePolygon && flat != wkbMultiSurface) {
                throw InputError("commune " + c.insee + " (" + c.name + ") in " + where + " is a " + OGRGeometryTypeToName(flat) +
                                 ", not a polygon; the commune layer must hold polygons");
            }
            if (flat == wkbCurvePolygon || flat == wkbMultiSurface) {
                OGRGeometry* linear = OGRGeometryFactory::forceToMultiPolygon(feature->StealGeometry());
                feature->SetGeometryDirectly(linear);
                g = feature->GetGeometryRef();
            }
            g->flattenTo2D();
            if (context.transform != nullptr && g->transform(context.transform) != OGRERR_NONE) {
                throw InputError("cannot reproject commune " + c.insee + " (" + c.name + ") of " + where + " to " + context.crs_name +
                                 (is_shapefile(where) ? "; are its coordinates in the CRS its .prj declares?" : "; are its coordinates in the CRS it declares?"));
            }
            // Coordinates kept as read when the quick test certifies them (or GEOS finds them
            // valid); GEOS geometries only to judge the others, and for what make-valid returns.
            PolygonArrays arrays;
            GeomPtr built;
            bool read = read_polygon_arrays(*g, arrays);
            if (read && context.options.repair && !certainly_valid(arrays)) {
                try {
                    built = to_geos(geos, arrays);
                } catch (const GeosError&) {
                    read = false; // GEOS refused a ring: the WKB path, and GEOS's validity, say why
                }
            }
            if (!read) {
                arrays.clear();
                wkb.resize(static_cast<std::size_t>(g->WkbSize()));
                g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
                built = geos.from_wkb(wkb.data(), wkb.size());
            }
            // (Built from arrays the quick test did not certify: GEOS judges; from WKB: the quick
            // test first.)
            if (built && context.options.repair && (read || !certainly_valid(geos, built.get())) && GEOSisValid_r(geos, built.get()) != 1) {
                char* reason = GEOSisValidReason_r(geos, built.get());
                std::string why = reason != nullptr ? reason : "invalid";
                if (reason != nullptr) GEOSFree_r(geos, reason);
                GeomPtr fixed = geos.own(GEOSMakeValid_r(geos, built.get()), "make-valid of commune " + c.insee);
                built = polygonal_part(geos, std::move(fixed));
                arrays.clear(); // the repaired geometry is GEOS's
                ++out.repaired;
                if (out.repaired_examples.size() < 10) out.repaired_examples.push_back(c.insee + " " + c.name + " (" + why + ")");
            }
            if (!arrays.empty()) {
                c.area_m2 = planar_area(arrays);
                out.boundary_m += boundary_length(arrays);
                out.segments += arrays.points() - arrays.rings();
                c.geometry = CommuneGeometry(std::move(arrays));
            } else {
                GEOSArea_r(geos, built.get(), &c.area_m2);
                c.geometry = CommuneGeometry(std::move(built));
            }
        }
        out.name_keys.push_back(normalize_name(c.name));
        out.communes.push_back(std::move(c));
    }
}

// The CRS IGN delivers a territory in, from where the layer lies: Guadeloupe and Martinique RGAF09 /
// UTM 20N, Guyane RGFG95 / UTM 22N, La Réunion RGR92 / UTM 40S, Mayotte RGM04 / UTM 38S, anywhere
// else Lambert-93. From the centre of the layer's extent in longitude and latitude.
std::string delivery_crs(OGRLayer& layer_in, const OGRSpatialReference& source)
{
    OGREnvelope e;
    if (layer_in.GetExtent(&e, TRUE) != OGRERR_NONE) return "EPSG:2154";
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const std::unique_ptr<OGRCoordinateTransformation> to_lonlat(OGRCreateCoordinateTransformation(&source, &wgs84));
    double lon = (e.MinX + e.MaxX) / 2, lat = (e.MinY + e.MaxY) / 2;
    if (!to_lonlat || !to_lonlat->Transform(1, &lon, &lat)) return "EPSG:2154";
    struct Zone {
        double lon0, lon1, lat0, lat1;
        const char* crs;
    };
    static const Zone zones[] = {{-63.5, -59.5, 13.5, 18.5, "EPSG:5490"},
                                 {-55.0, -51.0, 1.5, 6.5, "EPSG:2972"},
                                 {54.5, 56.5, -22.0, -20.5, "EPSG:2975"},
                                 {44.5, 45.7, -13.3, -12.3, "EPSG:4471"}};
    for (const Zone& z : zones)
        if (lon >= z.lon0 && lon <= z.lon1 && lat >= z.lat0 && lat <= z.lat1) return z.crs;
    return "EPSG:2154";
}

// The working CRS, checked, and the transformation from the layer's own CRS (or --input-crs) to
// it; null when they are the same. Without --work-crs, the CRS IGN delivers the territory in.
std::unique_ptr<OGRCoordinateTransformation> working_transform(const LoadOptions& options, OGRLayer& layer_in, const std::string& where,
                                                               CommuneLayer& layer)
{
    GdalErrorCapture capture;
    OGRSpatialReference source;
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference* declared = layer_in.GetSpatialRef();
    // A GeoPackage layer of srs_id 0 or -1 reads as "Undefined geographic/Cartesian SRS": no CRS.
    if (declared != nullptr && declared->GetName() != nullptr && std::string(declared->GetName()).rfind("Undefined", 0) == 0) declared = nullptr;
    if (const OGRSpatialReference* srs = declared; srs != nullptr && options.assume_crs.empty()) {
        source = *srs;
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    } else if (!options.assume_crs.empty()) {
        if (source.SetFromUserInput(options.assume_crs.c_str()) != OGRERR_NONE)
            throw InputError("unknown CRS \"" + options.assume_crs + "\" given with --input-crs");
    } else {
        if (is_shapefile(where)) {
            throw InputError(where + " has no coordinate reference system (the .prj file is missing?); "
                             "copy the .prj from the delivery or pass --input-crs EPSG:2154");
        }
        throw InputError(where + " declares no coordinate reference system; pass the CRS of its coordinates with --input-crs EPSG:2154, "
                         "or take the layer again from the delivery (IGN's GeoPackages declare theirs)");
    }
    const std::string work_crs = options.work_crs.empty() ? delivery_crs(layer_in, source) : options.work_crs;
    OGRSpatialReference work;
    work.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (work.SetFromUserInput(work_crs.c_str()) != OGRERR_NONE) {
        throw InputError("unknown working CRS \"" + work_crs + "\"; give an EPSG code such as EPSG:2154");
    }
    if (!work.IsProjected()) {
        throw InputError("working CRS " + work_crs + " is not projected; areas need a metric CRS such as EPSG:2154 (Lambert-93)");
    }
    layer.crs = work_crs;
    layer.crs_name = work.GetName() != nullptr ? work.GetName() : work_crs;
    std::unique_ptr<OGRCoordinateTransformation> transform;
    if (!source.IsSame(&work)) {
        transform.reset(OGRCreateCoordinateTransformation(&source, &work));
        if (!transform) {
            throw InputError(with_gdal_reason("cannot transform " + where + " from " + std::string(source.GetName() ? source.GetName() : "its CRS") +
                                                  " to " + layer.crs_name, capture));
        }
    }
    return transform;
}

// The names of the fields a read does not need (ADMIN EXPRESS has eleven), for SetIgnoredFields.
std::vector<std::string> unused_fields(OGRFeatureDefn& defn, const FieldIndex& fields)
{
    std::vector<std::string> names;
    for (int i = 0; i < defn.GetFieldCount(); ++i)
        if (i != fields.insee && i != fields.name && i != fields.population && i != fields.dep && i != fields.epci && i != fields.region)
            names.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    names.emplace_back("OGR_STYLE");
    return names;
}

// The features in batches, in file order: on several threads when the file allows cheap random
// access (a shapefile: each thread opens it and starts at its own feature), on one otherwise.
std::vector<ReadBatch> read_batches(const fs::path& path, GDALDataset& ds, OGRLayer& layer_in, const ReadContext& context,
                                    const std::vector<std::string>& ignored_names, const GeosContext& geos)
{
    std::vector<const char*> ignored;
    for (const auto& n : ignored_names) ignored.push_back(n.c_str());
    ignored.push_back(nullptr);
    const auto ignore_fields = [&](OGRLayer& l) { l.SetIgnoredFields(ignored.data()); };
    ignore_fields(layer_in);

    const GIntBig count = layer_in.GetFeatureCount(TRUE);
    unsigned threads = thread_count(context.options.threads);
    const bool shapefile = std::string(ds.GetDriver()->GetDescription()) == "ESRI Shapefile";
    if (!shapefile || count < 4096) threads = 1;
    // Ranges of features taken in turn (eight per thread: communes differ in size from one
    // département to the next), each read into its own batch, batches kept in file order.
    const std::size_t ranges = threads == 1 ? 1 : 8 * std::size_t(threads);
    const GIntBig per = (count + static_cast<GIntBig>(ranges) - 1) / static_cast<GIntBig>(ranges);
    std::vector<ReadBatch> batches(ranges);
    if (threads == 1) {
        read_features(context, layer_in, 0, count, geos, batches[0]);
        return batches;
    }
    WorkQueue queue(ranges);
    run_on_threads(threads, [&](unsigned) {
        GdalErrorCapture thread_capture;
        GDALDatasetUniquePtr own(GDALDataset::Open(path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!own) throw InputError("cannot open " + path.string() + " again to read it in parallel");
        OGRLayer* own_layer = own->GetLayerByName(layer_in.GetName());
        if (own_layer == nullptr) own_layer = own->GetLayer(0);
        ignore_fields(*own_layer);
        std::unique_ptr<OGRCoordinateTransformation> own_transform(context.transform ? context.transform->Clone() : nullptr);
        ReadContext local = context;
        local.transform = own_transform.get();
        GeosContext local_geos;
        for (std::size_t k; queue.take(k);) {
            const GIntBig start = std::min(count, per * static_cast<GIntBig>(k));
            read_features(local, *own_layer, start, std::min(count, start + per) - start, local_geos, batches[k]);
        }
    });
    return batches;
}

// The batches' communes added to the layer in file order, and what they found said in warnings.
void add_batches(std::vector<ReadBatch>& batches, const std::string& where, CommuneLayer& layer)
{
    std::size_t total = 0;
    for (const ReadBatch& batch : batches) total += batch.communes.size();
    layer.reserve(total);
    std::size_t no_population = 0, no_geometry = 0, repaired = 0;
    std::vector<std::string> repaired_examples;
    double boundary_m = 0.0;
    std::size_t segments = 0;
    for (ReadBatch& batch : batches) {
        boundary_m += batch.boundary_m;
        segments += batch.segments;
        no_population += batch.no_population;
        no_geometry += batch.no_geometry;
        repaired += batch.repaired;
        for (auto& e : batch.repaired_examples)
            if (repaired_examples.size() < 10) repaired_examples.push_back(std::move(e));
        for (std::size_t i = 0; i < batch.communes.size(); ++i) layer.add(std::move(batch.communes[i]), std::move(batch.name_keys[i]));
    }
    layer.edition.segments = segments;
    layer.edition.mean_segment_m = segments > 0 ? boundary_m / static_cast<double>(segments) : 0.0;
    layer.edition.precision = precision_of_spacing(layer.edition.mean_segment_m);
    if (layer.size() == 0) {
        throw InputError(where + " holds no commune (zero features); check that it is the COMMUNE layer of the delivery");
    }
    if (no_geometry == layer.size()) {
        throw InputError("none of the " + std::to_string(layer.size()) + " communes of " + where +
                         " has a readable geometry; " + (is_shapefile(where) ? "the .shp" : "the file") + " is corrupt or empty: copy it again from the delivery");
    }
    if (repaired > 0) {
        std::string list;
        for (const auto& e : repaired_examples) list += (list.empty() ? "" : "; ") + e;
        layer.warnings.push_back(std::to_string(repaired) + " commune geometr" + (repaired > 1 ? "ies were" : "y was") +
                                 " invalid and repaired with GEOS make-valid: " + list +
                                 (repaired > repaired_examples.size() ? " (" + std::to_string(repaired - repaired_examples.size()) + " more not listed)" : ""));
    }
    if (no_population > 0) {
        layer.warnings.push_back(std::to_string(no_population) + " commune(s) of " + where + " have no POPULATION value; counted as 0 inhabitants");
    }
    if (no_geometry > 0) {
        layer.warnings.push_back(std::to_string(no_geometry) + " commune(s) of " + where + " have no geometry; they count in memberships but not in areas");
    }
    if (!layer.has_epci_field) {
        layer.warnings.push_back(where + " has no SIREN_EPCI field (4-0: codes_siren_des_epci); epci() selectors will match nothing");
    }
}

// Paris, Lyon and Marseille replaced by their arrondissements municipaux, when an arrondissement
// layer is given (--arrondissements) or is part of the delivery. Arrondissements of a city the
// layer does not hold are left out (an extract of other départements); each takes the EPCI of its
// city. Read and repaired as the communes are, reprojected to the working CRS.
void replace_cities_by_arrondissements(CommuneLayer& layer, GDALDataset* same_ds, const fs::path& commune_file, const LoadOptions& options,
                                       const GeosContext& geos)
{
    GdalErrorCapture capture;
    GDALDatasetUniquePtr own_ds;
    OGRLayer* in = nullptr;
    std::string where;
    if (!options.arrondissements_path.empty()) {
        fs::path path = options.arrondissements_path;
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            throw InputError("arrondissement layer " + path.string() + " does not exist; pass ADMIN EXPRESS's ARRONDISSEMENT_MUNICIPAL.shp (or its GeoPackage) with --arrondissements");
        }
        if (fs::is_directory(path, ec)) {
            const auto shp = sibling(path, "ARRONDISSEMENT_MUNICIPAL.shp");
            if (!shp) throw InputError("no ARRONDISSEMENT_MUNICIPAL.shp in " + path.string() + "; pass the arrondissement layer itself with --arrondissements");
            path = *shp;
        }
        own_ds = open_vector(path, capture);
        in = pick_layer(*own_ds, own_ds->GetLayerCount() == 1 ? "" : "ARRONDISSEMENT_MUNICIPAL", path.string());
        where = path.string();
    } else {
        in = find_companion_layer(same_ds, commune_file, arrondissement_schema(), own_ds, where);
    }
    if (in == nullptr) return;
    const SchemaMatch m = match_schema(arrondissement_schema(), *in->GetLayerDefn(), where);
    const int code = m.index[0], city = m.index[1], name = m.index[2], population = m.index[3];
    CommuneLayer scratch; // working_transform names the working CRS on it; the layer has it already
    const std::unique_ptr<OGRCoordinateTransformation> transform = working_transform(options, *in, where, scratch);
    LoadOptions one_thread = options;
    one_thread.threads = 1;
    const ReadContext context{where, FieldIndex{code, name, population, -1, -1}, one_thread, transform.get(), layer.crs_name};
    ReadBatch batch;
    in->ResetReading();
    read_features(context, *in, 0, in->GetFeatureCount(TRUE), geos, batch);
    // The city of each feature, in feature order (read_features keeps it).
    std::vector<std::string> cities;
    in->ResetReading();
    for (auto& f : *in) cities.push_back(trim(f->GetFieldAsString(city)));
    if (cities.size() != batch.communes.size()) throw InputError("cannot read " + where + " twice the same way; is the file being written?");

    std::map<std::string, std::vector<Commune>> parts;
    std::map<std::string, std::int64_t> part_population;
    for (std::size_t k = 0; k < batch.communes.size(); ++k) {
        Commune& a = batch.communes[k];
        const auto city_index = layer.find_code(cities[k]);
        if (!city_index) continue;
        const Commune& whole = layer[*city_index];
        a.epci = whole.epci;
        a.departement = whole.departement;
        part_population[cities[k]] = add_population(part_population[cities[k]], a.population);
        parts[cities[k]].push_back(std::move(a));
    }
    if (parts.empty()) return;
    CommuneLayer::Arrondissements read{where, 0, {}};
    for (const auto& [code_of_city, list] : parts) {
        const Commune& whole = layer[*layer.find_code(code_of_city)];
        read.count += list.size();
        read.cities.push_back(whole.name);
        // Populations of another year than the communes' (the sums differ by more than 0.5 %).
        const std::int64_t sum = part_population[code_of_city];
        if (whole.population > 0 && std::llabs(sum - whole.population) * 200 > whole.population) {
            layer.warnings.push_back("the arrondissements of " + whole.name + " in " + where + " total " + std::to_string(sum) +
                                     " inhabitants, the commune layer says " + std::to_string(whole.population) +
                                     ": are they of the same COG year? The arrondissements' populations are used");
        }
    }
    if (batch.repaired > 0 || batch.no_geometry > 0) {
        layer.warnings.push_back(std::to_string(batch.repaired) + " arrondissement geometr" + (batch.repaired == 1 ? "y" : "ies") + " of " + where +
                                 " repaired with GEOS make-valid, " + std::to_string(batch.no_geometry) + " without geometry");
    }
    layer.replace_communes(std::move(parts));
    layer.arrondissements = std::move(read);
}

// The name of a delivery: the département of its communes when it holds one ("972"), else its
// CRS's code ("2154").
std::string delivery_name(const CommuneLayer& layer)
{
    const std::vector<std::string> deps = layer.departements();
    if (deps.size() == 1) return deps.front();
    const std::size_t colon = layer.crs.find(':');
    return colon == std::string::npos ? layer.crs : layer.crs.substr(colon + 1);
}

// One COMMUNE layer (a file) read into a layer of its own, as its only delivery.
CommuneLayer load_delivery(const fs::path& path, const LoadOptions& options, const GeosContext& geos)
{
    GdalErrorCapture capture;
    std::error_code ec;
    check_shapefile_parts(path);

    GDALDatasetUniquePtr ds = open_vector(path, capture);
    OGRLayer* layer_in = pick_layer(*ds, options.layer, path.string());
    const std::string where = path.string() + (ds->GetLayerCount() > 1 ? std::string(" layer ") + layer_in->GetName() : "");

    CommuneLayer layer;
    layer.source = where;
    const std::unique_ptr<OGRCoordinateTransformation> transform = working_transform(options, *layer_in, where, layer);

    // An empty layer first: its missing fields would otherwise be the message.
    if (layer_in->GetFeatureCount(TRUE) == 0) {
        throw InputError(where + " holds no commune (zero features); check that it is the COMMUNE layer of the delivery");
    }
    const SchemaMatch schema = match_schema(commune_schema(), *layer_in->GetLayerDefn(), where);
    const FieldIndex fields = find_fields(schema);
    layer.has_epci_field = fields.epci >= 0;
    layer.edition.schema = schema.edition;
    layer.edition.format = ds->GetDriver()->GetDescription();
    layer.edition.delivery = parse_delivery_name(fs::absolute(path, ec).generic_string());

    const ReadContext context{where, fields, options, transform.get(), layer.crs_name};
    std::vector<ReadBatch> batches = read_batches(path, *ds, *layer_in, context, unused_fields(*layer_in->GetLayerDefn(), fields), geos);
    add_batches(batches, where, layer);

    replace_cities_by_arrondissements(layer, ds.get(), path, options, geos);
    load_epci_names(layer, ds.get(), path, options.epci_path);
    // EPCI seen in the communes but absent from the EPCI layer are still selectable by SIREN.
    for (const auto& c : layer.communes()) {
        if (!c.epci.empty() && c.epci != "NC" && layer.find_epci(c.epci) == nullptr) layer.add_epci(Epci{c.epci, c.epci, ""});
    }
    layer.deliveries = {Delivery{where, layer.crs, layer.crs_name, delivery_name(layer)}};
    return layer;
}

// The COMMUNE layers named by --communes: each path a file, or a folder holding one delivery
// (COMMUNE.shp however deep, or a GeoPackage) or several (France entière: one COMMUNE.shp per
// territory).
std::vector<fs::path> commune_files(const LoadOptions& options)
{
    std::vector<std::string> given{options.path};
    given.insert(given.end(), options.more_paths.begin(), options.more_paths.end());
    std::vector<fs::path> files;
    for (const std::string& p : given) {
        const fs::path path = p;
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            throw InputError("commune layer " + path.string() + " does not exist; pass an ADMIN EXPRESS COMMUNE.shp (or its folder) with --communes");
        }
        if (!fs::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        for (const fs::path& f : find_commune_files(path)) files.push_back(f);
    }
    return files;
}

// Every delivery must lie apart from the others in its coordinates: they share one topology, where
// vertices are told apart by their coordinates alone (IGN's CRSs keep France's territories far
// apart: Lambert-93 northings 6.0-7.2 Mm, Réunion's 7.6 Mm, the Antilles' 1.6-1.9 Mm...).
void check_deliveries_apart(const CommuneLayer& layer)
{
    std::vector<std::array<double, 4>> box(layer.deliveries.size(), {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL});
    for (const Commune& c : layer.communes()) {
        if (c.geometry.empty()) continue;
        const std::array<double, 4> b = c.geometry.envelope();
        auto& d = box[c.delivery];
        d = {std::min(d[0], b[0]), std::min(d[1], b[1]), std::max(d[2], b[2]), std::max(d[3], b[3])};
    }
    for (std::size_t a = 0; a < box.size(); ++a)
        for (std::size_t b = a + 1; b < box.size(); ++b) {
            if (box[a][0] > box[b][2] || box[b][0] > box[a][2] || box[a][1] > box[b][3] || box[b][1] > box[a][3]) continue;
            if (layer.deliveries[a].crs == layer.deliveries[b].crs) continue; // one CRS: neighbours, as any two départements
            throw InputError("the deliveries " + layer.deliveries[a].source + " (" + layer.deliveries[a].crs + ") and " + layer.deliveries[b].source +
                             " (" + layer.deliveries[b].crs + ") overlap in their coordinates, so their communes cannot be told apart; give "
                             "--work-crs to bring every delivery into one CRS");
        }
}

} // namespace

CommuneLayer load_communes(const LoadOptions& options, const GeosContext& geos)
{
    ensure_gdal_registered();
    const std::vector<fs::path> files = commune_files(options);
    if (files.size() == 1) return load_delivery(files.front(), options, geos);
    // Several deliveries: each read in its own CRS (or all in --work-crs), the largest first.
    std::vector<CommuneLayer> layers;
    for (const fs::path& f : files) layers.push_back(load_delivery(f, options, geos));
    std::stable_sort(layers.begin(), layers.end(), [](const CommuneLayer& a, const CommuneLayer& b) { return a.size() > b.size(); });
    CommuneLayer layer = std::move(layers.front());
    for (std::size_t k = 1; k < layers.size(); ++k) layer.append_delivery(std::move(layers[k]));
    check_deliveries_apart(layer);
    return layer;
}

} // namespace cptsmap
