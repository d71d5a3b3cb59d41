#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <map>
#include <set>

using namespace cptsmap::test;
using nlohmann::json;
namespace fs = std::filesystem;

// France entière: the mainland delivery (here the Côte-d'Or extract, Lambert-93) and the five
// overseas départements of ../shared/data (each in the UTM CRS IGN ships it in), in one build.

namespace {

fs::path drom_dir() { return shared_data_dir() / "admin-express" / "drom"; }
const char* const kDroms[] = {"971", "972", "973", "974", "976"};

const char* const kDefinitions = R"(
[study_area]
members = 'dep("21", "971", "972", "973", "974", "976")'
[[territory]]
id = "beaune"
members = 'commune("21054")'
[[territory]]
id = "centre-martinique"
name = "CPTS Centre Martinique"
members = 'commune("Fort-de-France", "Le Lamentin", "Schœlcher", "Saint-Joseph") & dep("972")'
[[territory]]
id = "nord-reunion"
members = 'commune("Saint-Denis", "Sainte-Marie", "Sainte-Suzanne") & dep("974")'
[[territory]]
id = "mayotte"
members = 'dep("976")'
[[territory]]
id = "guadeloupe"
members = 'dep("971")'
)";

// A France-entière folder as IGN ships it: one folder per territory (links to the shared data).
void make_france_entiere(const fs::path& dir)
{
    fs::create_directories(dir);
    fs::create_directory_symlink(cote_dor_dir(), dir / "FXX");
    for (const char* d : kDroms) fs::create_directory_symlink(drom_dir() / d, dir / d);
}

struct EntiereBuild {
    TempDir tmp;
    RunResult run;
    json report;
    fs::path out() const { return tmp / "out"; }
    explicit EntiereBuild(const std::vector<std::string>& extra = {})
    {
        make_france_entiere(tmp / "ae");
        write_file(tmp / "defs.toml", kDefinitions);
        std::vector<std::string> args{"build", "--communes", (tmp / "ae").string(), "--definitions", (tmp / "defs.toml").string(), "--out",
                                      out().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        run = run_cli(args);
        if (run.exit_code == 0) report = json::parse(read_file(out() / "report.json"));
    }
};

const EntiereBuild& entiere()
{
    static EntiereBuild b({"--format", "geojson,gpkg", "--map", "--sheets"});
    return b;
}

const json& territory(const json& report, const std::string& id) { return territory_in(report, id); }

// Each commune's planar area in its delivery's own CRS (the files are in it), by INSEE code.
std::map<std::string, double> commune_areas(const fs::path& shp)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(shp.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::map<std::string, double> out;
    for (auto& f : *ds->GetLayer(0)) out[f->GetFieldAsString("INSEE_COM")] = OGR_G_Area(OGRGeometry::ToHandle(f->GetGeometryRef()));
    return out;
}

} // namespace

TEST_CASE("France entière: each delivery read in its own CRS", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    const EntiereBuild& b = entiere();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const json& deliveries = b.report["commune_layer"]["deliveries"];
    REQUIRE(deliveries.size() == 6);
    std::map<std::string, std::string> crs;
    std::size_t communes = 0;
    for (const auto& d : deliveries) {
        crs[d["name"]] = d["crs"];
        communes += d["communes"].get<std::size_t>();
    }
    CHECK(deliveries[0]["crs"] == "EPSG:2154"); // the largest first
    CHECK(crs.at("971") == "EPSG:5490");
    CHECK(crs.at("972") == "EPSG:5490");
    CHECK(crs.at("973") == "EPSG:2972");
    CHECK(crs.at("974") == "EPSG:2975");
    CHECK(crs.at("976") == "EPSG:4471");
    CHECK(communes == 1124 + 129);
    CHECK_THAT(b.run.out, Catch::Contains("deliveries: 6, each in its own CRS"));
    CHECK(territory(b.report, "mayotte")["crs"] == "EPSG:4471");
    CHECK(territory(b.report, "mayotte")["delivery"] == "976");
    CHECK(territory(b.report, "beaune")["crs"] == "EPSG:2154");
}

TEST_CASE("France entière: a territory's area is the sum of its communes' in its own CRS", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    const EntiereBuild& b = entiere();
    REQUIRE(b.run.exit_code == 0);
    for (const auto& [id, dep] : std::vector<std::pair<std::string, std::string>>{{"mayotte", "976"}, {"guadeloupe", "971"}, {"centre-martinique", "972"},
                                                                                   {"nord-reunion", "974"}}) {
        INFO(id);
        const std::map<std::string, double> areas = commune_areas(drom_dir() / dep / "COMMUNE.shp");
        const json& t = territory(b.report, id);
        double sum = 0.0;
        for (const auto& code : t["insee"]) sum += areas.at(code.get<std::string>());
        // The simplified DROM layers leave slivers between some communes, which the dissolve fills.
        CHECK(t["area_km2"].get<double>() == Approx(sum / 1e6).epsilon(2e-3));
        CHECK(t["area_km2"].get<double>() >= sum / 1e6 - 1e-6);
    }
    CHECK(territory(b.report, "mayotte")["communes"] == 17);
    CHECK(territory(b.report, "mayotte")["population"] == 256518);
}

TEST_CASE("France entière: coverage by département and by région", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    const EntiereBuild& b = entiere();
    REQUIRE(b.run.exit_code == 0);
    std::map<std::string, json> regions;
    for (const auto& g : b.report["study_area"]["by_region"]) regions[g["region"]] = g;
    REQUIRE(regions.size() == 6);
    CHECK(regions.at("06")["name"] == "Mayotte");
    CHECK(regions.at("06")["coverage_pct"] == 100.0);
    CHECK(regions.at("03")["covered_communes"] == 0); // Guyane: no CPTS defined here
    CHECK(regions.at("27")["name"] == "Bourgogne-Franche-Comté");
    CHECK(b.report["study_area"]["by_departement"].size() == 6);
}

TEST_CASE("France entière: GIS layers per CRS, GeoJSON all in WGS84, the map with insets", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    const EntiereBuild& b = entiere();
    REQUIRE(b.run.exit_code == 0);
    GDALAllRegister();
    GDALDatasetUniquePtr gpkg(GDALDataset::Open((b.out() / "cptsmap.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(gpkg);
    const auto epsg = [&](const char* layer) {
        OGRLayer* l = gpkg->GetLayerByName(layer);
        REQUIRE(l != nullptr);
        const char* code = l->GetSpatialRef()->GetAuthorityCode(nullptr);
        return std::string(code != nullptr ? code : "");
    };
    CHECK(epsg("territories") == "2154");
    CHECK(epsg("territories_972_971") == "5490"); // Martinique and Guadeloupe share their CRS
    CHECK(epsg("territories_976") == "4471");
    CHECK(epsg("communes_973") == "2972");
    CHECK(gpkg->GetLayerByName("territories_976")->GetFeatureCount() == 1);
    CHECK(gpkg->GetLayerByName("communes_974")->GetFeatureCount() == 24);
    // GeoJSON: every layer in WGS84, valid, Mayotte where it is.
    for (const char* f : {"territories.geojson", "communes.geojson", "gaps.geojson"}) {
        INFO(f);
        CHECK(rfc7946_problems(b.out() / f).empty());
    }
    const json layer = json::parse(read_file(b.out() / "territories.geojson"));
    for (const auto& t : layer["features"]) {
        if (t["properties"]["id"] != "mayotte") continue;
        const json& first = t["geometry"]["coordinates"][0][0][0];
        CHECK(first[0].get<double>() == Approx(45.1).margin(0.3));
        CHECK(first[1].get<double>() == Approx(-12.8).margin(0.3));
    }
    const std::string svg = read_file(b.out() / "map.svg");
    const std::size_t insets = svg.find("<g id=\"insets\"");
    REQUIRE(insets != std::string::npos);
    std::size_t n = 0;
    for (std::size_t p = svg.find("data-delivery=", insets); p != std::string::npos; p = svg.find("data-delivery=", p + 1)) ++n;
    CHECK(n == 5);
    CHECK(svg.find(">Mayotte<") != std::string::npos);
    // The sheets' overview too: an inset for each overseas département with a territory (not Guyane).
    const std::string sheets = read_file(b.out() / "sheets.html");
    const std::size_t overview = sheets.find("<svg");
    const std::string first_map = sheets.substr(overview, sheets.find("</svg>", overview) - overview);
    n = 0;
    for (std::size_t p = first_map.find("data-delivery="); p != std::string::npos; p = first_map.find("data-delivery=", p + 1)) ++n;
    CHECK(n == 4);
}

TEST_CASE("France entière: a territory across two deliveries is an error naming them", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "defs.toml", "[[territory]]\nid = \"x\"\nmembers = 'commune(\"21054\", \"97101\")'\n");
    const RunResult r = run_cli({"build", "--communes", cote_dor_dir().string(), "--communes", (drom_dir() / "971").string(), "--definitions",
                                 (tmp / "defs.toml").string(), "--out", (tmp / "out").string()});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("spans two deliveries") && Catch::Contains("EPSG:2154") && Catch::Contains("EPSG:5490") &&
                          Catch::Contains("--work-crs"));
    CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("France entière: --work-crs puts every delivery in one CRS, one layer each", "[e2e][france-entiere]")
{
    REQUIRE_SHARED_DATA();
    const EntiereBuild b({"--format", "gpkg", "--work-crs", "EPSG:3857"});
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    GDALAllRegister();
    GDALDatasetUniquePtr gpkg(GDALDataset::Open((b.out() / "cptsmap.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(gpkg);
    CHECK(gpkg->GetLayerByName("territories_976") == nullptr);
    REQUIRE(gpkg->GetLayerByName("territories") != nullptr);
    CHECK(gpkg->GetLayerByName("territories")->GetFeatureCount() == 5);
    CHECK(std::string(gpkg->GetLayerByName("territories")->GetSpatialRef()->GetAuthorityCode(nullptr)) == "3857");
}
