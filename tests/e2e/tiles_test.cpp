// End-to-end: `build --format mbtiles --map` on the Côte-d'Or and on France, the tiles read back
// with GDAL's MBTiles driver, and map.html served by `cptsmap serve` (the library's TileServer,
// in this process) to headless Chromium: it loads, its tiles come from the file, every territory
// is drawn, hovering a commune names it, panning loads new tiles, and nothing reaches the console.
// The France tests are named "France: ..." (scripts/test-sanitizers leaves them out).
#include "browser.hpp"
#include "test_support.hpp"

#include "cptsmap/export/palette.hpp"
#include "cptsmap/tiles/tile_server.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <thread>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const CoteDorRun& tiles_build()
{
    static CoteDorRun build({"--format", "geojson,mbtiles", "--map"});
    return build;
}

std::map<std::string, std::string> metadata(const fs::path& mbtiles)
{
    std::map<std::string, std::string> out;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(mbtiles.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT name, value FROM metadata", -1, &s, nullptr) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

long long query_number(const fs::path& mbtiles, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(mbtiles.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    const long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

// What one zoom level of the tiles holds: per tile layer, the distinct values of `key` and the
// vertices of all its pieces (each tile's own piece of a feature counts).
struct ZoomContent {
    std::map<std::string, std::set<std::string>> keys;
    std::map<std::string, std::map<std::string, long long>> values; // layer → key → its `population`
    std::map<std::string, long long> vertices;
};

long long vertices_of(const OGRGeometry* g)
{
    if (g == nullptr) return 0;
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon: {
        long long n = 0;
        for (const OGRLinearRing* r : *g->toPolygon()) n += r->getNumPoints();
        return n;
    }
    case wkbMultiPolygon: {
        long long n = 0;
        for (const OGRPolygon* p : *g->toMultiPolygon()) n += vertices_of(p);
        return n;
    }
    default: return 0;
    }
}

ZoomContent read_zoom(const fs::path& mbtiles, int zoom)
{
    GDALAllRegister();
    const std::string level = "ZOOM_LEVEL=" + std::to_string(zoom);
    const char* open_options[] = {level.c_str(), nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(mbtiles.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options));
    REQUIRE(ds);
    ZoomContent out;
    for (OGRLayer* layer : ds->GetLayers()) {
        const std::string name = layer->GetName();
        const bool communes = name == "communes";
        for (const auto& f : *layer) {
            const int key = f->GetFieldIndex(communes ? "insee" : "id");
            if (key >= 0) {
                out.keys[name].insert(f->GetFieldAsString(key));
                const int pop = f->GetFieldIndex("population");
                if (pop >= 0) out.values[name][f->GetFieldAsString(key)] = f->GetFieldAsInteger64(pop);
            }
            out.vertices[name] += vertices_of(f->GetGeometryRef());
        }
    }
    return out;
}

std::size_t feature_count(const fs::path& geojson)
{
    return json::parse(read_file(geojson))["features"].size();
}

// A point inside commune `insee` of communes.geojson: "LON,LAT".
std::string point_in(const fs::path& communes, const std::string& insee)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(communes.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    for (const auto& f : *ds->GetLayer(0)) {
        if (insee != f->GetFieldAsString("insee")) continue;
        OGRGeometryH p = OGR_G_PointOnSurface(OGRGeometry::ToHandle(f->GetGeometryRef()));
        REQUIRE(p != nullptr);
        const std::string out = std::to_string(OGR_G_GetX(p, 0)) + "," + std::to_string(OGR_G_GetY(p, 0));
        OGR_G_DestroyGeometry(p);
        return out;
    }
    FAIL("no commune " << insee << " in " << communes);
    return {};
}

// The folder served by a TileServer on a free port, in a thread of this process, while alive.
// page() is a copy of its map.html, map-paced.html beside it (removed with the server), that also
// fetches tiles.json every 20 ms until the page reports a status: Chromium's virtual clock stops
// while a request is pending, so its budget is paced out in real time, and MapLibre's workers —
// which decode tiles in real time while the virtual clock would otherwise run on — finish on a
// loaded machine too (ctest -j beside the national tile set). The map itself is unchanged.
class Served {
public:
    explicit Served(const fs::path& folder)
        : paced_(folder / "map-paced.html"),
          server_([&] {
              ServeOptions o;
              o.folder = folder.string();
              o.port = 0;
              return o;
          }()),
          runner_([this] { server_.run(); })
    {
        std::string page = read_file(folder / "map.html");
        const std::size_t end = page.rfind("</body>");
        REQUIRE(end != std::string::npos);
        page.insert(end, "<script>(function pace() { if (document.body.getAttribute('data-status')) return;"
                         " fetch('tiles.json', { cache: 'no-store' }).then(function () { setTimeout(pace, 20); },"
                         " function () { setTimeout(pace, 20); }); })();</script>");
        write_file(paced_, page);
    }
    ~Served()
    {
        server_.stop();
        runner_.join();
        std::error_code ec;
        fs::remove(paced_, ec);
    }
    Served(const Served&) = delete;
    Served& operator=(const Served&) = delete;
    std::string page() const { return server_.url() + "map-paced.html"; }
    ServeCounts counts() const { return server_.counts(); }

private:
    fs::path paced_;
    TileServer server_;
    std::thread runner_;
};

// No console line in a Chromium run but SwiftShader's own notes on its software WebGL ("GPU
// stall due to ReadPixels", its fallback notice), which are about the test machine, not the page;
// the first line otherwise is the failure's message.
void check_quiet_console(const std::string& err)
{
    std::vector<std::string> lines;
    for (const std::string& line : console_lines(err))
        if (line.find("GL Driver Message") == std::string::npos && line.find("software WebGL") == std::string::npos) lines.push_back(line);
    CHECK(lines.empty());
    if (!lines.empty()) FAIL_CHECK(lines.front());
}

// Chromium with a software WebGL (MapLibre draws with WebGL), the page given time for its tiles.
RunResult webgl_chromium(const std::vector<std::string>& extra, const std::string& url, int attempt = 0)
{
    // (Software WebGL on a busy machine draws slowly: a longer budget than the Leaflet pages', and
    // twice as long at each new attempt, since MapLibre's workers decode tiles in real time while
    // the virtual clock runs on; the page's idle event ends the wait as soon as its tiles are drawn.)
    std::vector<std::string> args{"--enable-unsafe-swiftshader", "--window-size=1280,900",
                                  "--virtual-time-budget=" + std::to_string(60000 << std::min(attempt, 3))};
    args.insert(args.end(), extra.begin(), extra.end());
    return chromium(args, url);
}

std::string body_attribute(const std::string& dom, const std::string& name)
{
    std::smatch m;
    if (!std::regex_search(dom, m, std::regex("<body[^>]*\\s" + name + "=\"([^\"]*)\""))) return {};
    return m[1];
}

// Pixels of `png` within 4 of `colour` at 55 % over the page's background.
std::size_t pixels_of(const fs::path& png, Rgb colour)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
    int bands[] = {1, 2, 3};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, bands, 3, 3 * w, 1, nullptr) == CE_None);
    const int bg[] = {0xee, 0xf2, 0xf5}, want[] = {colour.r, colour.g, colour.b};
    int expected[3];
    for (int k = 0; k < 3; ++k) expected[k] = static_cast<int>(std::lround(0.55 * want[k] + 0.45 * bg[k]));
    std::size_t n = 0;
    for (std::size_t i = 0; i < px.size(); i += 3)
        n += std::abs(px[i] - expected[0]) <= 4 && std::abs(px[i + 1] - expected[1]) <= 4 && std::abs(px[i + 2] - expected[2]) <= 4;
    return n;
}

// The page as Chromium leaves it once the map is idle. Chromium's virtual time runs on while
// MapLibre's workers decode the tiles, so on a loaded machine (ctest -j, a national tile set) its
// budget can end before the first draw, the page still loading and saying nothing: up to five
// tries, each with twice the budget, until the page says it is done (data-status). A page that fails says so at once.
RunResult served_page(const std::string& url)
{
    RunResult r;
    for (int attempt = 0; attempt < 5; ++attempt) {
        r = webgl_chromium({"--dump-dom"}, url, attempt);
        if (r.exit_code != 0 || !body_attribute(r.out, "data-status").empty()) break;
    }
    return r;
}

// A screenshot of the page, taken again (up to five tries, as served_page) until the first
// territory's colour shows.
void served_screenshot(const std::string& url, const fs::path& png)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        const RunResult r = webgl_chromium({"--screenshot=" + png.string()}, url, attempt);
        INFO(r.err.substr(0, 2000));
        REQUIRE(r.exit_code == 0);
        REQUIRE(fs::exists(png));
        if (pixels_of(png, territory_colour(0)) > 100) return;
    }
}

} // namespace

TEST_CASE("build --format mbtiles writes every layer at every zoom, simplified per zoom, with the full build's values", "[e2e][tiles]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = tiles_build();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    CHECK_THAT(b.run.out, Catch::Contains("cptsmap.mbtiles"));
    CHECK(b.run.err.find("vector tiles") == std::string::npos); // GDAL gave nothing up
    const fs::path mbtiles = b.out() / "cptsmap.mbtiles";
    const auto meta = metadata(mbtiles);
    const int minzoom = std::stoi(meta.at("minzoom")), maxzoom = std::stoi(meta.at("maxzoom"));
    // The Côte-d'Or + Haute-Marne: about 250 km across, fitting one tile at zoom 7.
    CHECK(minzoom == 7);
    CHECK(maxzoom >= minzoom + 2);
    CHECK(maxzoom <= 14);
    const json layers = json::parse(meta.at("json"))["vector_layers"];
    std::set<std::string> names;
    for (const auto& l : layers) names.insert(l["id"].get<std::string>());
    CHECK(names == std::set<std::string>{"territories", "communes", "gaps", "overlaps", "study_area"});

    std::set<std::string> territory_ids;
    std::map<std::string, long long> territory_population;
    for (const auto& t : b.report["territories"]) {
        territory_ids.insert(t["id"].get<std::string>());
        territory_population[t["id"].get<std::string>()] = t["population"].get<long long>();
    }
    const std::size_t communes = feature_count(b.out() / "communes.geojson"), gaps = feature_count(b.out() / "gaps.geojson"),
                      overlaps = feature_count(b.out() / "overlaps.geojson");
    long long previous_vertices = 0;
    for (int z = minzoom; z <= maxzoom; ++z) {
        INFO("zoom " << z);
        const ZoomContent c = read_zoom(mbtiles, z);
        CHECK(c.keys.at("territories") == territory_ids);
        CHECK(c.values.at("territories") == territory_population); // the full build's figures at every zoom
        CHECK(c.keys.at("gaps").size() == gaps);
        CHECK(c.keys.at("overlaps").size() == overlaps);
        CHECK(c.keys.count("study_area") == 0); // (no id field: its vertices tell it is there)
        CHECK(c.vertices.at("study_area") > 0);
        // Every commune once the communes are in the tiles (from the zoom the summary names).
        if (c.keys.count("communes")) CHECK(c.keys.at("communes").size() == communes);
        // Simplified for each zoom: more detail at each level.
        CHECK(c.vertices.at("territories") > previous_vertices);
        previous_vertices = c.vertices.at("territories");
    }
    CHECK(read_zoom(mbtiles, maxzoom).keys.count("communes") == 1);
}

TEST_CASE("the tile map opened from the disk says how to serve it", "[e2e][tiles][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = tiles_build();
    REQUIRE(b.run.exit_code == 0);
    const std::string page = read_file(b.out() / "map.html");
    CHECK(page.find("<script src") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK_THAT(page, Catch::Contains("maplibregl"));
    const RunResult r = chromium({"--dump-dom"}, "file://" + (b.out() / "map.html").string());
    REQUIRE(r.exit_code == 0);
    check_quiet_console(r.err);
    CHECK(body_attribute(r.out, "data-status") == "needs-server");
    CHECK_THAT(r.out, Catch::Contains("cptsmap serve " + b.out().string()));
}

TEST_CASE("served by cptsmap serve, the tile map draws every territory from the tiles and names the commune under the mouse", "[e2e][tiles][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = tiles_build();
    REQUIRE(b.run.exit_code == 0);
    const Served served(b.out());
    {
        const RunResult r = served_page(served.page());
        INFO(r.err.substr(0, 3000));
        REQUIRE(r.exit_code == 0);
        check_quiet_console(r.err);
        CHECK(r.out.find("data-errors=") == std::string::npos);
        CHECK(body_attribute(r.out, "data-status") == "ready");
        CHECK(body_attribute(r.out, "data-rendered-territories") == std::to_string(b.report["territories"].size()));
        CHECK(std::stoi(body_attribute(r.out, "data-tiles-loaded")) > 0);
        CHECK_THAT(r.out, Catch::Contains("Gaps: " + std::to_string(b.report["gaps"].size()) + " communes"));
    }
    const ServeCounts after_first = served.counts();
    CHECK(after_first.tiles > 0);
    CHECK(after_first.not_found == 0);
    // Dijon (21231) in Centre 21; then a pan to Montbard (21425), whose tiles come next.
    const std::string dijon = point_in(b.out() / "communes.geojson", "21231"), montbard = point_in(b.out() / "communes.geojson", "21425");
    const RunResult r = served_page(served.page() + "#view=" + dijon + ",11&hover=" + dijon + "&pan=" + montbard);
    INFO(r.err.substr(0, 3000));
    REQUIRE(r.exit_code == 0);
    check_quiet_console(r.err);
    CHECK(body_attribute(r.out, "data-status") == "ready");
    CHECK(body_attribute(r.out, "data-hover-insee") == "21231");
    const std::size_t at = r.out.find("id=\"info\"");
    REQUIRE(at != std::string::npos);
    const std::string info = r.out.substr(at, r.out.find("</div>", at) - at);
    CHECK_THAT(info, Catch::Contains("Dijon") && Catch::Contains("(21231)") && Catch::Contains("CPTS Centre 21"));
    CHECK(std::stoi(body_attribute(r.out, "data-tiles-after-pan")) > 0);
    CHECK(std::stoi(body_attribute(r.out, "data-rendered-communes")) > 10);
    CHECK(served.counts().tiles > after_first.tiles);
    CHECK(served.counts().not_found == 0);
}

TEST_CASE("a screenshot of the served tile map shows the territories in their colours", "[e2e][tiles][browser]")
{
    REQUIRE_BROWSER_SETUP();
    const auto& b = tiles_build();
    REQUIRE(b.run.exit_code == 0);
    const Served served(b.out());
    TempDir shots;
    const fs::path shot = shots / "tiles.png";
    served_screenshot(served.page(), shot);
    for (std::size_t t = 0; t < b.report["territories"].size(); ++t) {
        INFO(b.report["territories"][t]["id"]);
        CHECK(pixels_of(shot, territory_colour(t)) > 100);
    }
}

TEST_CASE("cptsmap serve refuses a folder without vector tiles in one line", "[e2e][tiles]")
{
    REQUIRE_SHARED_DATA();
    const auto& b = tiles_build();
    REQUIRE(b.run.exit_code == 0);
    TempDir empty;
    const RunResult r = run_cli({"serve", empty.path().string()});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("--format mbtiles"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

namespace {

// France métropolitaine: a territory per even-numbered département, and one over the Côte-d'Or
// and Haute-Marne (52 is then claimed twice); the study area is every département, so that every
// commune is in the communes layer.
struct FranceTilesBuild {
    TempDir dir;
    RunResult run;
    json report;
    fs::path out;
    FranceTilesBuild()
    {
        std::vector<std::string> deps;
        for (int d = 1; d <= 95; ++d) {
            if (d == 20) {
                deps.push_back("2A");
                deps.push_back("2B");
                continue;
            }
            char code[4];
            std::snprintf(code, sizeof code, "%02d", d);
            deps.push_back(code);
        }
        std::string toml = "[study_area]\nmembers = '''", all;
        for (const auto& d : deps) all += (all.empty() ? "" : " + ") + std::string("dep(\"") + d + "\")";
        toml += all + "'''\n";
        for (const auto& d : deps) {
            if (d == "2A" || d == "2B" || std::stoi(d) % 2 != 0) continue;
            toml += "\n[[territory]]\nid = \"dep-" + d + "\"\nname = \"Département " + d + "\"\nmembers = 'dep(\"" + d + "\")'\n";
        }
        toml += "\n[[territory]]\nid = \"cote-dor-haute-marne\"\nname = \"Côte-d'Or et Haute-Marne\"\nmembers = 'dep(\"21\") + dep(\"52\")'\n";
        write_file(dir / "france.toml", toml);
        out = dir / "out";
        run = run_cli({"build", "--communes", france_dir().string(), "--definitions", (dir / "france.toml").string(), "--out", out.string(), "--format",
                       "mbtiles", "--map", "--layers", "territories,communes,gaps,overlaps,study_area"});
        if (run.exit_code == 0) report = json::parse(read_file(out / "report.json"));
    }
};

const FranceTilesBuild& france_tiles()
{
    static FranceTilesBuild b;
    return b;
}

} // namespace

TEST_CASE("France: the national tile map holds all 34,816 communes, opens in headless Chromium, hovers Dijon and pans to Marseille",
          "[e2e][tiles][browser][france]")
{
    REQUIRE_SHARED_DATA();
    // One build for both halves (a test case is a process of its own under ctest).
    const auto& b = france_tiles();
    INFO(b.run.err);
    REQUIRE(b.run.exit_code == 0);
    CHECK(b.run.err.find("vector tiles") == std::string::npos);
    const fs::path mbtiles = b.out / "cptsmap.mbtiles";
    const auto meta = metadata(mbtiles);
    const int minzoom = std::stoi(meta.at("minzoom")), maxzoom = std::stoi(meta.at("maxzoom"));
    CHECK(minzoom == 4); // France is 1,650 km of Web Mercator across: one tile at zoom 4
    CHECK(query_number(mbtiles, "SELECT max(length(tile_data)) FROM tiles") <= 500000);
    CHECK(b.report["study_area"]["communes"] == 34816);
    // The communes' first zoom: every one of them there.
    int communes_zoom = -1;
    for (int z = minzoom; z <= maxzoom && communes_zoom < 0; ++z)
        if (read_zoom(mbtiles, z).keys.count("communes")) communes_zoom = z;
    REQUIRE(communes_zoom > minzoom);
    const ZoomContent c = read_zoom(mbtiles, communes_zoom);
    CHECK(c.keys.at("communes").size() == 34816);
    CHECK(c.keys.at("territories").size() == b.report["territories"].size());
    CHECK(c.keys.at("overlaps").size() == 1);

    if (chromium_path().empty()) {
        WARN("browser half skipped: no Chromium (/usr/bin/chromium); scripts/install-deps installs Debian's chromium");
        return;
    }
    const Served served(b.out);
    {
        const RunResult r = served_page(served.page());
        INFO(r.err.substr(0, 3000));
        REQUIRE(r.exit_code == 0);
        check_quiet_console(r.err);
        CHECK(body_attribute(r.out, "data-status") == "ready");
        CHECK(std::stoi(body_attribute(r.out, "data-rendered-territories")) >= 40);
        CHECK(std::stod(body_attribute(r.out, "data-zoom")) < 7); // all of France in view
        TempDir shots;
        const fs::path shot = shots / "france.png";
        served_screenshot(served.page(), shot);
        CHECK(pixels_of(shot, territory_colour(0)) > 100); // dep-02, the Aisne
    }
    // Dijon (5.041,47.322 is in it), at zoom 9, then Marseille.
    const RunResult r = served_page(served.page() + "#view=5.04,47.32,9&hover=5.041,47.322&pan=5.37,43.30");
    INFO(r.err.substr(0, 3000));
    REQUIRE(r.exit_code == 0);
    check_quiet_console(r.err);
    CHECK(body_attribute(r.out, "data-status") == "ready");
    CHECK(body_attribute(r.out, "data-hover-insee") == "21231");
    CHECK(std::stoi(body_attribute(r.out, "data-tiles-after-pan")) > 0);
    CHECK(served.counts().not_found == 0);
}
