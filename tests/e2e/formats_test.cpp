// End-to-end: `build --format` on the real Côte-d'Or extract; every format re-read with GDAL and
// compared with report.json (counts, codes, populations, areas), the study area outline compared
// with the communes of the shapefile read straight with OGR, styles and determinism.
#include "layer_checks.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <map>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> build_args(const fs::path& out, const std::string& formats)
{
    return {"build", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
            "--out", out.string(), "--format", formats};
}

// One build in every file format per test run.
const CoteDorRun& formats_build()
{
    static CoteDorRun build({"--format", "geojson,gpkg,fgb,shp"});
    return build;
}

GDALDatasetUniquePtr open_vector(const fs::path& path)
{
    GDALAllRegister();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
}

// One data set per layer (FlatGeobuf, Shapefile): keeps them open while the checks run.
struct PerLayerFiles {
    fs::path dir;
    std::string ext;
    std::map<std::string, GDALDatasetUniquePtr> open;
    OGRLayer* operator()(const std::string& name)
    {
        auto& ds = open[name];
        if (!ds) ds = open_vector(dir / (name + ext));
        return ds ? ds->GetLayer(0) : nullptr;
    }
};

const std::vector<std::string> kLayers{"territories", "communes", "gaps", "overlaps", "study_area"};

} // namespace

TEST_CASE("build --format writes every requested format and lists them", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    CHECK(fs::exists(b.out() / "cptsmap.gpkg"));
    for (const auto& layer : kLayers) {
        for (const char* ext : {".fgb", ".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml"}) CHECK(fs::exists(b.out() / (layer + ext)));
    }
    CHECK(fs::exists(b.out() / "territories.geojson"));
    CHECK_THAT(b.run.out, Catch::Contains("cptsmap.gpkg") && Catch::Contains("*.fgb") && Catch::Contains("*.shp"));
}

TEST_CASE("the GeoPackage re-read with GDAL matches report.json", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    GDALDatasetUniquePtr ds = open_vector(b.out() / "cptsmap.gpkg");
    REQUIRE(ds);
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "GPKG");
    check_layers_match_report({[&](const std::string& name) { return ds->GetLayerByName(name.c_str()); }}, b.report);
}

TEST_CASE("the FlatGeobuf files re-read with GDAL match report.json and have a spatial index", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    PerLayerFiles files{b.out(), ".fgb", {}};
    LayerAccess access{std::ref(files)};
    access.ordered = false; // FlatGeobuf stores features along its Hilbert R-tree
    check_layers_match_report(access, b.report);
    for (const auto& layer : kLayers) {
        INFO(layer);
        OGRLayer* l = files(layer);
        REQUIRE(l != nullptr);
        CHECK(l->TestCapability(OLCFastSpatialFilter) == TRUE);
    }
}

TEST_CASE("the Shapefiles re-read with GDAL match report.json with short field names", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    PerLayerFiles files{b.out(), ".shp", {}};
    LayerAccess access{std::ref(files)};
    access.dbf = true;
    check_layers_match_report(access, b.report);
    CHECK(read_file(b.out() / "communes.cpg").find("UTF-8") != std::string::npos);
    // Accented names survive the DBF round trip.
    bool found = false;
    for (auto& f : *files("communes")) found = found || std::string(f->GetFieldAsString("nom")) == "Asnières-lès-Dijon";
    CHECK(found);
}

TEST_CASE("the study area outline covers exactly the area of the Côte-d'Or communes", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    double expected_m2 = 0.0;
    std::size_t communes = 0;
    {
        GDALDatasetUniquePtr raw = open_vector(cote_dor_dir() / "COMMUNE.shp");
        REQUIRE(raw);
        for (auto& f : *raw->GetLayer(0)) {
            if (std::string(f->GetFieldAsString("INSEE_DEP")) != "21") continue;
            expected_m2 += f->GetGeometryRef()->toPolygon()->get_Area();
            ++communes;
        }
    }
    GDALDatasetUniquePtr ds = open_vector(b.out() / "cptsmap.gpkg");
    REQUIRE(ds);
    OGRLayer* study = ds->GetLayerByName("study_area");
    REQUIRE(study != nullptr);
    OGRFeatureUniquePtr f(study->GetNextFeature());
    REQUIRE(f);
    CHECK(f->GetFieldAsInteger64("communes") == static_cast<GIntBig>(communes));
    // Dissolving may fill slivers between communes whose edges do not match: at most 0.01 %.
    CHECK(f->GetGeometryRef()->toMultiPolygon()->get_Area() == Approx(expected_m2).epsilon(1e-4));
}

TEST_CASE("the GeoPackage carries a default QGIS style for every layer", "[e2e][formats][styles]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    GDALDatasetUniquePtr ds = open_vector(b.out() / "cptsmap.gpkg");
    REQUIRE(ds);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    REQUIRE(styles != nullptr);
    std::map<std::string, std::string> qml;
    for (auto& f : *styles) {
        CHECK(f->GetFieldAsInteger("useAsDefault") == 1);
        CHECK(std::string(f->GetFieldAsString("f_geometry_column")) == "geom");
        qml[f->GetFieldAsString("f_table_name")] = f->GetFieldAsString("styleQML");
    }
    for (const auto& layer : kLayers) CHECK(qml.count(layer) == 1);
    for (const auto& t : b.report["territories"]) CHECK_THAT(qml["territories"], Catch::Contains("value=\"" + t["id"].get<std::string>() + "\""));
    CHECK_THAT(qml["territories"], Catch::Contains("categorizedSymbol") && Catch::Contains("fieldName=\"name\""));
    CHECK_THAT(qml["gaps"], Catch::Contains("b_diagonal") && Catch::Contains("215,25,28,255"));
    CHECK_THAT(qml["overlaps"], Catch::Contains("diagonal_x"));
    CHECK_THAT(qml["communes"], Catch::Contains("\"no\""));
    // The sidecars of the file formats are the same documents.
    CHECK(read_file(b.out() / "territories.qml") == qml["territories"]);
    CHECK(read_file(b.out() / "gaps.qml") == qml["gaps"]);
}

TEST_CASE("two runs write byte-identical GeoPackage and FlatGeobuf and Shapefile outputs", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = formats_build();
    REQUIRE(b.run.exit_code == 0);
    TempDir tmp;
    const RunResult again = run_cli(build_args(tmp / "out", "gpkg,fgb,shp"));
    REQUIRE(again.exit_code == 0);
    std::vector<std::string> files{"cptsmap.gpkg"};
    for (const auto& layer : kLayers)
        for (const char* ext : {".fgb", ".shp", ".dbf", ".qml"}) files.push_back(layer + ext);
    for (const auto& f : files) {
        INFO(f);
        CHECK(read_file(tmp / "out" / f) == read_file(b.out() / f));
    }
    CHECK_FALSE(fs::exists(tmp / "out" / "territories.geojson")); // only what was asked for
}

TEST_CASE("build: --pg without --format postgis, postgis without --pg and an unknown format are command-line errors", "[e2e][formats]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    std::vector<std::string> args = build_args(tmp / "out", "gpkg");
    args.insert(args.end(), {"--pg", "dbname=x"});
    const RunResult pg = run_cli(args);
    CHECK(pg.exit_code == 2);
    CHECK_THAT(pg.err, Catch::Contains("--pg is only used with --format postgis; see cptsmap --help"));
    const RunResult no_pg = run_cli(build_args(tmp / "out", "postgis"));
    CHECK(no_pg.exit_code == 2);
    CHECK_THAT(no_pg.err, Catch::Contains("--format postgis needs --pg"));
    const RunResult bad = run_cli(build_args(tmp / "out", "kml"));
    CHECK(bad.exit_code == 2);
    CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("an unreachable PostGIS database fails the build and leaves the folder untouched", "[e2e][formats][postgis]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    std::vector<std::string> args = build_args(tmp / "out", "geojson,postgis");
    args.insert(args.end(), {"--pg", "dbname=nowhere host=127.0.0.1 port=1 connect_timeout=2"});
    const RunResult r = run_cli(args);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("cannot connect to PostgreSQL"));
    CHECK_FALSE(fs::exists(tmp / "out"));
}
