// End-to-end: the CLI on the real Côte-d'Or + Haute-Marne extract of ../shared/data, checked against
// figures computed independently from the shapefile with GDAL (counts, populations, areas).
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct RawCommune {
    std::string name, dep, epci;
    std::int64_t population = 0;
    double area_m2 = 0.0;
};

// The COMMUNE layer read straight with OGR, not through cptsmap.
const std::map<std::string, RawCommune>& raw_communes()
{
    static const std::map<std::string, RawCommune> communes = [] {
        GDALAllRegister();
        std::map<std::string, RawCommune> out;
        GDALDatasetUniquePtr ds(GDALDataset::Open((cote_dor_dir() / "COMMUNE.shp").c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        for (auto& f : *ds->GetLayer(0)) {
            RawCommune c;
            c.name = f->GetFieldAsString("NOM");
            c.dep = f->GetFieldAsString("INSEE_DEP");
            c.epci = f->GetFieldAsString("SIREN_EPCI");
            c.population = f->GetFieldAsInteger64("POPULATION");
            c.area_m2 = f->GetGeometryRef()->toPolygon()->get_Area();
            out[f->GetFieldAsString("INSEE_COM")] = c;
        }
        return out;
    }();
    return communes;
}

std::size_t count_epci(const std::string& siren)
{
    std::size_t n = 0;
    for (const auto& [code, c] : raw_communes()) n += c.epci == siren;
    return n;
}

std::set<std::string> epci_codes(const std::string& siren)
{
    std::set<std::string> out;
    for (const auto& [code, c] : raw_communes())
        if (c.epci == siren) out.insert(code);
    return out;
}

std::set<std::string> as_set(const json& codes) { return {codes.begin(), codes.end()}; }

const json& territory(const json& report, const std::string& id)
{
    for (const auto& t : report["territories"])
        if (t["id"] == id) return t;
    FAIL("no territory " << id);
    static json none;
    return none;
}

// One build of examples/cote-dor.toml per test run.
const CoteDorRun& cote_dor()
{
    static CoteDorRun build;
    return build;
}

} // namespace

TEST_CASE("Côte-d'Or: the build succeeds and writes every output", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = cote_dor();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    for (const char* f : {"territories.geojson", "communes.geojson", "gaps.geojson", "overlaps.geojson", "report.json"})
        CHECK(fs::exists(b.out() / f));
    CHECK_THAT(b.run.out, Catch::Contains("study area: 698 communes"));
    CHECK_THAT(b.run.err, Catch::Contains("Flacey twice"));
    REQUIRE(b.report["territories"].size() == 4);
}

TEST_CASE("Côte-d'Or: territories have the communes the EPCI membership says", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const json& r = cote_dor().report;
    REQUIRE(r.is_object());
    // Centre 21: Dijon Métropole minus 5, Ouche et Montagne, 10 distinct Norge et Tille communes, 8 of Gevrey-Nuits.
    const auto& centre = territory(r, "centre-21");
    CHECK(centre["communes"] == count_epci("242100410") - 5 + count_epci("200039055") + 10 + 8);
    // Auxois-Morvan: four whole CC and the 14 communes of the former canton of Liernais.
    const auto& auxois = territory(r, "auxois-morvan");
    CHECK(auxois["communes"] == count_epci("242101491") + count_epci("242101459") + count_epci("200071017") + count_epci("242101442") + 14);
    // 21/52: five whole CC, in two départements.
    const auto& t2152 = territory(r, "cpts-21-52");
    std::set<std::string> expected;
    for (const char* siren : {"200039063", "200069540", "200070910", "242100154", "200027308"})
        for (const auto& c : epci_codes(siren)) expected.insert(c);
    CHECK(as_set(t2152["insee"]) == expected);
    // Pays d'Or: exactly the five communes left out of Centre 21.
    std::set<std::string> five;
    for (const auto& [code, c] : raw_communes())
        if (c.epci == "242100410" && !as_set(centre["insee"]).count(code)) five.insert(code);
    CHECK(five.size() == 5);
    CHECK(as_set(territory(r, "pays-d-or")["insee"]) == five);
}

TEST_CASE("Côte-d'Or: populations and areas add up to the member communes", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const json& r = cote_dor().report;
    REQUIRE(r.is_object());
    for (const auto& t : r["territories"]) {
        INFO(t["id"]);
        std::int64_t pop = 0;
        double area = 0.0;
        for (const auto& code : t["insee"]) {
            const auto& c = raw_communes().at(code);
            pop += c.population;
            area += c.area_m2;
        }
        CHECK(t["population"] == pop);
        CHECK(t["communes"] == t["insee"].size());
        // Area conservation: the dissolved territory has the area of its communes. Exactly so when
        // the communes form a clean coverage; across the 21/52 border the extract's communes overlap
        // and leave slivers (each département was simplified on its own), so the union differs from
        // the sum by those few hectares, and the build says so.
        if (t["dissolve"] == "coverage union") {
            CHECK(t["area_km2"].get<double>() == Approx(area / 1e6).epsilon(1e-6));
        } else {
            CHECK(t["area_km2"].get<double>() == Approx(area / 1e6).epsilon(1e-5));
            bool explained = false;
            for (const auto& w : r["warnings"])
                explained = explained || w.get<std::string>().find("territory " + t["id"].dump() + ": the communes do not form a clean coverage") == 0;
            CHECK(explained);
        }
    }
    CHECK(territory(r, "centre-21")["dissolve"] == "coverage union");
    CHECK(territory(r, "auxois-morvan")["dissolve"] == "coverage union");
}

TEST_CASE("Côte-d'Or: territories have no sliver holes, only true enclaves", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    REQUIRE(cote_dor().run.exit_code == 0);
    const json layer = json::parse(read_file(cote_dor().out() / "territories.geojson"));
    std::size_t holes = 0;
    for (const auto& f : layer["features"]) {
        const auto& g = f["geometry"];
        const json polygons = g["type"] == "Polygon" ? json::array({g["coordinates"]}) : g["coordinates"];
        for (const auto& polygon : polygons) {
            for (std::size_t k = 1; k < polygon.size(); ++k) {
                const auto& ring = polygon[k];
                double a = 0.0;
                for (std::size_t i = 0; i + 1 < ring.size(); ++i)
                    a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
                const double lat = ring[0][1].get<double>() * 3.141592653589793 / 180.0;
                const double m2 = std::fabs(a / 2.0) * 111320.0 * 111320.0 * std::cos(lat);
                INFO(f["properties"]["id"] << " hole of " << m2 << " m²");
                CHECK(m2 > 1e6); // an enclave is a commune: square kilometres, never a sliver
                ++holes;
            }
        }
    }
    CHECK(holes == 1); // Centre 21 surrounds a commune it does not claim
}

TEST_CASE("Côte-d'Or: gaps and covered communes make up the study area", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const json& r = cote_dor().report;
    REQUIRE(r.is_object());
    std::set<std::string> dep21;
    std::int64_t pop21 = 0;
    for (const auto& [code, c] : raw_communes())
        if (c.dep == "21") {
            dep21.insert(code);
            pop21 += c.population;
        }
    const auto& sa = r["study_area"];
    CHECK(sa["communes"] == dep21.size());
    CHECK(sa["population"] == pop21);
    std::set<std::string> covered;
    for (const auto& t : r["territories"])
        for (const auto& code : t["insee"])
            if (dep21.count(code)) covered.insert(code);
    const std::set<std::string> gaps = as_set(r["gaps"]);
    CHECK(sa["covered_communes"] == covered.size());
    CHECK(gaps.size() + covered.size() == dep21.size());
    for (const auto& g : gaps) CHECK((dep21.count(g) == 1 && covered.count(g) == 0));
    std::int64_t covered_pop = 0;
    for (const auto& c : covered) covered_pop += raw_communes().at(c).population;
    CHECK(sa["covered_population"] == covered_pop);
    CHECK(sa["coverage_pct"].get<double>() == Approx(100.0 * static_cast<double>(covered_pop) / static_cast<double>(pop21)).epsilon(1e-6));
    // The gap zones list exactly the gap communes.
    const json gap_layer = json::parse(read_file(cote_dor().out() / "gaps.geojson"));
    std::set<std::string> in_zones;
    for (const auto& f : gap_layer["features"])
        for (const auto& c : f["properties"]["insee"]) in_zones.insert(c);
    CHECK(in_zones == gaps);
}

TEST_CASE("Côte-d'Or: communes claimed by Centre 21 and by the CPTS 21/52 are overlaps", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const json& r = cote_dor().report;
    REQUIRE(r.is_object());
    std::set<std::string> both;
    const auto centre = as_set(territory(r, "centre-21")["insee"]);
    for (const auto& c : as_set(territory(r, "cpts-21-52")["insee"]))
        if (centre.count(c)) both.insert(c);
    CHECK(both.size() == 10); // the 10 distinct Norge et Tille communes of Centre 21
    std::set<std::string> reported;
    for (const auto& o : r["overlaps"]) {
        reported.insert(o["insee"].get<std::string>());
        CHECK(o["territories"] == json::array({"centre-21", "cpts-21-52"}));
    }
    CHECK(reported == both);
    // communes.geojson agrees with the report.
    const json communes = json::parse(read_file(cote_dor().out() / "communes.geojson"));
    std::size_t overlap_status = 0, gap_status = 0;
    for (const auto& f : communes["features"]) {
        overlap_status += f["properties"]["status"] == "overlap";
        gap_status += f["properties"]["status"] == "gap";
    }
    CHECK(overlap_status == both.size());
    CHECK(gap_status == r["gaps"].size());
}

TEST_CASE("Côte-d'Or: every output is RFC 7946 and every geometry valid", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    REQUIRE(cote_dor().run.exit_code == 0);
    for (const char* f : {"territories.geojson", "communes.geojson", "gaps.geojson", "overlaps.geojson"}) {
        INFO(f);
        const auto problems = rfc7946_problems(cote_dor().out() / f);
        CHECK(problems.empty());
        if (!problems.empty()) FAIL_CHECK(problems.front());
    }
}

TEST_CASE("two runs on the same inputs write byte-identical outputs", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const RunResult again = run_cli({"build", "--communes", cote_dor_dir().string(), "--definitions",
                                     (source_dir() / "examples" / "cote-dor.toml").string(), "--out", (tmp / "out").string(), "--threads", "1"});
    REQUIRE(again.exit_code == 0);
    for (const char* f : {"territories.geojson", "communes.geojson", "gaps.geojson", "overlaps.geojson", "report.json"}) {
        INFO(f);
        CHECK(read_file(tmp / "out" / f) == read_file(cote_dor().out() / f));
    }
}

TEST_CASE("every EPCI of the data resolves by its name, with or without its legal form", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((cote_dor_dir() / "EPCI.shp").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::size_t checked = 0;
    for (auto& f : *ds->GetLayer(0)) {
        const std::string siren = f->GetFieldAsString("CODE_SIREN");
        const std::string name = f->GetFieldAsString("NOM");
        INFO(name);
        const RunResult r = run_cli({"resolve", "--communes", (cote_dor_dir() / "COMMUNE.shp").string(), "epci(\"" + name + "\")"});
        REQUIRE(r.exit_code == 0);
        CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) == count_epci(siren));
        ++checked;
    }
    CHECK(checked == 28);
}

TEST_CASE("resolve prints the communes of an expression, one per line", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    const RunResult r = run_cli({"resolve", "--communes", cote_dor_dir().string(),
                                 "epci(\"Dijon Metropole\") - commune(\"Fénay\", \"Ouges\")"});
    REQUIRE(r.exit_code == 0);
    CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) == count_epci("242100410") - 2);
    CHECK_THAT(r.out, Catch::Contains("21231\tDijon\n"));
    CHECK_THAT(r.out, !Catch::Contains("Fénay"));
}

TEST_CASE("two definitions claiming the same commune produce an overlap zone", "[e2e]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "defs.toml", R"(
[[territory]]
id = "a"
members = 'epci("Dijon Métropole")'
[[territory]]
id = "b"
members = 'commune("Dijon", "Talant") + epci("CC Ouche et Montagne")'
)");
    const RunResult r = run_cli({"build", "--communes", cote_dor_dir().string(), "--definitions", (tmp / "defs.toml").string(), "--out",
                                 (tmp / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(read_file(tmp / "out" / "report.json"));
    REQUIRE(report["overlaps"].size() == 2);
    CHECK(report["overlaps"][0]["insee"] == "21231");
    CHECK(report["overlaps"][1]["insee"] == "21617");
    const json overlaps = json::parse(read_file(tmp / "out" / "overlaps.geojson"));
    REQUIRE(overlaps["features"].size() == 1); // Dijon and Talant touch: one zone
    CHECK(overlaps["features"][0]["properties"]["territories"] == "a,b");
    CHECK(overlaps["features"][0]["properties"]["insee"] == json::array({"21231", "21617"}));
    // No [study_area]: the départements the territories touch (21 only).
    CHECK(report["study_area"]["communes"] == 698);
}
