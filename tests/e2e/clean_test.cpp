// End-to-end: `cptsmap clean` on the Côte-d'Or and Haute-Marne communes of ../shared/data, damaged by the test (Dijon
// moved 3 m east: an overlap with its eastern neighbours, a gap on its western side), then `cptsmap
// check` on the output: no overlap, no gap up to the width, every INSEE code still there, every
// commune's area changed by no more than its recorded changes, clean.csv and changes.geojson the
// same rows. And `build --clean` on the same layer.
#include "cptsmap/check/coverage_check.hpp"
#include "cptsmap/clean/clean_layer.hpp"
#include "cptsmap/geometry/dissolve.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void shift(OGRGeometryH g, double dx)
{
    if (OGR_G_GetGeometryCount(g) > 0) {
        for (int k = 0; k < OGR_G_GetGeometryCount(g); ++k) shift(OGR_G_GetGeometryRef(g, k), dx);
        return;
    }
    for (int k = 0; k < OGR_G_GetPointCount(g); ++k) OGR_G_SetPoint_2D(g, k, OGR_G_GetX(g, k) + dx, OGR_G_GetY(g, k));
}

// The Côte-d'Or and Haute-Marne extract with commune `insee` moved `dx` metres east, in `dir`.
void damaged_cote_dor(const fs::path& dir, const std::string& insee, double dx)
{
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(cote_dor_dir())) fs::copy_file(e.path(), dir / e.path().filename());
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "COMMUNE.shp").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayer(0);
    int moved = 0;
    for (auto& f : *layer) {
        if (insee != f->GetFieldAsString("INSEE_COM")) continue;
        std::unique_ptr<OGRGeometry> g(f->StealGeometry());
        shift(OGRGeometry::ToHandle(g.get()), dx);
        f->SetGeometryDirectly(g.release());
        REQUIRE(layer->SetFeature(f.get()) == OGRERR_NONE);
        ++moved;
    }
    REQUIRE(moved == 1);
}

std::map<std::string, double> areas(const fs::path& shp)
{
    GDALDatasetUniquePtr ds(GDALDataset::Open(shp.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, double> out;
    for (auto& f : *ds->GetLayer(0)) out[f->GetFieldAsString("INSEE_COM")] = OGR_G_Area(OGRGeometry::ToHandle(f->GetGeometryRef()));
    return out;
}

json check_json(const fs::path& communes, const fs::path& out)
{
    const RunResult r = run_cli({"check", "--communes", communes.string(), "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(read_file(out / "check.json"));
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& path)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(read_file(path));
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream l(line);
        while (std::getline(l, cell, ',')) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

} // namespace

TEST_CASE("clean repairs a Côte-d'Or layer with a commune moved 3 m, and check finds it clean", "[e2e][clean]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    damaged_cote_dor(tmp / "in", "21231", 3.0);
    const json before = check_json(tmp / "in" / "COMMUNE.shp", tmp / "check-before");
    REQUIRE(before["counts"]["overlaps"].get<int>() > 0); // the damage is there
    REQUIRE(before["counts"]["gaps"].get<int>() > 0);

    const RunResult r = run_cli({"clean", "--input", (tmp / "in" / "COMMUNE.shp").string(), "-o", (tmp / "out" / "COMMUNE.shp").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::Contains("cleaned: "));

    const json after = check_json(tmp / "out" / "COMMUNE.shp", tmp / "check-after");
    CHECK(after["counts"]["overlaps"] == 0);
    CHECK(after["counts"]["gaps"] == 0);
    CHECK(after["counts"]["invalid_rings"] == 0);
    CHECK(after["counts"]["empty_geometries"] == 0);
    CHECK(after["communes"] == before["communes"]);

    // Every INSEE code still there, once; areas changed by no more than the recorded changes.
    const auto in = areas(tmp / "in" / "COMMUNE.shp");
    const auto out = areas(tmp / "out" / "COMMUNE.shp");
    REQUIRE(out.size() == in.size());
    const auto rows = csv_rows(tmp / "out" / "clean.csv");
    REQUIRE(rows.size() >= 3); // a header, an overlap and a gap at least
    CHECK(rows[0] == std::vector<std::string>{"change", "reason", "insee", "others", "change_m2", "piece_m2", "width_m", "rule"});
    std::map<std::string, double> recorded;
    std::set<std::string> reasons;
    for (std::size_t k = 1; k < rows.size(); ++k) {
        REQUIRE(rows[k].size() == 8);
        recorded[rows[k][2]] += std::abs(std::stod(rows[k][4])) + 0.01; // written to 2 decimals
        reasons.insert(rows[k][1]);
        CHECK(in.count(rows[k][2]) == 1);
    }
    CHECK(reasons.count("overlap") == 1);
    CHECK(reasons.count("gap") == 1);
    CHECK(recorded.count("21231") == 1); // the moved commune is among those changed
    for (const auto& [code, area] : in) {
        INFO(code);
        REQUIRE(out.count(code) == 1);
        CHECK(std::abs(out.at(code) - area) <= recorded[code] + 1e-3);
    }

    // changes.geojson: the same rows, RFC 7946.
    GDALDatasetUniquePtr changes(GDALDataset::Open((tmp / "out" / "changes.geojson").c_str(), GDAL_OF_VECTOR));
    REQUIRE(changes);
    std::vector<std::vector<std::string>> features;
    for (auto& f : *changes->GetLayer(0))
        features.push_back({f->GetFieldAsString("change"), f->GetFieldAsString("reason"), f->GetFieldAsString("insee"),
                            f->GetFieldAsString("rule")});
    REQUIRE(features.size() == rows.size() - 1);
    for (std::size_t k = 0; k < features.size(); ++k) {
        const auto& row = rows[k + 1];
        CHECK(features[k] == std::vector<std::string>{row[0], row[1], row[2], row[7]});
    }
    CHECK(rfc7946_problems(tmp / "out" / "changes.geojson").empty());
}

TEST_CASE("clean refuses a geographic layer, an unknown id field and an existing output, in one line", "[e2e][clean][bad-input]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    SECTION("a layer in degrees")
    {
        const RunResult r = run_cli({"clean", "--input", (shared_data_dir() / "history" / "communes-2018-21.geojson").string(), "-o", (tmp / "o.gpkg").string()});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("geographic coordinates") && Catch::Contains("ogr2ogr -t_srs"));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    SECTION("no such id field")
    {
        const RunResult r = run_cli({"clean", "--input", (cote_dor_dir() / "COMMUNE.shp").string(), "-o", (tmp / "o.gpkg").string(), "--id-field", "CODE"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("no field CODE") && Catch::Contains("INSEE_COM"));
    }
    SECTION("priority without --priority")
    {
        const RunResult r = run_cli({"clean", "--input", (cote_dor_dir() / "COMMUNE.shp").string(), "-o", (tmp / "o.gpkg").string(), "--overlap-rule", "priority"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("--priority FIELD"));
    }
    SECTION("an existing output without --overwrite")
    {
        write_file(tmp / "o.gpkg", "x");
        const RunResult r = run_cli({"clean", "--input", (cote_dor_dir() / "COMMUNE.shp").string(), "-o", (tmp / "o.gpkg").string()});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("--overwrite"));
        CHECK(read_file(tmp / "o.gpkg") == "x");
    }
    CHECK_FALSE(fs::exists(tmp / "clean.csv"));
}

TEST_CASE("build --clean cleans the damaged layer before dissolving and says what it did", "[e2e][clean]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    damaged_cote_dor(tmp / "in", "21231", 3.0);
    const RunResult r = run_cli({"build", "--communes", (tmp / "in").string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                                 "--out", (tmp / "out").string(), "--clean", "--layers", "territories,gaps,overlaps"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(read_file(tmp / "out" / "report.json"));
    bool said = false;
    for (const auto& w : report["warnings"]) said = said || w.get<std::string>().rfind("--clean: cleaned: ", 0) == 0;
    CHECK(said);
    // Cleaned, every territory is dissolved exactly: the moved commune's borders were rebuilt from
    // its neighbours' (without --clean, a territory holding Dijon and a neighbour would be noded).
    for (const auto& t : report["territories"]) {
        INFO(t["id"]);
        CHECK(t["dissolve"] == "coverage union");
    }
    const RunResult wrong = run_cli({"build", "--communes", (tmp / "in").string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                                     "--out", (tmp / "out2").string(), "--clean-gap-width", "3"});
    CHECK(wrong.exit_code == 2); // a wrong command line
    CHECK_THAT(wrong.err, Catch::Contains("--clean-gap-width is only used with --clean"));
}

TEST_CASE("France: cleaned, no overlap or gap is left, no border crosses another, and every EPCI is dissolved exactly", "[e2e][clean]")
{
    // The measure of `build --clean`: without it, 82 EPCI of the national layer need the
    // noded union and 72 get sliver holes filled; cleaned, none may.
    REQUIRE_SHARED_DATA();
    LoadOptions options;
    options.path = france_dir().string();
    CommuneLayer layer = load_communes(options, shared_geos());
    const std::size_t communes = layer.size();
    std::vector<double> before(communes);
    for (CommuneIndex c = 0; c < communes; ++c) before[c] = layer[c].area_m2;
    const CleanResult cleaned = clean_layer(layer, shared_geos(), CleanOptions{});
    CHECK(layer.size() == communes);
    // Each commune's area changed by no more than its recorded changes (the rows' m², rounded in
    // clean.csv but not here).
    std::vector<double> recorded(communes, 0.0);
    for (const CleanChange& change : cleaned.changes) recorded[change.polygon] += std::abs(change.change_m2);
    std::size_t off = 0;
    for (CommuneIndex c = 0; c < communes; ++c)
        if (std::abs(layer[c].area_m2 - before[c]) > recorded[c] + 1e-3) ++off;
    CHECK(off == 0);
    CHECK(cleaned.stats.conflicts == 0);
    CHECK(cleaned.stats.overlaps > 4000); // check finds 4,787 overlapping pairs in the input
    CHECK(cleaned.stats.gaps > 1000);     // and 1,238 gaps up to 5 m
    const CoverageTopology topology(shared_geos(), layer);
    CHECK(topology.mismatched().empty());
    const CommuneBoxes boxes = commune_boxes(layer);
    DissolveOptions o;
    o.topology = &topology;
    o.boxes = &boxes;
    std::size_t checked = 0;
    for (const auto& [siren, epci] : layer.epcis()) {
        const CommuneSet set = layer.in_epci(siren);
        if (set.empty()) continue;
        INFO("EPCI " << siren);
        const Dissolved d = dissolve(shared_geos(), layer, set, o);
        CHECK(d.method == DissolveMethod::CoverageUnion);
        CHECK(d.slivers_filled == 0);
        double sum = 0.0;
        for (CommuneIndex i : set) sum += layer[i].area_m2;
        CHECK(d.area_m2 == Approx(sum).epsilon(1e-9));
        ++checked;
    }
    CHECK(checked == 1232);
    const CheckReport report = check_coverage(layer, shared_geos());
    CHECK(report.count(ProblemKind::Overlap) == 0);
    CHECK(report.count(ProblemKind::Gap) == 0);
    CHECK(report.count(ProblemKind::InvalidRing) == 0);
}
