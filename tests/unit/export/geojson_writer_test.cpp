#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/geometry/dissolve.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

TEST_CASE("GeoJSON is written as RFC 7946: WGS84, right-hand rule, 7 decimals, valid", "[export]")
{
    TempDir tmp;
    const fs::path path = tmp / "t.geojson";
    const CommuneLayer& layer = synthetic_layer();
    {
        GeoJsonWriter w(path.string(), "t",
                        {{"id", FieldKind::String}, {"n", FieldKind::Integer}, {"area", FieldKind::Real}, {"codes", FieldKind::StringList}},
                        "EPSG:2154", shared_geos());
        // The holed commune 99003 and the two-part commune 99005, as they are.
        for (const char* code : {"99003", "99005"}) {
            const Commune& c = layer[*layer.find_code(code)];
            w.add({c.insee, std::int64_t{42}, round_to(c.area_m2 / 1e6, 6), std::vector<std::string>{"a", "b"}}, c.geometry.get());
        }
        w.close();
    }
    CHECK(rfc7946_problems(path).empty());
    const auto doc = nlohmann::json::parse(read_file(path));
    REQUIRE(doc["features"].size() == 2);
    const auto& p = doc["features"][0]["properties"];
    CHECK(p["id"] == "99003");
    CHECK(p["n"] == 42);
    CHECK(p["area"].get<double>() == Approx(7.0));
    CHECK(p["codes"] == nlohmann::json::array({"a", "b"}));
    CHECK(doc["features"][0]["geometry"]["coordinates"].size() == 2); // exterior + hole
    CHECK(doc["features"][1]["geometry"]["type"] == "MultiPolygon");
    // Near Dijon, in longitude/latitude order.
    const double lon = doc["features"][0]["geometry"]["coordinates"][0][0][0];
    const double lat = doc["features"][0]["geometry"]["coordinates"][0][0][1];
    CHECK(lon > 4.9);
    CHECK(lon < 5.2);
    CHECK(lat > 47.2);
    CHECK(lat < 47.4);
}

TEST_CASE("snapping to the output grid keeps a thin valid polygon valid", "[export]")
{
    TempDir tmp;
    // A 2 cm-wide spike next to a square: a naive rounding of coordinates to 1e-7° could collapse it.
    GeomPtr g = shared_geos().from_wkt(
        "POLYGON((850000 6690000,851000 6690000,851000 6691000,850500.01 6691000,850500.01 6692000,850500 6692000,850500 6691000,850000 6691000,850000 6690000))");
    GeoJsonWriter w((tmp / "s.geojson").string(), "s", {}, "EPSG:2154", shared_geos());
    GeomPtr out = w.to_output_geometry(g.get());
    CHECK(GEOSisValid_r(shared_geos(), out.get()) == 1);
    w.add({}, g.get());
    w.close();
    CHECK(rfc7946_problems(tmp / "s.geojson").empty());
}

TEST_CASE("on the real Côte-d'Or communes, direct rounding agrees with GEOS precision reduction", "[export]")
{
    REQUIRE_SHARED_DATA();
    const GeosContext& geos = shared_geos();
    LoadOptions options;
    options.path = cote_dor_dir().string();
    const CommuneLayer layer = load_communes(options, geos);
    REQUIRE(layer.size() > 1000);
    TempDir tmp;
    GeoJsonWriter w((tmp / "c.geojson").string(), "c", {}, layer.crs, geos);
    std::size_t checked = 0;
    for (const Commune& c : layer.communes()) {
        if (GEOSisEmpty_r(geos, c.geometry.get()) == 1) continue;
        GeomPtr fast = w.to_output_geometry(c.geometry.get());
        GeomPtr reference = w.snap_to_grid(c.geometry.get());
        INFO("commune " << c.insee);
        REQUIRE(GEOSisValid_r(geos, fast.get()) == 1);
        double a = 0.0, b = 0.0, hausdorff = 0.0;
        GEOSArea_r(geos, fast.get(), &a);
        GEOSArea_r(geos, reference.get(), &b);
        CHECK(std::fabs(a - b) <= 1e-6 * b);
        REQUIRE(GEOSHausdorffDistance_r(geos, fast.get(), reference.get(), &hausdorff) == 1);
        CHECK(hausdorff <= 1e-7); // the same points, up to one grid step
        CHECK(polygon_count(geos, fast.get()) == polygon_count(geos, reference.get()));
        ++checked;
    }
    CHECK(checked == layer.size());
}

TEST_CASE("snapping to the output grid makes an invalid polygon valid rather than fail", "[export]")
{
    TempDir tmp;
    // A hole outside its shell: GEOS's precision reduction cannot assign it to a shell (the
    // TopologyException `build --clean` once met on France, for a hole a few 1e-9 m across it).
    GeomPtr g = shared_geos().from_wkt("POLYGON((850000 6690000,851000 6690000,851000 6691000,850000 6691000,850000 6690000),"
                                       "(852000 6690000,852000 6690500,852500 6690500,852500 6690000,852000 6690000))");
    REQUIRE(GEOSisValid_r(shared_geos(), g.get()) == 0);
    GeoJsonWriter w((tmp / "h.geojson").string(), "h", {}, "EPSG:2154", shared_geos());
    GeomPtr out = w.snap_to_grid(g.get());
    REQUIRE(out);
    CHECK(GEOSisValid_r(shared_geos(), out.get()) == 1);
    const int type = GEOSGeomTypeId_r(shared_geos(), out.get());
    CHECK((type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON));
    w.add({}, g.get());
    w.close();
    CHECK(rfc7946_problems(tmp / "h.geojson").empty());
}
