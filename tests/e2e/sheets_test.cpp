// End-to-end: `build --sheets` on Côte-d'Or. The figures of report.json and sheets.csv are checked
// against sums over the commune layer read with OGR (not with cptsmap's loader), the HTML sheets
// are opened in headless Chromium (no console message) and the summary printed to PDF and read back
// with pdftotext (poppler-utils). Browser and PDF tests are skipped with a message when Chromium or
// pdftotext is missing.
#include "browser.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unistd.h>

using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct OgrCommune {
    std::int64_t population = 0;
    std::string dep;
    std::string epci;
};

// INSEE code → population, département, EPCI, straight from COMMUNE.shp.
std::map<std::string, OgrCommune> ogr_communes()
{
    GDALAllRegister();
    const fs::path shp = cote_dor_dir() / "COMMUNE.shp";
    GDALDatasetUniquePtr ds(GDALDataset::Open(shp.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::map<std::string, OgrCommune> out;
    for (const auto& f : *ds->GetLayer(0))
        out[f->GetFieldAsString("INSEE_COM")] = {f->GetFieldAsInteger64("POPULATION"), f->GetFieldAsString("INSEE_DEP"), f->GetFieldAsString("SIREN_EPCI")};
    return out;
}

const CoteDorRun& sheets_build()
{
    static CoteDorRun b({"--sheets", "-q"});
    return b;
}

std::int64_t expected_amount(std::int64_t population)
{
    // data/aci-bands.csv, as the issue states it.
    return population < 40000 ? 220000 : population < 80000 ? 287000 : population < 175000 ? 370000 : 450000;
}

bool have_pdftotext() { return ::access("/usr/bin/pdftotext", X_OK) == 0; }

} // namespace

TEST_CASE("sheet figures match sums over the commune layer read with OGR", "[e2e][sheets]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = sheets_build();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const auto communes = ogr_communes();
    std::map<std::string, std::int64_t> dep_population;
    std::map<std::string, std::size_t> epci_size;
    for (const auto& [code, c] : communes) {
        dep_population[c.dep] += c.population;
        ++epci_size[c.epci];
    }
    for (const auto& t : b.report["territories"]) {
        INFO(t["id"]);
        std::int64_t population = 0;
        std::map<std::string, std::int64_t> by_dep;
        std::map<std::string, std::size_t> by_epci;
        for (const auto& code : t["insee"]) {
            const OgrCommune& c = communes.at(code.get<std::string>());
            population += c.population;
            by_dep[c.dep] += c.population;
            ++by_epci[c.epci];
        }
        CHECK(t["population"] == population);
        CHECK(t["density_per_km2"].get<double>() == Approx(population / t["area_km2"].get<double>()).epsilon(1e-3));
        REQUIRE(t["departements"].size() == by_dep.size());
        for (const auto& d : t["departements"]) {
            const std::string dep = d["departement"];
            CHECK(d["population"] == by_dep.at(dep));
            CHECK(d["departement_population"] == dep_population.at(dep));
            CHECK(d["share_pct"].get<double>() == Approx(100.0 * by_dep.at(dep) / dep_population.at(dep)).margin(1e-4));
        }
        REQUIRE(t["epci"].size() == by_epci.size());
        for (const auto& e : t["epci"]) {
            CHECK(e["communes"] == by_epci.at(e["siren"]));
            CHECK(e["epci_communes"] == epci_size.at(e["siren"]));
            CHECK(e["whole"] == (by_epci.at(e["siren"]) == epci_size.at(e["siren"])));
        }
        CHECK(t["funding"]["annual_amount_eur"] == expected_amount(population));
    }
    // The cross-border CPTS gives its share of both départements.
    const auto& cpts_21_52 = b.report["territories"][2];
    REQUIRE(cpts_21_52["id"] == "cpts-21-52");
    REQUIRE(cpts_21_52["departements"].size() == 2);
    CHECK(cpts_21_52["departements"][1]["departement"] == "52");
    // The announcements' "Dijon Métropole 18/23" for Centre 21, as in sheets.csv.
    CHECK_THAT(read_file(b.out() / "sheets.csv"), Catch::Contains("Dijon Métropole 18/23"));
}

TEST_CASE("uncovered communes are ranked by population and the largest gap zones add up", "[e2e][sheets]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = sheets_build();
    REQUIRE(b.run.exit_code == 0);
    const auto communes = ogr_communes();
    std::vector<std::pair<std::int64_t, std::string>> gaps;
    for (const auto& code : b.report["gaps"]) gaps.push_back({-communes.at(code).population, code});
    std::sort(gaps.begin(), gaps.end());
    const auto& ranked = b.report["study_area"]["uncovered_ranked"];
    REQUIRE(ranked.size() == gaps.size());
    for (std::size_t k = 0; k < gaps.size(); ++k) {
        CHECK(ranked[k]["insee"] == gaps[k].second);
        CHECK(ranked[k]["population"] == -gaps[k].first);
    }
    CHECK(ranked[0]["nom"] == "Beaune");
    const std::string csv = read_file(b.out() / "uncovered.csv");
    CHECK_THAT(csv, Catch::StartsWith("rank,insee,nom,departement,population\n1," + gaps[0].second + ","));
    // Zones: each one's population is the sum over the codes gaps.geojson lists for it.
    GDALDatasetUniquePtr ds(GDALDataset::Open((b.out() / "gaps.geojson").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::map<std::string, std::int64_t> zone_population;
    for (const auto& f : *ds->GetLayer(0)) {
        std::int64_t sum = 0;
        char** codes = f->GetFieldAsStringList("insee");
        for (int k = 0; codes != nullptr && codes[k] != nullptr; ++k) sum += communes.at(codes[k]).population;
        zone_population[f->GetFieldAsString("id")] = sum;
    }
    const auto& zones = b.report["study_area"]["largest_gap_zones"];
    REQUIRE(zones.size() == zone_population.size()); // 2 zones here, fewer than the 10 listed at most
    for (std::size_t k = 0; k < zones.size(); ++k) {
        CHECK(zones[k]["population"] == zone_population.at(zones[k]["id"]));
        if (k > 0) CHECK(zones[k]["area_km2"].get<double>() <= zones[k - 1]["area_km2"].get<double>());
    }
}

TEST_CASE("another funding bands table changes the bands and amounts, and a broken one is an error", "[e2e][sheets]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "bands.csv", "min_population,max_population,annual_amount_eur\n0,50000,100000\n50000,,200000\n");
    const RunResult r = run_cli({"build", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                                 "--out", (tmp / "out").string(), "--bands", (tmp / "bands.csv").string(), "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(read_file(tmp / "out" / "report.json"));
    for (const auto& t : report["territories"]) {
        INFO(t["id"]);
        CHECK(t["funding"]["annual_amount_eur"] == (t["population"].get<std::int64_t>() < 50000 ? 100000 : 200000));
    }
    CHECK(report["funding_bands"]["source"] == (tmp / "bands.csv").string());
    write_file(tmp / "bad.csv", "min_population,max_population,annual_amount_eur\n0,50000,100000\n60000,,200000\n");
    const RunResult bad = run_cli({"build", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                                   "--out", (tmp / "out2").string(), "--bands", (tmp / "bad.csv").string()});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("bad.csv:3"));
    CHECK_FALSE(fs::exists(tmp / "out2"));
}

TEST_CASE("the sheets open in headless Chromium without console messages", "[e2e][sheets][browser]")
{
    REQUIRE_SHARED_DATA();
    if (chromium_path().empty()) {
        WARN("skipped: no Chromium (/usr/bin/chromium); scripts/install-deps installs Debian's chromium");
        return;
    }
    const auto& b = sheets_build();
    REQUIRE(b.run.exit_code == 0);
    std::vector<fs::path> pages{b.out() / "sheets.html"};
    for (const auto& t : b.report["territories"]) pages.push_back(b.out() / ("sheet-" + t["id"].get<std::string>() + ".html"));
    for (std::size_t k = 0; k < pages.size(); ++k) {
        INFO(pages[k]);
        const RunResult r = chromium({"--dump-dom"}, "file://" + pages[k].string());
        INFO(r.err.substr(0, 2000));
        REQUIRE(r.exit_code == 0);
        const auto console = console_lines(r.err);
        CHECK(console.empty());
        if (k == 0) {
            for (const auto& t : b.report["territories"]) CHECK_THAT(r.out, Catch::Contains(t["name"].get<std::string>()));
            continue;
        }
        const auto& t = b.report["territories"][k - 1];
        CHECK_THAT(r.out, Catch::Contains("data-figure=\"communes\">" + std::to_string(t["communes"].get<int>()) + "<"));
        // Every commune of the territory drawn on its map.
        for (const auto& code : t["insee"]) CHECK_THAT(r.out, Catch::Contains("data-insee=\"" + code.get<std::string>() + "\""));
    }
}

TEST_CASE("the summary sheet prints to PDF with every territory and its figures", "[e2e][sheets][browser]")
{
    REQUIRE_SHARED_DATA();
    if (chromium_path().empty() || !have_pdftotext()) {
        WARN("skipped: needs Chromium and pdftotext (Debian chromium, poppler-utils; scripts/install-deps)");
        return;
    }
    const auto& b = sheets_build();
    REQUIRE(b.run.exit_code == 0);
    TempDir tmp;
    const fs::path pdf = tmp / "summary.pdf";
    const RunResult r = chromium({"--no-pdf-header-footer", "--print-to-pdf=" + pdf.string()}, "file://" + (b.out() / "sheets.html").string());
    INFO(r.err.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    REQUIRE(fs::exists(pdf));
    const RunResult text = run_command("/usr/bin/pdftotext", {"-layout", pdf.string(), "-"});
    REQUIRE(text.exit_code == 0);
    for (const auto& t : b.report["territories"]) {
        INFO(t["id"]);
        CHECK_THAT(text.out, Catch::Contains(t["name"].get<std::string>()));
        const std::int64_t p = t["population"];
        std::string digits = std::to_string(p), grouped;
        for (std::size_t i = 0; i < digits.size(); ++i) grouped += (i > 0 && (digits.size() - i) % 3 == 0 ? "," : "") + std::string(1, digits[i]);
        CHECK_THAT(text.out, Catch::Contains(grouped));
    }
    CHECK_THAT(text.out, Catch::Contains("Beaune"));
}
