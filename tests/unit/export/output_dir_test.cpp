#include "cptsmap/error.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

TEST_CASE("nothing reaches the target folder before commit", "[export]")
{
    TempDir tmp;
    const fs::path target = tmp / "out";
    {
        OutputDir out(target.string());
        write_file(out.staged("a.txt"), "A");
        CHECK_FALSE(fs::exists(target));
        out.commit();
    }
    CHECK(read_file(target / "a.txt") == "A");
    // No staging folder is left behind.
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(tmp.path())) entries += e.path().filename() != "out";
    CHECK(entries == 0);
}

TEST_CASE("a run that fails leaves an existing output folder exactly as it was", "[export]")
{
    TempDir tmp;
    const fs::path target = tmp / "out";
    fs::create_directories(target);
    write_file(target / "report.json", "old");
    try {
        OutputDir out(target.string());
        write_file(out.staged("report.json"), "new, half written");
        throw std::runtime_error("failure in the middle of a build");
    } catch (const std::runtime_error&) {
    }
    CHECK(read_file(target / "report.json") == "old");
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(tmp.path())) entries += e.path().filename() != "out";
    CHECK(entries == 0);
}

TEST_CASE("commit replaces files in an existing folder and keeps the others", "[export]")
{
    TempDir tmp;
    const fs::path target = tmp / "out";
    fs::create_directories(target);
    write_file(target / "report.json", "old");
    write_file(target / "notes.txt", "mine");
    OutputDir out(target.string());
    write_file(out.staged("report.json"), "new");
    out.commit();
    CHECK(read_file(target / "report.json") == "new");
    CHECK(read_file(target / "notes.txt") == "mine");
}

TEST_CASE("an output path that is a file is refused", "[export]")
{
    TempDir tmp;
    write_file(tmp / "file", "x");
    CHECK_THROWS_AS(OutputDir((tmp / "file").string()), OutputError);
}
