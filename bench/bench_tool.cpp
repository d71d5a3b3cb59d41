// cptsmap-bench: helpers for scripts/bench-france. Independent of libcptsmap on purpose (plain
// GDAL/OGR), so that the agreement check does not reuse the code it checks.
//
//   cptsmap-bench stats SHP                       features and vertices of a polygon layer
//   cptsmap-bench definitions SHP DIR FRACTION    DIR/epci.toml: one territory per EPCI;
//                                                 DIR/overlap.toml + DIR/overlap.shp: the same plus
//                                                 FRACTION of the communes also in a neighbouring EPCI
//   cptsmap-bench densify SHP OUT.shp FACTOR      every segment split into FACTOR equal pieces
//   cptsmap-bench compare REF KEY TEST KEY        areas (EPSG:2154) of two GeoJSON outputs, by key:
//                                                 same keys, max relative difference; exit 1 if > 1e-4
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw std::runtime_error(what);
}

GDALDatasetUniquePtr open_vector(const std::string& path)
{
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds || ds->GetLayerCount() < 1) fail("cannot open " + path);
    return ds;
}

long vertices_of(const OGRGeometry* g)
{
    if (g == nullptr) return 0;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        long n = 0;
        for (const OGRLinearRing* r : *g->toPolygon()) n += r->getNumPoints();
        return n;
    }
    if (type == wkbMultiPolygon) {
        long n = 0;
        for (const OGRPolygon* p : *g->toMultiPolygon()) n += vertices_of(p);
        return n;
    }
    return 0;
}

int stats(const std::string& path)
{
    auto ds = open_vector(path);
    OGRLayer* layer = ds->GetLayer(0);
    long features = 0, vertices = 0;
    for (auto& f : *layer) {
        ++features;
        vertices += vertices_of(f->GetGeometryRef());
    }
    std::printf("%ld %ld\n", features, vertices);
    return 0;
}

struct Row {
    std::string insee, epci;
    std::unique_ptr<OGRGeometry> geometry;
};

bool in_epci(const std::string& e) { return !e.empty() && e != "NC"; }

void for_each_point(const OGRGeometry* g, const std::function<void(double, double)>& f)
{
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        for (const OGRLinearRing* r : *g->toPolygon())
            for (int i = 0; i < r->getNumPoints(); ++i) f(r->getX(i), r->getY(i));
    } else if (type == wkbMultiPolygon) {
        for (const OGRPolygon* p : *g->toMultiPolygon()) for_each_point(p, f);
    }
}

int definitions(const std::string& path, const std::string& dir, double fraction)
{
    auto ds = open_vector(path);
    OGRLayer* layer = ds->GetLayer(0);
    std::vector<Row> rows;
    for (auto& f : *layer) {
        Row r;
        r.insee = f->GetFieldAsString("INSEE_COM");
        r.epci = f->GetFieldAsString("SIREN_EPCI");
        if (f->GetGeometryRef() != nullptr) r.geometry.reset(f->GetGeometryRef()->clone());
        rows.push_back(std::move(r));
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.insee < b.insee; });
    std::set<std::string> epcis;
    for (const Row& r : rows)
        if (in_epci(r.epci)) epcis.insert(r.epci);

    // Neighbours: communes that share a vertex (exact coordinates).
    std::unordered_map<std::string, std::vector<std::size_t>> at;
    auto key = [](double x, double y) {
        std::string k(2 * sizeof(double), '\0');
        std::memcpy(k.data(), &x, sizeof x);
        std::memcpy(k.data() + sizeof x, &y, sizeof y);
        return k;
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].geometry) continue;
        for_each_point(rows[i].geometry.get(), [&](double x, double y) {
            auto& v = at[key(x, y)];
            if (v.empty() || v.back() != i) v.push_back(i);
        });
    }
    std::vector<std::string> other(rows.size()); // the smallest other EPCI touching each commune
    for (const auto& [k, ids] : at) {
        for (std::size_t a : ids)
            for (std::size_t b : ids) {
                if (!in_epci(rows[a].epci) || !in_epci(rows[b].epci) || rows[a].epci == rows[b].epci) continue;
                if (other[a].empty() || rows[b].epci < other[a]) other[a] = rows[b].epci;
            }
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!other[i].empty()) candidates.push_back(i);
    const std::size_t wanted = std::min(candidates.size(), static_cast<std::size_t>(std::llround(fraction * static_cast<double>(rows.size()))));
    std::map<std::string, std::vector<std::string>> extra; // EPCI -> communes added to it
    std::vector<std::size_t> chosen;
    for (std::size_t k = 0; k < wanted; ++k) chosen.push_back(candidates[k * candidates.size() / wanted]);
    for (std::size_t i : chosen) extra[other[i]].push_back(rows[i].insee);

    auto write_toml = [&](const std::string& file, bool with_extra) {
        std::ofstream out(file);
        out << "# Generated by cptsmap-bench from " << path << ": one territory per EPCI"
            << (with_extra ? ", plus communes of a neighbouring EPCI" : "") << "\n";
        for (const std::string& e : epcis) {
            out << "\n[[territory]]\nid = \"" << e << "\"\nmembers = '''epci(\"" << e << "\")";
            if (with_extra && extra.count(e) != 0) {
                out << " + commune(";
                bool first = true;
                for (const auto& c : extra[e]) {
                    out << (first ? "" : ", ") << '"' << c << '"';
                    first = false;
                }
                out << ")";
            }
            out << "'''\n";
        }
        if (!out) fail("cannot write " + file);
    };
    write_toml(dir + "/epci.toml", false);
    write_toml(dir + "/overlap.toml", true);

    // The peers' input for the overlap run: one feature per (commune, territory).
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    const std::string shp = dir + "/overlap.shp";
    VSIStatBufL st;
    if (VSIStatL(shp.c_str(), &st) == 0) driver->Delete(shp.c_str());
    GDALDatasetUniquePtr out(driver->Create(shp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!out) fail("cannot create " + shp);
    OGRLayer* ol = out->CreateLayer("overlap", layer->GetSpatialRef(), wkbPolygon, nullptr);
    OGRFieldDefn f1("INSEE_COM", OFTString), f2("SIREN_EPCI", OFTString);
    ol->CreateField(&f1);
    ol->CreateField(&f2);
    auto add = [&](const Row& r, const std::string& t) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(ol->GetLayerDefn()));
        f->SetField(0, r.insee.c_str());
        f->SetField(1, t.c_str());
        if (r.geometry) f->SetGeometry(r.geometry.get());
        if (ol->CreateFeature(f.get()) != OGRERR_NONE) fail("cannot write to " + shp);
    };
    for (const Row& r : rows) add(r, r.epci);
    for (std::size_t i : chosen) add(rows[i], other[i]);
    std::printf("%zu territories, %zu communes, %zu also in a neighbouring territory\n", epcis.size(), rows.size(), chosen.size());
    return 0;
}

void densify_ring(OGRSimpleCurve* ring, int factor)
{
    const int n = ring->getNumPoints();
    if (n < 2) return;
    std::vector<OGRRawPoint> pts;
    pts.reserve(static_cast<std::size_t>(n - 1) * static_cast<std::size_t>(factor) + 1);
    for (int i = 0; i + 1 < n; ++i) {
        const double x0 = ring->getX(i), y0 = ring->getY(i), x1 = ring->getX(i + 1), y1 = ring->getY(i + 1);
        // The new points are computed from the segment's lower end whichever way the ring walks
        // it, so that two neighbours sharing the edge get the very same points (the densified
        // layer stays a clean coverage, as the original one).
        const bool forward = x0 < x1 || (x0 == x1 && y0 <= y1);
        const double ax = forward ? x0 : x1, ay = forward ? y0 : y1, bx = forward ? x1 : x0, by = forward ? y1 : y0;
        pts.push_back(OGRRawPoint(x0, y0));
        for (int k = 1; k < factor; ++k) {
            const int j = forward ? k : factor - k;
            const double t = static_cast<double>(j) / factor;
            pts.push_back(OGRRawPoint(ax + t * (bx - ax), ay + t * (by - ay)));
        }
    }
    pts.push_back(OGRRawPoint(ring->getX(n - 1), ring->getY(n - 1)));
    ring->setPoints(static_cast<int>(pts.size()), pts.data());
}

void densify_geometry(OGRGeometry* g, int factor)
{
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        for (OGRLinearRing* r : *g->toPolygon()) densify_ring(r, factor);
    } else if (type == wkbMultiPolygon) {
        for (OGRPolygon* p : *g->toMultiPolygon()) densify_geometry(p, factor);
    }
}

int densify(const std::string& path, const std::string& out_path, int factor)
{
    auto ds = open_vector(path);
    OGRLayer* layer = ds->GetLayer(0);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    VSIStatBufL st;
    if (VSIStatL(out_path.c_str(), &st) == 0) driver->Delete(out_path.c_str());
    GDALDatasetUniquePtr out(driver->Create(out_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!out) fail("cannot create " + out_path);
    char** options = CSLSetNameValue(nullptr, "ENCODING", "UTF-8");
    OGRLayer* ol = out->CreateLayer("COMMUNE", layer->GetSpatialRef(), wkbPolygon, options);
    CSLDestroy(options);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) ol->CreateField(defn->GetFieldDefn(i));
    for (auto& f : *layer) {
        OGRFeatureUniquePtr copy(OGRFeature::CreateFeature(ol->GetLayerDefn()));
        copy->SetFrom(f.get());
        if (OGRGeometry* g = copy->GetGeometryRef()) densify_geometry(g, factor);
        if (ol->CreateFeature(copy.get()) != OGRERR_NONE) fail("cannot write to " + out_path);
    }
    return 0;
}

std::map<std::string, double> areas(const std::string& path, const std::string& key)
{
    auto ds = open_vector(path);
    OGRLayer* layer = ds->GetLayer(0);
    OGRSpatialReference l93;
    l93.importFromEPSG(2154);
    l93.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference* src = layer->GetSpatialRef();
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    if (src == nullptr) src = &wgs84; // GeoJSON without a CRS is WGS84 (RFC 7946)
    OGRSpatialReference source(*src);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&source, &l93));
    if (!ct) fail("cannot transform " + path + " to EPSG:2154");
    const int idx = layer->GetLayerDefn()->GetFieldIndex(key.c_str());
    if (idx < 0) fail(path + " has no field " + key);
    std::map<std::string, double> out;
    for (auto& f : *layer) {
        OGRGeometry* g = f->GetGeometryRef();
        double a = 0.0;
        if (g != nullptr && !g->IsEmpty()) {
            std::unique_ptr<OGRGeometry> copy(g->clone());
            if (copy->transform(ct.get()) != OGRERR_NONE) fail("cannot transform a geometry of " + path);
            a = OGR_G_Area(OGRGeometry::ToHandle(copy.get()));
        }
        out[f->GetFieldAsString(idx)] += a;
    }
    return out;
}

int compare(const std::string& ref, const std::string& ref_key, const std::string& test, const std::string& test_key)
{
    auto a = areas(ref, ref_key), b = areas(test, test_key);
    a.erase("NC"); // communes in no EPCI: a group for the peers, gaps for cptsmap
    b.erase("NC");
    a.erase("");
    b.erase("");
    int only_ref = 0, only_test = 0, beyond = 0;
    double worst = 0.0;
    std::string worst_key;
    for (const auto& [k, v] : a) {
        auto it = b.find(k);
        if (it == b.end()) {
            ++only_ref;
            continue;
        }
        const double rel = v > 0 ? std::fabs(it->second - v) / v : std::fabs(it->second);
        if (rel > worst) {
            worst = rel;
            worst_key = k;
        }
        if (rel > 1e-4) ++beyond;
    }
    for (const auto& [k, v] : b)
        if (a.count(k) == 0) ++only_test;
    std::printf("%zu vs %zu territories, %d only in the first, %d only in the second, max relative area difference %.2e (%s), %d beyond 0.01 %%\n",
                a.size(), b.size(), only_ref, only_test, worst, worst_key.c_str(), beyond);
    return only_ref == 0 && only_test == 0 && beyond == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    GDALAllRegister();
    CPLSetConfigOption("SHAPE_RESTORE_SHX", "YES");
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "stats") return stats(args[1]);
        if (args.size() == 4 && args[0] == "definitions") return definitions(args[1], args[2], std::stod(args[3]));
        if (args.size() == 4 && args[0] == "densify") return densify(args[1], args[2], std::stoi(args[3]));
        if (args.size() == 5 && args[0] == "compare") return compare(args[1], args[2], args[3], args[4]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cptsmap-bench: %s\n", e.what());
        return 2;
    }
    std::fprintf(stderr, "usage: cptsmap-bench stats SHP | definitions SHP DIR FRACTION | densify SHP OUT FACTOR | compare REF KEY TEST KEY\n");
    return 2;
}
