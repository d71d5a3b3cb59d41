// End-to-end: `cptsmap simplify` and `build --simplify-pct` on the real layers. `cptsmap check` on
// the simplified communes finds no gap and no overlap that the input did not have (each of its gaps
// and overlaps is one of the input's, same communes, same area); nothing turns invalid; the
// simplified territories are the dissolve of the simplified communes (their vertices are the
// communes'); the figures are those of the full precision.
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <set>

using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json check(const fs::path& communes, const fs::path& out)
{
    const RunResult r = run_cli({"check", "-q", "--communes", communes.string(), "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(read_file(out / "check.json"));
}

// Each gap and overlap of `after` is one of `before`'s: the same area (to 0.1 m²) and, for a gap,
// the same width. (Not the same list of communes around it: check names those within its width
// of the gap, and a neighbour's simplified border may come nearer or go farther.)
void require_no_new_defects(const json& before, const json& after)
{
    for (const char* kind : {"gaps", "overlaps"}) {
        const auto key = [](const json& e) {
            return std::make_pair(std::llround(e["area_m2"].get<double>() * 10), e.contains("width_m") ? std::llround(e["width_m"].get<double>() * 100) : 0LL);
        };
        std::multiset<std::pair<long long, long long>> had;
        for (const auto& e : before[kind]) had.insert(key(e));
        std::size_t found = 0;
        for (const auto& e : after[kind]) {
            INFO(kind << " " << e.dump());
            const auto it = had.find(key(e));
            CHECK(it != had.end());
            if (it == had.end()) continue;
            had.erase(it);
            ++found;
        }
        CHECK(found == after[kind].size());
    }
    CHECK(after["counts"]["invalid_rings"].get<int>() <= before["counts"]["invalid_rings"].get<int>());
    CHECK(after["counts"]["empty_geometries"] == 0);
}

std::size_t vertices_of(const fs::path& path)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::size_t n = 0;
    for (auto&& f : ds->GetLayer(0)) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr) continue;
        std::unique_ptr<OGRGeometry> copy(g->clone());
        OGRMultiPolygon* mp = OGRGeometryFactory::forceToMultiPolygon(copy.release())->toMultiPolygon();
        for (const OGRPolygon* p : *mp)
            for (const OGRLinearRing* r : *p) n += static_cast<std::size_t>(r->getNumPoints());
        delete mp;
    }
    return n;
}

} // namespace

TEST_CASE("simplify: the Côte-d'Or communes at 10 % keep exactly the input's gaps and overlaps, and their fields", "[e2e][simplify]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const fs::path input = cote_dor_dir() / "COMMUNE.shp";
    const RunResult r = run_cli({"simplify", "--input", input.string(), "--out", (tmp / "communes.gpkg").string(), "--simplify-pct", "10"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("1124 polygons of layer COMMUNE") && Catch::Contains("simplified: 45,433 → "));
    const std::size_t before = vertices_of(input), after = vertices_of(tmp / "communes.gpkg");
    CHECK(after < before / 4);
    require_no_new_defects(check(input, tmp / "check-in"), check(tmp / "communes.gpkg", tmp / "check-out"));
    // Same features, same fields, same CRS.
    GDALDatasetUniquePtr in(GDALDataset::Open(input.c_str(), GDAL_OF_VECTOR)), out(GDALDataset::Open((tmp / "communes.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(in);
    REQUIRE(out);
    OGRLayer* li = in->GetLayer(0);
    OGRLayer* lo = out->GetLayer(0);
    CHECK(lo->GetFeatureCount() == li->GetFeatureCount());
    CHECK(lo->GetLayerDefn()->GetFieldCount() == li->GetLayerDefn()->GetFieldCount());
    CHECK(lo->GetSpatialRef()->IsSame(li->GetSpatialRef()));
    std::map<std::string, std::int64_t> population;
    for (auto&& f : li) population[f->GetFieldAsString("INSEE_COM")] = f->GetFieldAsInteger64("POPULATION");
    for (auto&& f : lo) CHECK(population.at(f->GetFieldAsString("INSEE_COM")) == f->GetFieldAsInteger64("POPULATION"));
    // Deterministic.
    const RunResult again = run_cli({"simplify", "-q", "--input", input.string(), "--out", (tmp / "again.gpkg").string(), "--simplify-pct", "10"});
    REQUIRE(again.exit_code == 0);
    CHECK(read_file(tmp / "again.gpkg") == read_file(tmp / "communes.gpkg"));
}

TEST_CASE("simplify: the input is never overwritten, an existing output only with --overwrite, metres need metres", "[e2e][simplify]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const fs::path input = cote_dor_dir() / "COMMUNE.shp";
    write_file(tmp / "out.geojson", "mine\n");
    RunResult r = run_cli({"simplify", "--input", input.string(), "--out", (tmp / "out.geojson").string(), "--simplify", "100"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("exists already") && Catch::Contains("--overwrite"));
    CHECK(read_file(tmp / "out.geojson") == "mine\n");
    r = run_cli({"simplify", "-q", "--input", input.string(), "--out", (tmp / "out.geojson").string(), "--simplify", "100", "--overwrite"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(json::parse(read_file(tmp / "out.geojson"))["features"].size() == 1124);
    r = run_cli({"simplify", "--input", input.string(), "--out", input.string(), "--simplify", "100", "--overwrite"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("is the input itself"));
    // Degrees: a percentage works, metres are refused.
    const fs::path wgs84 = shared_data_dir() / "history" / "communes-2018-21.geojson";
    r = run_cli({"simplify", "--input", wgs84.string(), "--out", (tmp / "2018.gpkg").string(), "--simplify", "100"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("geographic coordinates") && Catch::Contains("--simplify-pct"));
    r = run_cli({"simplify", "-q", "--input", wgs84.string(), "--out", (tmp / "2018.gpkg").string(), "--simplify-pct", "30"});
    CHECK(r.exit_code == 0);
    CHECK(vertices_of(tmp / "2018.gpkg") < vertices_of(wgs84));
    // Neither option, or both: a command-line error.
    CHECK(run_cli({"simplify", "--input", input.string(), "--out", (tmp / "x.gpkg").string()}).exit_code == 2);
    CHECK(run_cli({"simplify", "--input", input.string(), "--out", (tmp / "x.gpkg").string(), "--simplify", "5", "--simplify-pct", "5"}).exit_code == 2);
    CHECK_FALSE(fs::exists(tmp / "x.gpkg"));
}

TEST_CASE("build --simplify-pct: the territories are the dissolve of the simplified communes, the figures unchanged", "[e2e][simplify]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const auto build = [&](const std::string& out, std::vector<std::string> extra) {
        std::vector<std::string> args{"build", "-q", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                                      "--out", (tmp / out).string(), "--format", "gpkg"};
        args.insert(args.end(), extra.begin(), extra.end());
        const RunResult r = run_cli(args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(read_file(tmp / out / "report.json"));
    };
    const json full = build("full", {}), simple = build("simple", {"--simplify-pct", "10"});
    CHECK_FALSE(full["commune_layer"].contains("simplified"));
    const json& s = simple["commune_layer"]["simplified"];
    CHECK(s["keep_pct"] == 10.0);
    CHECK(s["vertices_after"].get<int>() < s["vertices_before"].get<int>() / 4);
    CHECK(simple["study_area"]["covered_population"] == full["study_area"]["covered_population"]);
    for (std::size_t t = 0; t < full["territories"].size(); ++t) {
        CHECK(simple["territories"][t]["population"] == full["territories"][t]["population"]);
        CHECK(simple["territories"][t]["insee"] == full["territories"][t]["insee"]);
    }
    // The vertices of each territory dissolved exactly are vertices of its simplified communes.
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((tmp / "simple" / "cptsmap.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, std::set<std::pair<double, double>>> commune_vertices;
    for (auto&& f : ds->GetLayerByName("communes")) {
        std::set<std::pair<double, double>>& v = commune_vertices[f->GetFieldAsString("insee")];
        std::unique_ptr<OGRGeometry> g(OGRGeometryFactory::forceToMultiPolygon(f->GetGeometryRef()->clone()));
        for (const OGRPolygon* p : *g->toMultiPolygon())
            for (const OGRLinearRing* r : *p)
                for (const OGRPoint& pt : *r) v.emplace(pt.getX(), pt.getY());
    }
    std::size_t checked = 0;
    for (auto&& f : ds->GetLayerByName("territories")) {
        const std::string id = f->GetFieldAsString("id");
        if (id == "cpts-21-52") continue; // dissolved with a noded union (crossing borders in the input): new vertices where they cross
        std::set<std::pair<double, double>> theirs;
        for (const auto& t : simple["territories"])
            if (t["id"] == id)
                for (const auto& code : t["insee"]) theirs.merge(std::set<std::pair<double, double>>(commune_vertices.at(code.get<std::string>())));
        std::unique_ptr<OGRGeometry> g(OGRGeometryFactory::forceToMultiPolygon(f->GetGeometryRef()->clone()));
        for (const OGRPolygon* p : *g->toMultiPolygon())
            for (const OGRLinearRing* r : *p)
                for (const OGRPoint& pt : *r) {
                    INFO(id << " " << pt.getX() << " " << pt.getY());
                    CHECK(theirs.count({pt.getX(), pt.getY()}) == 1);
                }
        CHECK(f->GetGeometryRef()->IsValid());
        ++checked;
    }
    CHECK(checked == 3);
}

TEST_CASE("France: simplified at 10 %, check finds no gap or overlap the input did not have, and nothing invalid", "[e2e][simplify][france]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const fs::path input = france_dir() / "COMMUNE.shp";
    const RunResult r = run_cli({"simplify", "-q", "--input", input.string(), "--out", (tmp / "communes.shp").string(), "--simplify-pct", "10"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(vertices_of(tmp / "communes.shp") < vertices_of(input) / 3);
    require_no_new_defects(check(input, tmp / "check-in"), check(tmp / "communes.shp", tmp / "check-out"));
}
