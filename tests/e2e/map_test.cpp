// End-to-end: `build --map` on the real Côte-d'Or extract: the SVG has every territory, label,
// legend entry and the scale bar; the PNG (read back with GDAL) shows every territory's colour;
// both are byte-identical across runs.
#include "test_support.hpp"

#include "cptsmap/export/palette.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> map_args(const fs::path& out)
{
    return {"build", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
            "--out", out.string(), "--map"};
}

const CoteDorRun& map_build()
{
    static CoteDorRun build({"--map"});
    return build;
}

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

} // namespace

TEST_CASE("the SVG map has every territory with its label and legend entry, gaps, overlaps and a scale bar", "[e2e][map]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = map_build();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    const std::string svg = read_file(b.out() / "map.svg");
    CHECK_THAT(svg, Catch::StartsWith("<?xml") && Catch::EndsWith("</svg>\n"));
    for (const auto& t : b.report["territories"]) {
        const std::string id = t["id"], name = t["name"];
        INFO(id);
        CHECK(count(svg, "data-id=\"" + id + "\"") == 1);
        CHECK(count(svg, ">" + xml_escape(name) + "</text>") == 1);                  // the label
        CHECK(count(svg, ">" + xml_escape(name) + " (") == 1);                        // the legend entry
    }
    CHECK(count(svg, "<g id=\"gaps\"") == 1);
    CHECK(count(svg, "<g id=\"overlaps\"") == 1);
    CHECK_THAT(svg, Catch::Contains("Gaps: " + std::to_string(b.report["gaps"].size()) + " communes"));
    CHECK_THAT(svg, Catch::Contains("Overlaps: " + std::to_string(b.report["overlaps"].size()) + " communes"));
    CHECK_THAT(svg, Catch::Contains("<g id=\"scale-bar\"") && Catch::Contains(" km</text>"));
    // One path per commune written out.
    const std::string communes = svg.substr(svg.find("<g id=\"communes\""), svg.find("<g id=\"territories\"") - svg.find("<g id=\"communes\""));
    const std::size_t study = b.report["study_area"]["communes"].get<std::size_t>();
    CHECK(count(communes, "<path ") >= study);
}

TEST_CASE("the PNG map shows every territory in its colour and the hatched gaps", "[e2e][map]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = map_build();
    REQUIRE(b.run.exit_code == 0);
    GDALAllRegister();
    GDALDatasetUniquePtr png(GDALDataset::Open((b.out() / "map.png").c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(png);
    CHECK(std::string(png->GetDriver()->GetDescription()) == "PNG");
    const int w = png->GetRasterXSize(), h = png->GetRasterYSize();
    CHECK(w == 1800);
    CHECK(h == 1350);
    REQUIRE(png->GetRasterCount() == 3);
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
    REQUIRE(png->RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w, 1, nullptr) == CE_None);
    const auto pixels_near = [&](int r, int g, int bl) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < px.size(); i += 3)
            n += std::abs(px[i] - r) <= 3 && std::abs(px[i + 1] - g) <= 3 && std::abs(px[i + 2] - bl) <= 3;
        return n;
    };
    // A territory is its colour at 55 % over the communes' #fafafa fill.
    for (std::size_t t = 0; t < b.report["territories"].size(); ++t) {
        const Rgb c = territory_colour(t);
        const auto blend = [](int v) { return static_cast<int>(std::lround(0.55 * v + 0.45 * 250)); };
        INFO(b.report["territories"][t]["id"]);
        CHECK(pixels_near(blend(c.r), blend(c.g), blend(c.b)) > 200);
    }
    CHECK(pixels_near(kGapColour.r, kGapColour.g, kGapColour.b) > 1000);
}

TEST_CASE("two runs draw byte-identical SVG and PNG maps", "[e2e][map]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = map_build();
    REQUIRE(b.run.exit_code == 0);
    TempDir tmp;
    REQUIRE(run_cli(map_args(tmp / "out")).exit_code == 0);
    CHECK(read_file(tmp / "out" / "map.svg") == read_file(b.out() / "map.svg"));
    CHECK(read_file(tmp / "out" / "map.png") == read_file(b.out() / "map.png"));
    CHECK_FALSE(fs::exists(b.out() / "map.png.aux.xml"));
}
