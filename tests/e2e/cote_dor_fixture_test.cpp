#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace cptsmap::test;

// Not a test of its own: the CTest fixture (FIXTURES_SETUP in tests/CMakeLists.txt) that makes the
// Côte-d'Or builds of cote_dor_configurations() once, before the tests that read them. Hidden from
// a plain run of the test binary; ctest runs it as `cptsmap_tests [cote-dor-fixture]`.
TEST_CASE("the Côte-d'Or builds shared by the e2e tests", "[.][cote-dor-fixture]")
{
    const std::filesystem::path dir = fixture_dir();
    REQUIRE(!dir.empty()); // CPTSMAP_FIXTURE_DIR, set by ctest
    std::filesystem::remove_all(dir); // made afresh for every ctest run: the binaries may have changed
    std::filesystem::create_directories(dir);
    if (!have_shared_data()) {
        // The tests that need the builds fail (under CI) or skip on their own.
        REQUIRE_FALSE(shared_data_required());
        return;
    }
    for (const auto& extra : cote_dor_configurations()) {
        const CoteDorRun build(extra);
        INFO(build.run.err);
        CHECK(build.run.exit_code == 0); // recorded either way: the tests report what went wrong
    }
}
