#include "cptsmap/error.hpp"
#include "cptsmap/export/output_format.hpp"
#include "cptsmap/export/qml_style.hpp"
#include "cptsmap/export/vector_dataset_writer.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace cptsmap;

TEST_CASE("output format names parse case-insensitively and round-trip", "[export][formats]")
{
    for (OutputFormat f : {OutputFormat::GeoJson, OutputFormat::GeoPackage, OutputFormat::FlatGeobuf, OutputFormat::Shapefile, OutputFormat::PostGis,
                           OutputFormat::MBTiles})
        CHECK(parse_output_format(to_string(f)) == f);
    CHECK(parse_output_format("GPKG") == OutputFormat::GeoPackage);
    CHECK(parse_output_format("FlatGeobuf") == OutputFormat::FlatGeobuf);
    CHECK(parse_output_format("MBTiles") == OutputFormat::MBTiles);
    CHECK_THROWS_AS(parse_output_format("kml"), Error);
    CHECK_THROWS_WITH(parse_output_format("kml"), Catch::Contains("geojson, gpkg, fgb, shp, postgis or mbtiles"));
}

TEST_CASE("Shapefile field names fit in 10 characters and stay distinct", "[export][formats]")
{
    const std::vector<std::string> names{"id", "name", "communes", "population", "area_km2", "parts", "insee", "nom", "dep",
                                         "territories", "status", "covered_communes", "covered_population", "coverage_pct"};
    std::set<std::string> seen;
    for (const auto& n : names) {
        const std::string s = short_field_name(n);
        CHECK(s.size() <= 10);
        CHECK(seen.insert(s).second);
        if (n.size() <= 10) CHECK(s == n);
    }
}

TEST_CASE("the territories style has one escaped category per territory in order", "[export][styles]")
{
    LayerTable t{"territories", {{"id", FieldKind::String}, {"name", FieldKind::String}}, {}, {}, {}};
    t.rows.push_back({{std::string("a"), std::string("CPTS <A> & \"B\"")}, nullptr});
    t.rows.push_back({{std::string("b'"), std::string("CPTS B")}, nullptr});
    const std::string qml = qml_style(t);
    CHECK_THAT(qml, Catch::StartsWith("<!DOCTYPE qgis"));
    CHECK_THAT(qml, Catch::Contains("value=\"a\" label=\"CPTS &lt;A&gt; &amp; &quot;B&quot;\""));
    CHECK_THAT(qml, Catch::Contains("value=\"b&#39;\""));
    CHECK(qml.find("value=\"a\"") < qml.find("value=\"b&#39;\""));
    CHECK_THAT(qml, Catch::Contains("symbol=\"1\""));
}

TEST_CASE("gaps are hatched red and overlaps cross-hatched and communes outlines only", "[export][styles]")
{
    const auto style = [](const char* name) { return qml_style(LayerTable{name, {}, {}, {}, {}}); };
    CHECK_THAT(style("gaps"), Catch::Contains("v=\"b_diagonal\"") && Catch::Contains("v=\"215,25,28,255\""));
    CHECK_THAT(style("overlaps"), Catch::Contains("v=\"diagonal_x\""));
    CHECK_THAT(style("communes"), Catch::Contains("k=\"style\" v=\"no\""));
    CHECK_THAT(style("study_area"), Catch::Contains("v=\"dash\""));
}

TEST_CASE("a GeoPackage that cannot be created is an OutputError naming the file", "[export][formats]")
{
    const std::string path = "/nonexistent-folder-for-cptsmap/out.gpkg";
    CHECK_THROWS_AS(VectorDatasetWriter("GPKG", path), OutputError);
    CHECK_THROWS_WITH(VectorDatasetWriter("GPKG", path), Catch::Contains(path));
    CHECK_THROWS_WITH(VectorDatasetWriter("NoSuchDriver", path), Catch::Contains("GDAL has no NoSuchDriver driver"));
}
