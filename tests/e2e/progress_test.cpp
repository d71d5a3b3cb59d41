// End-to-end: the progress bar is drawn on stderr only when stderr is a terminal, never with -q, and
// never when piped. The terminal is a pseudo-terminal from util-linux `script` (skipped without it).
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {

std::string synthetic_definitions(const TempDir& tmp)
{
    write_file(tmp / "defs.toml", "[[territory]]\nid = \"val\"\nmembers = '''epci(\"CC du Val d'Essai\")'''\n");
    return (tmp / "defs.toml").string();
}

std::string build_command(const TempDir& tmp, const std::string& extra)
{
    auto q = [](const std::string& s) { return "'" + s + "'"; };
    return q(CPTSMAP_CLI_PATH) + " build --communes " + q(synthetic_dir().string()) + " --definitions " + q(synthetic_definitions(tmp)) +
           " --out " + q((tmp / "out").string()) + " --format gpkg" + extra;
}

// Runs `command` with its stdout and stderr on a pseudo-terminal; returns what the terminal showed.
RunResult in_terminal(const std::string& command) { return run_command("script", {"-qec", command, "/dev/null"}); }

bool have_script() { return ::access("/usr/bin/script", X_OK) == 0; }

} // namespace

TEST_CASE("build shows a progress bar on a terminal", "[e2e][progress]")
{
    if (!have_script()) {
        WARN("skipped: no /usr/bin/script (util-linux) to provide a terminal");
        return;
    }
    TempDir tmp;
    const RunResult r = in_terminal(build_command(tmp, ""));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("\r\033[Kcomputing [") && Catch::Contains("loading the communes"));
    CHECK_THAT(r.out, Catch::Contains("writing [####################] 3/3 done"));
    CHECK_THAT(r.out, Catch::Contains("gpkg"));
    // The bar is cleared before the summary is printed.
    CHECK(r.out.find("\r\033[Kstudy area:") == std::string::npos);
    CHECK(r.out.find("study area:") > r.out.rfind("\r\033[K"));
}

TEST_CASE("build shows no progress with -q or when stderr is not a terminal", "[e2e][progress]")
{
    TempDir tmp;
    const RunResult piped = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", synthetic_definitions(tmp), "--out",
                                     (tmp / "out").string(), "--format", "gpkg"});
    REQUIRE(piped.exit_code == 0);
    CHECK(piped.err.find('\r') == std::string::npos);
    CHECK(piped.err.find("computing") == std::string::npos);
    if (!have_script()) {
        WARN("skipped the terminal part: no /usr/bin/script (util-linux)");
        return;
    }
    const RunResult quiet = in_terminal(build_command(tmp, " -q"));
    REQUIRE(quiet.exit_code == 0);
    CHECK(quiet.out.find("computing") == std::string::npos);
    CHECK(quiet.out.find('\r') == std::string::npos);
}
