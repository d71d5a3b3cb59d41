#include "cptsmap/geometry/assemble.hpp"
#include "synthetic_build.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <numeric>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

double geos_area(const GEOSGeometry* g)
{
    double a = 0.0;
    GEOSArea_r(shared_geos(), g, &a);
    return a;
}

std::string codes(const CommuneLayer& layer, const CommuneSet& s)
{
    std::string out;
    for (CommuneIndex i : s) out += (out.empty() ? "" : ",") + layer[i].insee;
    return out;
}

} // namespace

TEST_CASE("assemble: each territory is the exact union of its communes, on the topology", "[geometry][assemble]")
{
    const BuildResult r = synthetic_build();
    const Assembly& a = r.assembly;
    REQUIRE(a.topology != nullptr);
    REQUIRE(a.territories.size() == 2);
    // West: Alpha (4 km²) + Saint-Gamma (7 km², its hole kept: L'Œuf is not in west).
    const Dissolved& west = a.territories[0];
    CHECK(west.method == DissolveMethod::CoverageUnion);
    CHECK(west.area_m2 == Approx(11e6));
    CHECK(geos_area(west.geometry.get()) == Approx(11e6));
    CHECK(west.parts == 1);
    CHECK(GEOSGetNumInteriorRings_r(shared_geos(), west.geometry.get()) == 1);
    CHECK(west.rings != nullptr); // written from vertex ids
    // East: Saint-Gamma + Bêta (4) + 98001 (4).
    const Dissolved& east = a.territories[1];
    CHECK(east.area_m2 == Approx(15e6));
    CHECK(east.parts == 1);
    for (const Dissolved& d : a.territories) CHECK(GEOSisValid_r(shared_geos(), d.geometry.get()) == 1);
    CHECK(a.warnings.empty());
}

TEST_CASE("assemble: gap and overlap zones, one polygon each, grouped by who claims them", "[geometry][assemble]")
{
    const BuildResult r = synthetic_build();
    const Assembly& a = r.assembly;
    // Gaps of the study area (dep 99): L'Œuf alone inside Saint-Gamma, and Epsilon's two parts.
    REQUIRE(a.gaps.size() == 3);
    double gap_area = 0.0;
    for (const Zone& z : a.gaps) {
        CHECK(GEOSGeomTypeId_r(shared_geos(), z.geometry.get()) == GEOS_POLYGON);
        CHECK(z.area_m2 == Approx(geos_area(z.geometry.get())));
        gap_area += z.area_m2;
    }
    CHECK(gap_area == Approx(6e6)); // 1 + 4 + 1
    CHECK(codes(r.layer, a.gaps[0].communes) == "99004");
    CHECK(codes(r.layer, a.gaps[1].communes) == "99005");
    CHECK(codes(r.layer, a.gaps[2].communes) == "99005");
    // One overlap: Saint-Gamma, claimed by both territories.
    REQUIRE(a.overlaps.size() == 1);
    CHECK(a.overlaps[0].territories == std::vector<std::size_t>{0, 1});
    CHECK(codes(r.layer, a.overlaps[0].zone.communes) == "99003");
    CHECK(a.overlaps[0].zone.area_m2 == Approx(7e6));
}

TEST_CASE("assemble: a territory of no commune is an empty polygon, not an error", "[geometry][assemble]")
{
    const BuildResult r = synthetic_build(R"(
[[territory]]
id = "whole"
members = 'all()'
[[territory]]
id = "none"
members = 'commune("Alpha") & commune("99002")'
)");
    REQUIRE(r.assembly.territories.size() == 2);
    CHECK(r.assembly.territories[0].area_m2 == Approx(25e6)); // the whole layer
    CHECK(r.assembly.territories[0].parts == 2);              // the main block and Epsilon's detached square
    CHECK(GEOSisEmpty_r(shared_geos(), r.assembly.territories[1].geometry.get()) == 1);
    CHECK(r.assembly.territories[1].area_m2 == 0.0);
}
