#include "cptsmap/export/geojson_text.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <random>

using namespace cptsmap;
using namespace cptsmap::test;

TEST_CASE("JSON strings are escaped and UTF-8 passes through", "[export]")
{
    std::string out;
    append_json_string(out, "Saint-Étienne \"la\" \\ tab\t\x01");
    CHECK(out == "\"Saint-Étienne \\\"la\\\" \\\\ tab\\t\\u0001\"");
    CHECK(nlohmann::json::parse(out).get<std::string>() == "Saint-Étienne \"la\" \\ tab\t\x01");
}

TEST_CASE("coordinates have at most 7 decimals, trailing zeros dropped", "[export]")
{
    auto coord = [](double v) {
        std::string s;
        append_json_coordinate(s, v);
        return s;
    };
    CHECK(coord(5.6294) == "5.6294");
    CHECK(coord(45.0) == "45.0");
    CHECK(coord(-1.23456789) == "-1.2345679");
    CHECK(coord(-0.00000001) == "0.0");
    CHECK(coord(4.0000001) == "4.0000001");
    CHECK(coord(-0.5) == "-0.5");
    CHECK(coord(-180.0) == "-180.0");
    CHECK(coord(0.0000001) == "0.0000001");
    CHECK(coord(-0.0) == "0.0");
}

TEST_CASE("coordinates on the output grid print as to_chars(fixed, 7) prints them", "[export]")
{
    // The reference: the formatting used off the grid, applied to every value.
    auto reference = [](double v) {
        char buf[40];
        char* end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 7).ptr;
        while (end[-1] == '0') --end;
        if (end[-1] == '.') ++end;
        std::string s(buf, end);
        return s == "-0.0" ? std::string("0.0") : s;
    };
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> degrees(-180.0, 180.0);
    std::uniform_int_distribution<long long> steps(-1800000000LL, 1800000000LL);
    int mismatches = 0;
    for (int i = 0; i < 200000; ++i) {
        // Values on the grid (as the writer rounds them, and as k / 1e7), and values off it.
        const long long k = steps(random);
        for (double v : {round_to_output_grid(static_cast<double>(k) * 1e-7), static_cast<double>(k) / 1e7, degrees(random),
                         std::nextafter(static_cast<double>(k) / 1e7, 1e9)}) {
            std::string got;
            append_json_coordinate(got, v);
            if (got != reference(v) && ++mismatches < 5) FAIL_CHECK(got << " != " << reference(v) << " for " << v);
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("reals and integers round-trip", "[export]")
{
    std::string s;
    append_json_real(s, 13.897512);
    s += ' ';
    append_json_real(s, -0.0);
    s += ' ';
    append_json_integer(s, -42);
    CHECK(s == "13.897512 0 -42");
}

TEST_CASE("geometries follow the right-hand rule whatever the input orientation", "[export]")
{
    const GeosContext& geos = shared_geos();
    // Exterior clockwise, hole counter-clockwise: both must be reversed.
    GeomPtr g = geos.from_wkt("POLYGON((0 0,0 10,10 10,10 0,0 0),(2 2,8 2,8 8,2 8,2 2))");
    std::string out;
    append_geojson_geometry(out, geos, g.get());
    const auto doc = nlohmann::json::parse(out);
    CHECK(doc["type"] == "Polygon");
    auto signed_area = [](const nlohmann::json& ring) {
        double a = 0.0;
        for (std::size_t i = 0; i + 1 < ring.size(); ++i)
            a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
        return a / 2.0;
    };
    CHECK(signed_area(doc["coordinates"][0]) == Approx(100.0));
    CHECK(signed_area(doc["coordinates"][1]) == Approx(-36.0));

    GeomPtr empty = geos.from_wkt("POLYGON EMPTY");
    std::string e;
    append_geojson_geometry(e, geos, empty.get());
    CHECK(nlohmann::json::parse(e)["coordinates"].empty());
}
