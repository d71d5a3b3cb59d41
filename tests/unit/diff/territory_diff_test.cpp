#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/diff/diff_outputs.hpp"
#include "cptsmap/diff/territory_diff.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

TerritoryVersion version(const std::string& toml, const std::string& name)
{
    Resolver resolver(synthetic_layer());
    return version_of(synthetic_layer(), resolver.resolve(parse_definitions(toml, name)), name);
}

const CommuneChange* change_of(const TerritoryDiff& d, const std::string& code)
{
    for (const CommuneChange& c : d.communes)
        if (synthetic_layer()[c.commune].insee == code) return &c;
    return nullptr;
}

const char* const kBefore = R"(
[study_area]
members = 'dep("99")'
[[territory]]
id = "west"
members = 'commune("Alpha", "99003")'
[[territory]]
id = "east"
members = 'commune("99003", "Bêta-lès-Bains")'
)";

// West gives Alpha to east and keeps 99003 alone; east drops 99003 (overlap resolved) and takes
// Epsilon; L'Œuf joins a new territory; Bêta is dropped (a gap now).
const char* const kAfter = R"(
[study_area]
members = 'dep("99")'
[[territory]]
id = "west"
members = 'commune("99003")'
[[territory]]
id = "east"
members = 'commune("Alpha", "Epsilon")'
[[territory]]
id = "centre"
members = 'commune("99004")'
)";

} // namespace

TEST_CASE("diff: each commune's change is named by kind, with before and after", "[diff]")
{
    const TerritoryDiff d = diff_versions(synthetic_layer(), version(kBefore, "before.toml"), version(kAfter, "after.toml"));
    REQUIRE(d.communes.size() == 5);
    CHECK(change_of(d, "99001")->kind == ChangeKind::Moved);
    CHECK(change_of(d, "99001")->before == std::vector<std::string>{"west"});
    CHECK(change_of(d, "99001")->after == std::vector<std::string>{"east"});
    CHECK(change_of(d, "99002")->kind == ChangeKind::BecameGap);
    CHECK(change_of(d, "99002")->status_after == CoverageStatus::Gap);
    CHECK(change_of(d, "99003")->kind == ChangeKind::ResolvedOverlap);
    CHECK(change_of(d, "99003")->status_before == CoverageStatus::Overlap);
    CHECK(change_of(d, "99004")->kind == ChangeKind::Joined);
    CHECK(change_of(d, "99005")->kind == ChangeKind::Joined);
    CHECK(change_of(d, "98001") == nullptr); // in neither version
    CHECK(d.count(ChangeKind::Joined) == 2);
}

TEST_CASE("diff: territories gained and lost, new ones after the old, coverage before and after", "[diff]")
{
    const TerritoryDiff d = diff_versions(synthetic_layer(), version(kBefore, "before.toml"), version(kAfter, "after.toml"));
    REQUIRE(d.territories.size() == 3);
    const TerritoryChange& east = d.territories[1];
    CHECK(east.id == "east");
    CHECK(east.communes_before == 2);
    CHECK(east.communes_after == 2);
    CHECK(east.population_before == 5000);
    CHECK(east.population_after == 1500);
    CHECK(east.area_before_m2 == Approx(11e6));
    CHECK(east.area_after_m2 == Approx(9e6));
    REQUIRE(east.gained.size() == 2);
    CHECK(synthetic_layer()[east.gained[0]].insee == "99001");
    CHECK(d.territories[2].id == "centre");
    CHECK_FALSE(d.territories[2].before);
    // Covered before: 99001-99003 (6,000 of 6,550); after: all but Bêta (4,550).
    CHECK(d.study_area.before.covered_population == 6000);
    CHECK(d.study_area.after.covered_population == 4550);
    REQUIRE(d.departements.size() == 1);
    CHECK(d.departements[0].departement == "99");
}

TEST_CASE("diff: the same version twice is no change, the outputs are deterministic", "[diff]")
{
    const TerritoryVersion v = version(kBefore, "v.toml");
    const TerritoryDiff none = diff_versions(synthetic_layer(), v, v);
    CHECK(none.communes.empty());
    const TerritoryVersion a = version(kAfter, "after.toml");
    const TerritoryDiff d = diff_versions(synthetic_layer(), v, a);
    CHECK(diff_json(synthetic_layer(), v, a, d) == diff_json(synthetic_layer(), v, a, diff_versions(synthetic_layer(), v, a)));
    const std::string svg = render_diff_svg(synthetic_layer(), d, shared_geos());
    CHECK(svg.find("data-change=\"moved\"") != std::string::npos);
    CHECK(svg.find("became a gap: 1") != std::string::npos);
    TempDir tmp;
    write_diff(synthetic_layer(), v, a, d, (tmp / "out").string(), shared_geos(), {true});
    for (const char* f : {"changes.csv", "changes.geojson", "territory_changes.csv", "diff.json", "diff.svg", "diff.png"})
        CHECK(std::filesystem::exists(tmp / "out" / f));
    const std::string csv = read_file(tmp / "out" / "changes.csv");
    CHECK(csv.rfind("insee,nom,population,change,before,after,status_before,status_after\n", 0) == 0);
    CHECK(csv.find("99001,Alpha,1000,moved,west,east,covered,covered\n") != std::string::npos);
}
