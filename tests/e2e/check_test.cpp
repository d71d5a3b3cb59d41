// End-to-end: `cptsmap check` on the real layers of ../shared/data and on a crafted one, checked
// against figures computed independently with OGR; and an interrupted run leaves nothing behind.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <chrono>
#include <csignal>
#include <set>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const kCheckFiles[] = {"invalid_rings.geojson", "overlaps.geojson", "gaps.geojson", "unmatched_edges.geojson", "check.json"};

struct CheckRun {
    TempDir tmp;
    RunResult run;
    json report;
    explicit CheckRun(const fs::path& communes, std::vector<std::string> extra = {})
    {
        std::vector<std::string> args{"check", "--communes", communes.string(), "--out", (tmp / "out").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        run = run_cli(args);
        if (run.exit_code == 0) report = json::parse(read_file(tmp / "out" / "check.json"));
    }
    fs::path out() const { return tmp / "out"; }
};

// The France check takes a while: run it once for the test cases that read it.
const CheckRun& france_check()
{
    static CheckRun run(france_dir());
    return run;
}

// Opens a layer with OGR, not through cptsmap.
GDALDatasetUniquePtr open_ogr(const fs::path& path)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    return ds;
}

std::set<std::string> insee_in(const fs::path& geojson)
{
    std::set<std::string> codes;
    auto ds = open_ogr(geojson);
    for (auto& f : *ds->GetLayer(0)) codes.insert(f->GetFieldAsString("insee"));
    return codes;
}

} // namespace

// One test case, so that the layer is checked once (ctest runs each test case in a process of its own).
TEST_CASE("France: check on the whole layer", "[e2e][check]")
{
    REQUIRE_SHARED_DATA();
    const CheckRun& c = france_check();
    INFO(c.run.err);
    REQUIRE(c.run.exit_code == 0);

    SECTION("check finds the self-intersecting communes OGR's own validity test finds")
    {
        std::set<std::string> expected;
        auto ds = open_ogr(france_dir() / "COMMUNE.shp");
        for (auto& f : *ds->GetLayer(0)) {
            const OGRGeometry* g = f->GetGeometryRef();
            if (g != nullptr && !g->IsValid()) expected.insert(f->GetFieldAsString("INSEE_COM"));
        }
        CHECK(expected.size() == 4); // what ../shared/data/README.md says
        CHECK(insee_in(c.out() / "invalid_rings.geojson") == expected);
        CHECK(c.report["counts"]["invalid_rings"] == 4);
        for (const auto& p : c.report["invalid_rings"]) CHECK(p["reason"] == "Self-intersection");
        CHECK(c.report["communes"] == 34816);
        CHECK_THAT(c.run.out, Catch::Contains("invalid rings: 4"));
    }

    SECTION("overlap areas are the areas OGR finds intersecting the two communes")
    {
        const json& overlaps = c.report["overlaps"];
        REQUIRE(overlaps.size() > 0);
        std::map<std::string, std::unique_ptr<OGRGeometry>> geometry;
        auto ds = open_ogr(france_dir() / "COMMUNE.shp");
        std::set<std::string> wanted;
        for (std::size_t k = 0; k < overlaps.size() && k < 30; ++k)
            for (const auto& code : overlaps[k]["insee"]) wanted.insert(code.get<std::string>());
        for (auto& f : *ds->GetLayer(0)) {
            const std::string code = f->GetFieldAsString("INSEE_COM");
            if (wanted.count(code) != 0) geometry[code].reset(f->GetGeometryRef()->clone());
        }
        for (std::size_t k = 0; k < overlaps.size() && k < 30; ++k) {
            const std::string a = overlaps[k]["insee"][0], b = overlaps[k]["insee"][1];
            INFO(a << " × " << b);
            REQUIRE(geometry.count(a) == 1);
            REQUIRE(geometry.count(b) == 1);
            std::unique_ptr<OGRGeometry> common(geometry[a]->Intersection(geometry[b].get()));
            REQUIRE(common);
            const double area = OGR_G_Area(OGRGeometry::ToHandle(common.get()));
            CHECK(overlaps[k]["area_m2"].get<double>() == Approx(area).margin(0.01));
        }
    }

    SECTION("every check output is RFC 7946 and every geometry valid")
    {
        for (const char* f : {"invalid_rings.geojson", "overlaps.geojson", "gaps.geojson", "unmatched_edges.geojson"}) {
            INFO(f);
            const auto problems = rfc7946_problems(c.out() / f);
            CHECK(problems.empty());
            if (!problems.empty()) FAIL_CHECK(problems.front());
        }
    }

    SECTION("gaps are narrower than the gap width and name the communes around them")
    {
        REQUIRE(c.report["gaps"].size() > 0);
        for (const auto& g : c.report["gaps"]) {
            CHECK(g["width_m"].get<double>() <= 5.0);
            CHECK(g["area_m2"].get<double>() > 0.0);
            CHECK(g["insee"].size() >= 1); // one: a narrow hole inside a single commune, that no other fills
        }
    }
}

TEST_CASE("check on the Côte-d'Or layer writes byte-identical outputs on two runs", "[e2e][check]")
{
    REQUIRE_SHARED_DATA();
    const CheckRun first(cote_dor_dir());
    const CheckRun second(cote_dor_dir());
    REQUIRE(first.run.exit_code == 0);
    REQUIRE(second.run.exit_code == 0);
    for (const char* f : kCheckFiles) {
        INFO(f);
        CHECK(read_file(first.out() / f) == read_file(second.out() / f));
    }
}

TEST_CASE("check on a layer with a commune moved by 1 m maps the overlap, the gap and the edges", "[e2e][check]")
{
    TempDir tmp;
    // Three rows of three 1 km squares; the centre one (99022) is 1 m east of where it belongs.
    std::string features;
    for (int r = 1; r <= 3; ++r)
        for (int col = 1; col <= 3; ++col) {
            const double x = (col - 1) * 1000.0 + (r == 2 && col == 2 ? 1.0 : 0.0), y = (r - 1) * 1000.0;
            const auto p = [](double a, double b) { return "[" + std::to_string(850000 + a) + "," + std::to_string(6690000 + b) + "]"; };
            if (!features.empty()) features += ",";
            features += R"({"type":"Feature","properties":{"INSEE_COM":"990)" + std::to_string(r) + std::to_string(col) +
                        R"(","NOM":"C","POPULATION":1},"geometry":{"type":"Polygon","coordinates":[[)" + p(x, y) + "," + p(x + 1000, y) + "," +
                        p(x + 1000, y + 1000) + "," + p(x, y + 1000) + "," + p(x, y) + "]]}}";
        }
    write_file(tmp / "moved.geojson", R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[)" +
                                          features + "]}");
    const CheckRun c(tmp / "moved.geojson", {"--gap-width", "2"});
    INFO(c.run.err);
    REQUIRE(c.run.exit_code == 0);
    CHECK(c.report["counts"]["overlaps"] == 1);
    CHECK(c.report["counts"]["gaps"] == 1);
    CHECK(c.report["counts"]["unmatched_edges"] == 8);
    CHECK(c.report["gap_width_m"] == 2.0);
    CHECK(c.report["overlaps"][0]["area_m2"].get<double>() == Approx(1000.0));
    auto gaps = open_ogr(c.out() / "gaps.geojson");
    CHECK(gaps->GetLayer(0)->GetFeatureCount() == 1);
    auto edges = open_ogr(c.out() / "unmatched_edges.geojson");
    for (auto& f : *edges->GetLayer(0)) {
        const auto type = wkbFlatten(f->GetGeometryRef()->getGeometryType());
        CHECK((type == wkbLineString || type == wkbMultiLineString));
    }
}

TEST_CASE("check on a missing layer is a one-line error and creates no output folder", "[e2e][check][bad-input]")
{
    TempDir tmp;
    const RunResult r = run_cli({"check", "--communes", (tmp / "nowhere.shp").string(), "--out", (tmp / "out").string()});
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(tmp / "out"));
    for (const auto& e : fs::directory_iterator(tmp.path())) CHECK(e.path().filename().string().find("staging") == std::string::npos);
}

TEST_CASE("France: SIGINT during a run removes the staging folder and leaves the output folder as it was", "[e2e][check][bad-input]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    fs::create_directories(tmp / "out");
    write_file(tmp / "out" / ".cptsmap", "a previous output\n"); // else refused before the run starts
    write_file(tmp / "out" / "check.json", "previous\n");
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const std::string out = (tmp / "out").string(), communes = france_dir().string(), err = (tmp / "err").string();
        std::freopen(err.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        execl(CPTSMAP_CLI_PATH, "cptsmap", "check", "--communes", communes.c_str(), "--out", out.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait until the run has created its staging folder (it does so first), then interrupt it.
    const auto staging_present = [&] {
        for (const auto& e : fs::directory_iterator(tmp.path()))
            if (e.path().filename().string().find("staging") != std::string::npos) return true;
        return false;
    };
    int status = 0;
    bool exited = false;
    while (!staging_present()) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_FALSE(exited);
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // into the loading of the layer
    REQUIRE(kill(pid, SIGINT) == 0);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO(read_file(tmp / "err"));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + SIGINT);
    CHECK(read_file(tmp / "err") == "cptsmap: error: interrupted (SIGINT); no output was written\n");
    CHECK_FALSE(staging_present());
    CHECK(read_file(tmp / "out" / "check.json") == "previous\n");
    CHECK(std::distance(fs::directory_iterator(tmp / "out"), fs::directory_iterator()) == 2);
}
