// End-to-end: `build --format postgis` into a real PostgreSQL + PostGIS server. scripts/test starts
// one on a local port (scripts/postgis-test-server) and passes its connection string in
// CPTSMAP_TEST_PG; without it these tests are skipped with a message. Checked in SQL: row counts,
// ST_IsValid, ST_SRID, ST_Area equal to report.json; the tables re-read with GDAL; a failed export
// changes nothing.
#include "layer_checks.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cstdlib>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string test_connection()
{
    const char* pg = std::getenv("CPTSMAP_TEST_PG");
    return pg == nullptr ? std::string() : std::string(pg);
}

GDALDatasetUniquePtr connect(const std::string& conn)
{
    GDALAllRegister();
    const char* drivers[] = {"PostgreSQL", nullptr};
    return GDALDatasetUniquePtr(GDALDataset::Open(("PG:" + conn).c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers));
}

// The first column of the first row of `sql`, as a string.
std::string query(GDALDataset& ds, const std::string& sql)
{
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    REQUIRE(result != nullptr);
    std::string value;
    OGRFeatureUniquePtr f(result->GetNextFeature());
    if (f) value = f->GetFieldAsString(0);
    ds.ReleaseResultSet(result);
    return value;
}

void execute(GDALDataset& ds, const std::string& sql)
{
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result != nullptr) ds.ReleaseResultSet(result);
}

RunResult export_to(const std::string& conn, const fs::path& out)
{
    return run_cli({"build", "--communes", cote_dor_dir().string(), "--definitions", (source_dir() / "examples" / "cote-dor.toml").string(),
                    "--out", out.string(), "--format", "postgis", "--pg", conn});
}

} // namespace

// One test case: the tables are shared by the whole database, so the steps must not run in parallel.
TEST_CASE("PostGIS export: tables checked in SQL against report.json and replaced in one transaction", "[e2e][postgis]")
{
    const std::string conn = test_connection();
    if (conn.empty()) {
        WARN("skipped: CPTSMAP_TEST_PG is not set (scripts/test starts a PostgreSQL + PostGIS server and sets it)");
        return;
    }
    REQUIRE_SHARED_DATA();
    TempDir tmp;
    const RunResult run = export_to(conn, tmp / "out");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json report = json::parse(read_file(tmp / "out" / "report.json"));
    GDALDatasetUniquePtr ds = connect(conn);
    REQUIRE(ds);

    // Row counts.
    CHECK(query(*ds, "SELECT count(*) FROM territories") == std::to_string(report["territories"].size()));
    CHECK(query(*ds, "SELECT count(*) FROM study_area") == "1");
    CHECK(query(*ds, "SELECT sum(communes) FROM gaps") == std::to_string(report["gaps"].size()));
    CHECK(query(*ds, "SELECT count(*) FROM communes WHERE status = 'overlap'") == std::to_string(report["overlaps"].size()));
    // Validity and SRID of every geometry of every table.
    for (const char* table : {"territories", "communes", "gaps", "overlaps", "study_area"}) { // "overlaps" is an SQL keyword: quoted
        INFO(table);
        CHECK(query(*ds, std::string("SELECT count(*) FROM \"") + table + "\" WHERE NOT ST_IsValid(geom)") == "0");
        CHECK(query(*ds, std::string("SELECT string_agg(DISTINCT ST_SRID(geom)::text, ',') FROM \"") + table + "\"") == "2154");
        CHECK(query(*ds, std::string("SELECT Find_SRID('public', '") + table + "', 'geom')") == "2154");
    }
    // Areas computed by PostGIS equal the report's.
    for (const auto& t : report["territories"]) {
        const std::string id = t["id"];
        const double area = std::stod(query(*ds, "SELECT ST_Area(geom) / 1e6 FROM territories WHERE id = '" + id + "'"));
        CHECK(area == Approx(t["area_km2"].get<double>()).margin(1e-5));
    }
    CHECK(std::stod(query(*ds, "SELECT coverage_pct FROM study_area")) == Approx(report["study_area"]["coverage_pct"].get<double>()));
    // And re-read with GDAL like the file formats.
    check_layers_match_report({[&](const std::string& name) { return ds->GetLayerByName(name.c_str()); }}, report);
    ds.reset();

    // A second export replaces the tables (no duplicated rows).
    TempDir tmp2;
    REQUIRE(export_to(conn, tmp2 / "out").exit_code == 0);
    ds = connect(conn);
    REQUIRE(ds);
    CHECK(query(*ds, "SELECT count(*) FROM territories") == std::to_string(report["territories"].size()));

    // A failed export changes nothing: a view in the way of the last table aborts the transaction,
    // and the marker row added to the first table is still there.
    execute(*ds, "INSERT INTO territories (id) VALUES ('marker')");
    execute(*ds, "DROP TABLE study_area");
    execute(*ds, "CREATE VIEW study_area AS SELECT 1 AS x");
    ds.reset();
    TempDir tmp3;
    const RunResult failed = export_to(conn, tmp3 / "out");
    CHECK(failed.exit_code == 1);
    CHECK_THAT(failed.err, Catch::Contains("study_area") && Catch::Contains("nothing was changed"));
    CHECK_FALSE(fs::exists(tmp3 / "out"));
    ds = connect(conn);
    REQUIRE(ds);
    CHECK(query(*ds, "SELECT count(*) FROM territories WHERE id = 'marker'") == "1");
    execute(*ds, "DROP VIEW study_area");
}
