// End-to-end: map.html opened in headless Chromium (Debian's chromium, installed by
// scripts/install-deps; CPTSMAP_CHROMIUM overrides the path: tests/support/browser.hpp). Checks that the page loads without a
// console message or error, shows every territory (a path and a label each), that hovering a
// commune shows its name, code, population and territories, and that a screenshot shows the
// territories' colours. Skipped with a message when Chromium is not installed.
#include "browser.hpp"
#include "test_support.hpp"

#include "cptsmap/export/palette.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const CoteDorRun& html_build()
{
    static CoteDorRun build({"--map", "--format", "shp"});
    return build;
}

} // namespace

TEST_CASE("map.html loads in headless Chromium without console errors and shows every territory", "[e2e][map][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = html_build();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const std::string page = read_file(b.out() / "map.html");
    // Self-contained: no script, style sheet or image to fetch.
    CHECK(page.find("<script src") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("url(http") == std::string::npos);

    const RunResult r = chromium({"--dump-dom"}, "file://" + (b.out() / "map.html").string());
    INFO(r.err.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    const std::vector<std::string> console = console_lines(r.err);
    CHECK(console.empty());
    if (!console.empty()) FAIL_CHECK(console.front());
    const std::string& dom = r.out;
    CHECK_THAT(dom, Catch::Contains("data-status=\"ready\""));
    CHECK(dom.find("data-errors=") == std::string::npos);
    const std::size_t n = b.report["territories"].size();
    CHECK_THAT(dom, Catch::Contains("data-territories-shown=\"" + std::to_string(n) + "\""));
    for (const auto& t : b.report["territories"]) {
        const std::string id = t["id"];
        INFO(id);
        CHECK(std::regex_search(dom, std::regex("<path [^>]*data-territory=\"" + id + "\"")));
    }
    // One permanent label per territory, with its name.
    std::multiset<std::string> labels, names;
    const std::regex label("class=\"[^\"]*territory-label[^\"]*\"[^>]*>([^<]*)<");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), label); it != std::sregex_iterator(); ++it) labels.insert((*it)[1]);
    for (const auto& t : b.report["territories"]) names.insert(t["name"].get<std::string>());
    CHECK(labels == names);
    // The coverage summary, as in report.json.
    CHECK_THAT(dom, Catch::Contains("Gaps: " + std::to_string(b.report["gaps"].size()) + " communes"));
}

TEST_CASE("hovering a commune in map.html shows its name, code, population and territories", "[e2e][map][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = html_build();
    REQUIRE(b.run.exit_code == 0);
    // Asnières-lès-Dijon (21027): claimed by two territories (an overlap).
    std::vector<std::string> claimed_by;
    for (const auto& o : b.report["overlaps"])
        if (o["insee"] == "21027") claimed_by = o["territories"].get<std::vector<std::string>>();
    REQUIRE(claimed_by.size() == 2);
    const RunResult r = chromium({"--dump-dom"}, "file://" + (b.out() / "map.html").string() + "#hover=21027");
    REQUIRE(r.exit_code == 0);
    const std::size_t at = r.out.find("id=\"info\"");
    REQUIRE(at != std::string::npos);
    const std::string info = r.out.substr(at, r.out.find("</div>", at) - at);
    CHECK_THAT(info, Catch::Contains("Asnières-lès-Dijon") && Catch::Contains("(21027)") && Catch::Contains("(overlap)"));
    for (const auto& id : claimed_by)
        for (const auto& t : b.report["territories"])
            if (t["id"] == id) CHECK_THAT(info, Catch::Contains(t["name"].get<std::string>()));
}

TEST_CASE("a screenshot of map.html shows the territories in their colours", "[e2e][map][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = html_build();
    REQUIRE(b.run.exit_code == 0);
    TempDir shots;
    const fs::path shot = shots / "map.png";
    const RunResult r = chromium({"--window-size=1280,900", "--screenshot=" + shot.string()}, "file://" + (b.out() / "map.html").string());
    INFO(r.err.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    REQUIRE(fs::exists(shot));
    GDALAllRegister();
    GDALDatasetUniquePtr png(GDALDataset::Open(shot.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(png);
    const int w = png->GetRasterXSize(), h = png->GetRasterYSize();
    CHECK(w == 1280);
    REQUIRE(png->GetRasterCount() >= 3);
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
    int bands[] = {1, 2, 3};
    REQUIRE(png->RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, bands, 3, 3 * w, 1, nullptr) == CE_None);
    // Each territory: its colour at 55 % over the page's #eef2f5 background, found somewhere.
    const int bg[] = {0xee, 0xf2, 0xf5};
    for (std::size_t t = 0; t < b.report["territories"].size(); ++t) {
        const Rgb c = territory_colour(t);
        const int want[] = {c.r, c.g, c.b};
        int expected[3];
        for (int k = 0; k < 3; ++k) expected[k] = static_cast<int>(std::lround(0.55 * want[k] + 0.45 * bg[k]));
        std::size_t n = 0;
        for (std::size_t i = 0; i < px.size(); i += 3)
            n += std::abs(px[i] - expected[0]) <= 4 && std::abs(px[i + 1] - expected[1]) <= 4 && std::abs(px[i + 2] - expected[2]) <= 4;
        INFO(b.report["territories"][t]["id"]);
        CHECK(n > 100);
    }
}
