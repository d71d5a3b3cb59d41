#include "test_support.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/pipeline/build.hpp"
#include "cptsmap/sheets/sheets_html.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

BuildResult synthetic_build(const TempDir& tmp, const GeosContext& geos, const std::string& territories)
{
    write_file(tmp / "t.toml", territories);
    BuildOptions o;
    o.load.path = synthetic_dir().string();
    o.definitions = (tmp / "t.toml").string();
    o.threads = 1;
    return compute(o, geos);
}

} // namespace

TEST_CASE("a territory sheet draws its communes and hatches its enclaves", "[sheets][html]")
{
    TempDir tmp;
    GeosContext geos;
    const BuildResult r = synthetic_build(tmp, geos, "[[territory]]\nid = \"ring\"\nmembers = 'commune(\"99001\", \"99002\", \"99003\")'\n");
    const std::string html = render_territory_sheet(r, 0, geos);
    for (const char* code : {"99001", "99002", "99003"}) CHECK_THAT(html, Catch::Contains(std::string("data-insee=\"") + code + "\""));
    CHECK_THAT(html, Catch::Contains("data-enclave=\"99004\""));
    CHECK_THAT(html, Catch::Contains("Enclave of 1.0 km²: L&#39;Œuf (99004), in no territory"));
    CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("two territory ids that would share a sheet file are an error and nothing is written", "[sheets][html]")
{
    TempDir tmp;
    GeosContext geos;
    const BuildResult r = synthetic_build(tmp, geos,
                                          "[[territory]]\nid = \"a/b\"\nmembers = 'commune(\"99001\")'\n"
                                          "[[territory]]\nid = \"a_b\"\nmembers = 'commune(\"99002\")'\n");
    OutputOptions output;
    output.sheets = true;
    CHECK_THROWS_WITH(write_outputs(r, (tmp / "out").string(), geos, output), Catch::Matchers::Contains("sheet-a_b.html"));
    CHECK_FALSE(std::filesystem::exists(tmp / "out"));
}
