#include "test_support.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/result/funding_bands.hpp"

#include <catch2/catch.hpp>

using namespace cptsmap;
using namespace cptsmap::test;

TEST_CASE("the shipped data/aci-bands.csv holds the default funding bands", "[sheets][bands]")
{
    const FundingBands file = read_funding_bands((source_dir() / "data" / "aci-bands.csv").string());
    const FundingBands defaults = default_funding_bands();
    REQUIRE(file.bands.size() == defaults.bands.size());
    for (std::size_t k = 0; k < file.bands.size(); ++k) {
        CHECK(file.bands[k].min_population == defaults.bands[k].min_population);
        CHECK(file.bands[k].max_population == defaults.bands[k].max_population);
        CHECK(file.bands[k].annual_amount_eur == defaults.bands[k].annual_amount_eur);
    }
}

TEST_CASE("a population falls in the band whose lower bound it reaches", "[sheets][bands]")
{
    const FundingBands b = default_funding_bands();
    CHECK(band_for(b, 0).annual_amount_eur == 220000);
    CHECK(band_for(b, 39999).annual_amount_eur == 220000);
    CHECK(band_for(b, 40000).annual_amount_eur == 287000);
    CHECK(band_for(b, 80000).annual_amount_eur == 370000);
    CHECK(band_for(b, 174999).annual_amount_eur == 370000);
    CHECK(band_for(b, 175000).annual_amount_eur == 450000);
    CHECK(band_for(b, 2000000).annual_amount_eur == 450000);
    CHECK(band_for(b, 100).label() == "under 40,000");
    CHECK(band_for(b, 50000).label() == "40,000\u201380,000");
    CHECK(band_for(b, 200000).label() == "over 175,000");
}

TEST_CASE("a funding bands table with a gap or a non-number is rejected with its row", "[sheets][bands]")
{
    TempDir tmp;
    write_file(tmp / "gap.csv", "min_population,max_population,annual_amount_eur\n0,40000,1\n50000,,2\n");
    CHECK_THROWS_WITH(read_funding_bands((tmp / "gap.csv").string()), Catch::Matchers::Contains("gap.csv:3"));
    write_file(tmp / "nan.csv", "min_population,max_population,annual_amount_eur\n0,,lots\n");
    CHECK_THROWS_WITH(read_funding_bands((tmp / "nan.csv").string()),
                      Catch::Matchers::Contains("nan.csv:2") && Catch::Matchers::Contains("\"lots\""));
    write_file(tmp / "open.csv", "min_population,max_population,annual_amount_eur\n0,40000,1\n");
    CHECK_THROWS_AS(read_funding_bands((tmp / "open.csv").string()), InputError);
    write_file(tmp / "cols.csv", "from,to,eur\n0,,1\n");
    CHECK_THROWS_WITH(read_funding_bands((tmp / "cols.csv").string()), Catch::Matchers::Contains("min_population"));
}
