// End-to-end: the progress bar is drawn on stderr only when stderr is a terminal, never with -q, and
// never when piped. The terminal is a pseudo-terminal from util-linux `script` (skipped without it).
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

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

namespace {

struct ProgressLine {
    std::string phase, step;
    int done = 0, total = 0;
};

// Every line of `err` as a progress object; fails the test on a line that is not one.
std::vector<ProgressLine> json_progress_lines(const std::string& err)
{
    std::vector<ProgressLine> out;
    std::size_t start = 0;
    while (start < err.size()) {
        const std::size_t end = err.find('\n', start);
        REQUIRE(end != std::string::npos); // every line is ended
        const std::string line = err.substr(start, end - start);
        start = end + 1;
        INFO(line);
        const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        REQUIRE(j.is_object());
        REQUIRE(j.size() == 4);
        REQUIRE(j.at("phase").is_string());
        REQUIRE(j.at("step").is_string());
        REQUIRE(j.at("done").is_number_integer());
        REQUIRE(j.at("total").is_number_integer());
        out.push_back({j["phase"], j["step"], j["done"], j["total"]});
    }
    return out;
}

// Within each phase, in the order given: done starts at 0, increases by one each line, total does
// not change, and the last line says done == total.
void check_phases(const std::vector<ProgressLine>& lines, const std::vector<std::string>& phases)
{
    std::size_t i = 0;
    for (const std::string& phase : phases) {
        INFO("phase " << phase);
        REQUIRE(i < lines.size());
        REQUIRE(lines[i].phase == phase);
        const int total = lines[i].total;
        CHECK(total > 0);
        int expected = 0;
        for (; i < lines.size() && lines[i].phase == phase; ++i) {
            INFO("step " << lines[i].step);
            CHECK(lines[i].done == expected++);
            CHECK(lines[i].total == total);
        }
        CHECK(lines[i - 1].done == total);
        CHECK(lines[i - 1].step == "done");
    }
    CHECK(i == lines.size());
}

} // namespace

TEST_CASE("build --progress=json writes one JSON object per line on stderr", "[e2e][progress]")
{
    TempDir tmp;
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", synthetic_definitions(tmp), "--out",
                                 (tmp / "out").string(), "--format", "gpkg,geojson", "--map", "--progress=json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::vector<ProgressLine> lines = json_progress_lines(r.err);
    check_phases(lines, {"computing", "writing"});
    CHECK(lines.front().step == "reading the definitions");
    CHECK(std::any_of(lines.begin(), lines.end(), [](const ProgressLine& l) { return l.step == "dissolving"; }));
    CHECK(std::any_of(lines.begin(), lines.end(), [](const ProgressLine& l) { return l.step == "map.png"; }));
    CHECK_THAT(r.out, Catch::Contains("study area:")); // the summary is still printed on stdout
    CHECK(fs::exists(tmp / "out" / "cptsmap.gpkg"));
}

TEST_CASE("progress: --progress=json is written with -q too, and before the subcommand", "[e2e][progress]")
{
    TempDir tmp;
    const RunResult r = run_cli({"--progress", "json", "-q", "build", "--communes", synthetic_dir().string(), "--definitions",
                                 synthetic_definitions(tmp), "--out", (tmp / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    check_phases(json_progress_lines(r.err), {"computing", "writing"});
    CHECK(r.out.empty());
}

TEST_CASE("check and resolve --progress=json", "[e2e][progress]")
{
    TempDir tmp;
    const RunResult check = run_cli({"check", "--communes", synthetic_dir().string(), "--out", (tmp / "check").string(), "--progress=json"});
    INFO(check.err);
    REQUIRE(check.exit_code == 0);
    check_phases(json_progress_lines(check.err), {"checking"});
    const RunResult resolve = run_cli({"resolve", "--communes", synthetic_dir().string(), "epci(\"CC du Val d'Essai\")", "--progress=json"});
    INFO(resolve.err);
    REQUIRE(resolve.exit_code == 0);
    const std::vector<ProgressLine> lines = json_progress_lines(resolve.err);
    check_phases(lines, {"resolving"});
    CHECK(lines.size() == 3);
    CHECK(!resolve.out.empty());
}

TEST_CASE("progress: with --progress=json an error is still its one text line, after the progress lines", "[e2e][progress]")
{
    TempDir tmp;
    write_file(tmp / "bad.toml", "[[territory]]\nid = \"x\"\nmembers = '''commune(\"Nowhere-sur-Rien\")'''\n");
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "bad.toml").string(), "--out",
                                 (tmp / "out").string(), "--progress=json"});
    REQUIRE(r.exit_code == 1);
    REQUIRE(!r.err.empty());
    const std::size_t last = r.err.rfind('\n', r.err.size() - 2);
    const std::string error_line = r.err.substr(last == std::string::npos ? 0 : last + 1);
    INFO(r.err);
    CHECK_THAT(error_line, Catch::StartsWith("cptsmap: error: ") && Catch::Contains("Nowhere-sur-Rien"));
    CHECK(std::count(error_line.begin(), error_line.end(), '\n') == 1);
    const std::vector<ProgressLine> lines = json_progress_lines(r.err.substr(0, r.err.size() - error_line.size()));
    REQUIRE(!lines.empty());
    CHECK(lines.front().phase == "computing");
    CHECK(lines.back().done < lines.back().total);
    CHECK(!fs::exists(tmp / "out"));
}

TEST_CASE("progress: --progress rejects an unknown mode", "[e2e][progress]")
{
    const RunResult r = run_cli({"--progress=xml", "resolve", "--communes", synthetic_dir().string(), "commune(\"x\")"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--progress"));
}
