// End-to-end: ADMIN EXPRESS edition 4-0. The tests turn the 3-x Côte-d'Or extract into a 4-0-style
// GeoPackage with GDAL (lower-case layer names, the 4-0 field names, EPCI and
// arrondissement_municipal layers in the same file) and check that `build` gives the same
// report.json and layers as on the shapefiles, and says which edition it read.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <algorithm>
#include <memory>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {

// ogr2ogr -f GPKG out in -sql sql -nln layer [-update -append]
void translate(const fs::path& out, const fs::path& in, const std::string& sql, const std::string& layer, bool update)
{
    GDALAllRegister();
    GDALDatasetH src = GDALOpenEx(in.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    REQUIRE(src != nullptr);
    std::vector<std::string> words{"-f", "GPKG", "-dialect", "SQLite", "-sql", sql, "-nln", layer, "-lco", "GEOMETRY_NAME=geometrie", "-nlt", "GEOMETRY"};
    if (update) words.insert(words.end(), {"-update"});
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    REQUIRE(options != nullptr);
    int usage_error = 0;
    GDALDatasetH dst = update ? GDALOpenEx(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr) : nullptr;
    GDALDatasetH result = GDALVectorTranslate(update ? nullptr : out.c_str(), dst, 1, &src, options, &usage_error);
    GDALVectorTranslateOptionsFree(options);
    REQUIRE(result != nullptr);
    GDALClose(result);
    GDALClose(src);
}

// The Côte-d'Or extract as IGN ships edition 4-0: one GeoPackage, layers commune, epci,
// arrondissement_municipal, BD TOPO field names.
fs::path make_edition_4(const fs::path& dir, const std::string& name = "commune-4-0.gpkg")
{
    const fs::path gpkg = dir / name;
    translate(gpkg, cote_dor_dir() / "COMMUNE.shp",
              "SELECT ID AS cleabs, NOM AS nom_officiel, NOM_M AS nom_officiel_en_majuscules, INSEE_COM AS code_insee, STATUT AS statut, "
              "POPULATION AS population, INSEE_CAN AS code_insee_du_canton, INSEE_ARR AS code_insee_de_l_arrondissement, "
              "INSEE_DEP AS code_insee_du_departement, INSEE_REG AS code_insee_de_la_region, SIREN_EPCI AS codes_siren_des_epci, "
              "geometry FROM COMMUNE",
              "commune", false);
    translate(gpkg, cote_dor_dir() / "EPCI.shp",
              "SELECT ID AS cleabs, CODE_SIREN AS code_siren, NOM AS nom_officiel, NATURE AS nature, geometry FROM EPCI", "epci", true);
    translate(gpkg, shared_data_dir() / "admin-express" / "arrondissements-municipaux" / "ARRONDISSEMENT_MUNICIPAL.shp",
              "SELECT INSEE_ARM AS code_insee, INSEE_COM AS code_insee_de_la_commune_de_rattach, NOM AS nom_officiel, "
              "POPULATION AS population, geometry FROM ARRONDISSEMENT_MUNICIPAL",
              "arrondissement_municipal", true);
    return gpkg;
}

std::vector<std::string> build_args(const fs::path& communes, const fs::path& out)
{
    return {"build", "--communes", communes.string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
            "--out", out.string(), "--sheets"};
}

} // namespace

TEST_CASE("an ADMIN EXPRESS 4-0 GeoPackage gives the same results as the 3-x shapefiles", "[e2e][edition]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const fs::path gpkg = make_edition_4(tmp.path());
    const RunResult v3 = run_cli(build_args(cote_dor_dir(), tmp / "v3"));
    const RunResult v4 = run_cli(build_args(gpkg, tmp / "v4"));
    INFO(v3.err << v4.err);
    REQUIRE(v3.exit_code == 0);
    REQUIRE(v4.exit_code == 0);
    // The same figures, byte for byte, in every file but nothing else.
    for (const char* file : {"report.json", "resolution.csv", "territories.geojson", "communes.geojson", "gaps.geojson", "overlaps.geojson",
                             "sheets.csv", "uncovered.csv"}) {
        INFO(file);
        CHECK(read_file(tmp / "v3" / file) == read_file(tmp / "v4" / file));
    }
    // EPCI names came from the GeoPackage's epci layer (else they would be SIREN codes).
    CHECK(read_file(tmp / "v4" / "sheets.csv").find("Dijon Métropole") != std::string::npos);
    // Which edition was read, in one line each.
    CHECK(v3.out.find("edition: ADMIN EXPRESS 3-x schema (shapefile)") != std::string::npos);
    CHECK(v4.out.find("edition: ADMIN EXPRESS 4-0 schema (GeoPackage)") != std::string::npos);
    // The extract is simplified beyond COG CARTO; both say so.
    CHECK(v3.out.find("precision: simplified, a vertex every") != std::string::npos);
    CHECK(v4.out.find("precision: simplified, a vertex every") != std::string::npos);
}

TEST_CASE("the folder of a 4-0 delivery is searched for its GeoPackage", "[e2e][edition]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    fs::create_directories(tmp / "delivery" / "1_DONNEES_LIVRAISON");
    make_edition_4(tmp / "delivery" / "1_DONNEES_LIVRAISON", "ADE-COG_4-0_GPKG_LAMB93_FXX-ED2025-05-15.gpkg");
    const RunResult r = run_cli({"resolve", "--communes", (tmp / "delivery").string(), "epci(\"Dijon Métropole\")"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("21231") != std::string::npos); // Dijon
    // IGN's file name tells the product, edition and COG year, in the summary and report.json.
    const RunResult b = run_cli(build_args(tmp / "delivery", tmp / "out"));
    REQUIRE(b.exit_code == 0);
    CHECK(b.out.find("edition: ADMIN EXPRESS 4-0 schema (GeoPackage, ADMIN EXPRESS COG 4-0 of 2025); precision: simplified") != std::string::npos);
    const nlohmann::json report = nlohmann::json::parse(read_file(tmp / "out" / "report.json"));
    CHECK(report["commune_layer"]["cog_year"] == 2025);
    CHECK(report["commune_layer"]["precision"] == "simplified");
    CHECK(report["commune_layer"]["mean_segment_m"].get<double>() == Approx(235.8).margin(0.5));
}

TEST_CASE("a field missing in both editions is named in both spellings", "[e2e][edition]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const fs::path gpkg = tmp / "nocode.gpkg";
    translate(gpkg, cote_dor_dir() / "COMMUNE.shp", "SELECT NOM AS nom_officiel, POPULATION AS population, geometry FROM COMMUNE", "commune", false);
    const RunResult r = run_cli(build_args(gpkg, tmp / "out"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("INSEE_COM (3-x) or code_insee (4-0)") != std::string::npos);
    CHECK(r.err.find("fields: nom_officiel, population") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("GeoParquet without GDAL's Parquet driver is a clear error", "[e2e][edition]")
{
    TempDir tmp;
    write_file(tmp / "commune.parquet", "PAR1 not really a parquet file PAR1");
    const RunResult r = run_cli({"resolve", "--communes", (tmp / "commune.parquet").string(), "dep(\"21\")"});
    GDALAllRegister();
    if (GetGDALDriverManager()->GetDriverByName("Parquet") != nullptr) {
        CHECK(r.exit_code == 1); // the driver is there: the file is refused as corrupt instead
        return;
    }
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("is GeoParquet, and this GDAL") != std::string::npos);
    CHECK(r.err.find("no Parquet driver") != std::string::npos);
    CHECK(r.err.find("ogr2ogr -f GPKG") != std::string::npos);
}
