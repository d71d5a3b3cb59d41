#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

using namespace cptsmap::test;
using nlohmann::json;

// --population: INSEE's légal populations of another year in place of the layer's POPULATION.

namespace {

std::filesystem::path population_csv(int year)
{
    return shared_data_dir() / "population" / ("donnees_communes_millesime" + std::to_string(year) + ".csv");
}

json build_with(const std::string& table, RunResult& run, TempDir& tmp)
{
    run = run_cli({"build", "-q", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                   "--out", (tmp / "out").string(), "--population", table});
    return run.exit_code == 0 ? json::parse(read_file(tmp / "out" / "report.json")) : json();
}

// The municipal population of département 21 in a 2021-or-later table (COM at column 7, PMUN 9).
std::int64_t departement_21(const std::filesystem::path& csv)
{
    std::istringstream in(read_file(csv));
    std::string line;
    std::getline(in, line);
    std::int64_t sum = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ';');) f.push_back(cell);
        if (f.size() >= 9 && f[2] == "21") sum += std::stoll(f[8]);
    }
    return sum;
}

} // namespace

TEST_CASE("population: the 2021 légal populations replace the layer's, and report.json says so", "[e2e][population]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    RunResult run;
    const json report = build_with(population_csv(2021).string(), run, tmp);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(report["commune_layer"]["population"]["year"] == 2021);
    CHECK(report["study_area"]["population"] == departement_21(population_csv(2021)));
    CHECK(report["study_area"]["population"] != 540100); // the layer's (2023 edition)
    CHECK(report["study_area"]["uncovered_ranked"][0]["insee"] == "21054");
    CHECK(report["study_area"]["uncovered_ranked"][0]["population"] == 20032); // Beaune, 2021
    for (const auto& w : report["warnings"]) CHECK_THAT(w.get<std::string>(), !Catch::Contains("population table"));
}

TEST_CASE("population: the 2020 table, coded CODDEP + CODCOM, is read as well", "[e2e][population]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    RunResult run;
    const json report = build_with(population_csv(2020).string(), run, tmp);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(report["commune_layer"]["population"]["year"] == 2020);
    CHECK(report["study_area"]["uncovered_ranked"][0]["population"] == 20122); // Beaune, 2020
    CHECK(report["study_area"]["communes"] == 698);
}

TEST_CASE("population: a table without PMUN is refused, naming its columns", "[e2e][population]")
{
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    write_file(tmp / "pop.csv", "COM;POP\n21054;20000\n");
    RunResult run;
    build_with((tmp / "pop.csv").string(), run, tmp);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("no PMUN column") && Catch::Contains("COM, POP"));
    CHECK_FALSE(std::filesystem::exists(tmp / "out"));
}
