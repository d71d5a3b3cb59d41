#include "cptsmap/map/png_render.hpp"
#include "cptsmap/map/svg_map.hpp"
#include "synthetic_build.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <string>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

std::size_t count(const std::string& s, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
    return n;
}

// The <g id="..."> group's content.
std::string group(const std::string& svg, const std::string& id)
{
    const std::size_t start = svg.find("<g id=\"" + id + "\"");
    REQUIRE(start != std::string::npos);
    return svg.substr(start, svg.find("</g>", start) - start);
}

} // namespace

TEST_CASE("map.svg: territories filled, gaps and overlaps hatched, all inside the page", "[map]")
{
    const BuildResult r = synthetic_build();
    const std::vector<LayerTable> tables = make_layer_tables(r, shared_geos());
    const MapOptions options;
    const std::string svg = render_svg_map(r, tables, shared_geos(), options);
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.find("</svg>") != std::string::npos);
    // One path per territory, in the territory's colour; one per gap and overlap zone.
    const std::string territories = group(svg, "territories");
    CHECK(count(territories, "data-id=\"west\"") == 1);
    CHECK(count(territories, "data-id=\"east\"") == 1);
    CHECK(count(group(svg, "gaps"), "<path") == r.assembly.gaps.size());
    CHECK(count(group(svg, "overlaps"), "<path") == r.assembly.overlaps.size());
    CHECK(count(group(svg, "communes"), "<path") == r.layer.size());
    // The legend names each territory; the labels too.
    CHECK(group(svg, "legend").find("CPTS Ouest") != std::string::npos);
    CHECK(group(svg, "labels").find("CPTS Est") != std::string::npos);
    CHECK(svg.find("<g id=\"scale-bar\"") != std::string::npos);
    // Every coordinate of every path on the page.
    const std::regex number(R"((-?[0-9]+(\.[0-9]+)?))");
    const std::string paths = territories + group(svg, "gaps") + group(svg, "overlaps") + group(svg, "communes");
    std::size_t numbers = 0;
    const std::regex path_data(R"re(d="([^"]*)")re");
    for (auto it = std::sregex_iterator(paths.begin(), paths.end(), path_data); it != std::sregex_iterator(); ++it) {
        const std::string d = (*it)[1];
        for (auto n = std::sregex_iterator(d.begin(), d.end(), number); n != std::sregex_iterator(); ++n) {
            const double v = std::stod((*n)[1]);
            CHECK(v >= 0.0);
            CHECK(v <= options.width);
            ++numbers;
        }
    }
    CHECK(numbers > 50);
    CHECK(render_svg_map(r, tables, shared_geos(), options) == svg); // deterministic
}

TEST_CASE("map.png: the SVG rendered at the PNG scale", "[map]")
{
    const BuildResult r = synthetic_build();
    const MapOptions options;
    const std::string svg = render_svg_map(r, make_layer_tables(r, shared_geos()), shared_geos(), options);
    TempDir tmp;
    write_png_from_svg(svg, options.png_scale, (tmp / "map.png").string());
    const std::string png = read_file(tmp / "map.png");
    REQUIRE(png.size() > 1000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    const auto be32 = [&](std::size_t at) {
        return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
               (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
    };
    CHECK(be32(16) == std::uint32_t(options.width * options.png_scale));
    CHECK(be32(20) == std::uint32_t(options.height * options.png_scale));
}
