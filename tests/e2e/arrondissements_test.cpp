#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <map>

using namespace cptsmap::test;
using nlohmann::json;
namespace fs = std::filesystem;

// Paris, Lyon and Marseille by arrondissement: with the ARRONDISSEMENT_MUNICIPAL layer beside the
// communes (or --arrondissements), the three cities are replaced by their 45 arrondissements.

namespace {

fs::path arrondissements_dir() { return shared_data_dir() / "admin-express" / "arrondissements-municipaux"; }

struct Arrondissement {
    std::int64_t population = 0;
    double area_m2 = 0.0;
    std::string city;
};

// The arrondissement layer as GDAL reads it (Lambert-93, like the communes).
std::map<std::string, Arrondissement> read_arrondissements()
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((arrondissements_dir() / "ARRONDISSEMENT_MUNICIPAL.shp").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::map<std::string, Arrondissement> out;
    for (auto& f : *ds->GetLayer(0)) {
        Arrondissement a;
        a.population = f->GetFieldAsInteger64("POPULATION");
        a.city = f->GetFieldAsString("INSEE_COM");
        a.area_m2 = OGR_G_Area(OGRGeometry::ToHandle(f->GetGeometryRef())); // Polygon or MultiPolygon
        out[f->GetFieldAsString("INSEE_ARM")] = a;
    }
    return out;
}

const char* const kDefinitions = R"(
[study_area]
members = 'dep("13", "69", "75")'
[[territory]]
id = "paris-13"
name = "CPTS Paris 13"
members = 'commune("75113")'
[[territory]]
id = "marseille-13-14"
name = "CPTS Marseille 13-14"
members = 'commune("13213", "13214")'
[[territory]]
id = "marseille"
members = 'commune("Marseille")'
[[territory]]
id = "lyon"
members = 'commune("69123")'
)";

struct CitiesBuild {
    TempDir tmp;
    RunResult run;
    json report;
    // beside: the arrondissement layer copied next to COMMUNE.shp; otherwise given with
    // --arrondissements, or (none) absent.
    enum class Layer { Beside, Option, None };
    explicit CitiesBuild(Layer layer)
    {
        extract_departements(tmp / "ae", {"13", "69", "75", "92", "93", "94"});
        std::vector<std::string> args{"build", "--communes", (tmp / "ae").string(), "--definitions", (tmp / "defs.toml").string(), "--out",
                                      (tmp / "out").string()};
        if (layer == Layer::Beside) {
            for (const auto& e : fs::directory_iterator(arrondissements_dir())) fs::copy_file(e.path(), tmp / "ae" / e.path().filename());
        } else if (layer == Layer::Option) {
            args.insert(args.end(), {"--arrondissements", arrondissements_dir().string()});
        }
        write_file(tmp / "defs.toml", kDefinitions);
        run = run_cli(args);
        if (run.exit_code == 0) report = json::parse(read_file(tmp / "out" / "report.json"));
    }
};

const CitiesBuild& beside()
{
    static CitiesBuild b(CitiesBuild::Layer::Beside);
    return b;
}

const json& territory(const json& report, const std::string& id) { return territory_in(report, id); }

} // namespace

TEST_CASE("arrondissements: CPTS drawn by arrondissement are exact", "[e2e][arrondissements]")
{
    REQUIRE_SHARED_DATA();
    const CitiesBuild& b = beside();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const auto arr = read_arrondissements();
    REQUIRE(arr.size() == 45);
    const json& paris13 = territory(b.report, "paris-13");
    CHECK(paris13["insee"] == json::array({"75113"}));
    CHECK(paris13["population"] == arr.at("75113").population);
    CHECK(paris13["area_km2"].get<double>() == Approx(arr.at("75113").area_m2 / 1e6).epsilon(1e-6));
    const json& m1314 = territory(b.report, "marseille-13-14");
    CHECK(m1314["insee"] == json::array({"13213", "13214"}));
    CHECK(m1314["population"] == arr.at("13213").population + arr.at("13214").population);
    // Marseille's arrondissements (from another source than the communes) leave slivers between
    // them, which the dissolve fills: the union is within 0.5 % of the sum.
    CHECK(m1314["area_km2"].get<double>() == Approx((arr.at("13213").area_m2 + arr.at("13214").area_m2) / 1e6).epsilon(5e-3));
    CHECK(m1314["parts"] == 1);
}

TEST_CASE("arrondissements: commune(\"Marseille\") still means all 16 arrondissements", "[e2e][arrondissements]")
{
    REQUIRE_SHARED_DATA();
    const CitiesBuild& b = beside();
    REQUIRE(b.run.exit_code == 0);
    const auto arr = read_arrondissements();
    std::int64_t marseille = 0, lyon = 0;
    for (const auto& [code, a] : arr) {
        if (a.city == "13055") marseille += a.population;
        if (a.city == "69123") lyon += a.population;
    }
    const json& m = territory(b.report, "marseille");
    CHECK(m["communes"] == 16);
    CHECK(m["population"] == marseille);
    CHECK(m["insee"][0] == "13201");
    CHECK(territory(b.report, "lyon")["communes"] == 9);
    CHECK(territory(b.report, "lyon")["population"] == lyon);
    // The overlap of marseille-13-14 and marseille is exactly the two arrondissements.
    std::vector<std::string> overlaps;
    for (const auto& o : b.report["overlaps"]) overlaps.push_back(o["insee"]);
    CHECK(overlaps == std::vector<std::string>{"13213", "13214"});
    // Said in the summary and in report.json.
    CHECK_THAT(b.run.out, Catch::Contains("arrondissements: Marseille, Lyon, Paris as their 45 arrondissements municipaux"));
    CHECK(b.report["commune_layer"]["arrondissements"]["count"] == 45);
    // The study area counts arrondissements, not the cities: 75 has 20 of them.
    for (const auto& d : b.report["study_area"]["by_departement"])
        if (d["departement"] == "75") CHECK(d["communes"] == 20);
}

TEST_CASE("arrondissements: --arrondissements gives the same build, without the layer nothing changes", "[e2e][arrondissements]")
{
    REQUIRE_SHARED_DATA();
    const CitiesBuild& b = beside();
    REQUIRE(b.run.exit_code == 0);
    const CitiesBuild option(CitiesBuild::Layer::Option);
    INFO(option.run.err);
    REQUIRE(option.run.exit_code == 0);
    CHECK(option.report["territories"] == b.report["territories"]);
    CHECK(option.report["study_area"] == b.report["study_area"]);

    const CitiesBuild none(CitiesBuild::Layer::None);
    INFO(none.run.err);
    REQUIRE(none.run.exit_code == 0);
    CHECK_FALSE(none.report["commune_layer"].contains("arrondissements"));
    // The cities whole: an arrondissement code selects its city, as before.
    CHECK(territory(none.report, "paris-13")["insee"] == json::array({"75056"}));
    CHECK(territory(none.report, "marseille")["communes"] == 1);
    CHECK(none.run.out.find("arrondissements:") == std::string::npos);
}

TEST_CASE("arrondissements: a missing --arrondissements layer is a clear error", "[e2e][arrondissements]")
{
    TempDir tmp;
    copy_synthetic(tmp.path());
    write_file(tmp / "defs.toml", "[[territory]]\nid = \"x\"\nmembers = 'commune(\"Alpha\")'\n");
    const RunResult r = run_cli({"build", "--communes", tmp.path().string(), "--definitions", (tmp / "defs.toml").string(), "--out",
                                 (tmp / "out").string(), "--arrondissements", (tmp / "nowhere.shp").string()});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("arrondissement layer") && Catch::Contains("does not exist"));
    CHECK_FALSE(fs::exists(tmp / "out"));
}
