#include "cptsmap/geometry/zones.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cptsmap;
using namespace cptsmap::test;

TEST_CASE("zones are the connected parts of a set, each listing the communes with land in it", "[geometry]")
{
    const CommuneLayer& layer = synthetic_layer();
    // Alpha stands alone (Bêta lies between it and Epsilon); Epsilon's main square touches 98001;
    // Epsilon's detached square is a third zone, listing Epsilon again.
    CommuneSet set = {*layer.find_code("99001"), *layer.find_code("99005"), *layer.find_code("98001")};
    std::sort(set.begin(), set.end());
    const ZoneSplit split = split_into_zones(shared_geos(), layer, set);
    CHECK(split.method == DissolveMethod::CoverageUnion);
    REQUIRE(split.zones.size() == 3);
    CHECK(first_code(layer, split.zones[0].communes) == "98001");
    CHECK(split.zones[0].communes.size() == 2);
    CHECK(split.zones[0].area_m2 == Approx(8e6));
    CHECK(first_code(layer, split.zones[1].communes) == "99001");
    CHECK(split.zones[1].area_m2 == Approx(4e6));
    CHECK(first_code(layer, split.zones[2].communes) == "99005");
    CHECK(split.zones[2].communes.size() == 1);
    CHECK(split.zones[2].area_m2 == Approx(1e6));
}

TEST_CASE("no communes, no zones", "[geometry]")
{
    CHECK(split_into_zones(shared_geos(), synthetic_layer(), {}).zones.empty());
}
