#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/definitions/definitions_file.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {
struct Fixture {
    Resolution resolution;
    Coverage coverage;
};

Fixture run(const std::string& toml)
{
    Resolver resolver(synthetic_layer());
    Fixture f;
    f.resolution = resolver.resolve(parse_definitions(toml, "t.toml"));
    f.coverage = compute_coverage(synthetic_layer(), f.resolution);
    return f;
}

std::string code(CommuneIndex i) { return synthetic_layer()[i].insee; }
} // namespace

TEST_CASE("gaps are study-area communes in no territory, overlaps are communes in two", "[coverage]")
{
    const Fixture f = run(R"(
[study_area]
members = 'dep("99")'
[[territory]]
id = "west"
members = 'commune("Alpha", "99003")'
[[territory]]
id = "east"
members = 'commune("99003", "Bêta-lès-Bains") + dep("98")'
)");
    const Coverage& c = f.coverage;
    // Study area: 99001..99005 (5 communes, 6,550 inhabitants).
    CHECK(c.study_area.communes == 5);
    CHECK(c.study_area.population == 6550);
    // Covered: 99001, 99002, 99003 (counted once although two territories claim it).
    CHECK(c.study_area.covered_communes == 3);
    CHECK(c.study_area.covered_population == 6000);
    CHECK(c.study_area.coverage_pct == Approx(100.0 * 6000 / 6550));
    REQUIRE(c.gaps.size() == 2);
    CHECK(code(c.gaps[0]) == "99004");
    CHECK(code(c.gaps[1]) == "99005");
    REQUIRE(c.overlaps.size() == 1);
    CHECK(code(c.overlaps[0]) == "99003");
    CHECK(c.territories_of[c.overlaps[0]] == std::vector<std::size_t>{0, 1});
    // 98001 is outside the study area but claimed: reported, covered, not in the study figures.
    const auto i98 = *synthetic_layer().find_code("98001");
    CHECK(c.status[i98] == CoverageStatus::Covered);
    CHECK(c.reported.size() == 6);
    // Per-territory figures.
    CHECK(c.territories[0].communes == 2);
    CHECK(c.territories[0].population == 4000);
    CHECK(c.territories[1].population == 5700);
    // Gap + covered = study area.
    CHECK(c.gaps.size() + c.study_area.covered_communes == c.study_area.communes);
}

TEST_CASE("coverage is broken down per département", "[coverage]")
{
    const Fixture f = run(R"(
[study_area]
members = 'all()'
[[territory]]
id = "t"
members = 'dep("98") + commune("Alpha")'
)");
    REQUIRE(f.coverage.by_departement.size() == 2);
    CHECK(f.coverage.by_departement[0].departement == "98");
    CHECK(f.coverage.by_departement[0].coverage_pct == Approx(100.0));
    CHECK(f.coverage.by_departement[1].departement == "99");
    CHECK(f.coverage.by_departement[1].covered_population == 1000);
    CHECK(f.coverage.study_area.covered_population == 1700);
}
