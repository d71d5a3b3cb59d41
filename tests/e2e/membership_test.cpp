// End-to-end: membership tables. The Côte-d'Or CPTS built from examples/cote-dor.toml are written
// back as tables — by export-definitions, and by the test itself as an old ARS spreadsheet would
// (semicolons, French headers, COG 2018 names) — and built again: the territories must not change.
#include "cog2018.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string toml() { return (source_dir() / "examples" / "cote-dor.toml").string(); }

RunResult build(const std::vector<std::string>& source, const fs::path& out)
{
    std::vector<std::string> args = {"build", "--communes", cote_dor_dir().string()};
    args.insert(args.end(), source.begin(), source.end());
    args.insert(args.end(), {"--out", out.string()});
    return run_cli(args);
}

// territory id -> its INSEE codes, from report.json.
std::map<std::string, std::set<std::string>> report_territories(const fs::path& out)
{
    std::map<std::string, std::set<std::string>> m;
    const json report = json::parse(read_file(out / "report.json"));
    for (const auto& t : report["territories"]) {
        auto& codes = m[t["id"].get<std::string>()];
        for (const auto& c : t["insee"]) codes.insert(c.get<std::string>());
    }
    return m;
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text)
{
    // Enough for the files cptsmap writes: quoted fields may hold commas and doubled quotes.
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') row.push_back(std::exchange(field, ""));
        else if (c == '\n') {
            row.push_back(std::exchange(field, ""));
            rows.push_back(std::exchange(row, {}));
        } else field += c;
    }
    return rows;
}

struct Reference {
    TempDir tmp;
    RunResult run;
    std::map<std::string, std::set<std::string>> territories;
    Reference()
    {
        run = build({"--definitions", toml()}, tmp / "out");
        if (run.exit_code == 0) territories = report_territories(tmp / "out");
    }
};

const Reference& reference()
{
    static Reference r;
    return r;
}

} // namespace

TEST_CASE("membership: export-definitions writes the resolved TOML membership, and building it gives the same territories",
          "[e2e][membership]")
{
    SKIP_WITHOUT_SHARED_DATA();
    const Reference& ref = reference();
    INFO(ref.run.err);
    REQUIRE(ref.run.exit_code == 0);
    TempDir tmp;
    const fs::path csv = tmp / "tables" / "members.csv";
    const RunResult e = run_cli({"export-definitions", "--communes", cote_dor_dir().string(), "--definitions", toml(), "--out", csv.string()});
    INFO(e.err);
    REQUIRE(e.exit_code == 0);

    const auto rows = csv_rows(read_file(csv));
    REQUIRE(rows.size() > 1);
    CHECK(rows[0] == std::vector<std::string>{"territory_id", "territory_name", "insee", "commune"});
    std::map<std::string, std::set<std::string>> exported;
    for (std::size_t k = 1; k < rows.size(); ++k) {
        REQUIRE(rows[k].size() == 4);
        exported[rows[k][0]].insert(rows[k][2]);
    }
    CHECK(exported == ref.territories);
    CHECK_THAT(read_file(csv), Catch::Contains("centre-21,CPTS Centre 21,21003,Ahuy\n"));

    // Built back with the default columns: same territories, same geometry, byte for byte.
    const RunResult b = build({"--membership", csv.string()}, tmp / "out");
    INFO(b.err);
    REQUIRE(b.exit_code == 0);
    CHECK(report_territories(tmp / "out") == ref.territories);
    CHECK(read_file(tmp / "out" / "territories.geojson") == read_file(ref.tmp / "out" / "territories.geojson"));
}

TEST_CASE("membership: an old spreadsheet of 2018 names builds the same territories with the commune history", "[e2e][membership][history]")
{
    SKIP_WITHOUT_SHARED_DATA();
    const Reference& ref = reference();
    REQUIRE(ref.run.exit_code == 0);
    // Each territory as the 2018 communes now inside its communes (geometrically), by 2018 name;
    // the names two 2018 communes shared (Charmes, Longchamp) by code.
    std::map<std::string, int> name_count;
    for (const auto& c : communes_2018()) ++name_count[c.name];
    std::string table = "CPTS;Nom commune\n";
    std::map<std::string, std::string> gone; // 2018 name -> 2023 code, for communes merged since
    for (const auto& [id, codes] : ref.territories) {
        for (const auto& c : communes_2018()) {
            if (!codes.count(c.today)) continue;
            table += id + ";" + (name_count[c.name] > 1 ? c.code : c.name) + "\n";
            if (c.today != c.code) gone[c.name] = c.today;
        }
    }
    REQUIRE_FALSE(gone.empty());
    TempDir tmp;
    write_file(tmp / "ars-2018.csv", table);
    const RunResult b = run_cli({"build", "--communes", cote_dor_dir().string(), "--membership", (tmp / "ars-2018.csv").string(), "--territory-col",
                                 "CPTS", "--commune-col", "Nom commune", "--cog-history", cog_history_csv(), "--out", (tmp / "out").string()});
    INFO(b.err);
    REQUIRE(b.exit_code == 0);
    CHECK(report_territories(tmp / "out") == ref.territories);

    // resolution.csv says, for each merged commune's name, that the history mapped it there.
    const auto rows = csv_rows(read_file(tmp / "out" / "resolution.csv"));
    REQUIRE(rows.size() > 1);
    CHECK(rows[0] == std::vector<std::string>{"territory", "selector", "term", "position", "method", "insee", "commune", "note"});
    std::map<std::string, std::string> mapped; // term -> insee, for history rows
    for (const auto& row : rows) {
        REQUIRE(row.size() == 8);
        if (row[4] == "history") mapped[row[2]] = row[5];
    }
    // Every commune merged since 2018 went through the history, and every history mapping (renamed
    // communes nouvelles too: Flée, Clémencey) is where the geometry says it is.
    for (const auto& [name, code] : gone) CHECK(mapped[name] == code);
    std::map<std::string, std::string> today_of;
    for (const auto& c : communes_2018()) today_of[c.name] = c.today;
    for (const auto& [term, code] : mapped) {
        INFO(term);
        CHECK(today_of.at(term) == code);
    }
}

TEST_CASE("membership: every build writes resolution.csv with one row per term and commune", "[e2e][membership]")
{
    SKIP_WITHOUT_SHARED_DATA();
    const Reference& ref = reference();
    REQUIRE(ref.run.exit_code == 0);
    const auto rows = csv_rows(read_file(ref.tmp / "out" / "resolution.csv"));
    std::map<std::string, std::set<std::string>> by_territory;
    std::set<std::string> methods;
    for (std::size_t k = 1; k < rows.size(); ++k) {
        REQUIRE(rows[k].size() == 8);
        methods.insert(rows[k][4]);
        if (rows[k][0] != "[study_area]") by_territory[rows[k][0]].insert(rows[k][5]);
    }
    // The terms cover every commune of every territory (and more: differences remove some).
    for (const auto& [id, codes] : ref.territories) {
        INFO(id);
        for (const auto& code : codes) CHECK(by_territory[id].count(code) == 1);
    }
    CHECK(methods.count("epci") == 1);
    CHECK(methods.count("normalised name") == 1); // "Asnieres-les-Dijon"
    CHECK(methods.count("département") == 1);     // the study area
    // report.json counts the same terms.
    std::set<std::pair<std::string, std::string>> terms; // (position, term)
    for (std::size_t k = 1; k < rows.size(); ++k) terms.emplace(rows[k][3], rows[k][2]);
    const json report = json::parse(read_file(ref.tmp / "out" / "report.json"));
    CHECK(report["resolution"]["terms"] == terms.size());
    CHECK(report["resolution"]["by_method"]["normalised name"] >= 1);
}

TEST_CASE("membership: exactly one of --definitions and --membership, and a failed export leaves the old file", "[e2e][membership]")
{
    SKIP_WITHOUT_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "m.csv", "territory_id,insee\na,21231\n");
    const RunResult both = build({"--definitions", toml(), "--membership", (tmp / "m.csv").string()}, tmp / "out");
    CHECK(both.exit_code == 2);
    const RunResult none = build({}, tmp / "out");
    CHECK(none.exit_code == 2);

    write_file(tmp / "bad.csv", "territory_id,insee\na,Fenai\n");
    const std::string old = "territory_id,territory_name,insee,commune\nold,Old,21231,Dijon\n"; // a table it wrote before
    write_file(tmp / "members.csv", old);
    const RunResult e = run_cli({"export-definitions", "--communes", cote_dor_dir().string(), "--membership", (tmp / "bad.csv").string(), "--out",
                                 (tmp / "members.csv").string()});
    CHECK(e.exit_code == 1);
    CHECK_THAT(e.err, Catch::Contains("bad.csv:2:2: unknown commune \"Fenai\"; did you mean \"Fénay\" (21263)"));
    CHECK(read_file(tmp / "members.csv") == old);
}
