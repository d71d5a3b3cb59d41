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
    write_file(target / kOutputMarker, "a previous output\n");
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
    write_file(target / kOutputMarker, "a previous output\n");
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

TEST_CASE("every output folder gets the marker file with its outputs", "[export]")
{
    TempDir tmp;
    {
        OutputDir out(tmp / "out");
        write_file(out.staged("a.txt"), "A");
        CHECK_FALSE(fs::exists(tmp / "out"));
        out.commit();
    }
    CHECK_THAT(read_file(tmp / "out" / kOutputMarker), Catch::StartsWith("cptsmap output folder"));
    CHECK(read_file(tmp / "out" / "a.txt") == "A");
}

TEST_CASE("an output folder of other files is refused and untouched unless overwrite", "[export]")
{
    TempDir tmp;
    const fs::path target = tmp / "out";
    fs::create_directories(target);
    write_file(target / "notes.txt", "mine");
    CHECK_THROWS_WITH(check_output_folder(target, false),
                      Catch::Contains("holds 1 file (\"notes.txt\") and is not a previous cptsmap output") && Catch::Contains("--overwrite"));
    CHECK_THROWS_AS(OutputDir(target), OutputError);
    CHECK(std::distance(fs::directory_iterator(target), fs::directory_iterator()) == 1);
    std::size_t staging = 0;
    for (const auto& e : fs::directory_iterator(tmp.path())) staging += e.path().filename() != "out";
    CHECK(staging == 0);

    CHECK_NOTHROW(check_output_folder(target, true));
    {
        OutputDirOptions options;
        options.overwrite = true;
        OutputDir out(target, options);
        write_file(out.staged("report.json"), "new");
        out.commit();
    }
    CHECK(read_file(target / "notes.txt") == "mine");
    CHECK(read_file(target / "report.json") == "new");
    CHECK_NOTHROW(check_output_folder(target, false)); // marked now
}

TEST_CASE("new and empty and marked folders are accepted but not the root or a file or an empty name", "[export]")
{
    TempDir tmp;
    CHECK_NOTHROW(check_output_folder(tmp / "new" / "deeper", false));
    fs::create_directories(tmp / "empty");
    CHECK_NOTHROW(check_output_folder(tmp / "empty", false));
    fs::create_directories(tmp / "marked");
    write_file(tmp / "marked" / kOutputMarker, "x");
    write_file(tmp / "marked" / "report.json", "x");
    CHECK_NOTHROW(check_output_folder(tmp / "marked", false));
    CHECK_THROWS_WITH(check_output_folder("/", true), Catch::Contains("is the root of the file system"));
    CHECK_THROWS_WITH(check_output_folder(tmp.path() / ".." / ".." / ".." / ".." / ".." / ".." / "..", true), Catch::Contains("is the root"));
    CHECK_THROWS_WITH(check_output_folder("", true), Catch::Contains("the output folder is empty"));
    write_file(tmp / "file", "x");
    CHECK_THROWS_WITH(check_output_folder(tmp / "file", true), Catch::Contains("exists and is not a folder"));
}

TEST_CASE("a single file written into a user's folder neither checks nor marks it", "[export]")
{
    TempDir tmp;
    write_file(tmp / "notes.txt", "mine");
    OutputDirOptions options;
    options.single_file = true;
    {
        OutputDir out(tmp.path(), options);
        write_file(out.staged("members.csv"), "territory_id");
        out.commit();
    }
    CHECK(read_file(tmp / "members.csv") == "territory_id");
    CHECK_FALSE(fs::exists(tmp / kOutputMarker));
}
