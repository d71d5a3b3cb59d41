// End-to-end: the HTML maps of `cptsmap diff --map` (diff.html) and `cptsmap timeline --map`
// (timeline.html) opened in headless Chromium (tests/support/browser.hpp): no console message or
// error, the changes drawn by kind, hovering tells before → after, the timeline steps through its
// dates and colours as many communes covered as timeline.csv counts. Skipped with a message when
// Chromium is not installed.
#include "browser.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The page's DOM after its scripts ran, with no console line and no trapped error.
std::string loaded_dom(const fs::path& page, const std::string& hash = "")
{
    const RunResult r = chromium({"--dump-dom"}, "file://" + page.string() + hash);
    INFO(r.err.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    const std::vector<std::string> console = console_lines(r.err);
    if (!console.empty()) FAIL_CHECK(console.front());
    CHECK_THAT(r.out, Catch::Contains("data-status=\"ready\""));
    CHECK(r.out.find("data-errors=") == std::string::npos);
    return r.out;
}

std::string attribute(const std::string& dom, const std::string& name)
{
    std::smatch m;
    REQUIRE(std::regex_search(dom, m, std::regex(name + "=\"([^\"]*)\"")));
    return m[1];
}

std::string info_panel(const std::string& dom)
{
    const std::size_t at = dom.find("id=\"info\"");
    REQUIRE(at != std::string::npos);
    return dom.substr(at, dom.find("</div>", at) - at);
}

} // namespace

TEST_CASE("diff.html shows each change by kind and tells a moved commune's before and after", "[e2e][diff][browser]")
{
    REQUIRE_BROWSER_SETUP();
    TempDir tmp;
    // Urcy (21650) moved from Centre 21 to Auxois-Morvan; Pays d'Or removed.
    std::string after = read_file(source_dir() / "examples" / "cote-dor.toml");
    after.erase(after.rfind("[[territory]]"));
    after.erase(after.find("\"Urcy\", "), 8);
    const std::string saulieu = "+ epci(\"CC de Saulieu-Morvan\")";
    after.insert(after.find(saulieu) + saulieu.size(), " + commune(\"Urcy\")");
    write_file(tmp / "after.toml", after);
    const RunResult r = run_cli({"diff", "-q", "--communes", cote_dor_dir().string(), "--before", (source_dir() / "examples" / "cote-dor.toml").string(),
                                 "--after", (tmp / "after.toml").string(), "--out", (tmp / "out").string(), "--map"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path page = tmp / "out" / "diff.html";
    const std::string html = read_file(page);
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);

    const std::string dom = loaded_dom(page);
    CHECK(attribute(dom, "data-changes-shown") == "6");
    CHECK(std::regex_search(dom, std::regex("<path [^>]*data-insee=\"21650\"[^>]*data-change=\"moved\"")));
    const std::regex gap("<path [^>]*data-change=\"became a gap\"");
    CHECK(std::distance(std::sregex_iterator(dom.begin(), dom.end(), gap), std::sregex_iterator()) == 5);
    CHECK_THAT(dom, Catch::Contains("6 communes changed") && Catch::Contains("67.0 % → 65.4 %"));

    const std::string info = info_panel(loaded_dom(page, "#hover=21650"));
    CHECK_THAT(info, Catch::Contains("Urcy") && Catch::Contains("(21650)") && Catch::Contains("Change: <b>moved</b>") &&
                         Catch::Contains("Before: CPTS Centre 21") && Catch::Contains("After: CPTS Auxois-Morvan"));
}

TEST_CASE("timeline.html steps through the dates, colouring as many communes covered as timeline.csv", "[e2e][timeline][browser]")
{
    REQUIRE_BROWSER_SETUP();
    TempDir tmp;
    const RunResult r = run_cli({"timeline", "-q", "--communes", cote_dor_dir().string(), "--timeline",
                                 (source_dir() / "examples" / "cote-dor-timeline.toml").string(), "--out", (tmp / "out").string(), "--map"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path page = tmp / "out" / "timeline.html";
    // The study area's rows of timeline.csv: date, covered communes.
    std::vector<std::pair<std::string, std::string>> expected;
    const std::regex row("^([0-9-]{10}),,study area,[^\\n]*?,([0-9]+),([0-9]+),([0-9]+),([0-9.]+)$");
    const std::string csv = read_file(tmp / "out" / "timeline.csv");
    const std::regex line_re("[^\\n]+");
    for (auto it = std::sregex_iterator(csv.begin(), csv.end(), line_re); it != std::sregex_iterator(); ++it) {
        std::smatch m;
        const std::string line = it->str();
        if (std::regex_match(line, m, row)) expected.emplace_back(m[1], m[3]);
    }
    REQUIRE(expected.size() == 3);
    for (std::size_t k = 0; k < expected.size(); ++k) {
        INFO("date " << k);
        const std::string dom = loaded_dom(page, "#date=" + std::to_string(k));
        CHECK(attribute(dom, "data-date") == expected[k].first);
        CHECK(attribute(dom, "data-covered-communes") == expected[k].second);
        CHECK(std::regex_search(dom, std::regex("<input id=\"slider\"[^>]*max=\"2\"")));
    }
    // The first date: only CPTS 21-52 in force, Dijon (21231) a gap; the last: Dijon in Centre 21.
    const std::string first = loaded_dom(page, "#date=0&hover=21231");
    CHECK(std::regex_search(first, std::regex("<tr data-territory=\"cpts-21-52\">")));
    CHECK(first.find("<tr data-territory=\"centre-21\">") == std::string::npos);
    CHECK_THAT(info_panel(first), Catch::Contains("Dijon") && Catch::Contains("On 2020-12-10: <b>none (gap)</b>"));
    const std::string last = loaded_dom(page, "#date=2&hover=21231");
    CHECK(std::regex_search(last, std::regex("<tr data-territory=\"centre-21\">")));
    CHECK_THAT(info_panel(last), Catch::Contains("On 2022-07-22: CPTS Centre 21"));
}
