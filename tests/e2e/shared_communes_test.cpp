#include "browser.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

using namespace cptsmap::test;
using nlohmann::json;
namespace fs = std::filesystem;

// The ARS PACA case: Nice, Toulon and Marseille (without its arrondissements) split between CPTS
// by district, declared as shares; Antibes claimed whole by one CPTS and as a share by another,
// and La Seyne-sur-Mer claimed whole by two: conflicts, whatever the declarations.

namespace {

const char* const kPaca = R"(
[study_area]
members = 'dep("06", "13", "83")'
[[territory]]
id = "nice-nord"
members = 'commune("Nice", share = "nord") + commune("Saint-André-de-la-Roche", "La Trinité")'
[[territory]]
id = "nice-ouest"
members = 'commune("Nice", share = "ouest") + commune("Saint-Laurent-du-Var", "Cagnes-sur-Mer")'
[[territory]]
id = "toulon-est"
members = 'commune("Toulon", share = "est") + commune("La Valette-du-Var")'
[[territory]]
id = "toulon-ouest"
members = 'commune("Toulon", share = "ouest") + commune("La Seyne-sur-Mer")'
[[territory]]
id = "marseille-nord"
members = 'commune("Marseille", share = "nord") + commune("Septèmes-les-Vallons")'
[[territory]]
id = "marseille-sud"
members = 'commune("Marseille", share = "sud")'
[[territory]]
id = "antibes"
members = 'commune("Antibes")'
[[territory]]
id = "vallauris"
members = 'commune("Vallauris") + commune("Antibes", share = "est")'
[[territory]]
id = "six-fours"
members = 'commune("Six-Fours-les-Plages", "La Seyne-sur-Mer")'
)";

struct PacaBuild {
    TempDir tmp;
    RunResult run;
    json report;
    fs::path out() const { return tmp / "out"; }
    PacaBuild(const std::string& definitions, const std::vector<std::string>& extra = {})
    {
        extract_departements(tmp / "ae", {"06", "13", "83"});
        write_file(tmp / "defs.toml", definitions);
        std::vector<std::string> args{"build", "-q", "--communes", (tmp / "ae").string(), "--definitions", (tmp / "defs.toml").string(),
                                      "--out", out().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        run = run_cli(args);
        if (run.exit_code == 0) report = json::parse(read_file(out() / "report.json"));
    }
};

const PacaBuild& paca()
{
    static PacaBuild b(kPaca, {"--map"});
    return b;
}

std::map<std::string, std::string> status_by_code(const fs::path& communes_geojson)
{
    std::map<std::string, std::string> out;
    const json layer = json::parse(read_file(communes_geojson));
    for (const auto& f : layer["features"]) out[f["properties"]["insee"]] = f["properties"]["status"];
    return out;
}

std::size_t count(const std::string& s, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("PACA: Nice, Toulon and Marseille declared shared come out shared, not overlaps", "[e2e][shares]")
{
    REQUIRE_SHARED_DATA();
    const PacaBuild& b = paca();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const json& shared = b.report["shared"];
    REQUIRE(shared.size() == 3);
    CHECK(shared[0]["insee"] == "06088");
    CHECK(shared[0]["territories"] == json::array({"nice-nord", "nice-ouest"}));
    CHECK(shared[0]["shares"] == json::array({"nord", "ouest"}));
    CHECK(shared[0]["population"] == 357737);
    CHECK(shared[1]["insee"] == "13055");
    CHECK(shared[1]["shares"] == json::array({"nord", "sud"}));
    CHECK(shared[2]["insee"] == "83137");
    CHECK(shared[2]["territories"] == json::array({"toulon-est", "toulon-ouest"}));
    // Only the conflicts are overlaps: Antibes (whole + share) and La Seyne (whole twice).
    REQUIRE(b.report["overlaps"].size() == 2);
    CHECK(b.report["overlaps"][0]["insee"] == "06004");
    CHECK(b.report["overlaps"][0]["territories"] == json::array({"antibes", "vallauris"}));
    CHECK(b.report["overlaps"][1]["insee"] == "83126");
    // The layers tell the three cases apart.
    const auto status = status_by_code(b.out() / "communes.geojson");
    CHECK(status.at("06088") == "shared");
    CHECK(status.at("83137") == "shared");
    CHECK(status.at("13055") == "shared");
    CHECK(status.at("06004") == "overlap");
    CHECK(status.at("83126") == "overlap");
    CHECK(status.at("06114") == "covered");
    CHECK(b.run.out.empty()); // -q
}

TEST_CASE("PACA: a shared commune's population is counted once in the coverage", "[e2e][shares]")
{
    REQUIRE_SHARED_DATA();
    const PacaBuild& b = paca();
    REQUIRE(b.run.exit_code == 0);
    std::int64_t territories = 0;
    for (const auto& t : b.report["territories"]) territories += t["population"].get<std::int64_t>();
    // Each territory counts its communes whole; the coverage counts each claimed commune once:
    // the difference is the population of the communes claimed twice (Nice, Toulon, Marseille, Antibes, La Seyne).
    const std::int64_t twice = 357737 + 179116 + 0 + 77637 + 63732;
    CHECK(territories - b.report["study_area"]["covered_population"].get<std::int64_t>() == twice);
    CHECK(b.report["study_area"]["covered_communes"] == 13);
}

TEST_CASE("PACA: the maps draw the shared communes apart from the overlaps", "[e2e][shares]")
{
    REQUIRE_SHARED_DATA();
    const PacaBuild& b = paca();
    REQUIRE(b.run.exit_code == 0);
    const std::string svg = read_file(b.out() / "map.svg");
    const std::size_t group = svg.find("<g id=\"shared\"");
    REQUIRE(group != std::string::npos);
    CHECK(count(svg.substr(group, svg.find("</g>", group) - group), "<path") == 3);
    CHECK(svg.find("Shared by declaration: 3 communes") != std::string::npos);
    const std::string html = read_file(b.out() / "map.html");
    CHECK(html.find("\"shared\":{\"type\":\"FeatureCollection\"") != std::string::npos);
    CHECK(html.find("@SHARED") == std::string::npos); // every marker replaced
    if (chromium_path().empty()) {
        if (shared_data_required()) FAIL("no Chromium to load map.html (scripts/install-deps installs it)");
        WARN("no Chromium: map.html not loaded");
        return;
    }
    const RunResult r = chromium({"--dump-dom"}, "file://" + (b.out() / "map.html").string() + "#hover=06088");
    INFO(r.err);
    CHECK(r.out.find("data-status=\"ready\"") != std::string::npos);
    CHECK(r.out.find("data-errors=") == std::string::npos);
    CHECK(console_lines(r.err).empty());
    CHECK(r.out.find("(shared by declaration)") != std::string::npos); // the hover panel over Nice
    CHECK(r.out.find("Shared by declaration: 3 communes") != std::string::npos);
}

TEST_CASE("PACA: undeclared double claims stay overlaps", "[e2e][shares]")
{
    REQUIRE_SHARED_DATA();
    std::string plain = kPaca;
    for (const std::string share : {", share = \"nord\"", ", share = \"ouest\"", ", share = \"est\"", ", share = \"sud\""})
        for (std::size_t at; (at = plain.find(share)) != std::string::npos;) plain.erase(at, share.size());
    const PacaBuild b(plain);
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    CHECK_FALSE(b.report.contains("shared")); // written only when shares are declared
    std::set<std::string> overlaps;
    for (const auto& o : b.report["overlaps"]) overlaps.insert(o["insee"]);
    CHECK(overlaps == std::set<std::string>{"06004", "06088", "13055", "83126", "83137"});
}

TEST_CASE("PACA: a membership table's share column declares the same shares", "[e2e][shares]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    extract_departements(tmp / "ae", {"06", "83"});
    write_file(tmp / "members.csv", "territory_id,insee,share\n"
                                    "nice-nord,06088,nord\nnice-nord,06114,\nnice-nord,06149,\n"
                                    "nice-ouest,Nice,ouest\nnice-ouest,06123,\n"
                                    "toulon-est,83137,est\ntoulon-ouest,83137,ouest\n"
                                    "antibes,06004,\nvallauris,06155,\nvallauris,06004,est\n");
    const RunResult r = run_cli({"build", "-q", "--communes", (tmp / "ae").string(), "--membership", (tmp / "members.csv").string(), "--out",
                                 (tmp / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(read_file(tmp / "out" / "report.json"));
    REQUIRE(report["shared"].size() == 2);
    CHECK(report["shared"][0]["insee"] == "06088");
    CHECK(report["shared"][0]["shares"] == json::array({"nord", "ouest"}));
    CHECK(report["shared"][1]["insee"] == "83137");
    REQUIRE(report["overlaps"].size() == 1);
    CHECK(report["overlaps"][0]["insee"] == "06004");
    CHECK(report["territories"][0]["communes"] == 3);
    CHECK(report["territories"][3]["communes"] == 1); // toulon-ouest: its share only
}
