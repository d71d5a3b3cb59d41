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

TEST_CASE("territory ids are checked as sheet file names as soon as the definitions are read", "[sheets][html]")
{
    const Definitions ok = parse_definitions("[[territory]]\nid = \"" + std::string(200, 'a') + "\"\nmembers = 'all()'\n", "d.toml");
    CHECK_NOTHROW(check_sheet_file_names(ok));
    const Definitions long_id = parse_definitions("[[territory]]\nid = \"x\"\nmembers = 'all()'\n[[territory]]\nid = \"" + std::string(201, 'a') +
                                                      "\"\nmembers = 'all()'\n",
                                                  "d.toml");
    CHECK_THROWS_AS(check_sheet_file_names(long_id), DefinitionError);
    CHECK_THROWS_WITH(check_sheet_file_names(long_id), Catch::Contains("d.toml:4:1: territory id \"aaaa") &&
                                                           Catch::Contains("is 201 bytes long, too long for the file name of its sheet"));
    const Definitions clash = parse_definitions("[[territory]]\nid = \"a/b\"\nmembers = 'all()'\n[[territory]]\nid = \"a_b\"\nmembers = 'all()'\n", "d.toml");
    CHECK_THROWS_WITH(check_sheet_file_names(clash), Catch::Contains("d.toml:4:1: territories \"a/b\" and \"a_b\" would both have the sheet sheet-a_b.html"));
}

TEST_CASE("compute with sheets refuses a long id before loading the communes", "[sheets][html]")
{
    TempDir tmp;
    write_file(tmp / "t.toml", "[[territory]]\nid = \"" + std::string(300, 'b') + "\"\nmembers = 'all()'\n");
    BuildOptions o;
    o.load.path = (tmp / "nowhere.shp").string(); // never reached
    o.definitions = (tmp / "t.toml").string();
    o.sheets = true;
    GeosContext geos;
    CHECK_THROWS_WITH(compute(o, geos), Catch::Contains("too long for the file name of its sheet"));
}
