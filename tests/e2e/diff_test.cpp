#include "cog2018.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

using namespace cptsmap::test;
using nlohmann::json;
namespace fs = std::filesystem;

// cptsmap diff on the Côte-d'Or example: a version with one commune moved and one CPTS removed
// gives exactly those changes; old codes across COG years are carried by the history.

namespace {

// examples/cote-dor.toml without its last territory (pays-d-or) and with Urcy moved from Centre 21
// to Auxois-Morvan.
std::string modified_example()
{
    std::string s = read_file(source_dir() / "examples" / "cote-dor.toml");
    const std::size_t last = s.rfind("[[territory]]");
    REQUIRE(s.find("id = \"pays-d-or\"", last) != std::string::npos);
    s.erase(last);
    const std::size_t urcy = s.find("\"Urcy\", ");
    REQUIRE(urcy != std::string::npos);
    s.erase(urcy, 8);
    const std::string saulieu = "+ epci(\"CC de Saulieu-Morvan\")";
    const std::size_t at = s.find(saulieu);
    REQUIRE(at != std::string::npos);
    s.insert(at + saulieu.size(), " + commune(\"Urcy\")");
    return s;
}

RunResult diff(const std::string& before, const std::string& after, const fs::path& out, const std::vector<std::string>& extra = {})
{
    std::vector<std::string> args{"diff", "--communes", cote_dor_dir().string(), "--before", before, "--after", after, "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
}

} // namespace

TEST_CASE("diff: one commune moved and one CPTS removed give exactly those changes", "[e2e][diff]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "after.toml", modified_example());
    const RunResult r = diff((source_dir() / "examples" / "cote-dor.toml").string(), (tmp / "after.toml").string(), tmp / "out", {"--map"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(read_file(tmp / "out" / "diff.json"));
    REQUIRE(j["communes"].size() == 6);
    std::set<std::string> gaps;
    for (const auto& c : j["communes"]) {
        if (c["insee"] == "21650") { // Urcy
            CHECK(c["change"] == "moved");
            CHECK(c["before"] == json::array({"centre-21"}));
            CHECK(c["after"] == json::array({"auxois-morvan"}));
            continue;
        }
        CHECK(c["change"] == "became a gap");
        CHECK(c["before"] == json::array({"pays-d-or"}));
        CHECK(c["status_after"] == "gap");
        gaps.insert(c["insee"]);
    }
    CHECK(gaps == std::set<std::string>{"21105", "21263", "21370", "21452", "21473"}); // the five communes of Pays d'Or
    const json& pays = j["territories"][3];
    CHECK(pays["id"] == "pays-d-or");
    CHECK(pays["in_after"] == false);
    CHECK(pays["population_before"] == 8668);
    CHECK(pays["lost"].size() == 5);
    CHECK(j["territories"][0]["lost"] == json::array({"21650"}));
    CHECK(j["territories"][1]["gained"] == json::array({"21650"}));
    CHECK(j["study_area"]["before"]["covered_population"] == 362103);
    CHECK(j["study_area"]["after"]["covered_population"] == 362103 - 8668);
    CHECK(j["changes"]["moved"] == 1);
    CHECK(j["changes"]["became a gap"] == 5);
    CHECK_THAT(r.out, Catch::Contains("6 communes changed: 1 moved, 5 became a gap"));
    // The files agree with the JSON.
    const json layer = json::parse(read_file(tmp / "out" / "changes.geojson"));
    CHECK(layer["features"].size() == 6);
    CHECK(rfc7946_problems(tmp / "out" / "changes.geojson").empty());
    const std::string csv = read_file(tmp / "out" / "changes.csv");
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
    const std::string png = read_file(tmp / "out" / "diff.png");
    CHECK(png.size() > 10000);
    CHECK(read_file(tmp / "out" / "diff.svg").find("data-insee=\"21650\" data-change=\"moved\"") != std::string::npos);
    // Deterministic.
    const RunResult again = diff((source_dir() / "examples" / "cote-dor.toml").string(), (tmp / "after.toml").string(), tmp / "out2", {"--map"});
    REQUIRE(again.exit_code == 0);
    for (const char* f : {"diff.json", "changes.csv", "changes.geojson", "territory_changes.csv", "diff.svg"}) CHECK(read_file(tmp / "out" / f) == read_file(tmp / "out2" / f));
}

TEST_CASE("diff: an earlier build's folder is a version too", "[e2e][diff]")
{
    REQUIRE_SHARED_DATA();
    const CoteDorRun build;
    REQUIRE(build.run.exit_code == 0);
    TempDir tmp;
    // The build against its own definitions: no change.
    const RunResult same = diff(build.out().string(), (source_dir() / "examples" / "cote-dor.toml").string(), tmp / "same", {"--json", "-q"});
    INFO(same.err);
    REQUIRE(same.exit_code == 0);
    const json j = json::parse(same.out);
    CHECK(j["communes"].empty());
    CHECK(j["study_area"]["before"] == j["study_area"]["after"]);
    write_file(tmp / "after.toml", modified_example());
    const RunResult changed = diff(build.out().string(), (tmp / "after.toml").string(), tmp / "changed", {"--json", "-q"});
    REQUIRE(changed.exit_code == 0);
    CHECK(json::parse(changed.out)["communes"].size() == 6);
}

TEST_CASE("diff across COG years: communes merged since are matched through the history, not gaps", "[e2e][diff]")
{
    REQUIRE_SHARED_DATA();
    // A CPTS listed in 2018 codes (communes that have since merged into communes nouvelles among
    // them), and the same CPTS listed in today's codes.
    std::string old_rows = "territory_id,insee\n", new_rows = "territory_id,insee\n";
    std::set<std::string> today;
    std::size_t merged = 0;
    for (const auto& c : communes_2018()) {
        if (c.dep != "21" || c.code.compare(0, 3, "210") != 0) continue; // 21001 ... 21099
        old_rows += "t," + c.code + "\n";
        if (today.insert(c.today).second) new_rows += "t," + c.today + "\n";
        merged += c.code != c.today ? 1 : 0;
    }
    REQUIRE(merged > 0);
    TempDir tmp;
    write_file(tmp / "2018.csv", old_rows);
    write_file(tmp / "2023.csv", new_rows);
    const RunResult r = diff((tmp / "2018.csv").string(), (tmp / "2023.csv").string(), tmp / "out", {"--cog-history", cog_history_csv(), "--json", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["communes"].empty()); // nothing gone, nothing gained: the mergers are matched
    REQUIRE(j["history_mappings"].size() >= merged);
    CHECK_THAT(j["history_mappings"][0].get<std::string>(), Catch::Contains("merged"));
    // The summary says so, and counts no change.
    const RunResult summary = diff((tmp / "2018.csv").string(), (tmp / "2023.csv").string(), tmp / "out3", {"--cog-history", cog_history_csv()});
    REQUIRE(summary.exit_code == 0);
    CHECK_THAT(summary.out, Catch::Contains("0 communes changed") && Catch::Contains("of another COG year carried to the layer's communes") &&
                                Catch::Contains("merged"));
    // Without the history the old codes are unknown: an error that says so.
    const RunResult without = diff((tmp / "2018.csv").string(), (tmp / "2023.csv").string(), tmp / "out2");
    CHECK(without.exit_code == 1);
    CHECK_THAT(without.err, Catch::Contains("--cog-history"));
}
