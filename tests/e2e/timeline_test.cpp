#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace cptsmap::test;

// cptsmap timeline: the covered population of the Côte-d'Or at each founding date of its CPTS.

namespace {

RunResult timeline(const std::string& file, const std::filesystem::path& out)
{
    return run_cli({"timeline", "-q", "--communes", cote_dor_dir().string(), "--timeline", file, "--out", out.string()});
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> row;
        std::string cell;
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) row.push_back(std::exchange(cell, ""));
            else cell += c;
        }
        row.push_back(cell);
        rows.push_back(row);
    }
    return rows;
}

std::size_t count(const std::string& s, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("timeline: the Côte-d'Or coverage at each founding date, table and plot", "[e2e][timeline]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const RunResult r = timeline((source_dir() / "examples" / "cote-dor-timeline.toml").string(), tmp / "out");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto rows = csv_rows(read_file(tmp / "out" / "timeline.csv"));
    REQUIRE(rows.size() == 1 + 3 * 2); // header; each date: the study area and département 21
    CHECK(rows[0][0] == "date");
    std::vector<std::string> dates;
    std::vector<long long> covered;
    for (const auto& row : rows)
        if (row[1].empty() && row[0] != "date") {
            dates.push_back(row[0]);
            covered.push_back(std::stoll(row[7]));
        }
    CHECK(dates == std::vector<std::string>{"2020-12-10", "2021-09-16", "2022-07-22"});
    CHECK(rows[1][3] == "cpts-21-52");
    CHECK(rows[5][3] == "centre-21,auxois-morvan,cpts-21-52"); // in the definitions' order
    REQUIRE(covered.size() == 3);
    CHECK(covered[0] < covered[1]);
    CHECK(covered[1] < covered[2]);
    // The last date: the three dated CPTS, as a build of them gives (Pays d'Or, undated, left out).
    CHECK(covered[2] == 362103 - 8668);
    const std::string svg = read_file(tmp / "out" / "timeline.svg");
    CHECK(count(svg, "<circle data-date=") == 3);
    CHECK(count(svg, "<polyline") == 1);
    const std::string png = read_file(tmp / "out" / "timeline.png");
    REQUIRE(png.size() > 5000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    // Deterministic.
    const RunResult again = timeline((source_dir() / "examples" / "cote-dor-timeline.toml").string(), tmp / "again");
    REQUIRE(again.exit_code == 0);
    CHECK(read_file(tmp / "again" / "timeline.csv") == read_file(tmp / "out" / "timeline.csv"));
    CHECK(read_file(tmp / "again" / "timeline.svg") == svg);
}

TEST_CASE("timeline: dated versions, each its own definitions file, bad dates and ids are errors", "[e2e][timeline]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "v1.toml", "[study_area]\nmembers = 'dep(\"21\")'\n[[territory]]\nid = \"beaune\"\nmembers = 'commune(\"Beaune\")'\n");
    write_file(tmp / "v2.toml", "[study_area]\nmembers = 'dep(\"21\")'\n[[territory]]\nid = \"beaune\"\nmembers = 'commune(\"Beaune\", \"Dijon\")'\n");
    write_file(tmp / "t.toml", "[[version]]\ndate = \"2023-01-01\"\ndefinitions = \"v2.toml\"\n[[version]]\ndate = 2021-06-01\ndefinitions = \"v1.toml\"\n");
    const RunResult r = timeline((tmp / "t.toml").string(), tmp / "out");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto rows = csv_rows(read_file(tmp / "out" / "timeline.csv"));
    REQUIRE(rows.size() == 5);
    CHECK(rows[1][0] == "2021-06-01"); // sorted by date
    CHECK(std::stoll(rows[1][7]) < std::stoll(rows[3][7]));

    write_file(tmp / "bad.toml", "definitions = \"v1.toml\"\n[founded]\nbeaune = \"2021-13-01\"\n");
    const RunResult bad_date = timeline((tmp / "bad.toml").string(), tmp / "bad");
    CHECK(bad_date.exit_code == 1);
    CHECK_THAT(bad_date.err, Catch::Contains("bad.toml:3:") && Catch::Contains("is not a date"));
    write_file(tmp / "bad-id.toml", "definitions = \"v1.toml\"\n[founded]\nbeaun = \"2021-01-01\"\n");
    const RunResult bad_id = timeline((tmp / "bad-id.toml").string(), tmp / "bad");
    CHECK(bad_id.exit_code == 1);
    CHECK_THAT(bad_id.err, Catch::Contains("no territory \"beaun\""));
    CHECK_FALSE(std::filesystem::exists(tmp / "bad"));
}
