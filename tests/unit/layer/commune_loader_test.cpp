#include "cptsmap/error.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {
CommuneLayer load(const fs::path& path, const std::string& assume_crs = "")
{
    LoadOptions o;
    o.path = path.string();
    o.assume_crs = assume_crs;
    return load_communes(o, shared_geos());
}
} // namespace

TEST_CASE("the synthetic ADMIN EXPRESS layer loads with its fields, areas and EPCI names", "[layer]")
{
    const CommuneLayer& layer = synthetic_layer();
    REQUIRE(layer.size() == 6);
    const auto beta = layer.find_code("99002");
    REQUIRE(beta);
    CHECK(layer[*beta].name == "Bêta-lès-Bains");
    CHECK(layer[*beta].population == 2000);
    CHECK(layer[*beta].departement == "99");
    CHECK(layer[*beta].epci == "200000001");
    CHECK(layer[*beta].area_m2 == Approx(4e6).epsilon(1e-12));
    CHECK(layer[*layer.find_code("99003")].area_m2 == Approx(7e6).epsilon(1e-12)); // hole subtracted
    CHECK(layer[*layer.find_code("99005")].area_m2 == Approx(5e6).epsilon(1e-12)); // detached part added
    REQUIRE(layer.find_epci("200000001") != nullptr);
    CHECK(layer.find_epci("200000001")->name == "CC du Val d'Essai");
    CHECK(layer.find_epci("200000002")->nature == "CA");
    CHECK(layer.in_epci("200000001").size() == 4);
    CHECK(layer.in_departement("98").size() == 1);
    CHECK(layer.warnings.empty());
}

TEST_CASE("a folder is searched for its COMMUNE.shp, however deep", "[layer]")
{
    TempDir tmp;
    const fs::path deep = tmp / "ADMIN-EXPRESS-COG_3-2__SHP_LAMB93_FXX_2023" / "ADMIN-EXPRESS-COG" / "1_DONNEES_LIVRAISON";
    fs::create_directories(deep);
    copy_synthetic(deep);
    const CommuneLayer layer = load(tmp.path());
    CHECK(layer.size() == 6);
    CHECK(layer.find_epci("200000001")->name == "CC du Val d'Essai");
}

TEST_CASE("GeoJSON in WGS84 is reprojected to Lambert-93", "[layer]")
{
    TempDir tmp;
    // A 0.01° × 0.01° square near Dijon: about 0.76 km × 1.11 km.
    write_file(tmp / "communes.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"INSEE_COM":"21231","NOM":"Dijon","POPULATION":"156920","SIREN_EPCI":"242100410"},
       "geometry":{"type":"Polygon","coordinates":[[[5.03,47.32],[5.04,47.32],[5.04,47.33],[5.03,47.33],[5.03,47.32]]]}}]})");
    const CommuneLayer layer = load(tmp / "communes.geojson");
    REQUIRE(layer.size() == 1);
    CHECK(layer[0].departement == "21"); // derived from the code when INSEE_DEP is absent
    CHECK(layer[0].population == 156920); // a population written as text is read
    CHECK(layer[0].area_m2 / 1e6 == Approx(0.8407).epsilon(0.01));
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    GEOSGeom_getXMin_r(shared_geos(), layer[0].geometry.get(), &xmin);
    GEOSGeom_getYMin_r(shared_geos(), layer[0].geometry.get(), &ymin);
    GEOSGeom_getXMax_r(shared_geos(), layer[0].geometry.get(), &xmax);
    GEOSGeom_getYMax_r(shared_geos(), layer[0].geometry.get(), &ymax);
    CHECK(xmin > 850000);
    CHECK(xmax < 860000);
    CHECK(ymin > 6690000);
    CHECK(ymax < 6700000);
}

TEST_CASE("a self-intersecting ring is repaired and reported", "[layer]")
{
    TempDir tmp;
    write_file(tmp / "bowtie.geojson", R"({"type":"FeatureCollection",
      "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[
      {"type":"Feature","properties":{"INSEE_COM":"99010","NOM":"Noeud","POPULATION":10},
       "geometry":{"type":"Polygon","coordinates":[[[850000,6690000],[852000,6692000],[852000,6690000],[850000,6692000],[850000,6690000]]]}}]})");
    const CommuneLayer layer = load(tmp / "bowtie.geojson");
    REQUIRE(layer.size() == 1);
    CHECK(GEOSisValid_r(shared_geos(), layer[0].geometry.get()) == 1);
    CHECK(layer[0].area_m2 == Approx(2e6)); // two triangles of 1 km² each
    const auto repaired = std::find_if(layer.warnings.begin(), layer.warnings.end(),
                                       [](const std::string& w) { return w.find("make-valid") != std::string::npos; });
    REQUIRE(repaired != layer.warnings.end());
    CHECK_THAT(*repaired, Catch::Contains("1 commune geometry was invalid") && Catch::Contains("99010 Noeud") &&
                              Catch::Contains("Self-intersection"));
}

TEST_CASE("a commune without geometry is kept for membership with a warning", "[layer]")
{
    TempDir tmp;
    write_file(tmp / "c.geojson", R"({"type":"FeatureCollection",
      "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[
      {"type":"Feature","properties":{"INSEE_COM":"99011","NOM":"Vide","POPULATION":5},"geometry":null},
      {"type":"Feature","properties":{"INSEE_COM":"99012","NOM":"Plein","POPULATION":5},
       "geometry":{"type":"Polygon","coordinates":[[[850000,6690000],[851000,6690000],[851000,6691000],[850000,6690000]]]}}]})");
    const CommuneLayer layer = load(tmp / "c.geojson");
    REQUIRE(layer.size() == 2);
    CHECK(layer[0].area_m2 == 0.0);
    CHECK_THAT(layer.warnings.at(0), Catch::Contains("no geometry"));
}

TEST_CASE("bad commune layers are clear errors", "[layer]")
{
    TempDir tmp;
    SECTION("a path that does not exist")
    {
        CHECK_THROWS_WITH(load(tmp / "nope.shp"), Catch::Contains("does not exist") && Catch::Contains("--communes"));
    }
    SECTION("a shapefile without its .dbf")
    {
        copy_synthetic(tmp.path());
        fs::remove(tmp / "COMMUNE.dbf");
        CHECK_THROWS_WITH(load(tmp / "COMMUNE.shp"), Catch::Contains("dbf file missing"));
    }
    SECTION("a shapefile without its .prj")
    {
        copy_synthetic(tmp.path());
        fs::remove(tmp / "COMMUNE.prj");
        CHECK_THROWS_WITH(load(tmp / "COMMUNE.shp"), Catch::Contains("no coordinate reference system") && Catch::Contains("--input-crs"));
        CHECK(load(tmp / "COMMUNE.shp", "EPSG:2154").size() == 6); // unless the user says which CRS it is
    }
    SECTION("a truncated .shp")
    {
        copy_synthetic(tmp.path());
        const std::string shp = read_file(tmp / "COMMUNE.shp");
        write_file(tmp / "COMMUNE.shp", shp.substr(0, shp.size() / 2));
        CHECK_THROWS_AS(load(tmp / "COMMUNE.shp"), InputError);
    }
    SECTION("a file that is not GeoJSON")
    {
        write_file(tmp / "c.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ this is not json");
        CHECK_THROWS_AS(load(tmp / "c.geojson"), InputError);
    }
    SECTION("a layer without INSEE_COM")
    {
        write_file(tmp / "c.geojson", R"({"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"CODE":"21231","NOM":"Dijon","POPULATION":1},"geometry":null}]})");
        CHECK_THROWS_WITH(load(tmp / "c.geojson"), Catch::Contains("INSEE_COM") && Catch::Contains("missing"));
    }
    SECTION("duplicate INSEE codes")
    {
        write_file(tmp / "c.geojson", R"({"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"INSEE_COM":"21231","NOM":"Dijon","POPULATION":1},"geometry":null},
          {"type":"Feature","properties":{"INSEE_COM":"21231","NOM":"Dijon bis","POPULATION":1},"geometry":null}]})");
        CHECK_THROWS_WITH(load(tmp / "c.geojson"), Catch::Contains("duplicate INSEE code 21231"));
    }
    SECTION("zero features")
    {
        write_file(tmp / "c.geojson", R"({"type":"FeatureCollection","features":[]})");
        CHECK_THROWS_AS(load(tmp / "c.geojson"), InputError);
        CHECK_THROWS_WITH(load(tmp / "c.geojson"), Catch::Contains("holds no commune (zero features)"));
    }
    SECTION("points instead of polygons")
    {
        write_file(tmp / "c.geojson", R"({"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"INSEE_COM":"21231","NOM":"Dijon","POPULATION":1},"geometry":{"type":"Point","coordinates":[5,47]}}]})");
        CHECK_THROWS_WITH(load(tmp / "c.geojson"), Catch::Contains("not a polygon"));
    }
}
