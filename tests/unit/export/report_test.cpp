#include "cptsmap/export/report.hpp"
#include "synthetic_build.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using namespace cptsmap;
using namespace cptsmap::test;
using nlohmann::json;

TEST_CASE("report.json: each territory's figures, the study area's coverage, gaps and overlaps", "[export][report]")
{
    const BuildResult r = synthetic_build();
    const json j = json::parse(report_json(r));
    REQUIRE(j["territories"].size() == 2);
    const json& west = j["territories"][0];
    CHECK(west["id"] == "west");
    CHECK(west["name"] == "CPTS Ouest");
    CHECK(west["communes"] == 2);
    CHECK(west["population"] == 4000); // Alpha 1,000 + Saint-Gamma 3,000
    CHECK(west["area_km2"] == 11.0);
    CHECK(west["parts"] == 1);
    CHECK(west["dissolve"] == "coverage union");
    CHECK(west["insee"] == json::array({"99001", "99003"}));
    const json& east = j["territories"][1];
    CHECK(east["population"] == 5700); // Saint-Gamma 3,000 + Bêta 2,000 + 98001 700
    CHECK(east["insee"] == json::array({"98001", "99002", "99003"}));

    const json& sa = j["study_area"];
    CHECK(sa["communes"] == 5);
    CHECK(sa["population"] == 6550);
    CHECK(sa["covered_communes"] == 3);
    CHECK(sa["covered_population"] == 6000); // Saint-Gamma counted once
    CHECK(sa["coverage_pct"] == Approx(100.0 * 6000 / 6550).margin(1e-4));
    CHECK(sa["defined_by"] == "study_area");
    REQUIRE(sa["by_departement"].size() == 1);
    CHECK(sa["by_departement"][0]["departement"] == "99");
    // The uncovered, most populated first: Epsilon (500) then L'Œuf (50).
    REQUIRE(sa["uncovered_ranked"].size() == 2);
    CHECK(sa["uncovered_ranked"][0]["insee"] == "99005");
    CHECK(sa["uncovered_ranked"][1]["insee"] == "99004");

    CHECK(j["gaps"] == json::array({"99004", "99005"}));
    REQUIRE(j["overlaps"].size() == 1);
    CHECK(j["overlaps"][0]["insee"] == "99003");
    CHECK(j["overlaps"][0]["territories"] == json::array({"west", "east"}));
    CHECK(j["resolution"]["terms"].get<int>() >= 5);
}

TEST_CASE("report.json is the same bytes for the same build, and written atomically", "[export][report]")
{
    const BuildResult r = synthetic_build();
    CHECK(report_json(r) == report_json(synthetic_build()));
    TempDir tmp;
    write_report(r, (tmp / "report.json").string());
    CHECK(read_file(tmp / "report.json") == report_json(r));
    CHECK_FALSE(std::filesystem::exists(tmp / "report.json.tmp"));
}
