// End-to-end: the main job's outputs (scripts/cote-dor: examples/cote-dor.toml on the Côte-d'Or
// extract, --format geojson,gpkg --map --sheets) compared byte for byte with the expected outputs
// checked into tests/golden/cote-dor, so that "outputs byte-identical" is a test, not a claim. The
// text files are stored whole (a failure shows the first line that differs); the large ones by
// their SHA-256 (SHA256SUMS). After a deliberate change of outputs: scripts/update-golden, and say
// why in the commit.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {

// The absolute path of the definitions file, as the test passes it, written as the README's
// command writes it (relative to the repository), so that the files do not depend on the checkout.
std::string relative_paths(std::string text)
{
    const std::string absolute = (source_dir() / "examples" / "cote-dor.toml").string();
    for (std::size_t at = text.find(absolute); at != std::string::npos; at = text.find(absolute, at))
        text.replace(at, absolute.size(), "examples/cote-dor.toml");
    return text;
}

std::string first_difference(const std::string& expected, const std::string& actual)
{
    std::istringstream e(expected), a(actual);
    std::string le, la;
    for (int line = 1;; ++line) {
        const bool more_e = static_cast<bool>(std::getline(e, le));
        const bool more_a = static_cast<bool>(std::getline(a, la));
        if (!more_e && !more_a) return "";
        if (le != la || more_e != more_a)
            return "line " + std::to_string(line) + ":\n  expected: " + le.substr(0, 300) + "\n  actual:   " + la.substr(0, 300);
    }
}

} // namespace

TEST_CASE("the Côte-d'Or outputs are byte-identical to tests/golden/cote-dor", "[e2e][golden]")
{
    REQUIRE_SHARED_DATA();
    static CoteDorRun build({"--format", "geojson,gpkg", "--map", "--sheets"});
    INFO(build.run.err);
    REQUIRE(build.run.exit_code == 0);
    const fs::path golden = source_dir() / "tests" / "golden" / "cote-dor";
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(golden)) {
        const std::string name = entry.path().filename().string();
        if (name == "SHA256SUMS" || name == "README.md") continue;
        INFO(name << " " << first_difference(read_file(entry.path()), relative_paths(read_file(build.out() / name))));
        CHECK(read_file(entry.path()) == relative_paths(read_file(build.out() / name)));
        ++compared;
    }
    CHECK(compared >= 8);
    // The large files by their hash: `sha256sum -c` in the output folder.
    const std::string sums = read_file(golden / "SHA256SUMS");
    CHECK(std::count(sums.begin(), sums.end(), '\n') >= 4);
    const RunResult check = run_command("/bin/sh", {"-c", "cd '" + build.out().string() + "' && sha256sum -c '" + (golden / "SHA256SUMS").string() + "'"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
}
