#include "cptsmap/export/json_stream.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace cptsmap;

TEST_CASE("JSON written as it goes is laid out as nlohmann's dump(2), byte for byte", "[export]")
{
    nlohmann::ordered_json tree;
    std::string text;
    JsonStream j(text);
    j.begin_object();

    tree["name"] = "Côte-d'Or \"21\"\n\ttab\x01";
    j.key("name").value("Côte-d'Or \"21\"\n\ttab\x01");
    tree["count"] = std::size_t{34816};
    j.key("count").value(std::size_t{34816});
    tree["population"] = std::int64_t{-5};
    j.key("population").value(std::int64_t{-5});
    const double numbers[] = {0.0, -0.0, 67.0, 1234.5678, 0.1, 1e-7, 3.0e15, 123456789012345678.0, 2.5e-5, std::nan(""),
                              std::numeric_limits<double>::infinity()};
    tree["numbers"] = nlohmann::ordered_json::array();
    j.key("numbers").begin_array();
    for (double v : numbers) {
        tree["numbers"].push_back(v);
        j.value(v);
    }
    j.end_array();
    tree["empty_array"] = nlohmann::ordered_json::array();
    j.key("empty_array").begin_array();
    j.end_array();
    tree["empty_object"] = nlohmann::ordered_json::object();
    j.key("empty_object").begin_object();
    j.end_object();
    tree["nested"] = {{"flag", true}, {"none", nullptr}, {"list", {"a", "b"}}, {"objects", {{{"x", 1}}, {{"y", false}}}}};
    j.key("nested").begin_object();
    j.key("flag").value(true);
    j.key("none").null();
    j.key("list").value(std::vector<std::string>{"a", "b"});
    j.key("objects").begin_array();
    j.begin_object();
    j.key("x").value(1);
    j.end_object();
    j.begin_object();
    j.key("y").value(false);
    j.end_object();
    j.end_array();
    j.end_object();
    j.end_object();

    CHECK(text == tree.dump(2));
}
