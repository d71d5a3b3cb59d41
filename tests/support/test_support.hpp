#pragma once
// Helpers shared by the tests: fixture paths, temporary folders, running the CLI.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cptsmap::test {

std::filesystem::path source_dir();
// data/shapefiles/synthetic: six invented communes (see its README).
std::filesystem::path synthetic_dir();
std::filesystem::path shared_data_dir();
// True if ../shared/data is there; tests that need it WARN and return otherwise
// (REQUIRE_SHARED_DATA() below).
bool have_shared_data();
std::filesystem::path cote_dor_dir();   // ../shared/data/admin-express/cote-dor-haute-marne
std::filesystem::path france_dir();     // ../shared/data/admin-express/france-metro

// The synthetic layer, loaded once per process.
const CommuneLayer& synthetic_layer();
// A layer of the given WKT polygons (Lambert-93 units), codes 00001, 00002, ... in that order.
CommuneLayer layer_from_wkt(const std::vector<std::string>& wkts);
const GeosContext& shared_geos();
// The WKT of the square of lower-left corner (x, y) and that side.
std::string square_wkt(double x, double y, double side = 1000.0);

// A fresh temporary folder, removed with everything in it when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);
// Copies the synthetic COMMUNE (and EPCI) shapefile set into `dir`.
void copy_synthetic(const std::filesystem::path& dir);
// The communes of the given départements of the France layer (../shared/data), as COMMUNE.shp in
// `dir`, with France's EPCI layer beside it: a small real delivery made by the test.
void extract_departements(const std::filesystem::path& dir, const std::vector<std::string>& departements);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the cptsmap CLI with `args` (each one quoted for the shell).
RunResult run_cli(const std::vector<std::string>& args);
// Runs any program the same way (stdin from /dev/null, stdout and stderr captured).
RunResult run_command(const std::string& program, const std::vector<std::string>& args);

// One `cptsmap build` of examples/cote-dor.toml on the Côte-d'Or extract, `extra` arguments after
// --out; report.json parsed when the build succeeded. Under ctest the builds are made once for the
// whole run by the fixture test (tests/e2e/cote_dor_fixture_test.cpp) into the folder named by
// CPTSMAP_FIXTURE_DIR, and every test process reads them from there; without it (the test binary
// run by hand), the build is made here, in a folder of its own. Test files keep one in a
// function-local static, so that their test cases share it.
struct CoteDorRun {
    explicit CoteDorRun(const std::vector<std::string>& extra = {});
    RunResult run;
    nlohmann::json report;
    std::filesystem::path out() const { return out_; }

private:
    std::unique_ptr<TempDir> tmp_; // without a fixture folder
    std::filesystem::path out_;
};

// The territory of report.json with that id; throws std::runtime_error naming it when there is none.
const nlohmann::json& territory_in(const nlohmann::json& report, const std::string& id);

// The argument sets of the CoteDorRun the tests use: the fixture builds each of them once.
const std::vector<std::vector<std::string>>& cote_dor_configurations();
// The fixture folder from CPTSMAP_FIXTURE_DIR, or empty.
std::filesystem::path fixture_dir();

} // namespace cptsmap::test

namespace cptsmap::test {
// Everything in a GeoJSON file that breaks RFC 7946 or validity: no crs member, lon/lat in range,
// at most 7 decimals, closed rings, lines of 2 positions or more, exterior rings counter-clockwise and holes clockwise, and every
// geometry valid (GEOS) as written. Empty when the file is fine.
std::vector<std::string> rfc7946_problems(const std::filesystem::path& path);

// True where a test must not skip for want of ../shared/data: under CI (CI=true, as .ci/run sets)
// or with CPTSMAP_REQUIRE_SHARED_DATA=1.
bool shared_data_required();
} // namespace cptsmap::test

// At the start of a test that needs ../shared/data: skips it with a message when it is absent, and
// fails instead where the data is required (CI), so that a suite cannot go green by skipping.
#define REQUIRE_SHARED_DATA()                                                                                          \
    if (!::cptsmap::test::have_shared_data()) {                                                                        \
        if (::cptsmap::test::shared_data_required())                                                                   \
            FAIL(::cptsmap::test::shared_data_dir() << " is absent, and CI needs it (clone shared/ beside the repo)"); \
        WARN("skipped: " << ::cptsmap::test::shared_data_dir() << " is absent (clone shared/ beside the repo)");           \
        return;                                                                                                        \
    }
