#include "cptsmap/error.hpp"
#include "cptsmap/layer/population.hpp"
#include "cptsmap/layer/population_table.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace cptsmap;
using namespace cptsmap::test;

TEST_CASE("a commune's population lies between 0 and ten million", "[layer][population]")
{
    CHECK_FALSE(population_out_of_range(0));
    CHECK_FALSE(population_out_of_range(2'133'111)); // Paris
    CHECK_FALSE(population_out_of_range(kMaxCommunePopulation));
    CHECK(population_out_of_range(-1) == "is -1; a commune has 0 to 10,000,000 inhabitants (Paris, the largest, 2.1 million)");
    CHECK(population_out_of_range(kMaxCommunePopulation + 1).has_value());
    CHECK(population_out_of_range(std::numeric_limits<std::int64_t>::min()).has_value());
}

TEST_CASE("sums of populations are checked and never wrapped", "[layer][population]")
{
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    CHECK(add_population(1'000, 2'000) == 3'000);
    CHECK(add_population(max - 1, 1) == max);
    CHECK_THROWS_AS(add_population(max, 1), InputError);
    CHECK_THROWS_WITH(add_population(9'000'000'000'000'000'000, 9'000'000'000'000'000'000), Catch::Contains("does not fit in 64 bits"));
    const CommuneLayer& layer = synthetic_layer();
    CommuneSet all(layer.size());
    for (CommuneIndex i = 0; i < all.size(); ++i) all[i] = i;
    CHECK(population_of(layer, all) == 1000 + 2000 + 3000 + 50 + 500 + 700);
}

TEST_CASE("a population table refuses a PMUN outside the range and names the row and commune", "[layer][population]")
{
    TempDir tmp;
    write_file(tmp / "pop.csv", "COM;PMUN\n99001;1200\n99002;-5\n");
    CHECK_THROWS_WITH(load_population_table((tmp / "pop.csv").string()),
                      Catch::Contains("pop.csv:3: PMUN of commune 99002 is -5; a commune has 0 to 10,000,000 inhabitants"));
    write_file(tmp / "huge.csv", "COM;PMUN\n99001;99999999999999999999\n");
    CHECK_THROWS_WITH(load_population_table((tmp / "huge.csv").string()), Catch::Contains("PMUN of commune 99001 is 99999999999999999999;"));
    write_file(tmp / "ok.csv", "COM;PMUN\n99001;10000000\n");
    CHECK(load_population_table((tmp / "ok.csv").string()).by_code.at("99001") == 10'000'000);
}
