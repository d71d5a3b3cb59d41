// End-to-end: bad input gives one line on stderr, a non-zero exit code, and leaves the output
// folder as it was.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <functional>
#include <map>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {

const char* kGoodDefinitions = R"(
[[territory]]
id = "val"
members = '''epci("CC du Val d'Essai")'''
)";

struct Case {
    TempDir tmp;
    fs::path out() const { return tmp / "out"; }
    RunResult build(const fs::path& communes, const std::string& definitions_text)
    {
        write_file(tmp / "defs.toml", definitions_text);
        return run_cli({"build", "--communes", communes.string(), "--definitions", (tmp / "defs.toml").string(), "--out", out().string()});
    }
};

void check_clean_failure(const RunResult& r, const fs::path& out, const std::string& expected)
{
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::StartsWith("cptsmap: error: ") && Catch::Contains(expected));
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out));
    // No staging folder left beside it either.
    for (const auto& e : fs::directory_iterator(out.parent_path()))
        CHECK(e.path().filename().string().find("staging") == std::string::npos);
}

} // namespace

TEST_CASE("a good build on the synthetic layer succeeds", "[e2e][bad-input]")
{
    Case c;
    const RunResult r = c.build(synthetic_dir(), kGoodDefinitions);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(c.out() / "report.json"));
}

TEST_CASE("a missing commune layer is a one-line error and writes nothing", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(c.tmp / "nowhere" / "COMMUNE.shp", kGoodDefinitions), c.out(), "does not exist");
}

TEST_CASE("a shapefile missing its .dbf is a one-line error", "[e2e][bad-input]")
{
    Case c;
    fs::create_directories(c.tmp / "ae");
    copy_synthetic(c.tmp / "ae");
    fs::remove(c.tmp / "ae" / "COMMUNE.dbf");
    check_clean_failure(c.build(c.tmp / "ae" / "COMMUNE.shp", kGoodDefinitions), c.out(), "dbf file missing");
}

TEST_CASE("a corrupt .shp is a one-line error, not a crash", "[e2e][bad-input]")
{
    Case c;
    fs::create_directories(c.tmp / "ae");
    copy_synthetic(c.tmp / "ae");
    std::string shp = read_file(c.tmp / "ae" / "COMMUNE.shp");
    std::fill(shp.begin() + 100, shp.end(), '\xff');
    write_file(c.tmp / "ae" / "COMMUNE.shp", shp);
    const RunResult r = c.build(c.tmp / "ae" / "COMMUNE.shp", kGoodDefinitions);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(c.out()));
}

TEST_CASE("a syntax error in a members expression gives file, line and column", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = '''\ncommune(\"Alpha\") +\n  + commune(\"99002\")\n'''\n"),
                        c.out(), "defs.toml:5:3: expected a selector");
}

TEST_CASE("a TOML syntax error gives file, line and column", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\nmembers = 'all()'\n"), c.out(), "defs.toml:2:");
}

TEST_CASE("an unknown name is an error with suggestions", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = 'commune(\"Alfa\")'\n"), c.out(),
                        "unknown commune \"Alfa\"; did you mean \"Alpha\" (99001)");
}

TEST_CASE("an unreadable definitions file is a one-line error", "[e2e][bad-input]")
{
    TempDir tmp;
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "missing.toml").string(), "--out",
                                 (tmp / "out").string()});
    check_clean_failure(r, tmp / "out", "cannot read definitions file");
}

TEST_CASE("a failed build leaves the previous outputs untouched", "[e2e][bad-input]")
{
    Case c;
    REQUIRE(c.build(synthetic_dir(), kGoodDefinitions).exit_code == 0);
    const std::string before = read_file(c.out() / "report.json");
    const RunResult r = c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = 'commune(\"Nowhere\")'\n");
    CHECK(r.exit_code == 1);
    CHECK(read_file(c.out() / "report.json") == before);
}

TEST_CASE("a wrong command line exits with code 2", "[e2e][bad-input]")
{
    CHECK(run_cli({}).exit_code == 2);
    CHECK(run_cli({"build", "--communes", "x"}).exit_code == 2); // --definitions and --out missing
    CHECK(run_cli({"frobnicate"}).exit_code == 2);
}

TEST_CASE("a .cpg saying LATIN1 over a UTF-8 .dbf is a one-line error naming the garbled name", "[e2e][bad-input]")
{
    Case c;
    fs::create_directories(c.tmp / "ae");
    copy_synthetic(c.tmp / "ae");
    write_file(c.tmp / "ae" / "COMMUNE.cpg", "LATIN1");
    check_clean_failure(c.build(c.tmp / "ae" / "COMMUNE.shp", kGoodDefinitions), c.out(),
                        "reads \"BÃªta-lÃ¨s-Bains\": the .cpg says LATIN1 but the .dbf is UTF-8; write UTF-8 in the .cpg");
}

TEST_CASE("a Latin-1 .dbf behind a .cpg saying UTF-8 is a one-line error", "[e2e][bad-input]")
{
    Case c;
    fs::create_directories(c.tmp / "ae");
    copy_synthetic(c.tmp / "ae");
    // "ê" (C3 AA in UTF-8) becomes Latin-1 EA, padded to the same width so the .dbf stays well-formed.
    std::string dbf = read_file(c.tmp / "ae" / "COMMUNE.dbf");
    const auto at = dbf.find("B\xC3\xAAta");
    REQUIRE(at != std::string::npos);
    dbf.replace(at, 5, "B\xEAta ");
    write_file(c.tmp / "ae" / "COMMUNE.dbf", dbf);
    check_clean_failure(c.build(c.tmp / "ae" / "COMMUNE.shp", kGoodDefinitions), c.out(),
                        "the name of commune 99002 in " + (c.tmp / "ae" / "COMMUNE.shp").string() + " is not UTF-8 text: the .cpg says UTF-8");
}

TEST_CASE("a definitions file that is not UTF-8 is an error at the first bad byte", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = 'commune(\"B\xEAta\")'\n"), c.out(),
                        "defs.toml:3:22: the file is not UTF-8 (byte 0xEA); save it as UTF-8");
}

TEST_CASE("a membership table saved as Latin-1 is an error at its first cell that is not UTF-8", "[e2e][bad-input]")
{
    Case c;
    write_file(c.tmp / "members.csv", "territory_id,insee\ncpts-a,Alpha\ncpts-a,B\xEAta\n");
    check_clean_failure(run_cli({"build", "--communes", synthetic_dir().string(), "--membership", (c.tmp / "members.csv").string(), "--out",
                                 c.out().string()}),
                        c.out(), "members.csv:3:2: the membership table is not UTF-8 (byte 0xEA); save it as UTF-8");
}

TEST_CASE("a 100 MB definitions file is refused without being read", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "huge.toml", "[[territory]]\n");
    fs::resize_file(tmp / "huge.toml", 100u << 20); // sparse: no 100 MB written to disk
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "huge.toml").string(), "--out",
                                 (tmp / "out").string()});
    check_clean_failure(r, tmp / "out", "huge.toml is 100 MB, more than the 4 MB a definitions file may be");
}

TEST_CASE("a working CRS that is not projected is a one-line error", "[e2e][bad-input]")
{
    Case c;
    write_file(c.tmp / "defs.toml", kGoodDefinitions);
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (c.tmp / "defs.toml").string(), "--out",
                                 c.out().string(), "--work-crs", "EPSG:4326"});
    check_clean_failure(r, c.out(), "working CRS EPSG:4326 is not projected");
}

// ---- Impossible data and unsafe output folders (issue 18) ----

namespace {

// The synthetic layer as COMMUNE.geojson in `dir` (no width limit on its fields), each feature's
// properties edited by `edit`.
fs::path synthetic_geojson(const fs::path& dir, const std::function<void(nlohmann::json&)>& edit)
{
    fs::create_directories(dir);
    nlohmann::json layer = nlohmann::json::parse(read_file(synthetic_dir() / "COMMUNE.geojson"));
    for (auto& f : layer.at("features")) edit(f.at("properties"));
    write_file(dir / "COMMUNE.geojson", layer.dump());
    return dir / "COMMUNE.geojson";
}

// A GeoPackage COMMUNE layer of the synthetic communes' fields, without CRS, each feature with the
// synthetic geometry or none (`geometry` false).
fs::path synthetic_gpkg(const fs::path& path, bool geometry)
{
    GDALAllRegister();
    GDALDatasetUniquePtr in(GDALDataset::Open((synthetic_dir() / "COMMUNE.shp").string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(in);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    REQUIRE(driver != nullptr);
    GDALDatasetUniquePtr ds(driver->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRLayer* out = ds->CreateLayer("COMMUNE", nullptr, wkbMultiPolygon, nullptr);
    REQUIRE(out != nullptr);
    for (const char* name : {"INSEE_COM", "NOM", "INSEE_DEP", "SIREN_EPCI"}) {
        OGRFieldDefn field(name, OFTString);
        REQUIRE(out->CreateField(&field) == OGRERR_NONE);
    }
    OGRFieldDefn population("POPULATION", OFTInteger64);
    REQUIRE(out->CreateField(&population) == OGRERR_NONE);
    for (auto& f : *in->GetLayer(0)) {
        OGRFeatureUniquePtr g(OGRFeature::CreateFeature(out->GetLayerDefn()));
        for (const char* name : {"INSEE_COM", "NOM", "INSEE_DEP", "SIREN_EPCI"}) g->SetField(name, f->GetFieldAsString(name));
        g->SetField("POPULATION", f->GetFieldAsInteger64("POPULATION"));
        if (geometry) g->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(f->StealGeometry()));
        REQUIRE(out->CreateFeature(g.get()) == OGRERR_NONE);
    }
    return path;
}

const char* kAllDefinitions = "[[territory]]\nid = \"t\"\nmembers = 'dep(\"99\")'\n";

// The one line on stderr of a refused run, exit `code`, nothing on stdout.
void check_one_line(const RunResult& r, int code, const std::string& expected)
{
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == code);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::StartsWith("cptsmap: error: ") && Catch::Contains(expected));
    CHECK(r.out.empty());
}

// Every file of `dir` with its content, to tell that a folder was left untouched.
std::map<std::string, std::string> contents(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_file(e.path());
    return out;
}

} // namespace

TEST_CASE("a POPULATION of 9e18 on every commune is refused with the commune named", "[e2e][bad-input]")
{
    Case c;
    const fs::path layer = synthetic_geojson(c.tmp / "ae", [](nlohmann::json& p) { p["POPULATION"] = std::int64_t{9'000'000'000'000'000'000}; });
    check_clean_failure(c.build(layer, kAllDefinitions), c.out(),
                        "the POPULATION of commune 99001 (Alpha) in " + layer.string() +
                            " is 9000000000000000000; a commune has 0 to 10,000,000 inhabitants");
}

TEST_CASE("a POPULATION of 1e19 in a real field is refused and not cast", "[e2e][bad-input]")
{
    Case c;
    const fs::path layer = synthetic_geojson(c.tmp / "ae", [](nlohmann::json& p) { p["POPULATION"] = 1e19; });
    check_clean_failure(c.build(layer, kAllDefinitions), c.out(), "the POPULATION of commune 99001 (Alpha)");
}

TEST_CASE("a negative POPULATION is refused with the commune named", "[e2e][bad-input]")
{
    Case c;
    const fs::path layer = synthetic_geojson(c.tmp / "ae", [](nlohmann::json& p) {
        if (p["INSEE_COM"] == "99002") p["POPULATION"] = -538392;
    });
    check_clean_failure(c.build(layer, kAllDefinitions), c.out(),
                        "the POPULATION of commune 99002 (Bêta-lès-Bains) in " + layer.string() + " is -538392; a commune has 0 to 10,000,000");
}

TEST_CASE("a population table with a PMUN above ten million is refused with the row and commune", "[e2e][bad-input]")
{
    Case c;
    write_file(c.tmp / "pop.csv", "COM;PMUN\n99001;1200\n99002;20000000\n");
    write_file(c.tmp / "defs.toml", kAllDefinitions);
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (c.tmp / "defs.toml").string(), "--population",
                                 (c.tmp / "pop.csv").string(), "--out", c.out().string()});
    check_clean_failure(r, c.out(), "pop.csv:3: PMUN of commune 99002 is 20000000; a commune has 0 to 10,000,000 inhabitants");
}

TEST_CASE("an output folder at the root is refused before anything is computed", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "defs.toml", kAllDefinitions);
    REQUIRE_FALSE(fs::exists("/report.json"));
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "defs.toml").string(), "--out", "/"});
    check_one_line(r, 1, "output folder / is the root of the file system");
    CHECK_FALSE(fs::exists("/report.json"));
    CHECK_FALSE(fs::exists("/.cptsmap"));
    for (const auto& e : fs::directory_iterator("/")) CHECK(e.path().filename().string().find("staging") == std::string::npos);
    // The same through a path that resolves to it, and with --overwrite.
    check_one_line(run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "defs.toml").string(), "--out",
                            (tmp.path() / ".." / ".." / ".." / ".." / ".." / ".." / ".." / "..").string(), "--overwrite"}),
                   1, "is the root of the file system");
}

TEST_CASE("an output folder of other files is refused and left untouched and --overwrite writes into it", "[e2e][bad-input]")
{
    Case c;
    fs::create_directories(c.out());
    write_file(c.out() / "notes.txt", "mine\n");
    write_file(c.out() / "report.json", "not cptsmap's\n");
    const auto before = contents(c.out());
    // Refused before the definitions are even read: a definitions error would be the message otherwise.
    check_one_line(c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = 'commune(\"Nowhere\")'\n"), 1,
                   "output folder " + c.out().string() + " holds 2 files (\"");
    check_one_line(c.build(synthetic_dir(), kGoodDefinitions), 1, "is not a previous cptsmap output (it has no .cptsmap file); choose a new or empty folder, or pass --overwrite");
    CHECK(contents(c.out()) == before);
    for (const auto& e : fs::directory_iterator(c.tmp.path())) CHECK(e.path().filename().string().find("staging") == std::string::npos);

    write_file(c.tmp / "defs.toml", kGoodDefinitions);
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (c.tmp / "defs.toml").string(), "--out",
                                 c.out().string(), "--overwrite"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(c.out() / "notes.txt") == "mine\n");
    CHECK(read_file(c.out() / "report.json") != "not cptsmap's\n");
    CHECK(fs::exists(c.out() / ".cptsmap"));
    // Now a cptsmap output: accepted without --overwrite.
    CHECK(c.build(synthetic_dir(), kGoodDefinitions).exit_code == 0);
}

TEST_CASE("the current folder as output is refused when it holds other files", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "defs.toml", kAllDefinitions);
    const RunResult r = run_command("/bin/sh", {"-c", "cd '" + tmp.path().string() + "' && '" + CPTSMAP_CLI_PATH + "' build --communes '" +
                                                          synthetic_dir().string() + "' --definitions defs.toml --out ."});
    check_one_line(r, 1, "output folder . holds 1 file (\"defs.toml\")");
    CHECK(contents(tmp.path()).size() == 1);
}

TEST_CASE("an empty folder and a previous output of every command are accepted without --overwrite", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "defs.toml", kGoodDefinitions);
    write_file(tmp / "defs2.toml", kAllDefinitions);
    write_file(tmp / "timeline.toml", "definitions = \"defs.toml\"\n[founded]\nval = \"2021-01-01\"\n");
    const std::string communes = synthetic_dir().string(), defs = (tmp / "defs.toml").string();
    const std::map<std::string, std::vector<std::string>> commands = {
        {"build", {"build", "-q", "--communes", communes, "--definitions", defs}},
        {"check", {"check", "-q", "--communes", communes}},
        {"diff", {"diff", "-q", "--communes", communes, "--before", defs, "--after", (tmp / "defs2.toml").string()}},
        {"timeline", {"timeline", "-q", "--communes", communes, "--timeline", (tmp / "timeline.toml").string()}},
    };
    for (const auto& [name, args] : commands) {
        INFO(name);
        fs::create_directories(tmp / name);
        for (int run = 0; run < 2; ++run) { // an empty folder, then its own previous output
            std::vector<std::string> a = args;
            a.insert(a.end(), {"--out", (tmp / name).string()});
            const RunResult r = run_cli(a);
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(fs::exists(tmp / name / ".cptsmap"));
        }
        // Another command's output folder is a cptsmap output too.
        std::vector<std::string> a = args;
        a.insert(a.end(), {"--out", (tmp / "build").string()});
        if (name != "build") CHECK(run_cli(a).exit_code == 0);
        // A folder of other files: refused by every command, --overwrite accepted by every command.
        fs::create_directories(tmp / (name + "-other"));
        write_file(tmp / (name + "-other") / "notes.txt", "mine\n");
        a = args;
        a.insert(a.end(), {"--out", (tmp / (name + "-other")).string()});
        check_one_line(run_cli(a), 1, "is not a previous cptsmap output");
        CHECK(contents(tmp / (name + "-other")).size() == 1);
        a.push_back("--overwrite");
        CHECK(run_cli(a).exit_code == 0);
        CHECK(read_file(tmp / (name + "-other") / "notes.txt") == "mine\n");
    }
}

TEST_CASE("export-definitions refuses to replace a file it did not write unless --overwrite", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "defs.toml", kGoodDefinitions);
    write_file(tmp / "notes.csv", "a,b\n1,2\n");
    const std::vector<std::string> args{"export-definitions", "-q", "--communes", synthetic_dir().string(), "--definitions", (tmp / "defs.toml").string(), "--out"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> a = args;
        a.insert(a.end(), extra.begin(), extra.end());
        return run_cli(a);
    };
    check_one_line(with({(tmp / "notes.csv").string()}), 1, "notes.csv exists and is not a membership table cptsmap wrote");
    CHECK(read_file(tmp / "notes.csv") == "a,b\n1,2\n");
    check_one_line(with({tmp.path().string()}), 1, "is a folder; give the path of the CSV file");
    CHECK(with({(tmp / "notes.csv").string(), "--overwrite"}).exit_code == 0);
    CHECK_THAT(read_file(tmp / "notes.csv"), Catch::StartsWith("territory_id,territory_name,insee,commune"));
    CHECK(with({(tmp / "notes.csv").string()}).exit_code == 0); // now its own table
    CHECK_FALSE(fs::exists(tmp / ".cptsmap")); // the user's folder is not marked
}

TEST_CASE("an empty --out is a command-line error for every command", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "defs.toml", kGoodDefinitions);
    const std::string communes = synthetic_dir().string(), defs = (tmp / "defs.toml").string();
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"build", "--communes", communes, "--definitions", defs, "--out", ""},
             {"check", "--communes", communes, "--out", ""},
             {"diff", "--communes", communes, "--before", defs, "--after", defs, "--out", ""},
             {"timeline", "--communes", communes, "--timeline", defs, "--out", ""},
             {"export-definitions", "--communes", communes, "--definitions", defs, "--out", ""}}) {
        INFO(args.front());
        check_one_line(run_cli(args), 2, "--out: is empty; name where to write");
    }
}

TEST_CASE("a misspelt command is named with the closest one, and no command lists them all", "[e2e][bad-input]")
{
    check_one_line(run_cli({"bulid", "--communes", synthetic_dir().string()}), 2, "unknown command \"bulid\"; did you mean \"build\"?");
    check_one_line(run_cli({"-q", "chek"}), 2, "did you mean \"check\"?");
    check_one_line(run_cli({"--progress", "json", "frobnicate"}), 2, "unknown command \"frobnicate\" (commands: build, check, clean,");
    check_one_line(run_cli({}), 2, "no command given; use one of build, check, clean,");
}

TEST_CASE("a 300-character territory id with --sheets is refused before computing and says why", "[e2e][bad-input]")
{
    Case c;
    write_file(c.tmp / "defs.toml", "[[territory]]\nid = \"" + std::string(300, 'a') + "\"\nmembers = 'commune(\"Alpha\")'\n");
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (c.tmp / "defs.toml").string(), "--out",
                                 c.out().string(), "--sheets"});
    check_clean_failure(r, c.out(), "defs.toml:1:1: territory id \"" + std::string(40, 'a') + "...\" is 300 bytes long, too long for the file name of its sheet");
    CHECK_THAT(r.err, Catch::Contains("at most 200 ASCII characters"));
    // Without --sheets no file is named after it: the build succeeds.
    CHECK(c.build(synthetic_dir(), read_file(c.tmp / "defs.toml")).exit_code == 0);
}

TEST_CASE("a 5 MB definitions file is reported as 4.8 MB and not as 4 MB", "[e2e][bad-input]")
{
    TempDir tmp;
    write_file(tmp / "big.toml", "[[territory]]\n");
    fs::resize_file(tmp / "big.toml", 5'000'000);
    const RunResult r = run_cli({"build", "--communes", synthetic_dir().string(), "--definitions", (tmp / "big.toml").string(), "--out",
                                 (tmp / "out").string()});
    check_clean_failure(r, tmp / "out", "big.toml is 4.8 MB, more than the 4 MB a definitions file may be");
}

TEST_CASE("an unterminated string is said to be not closed", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\nmembers = 'all()'\n"), c.out(),
                        "defs.toml:2:8: TOML syntax error: the string is not closed on its line");
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x"), c.out(), "defs.toml:2:8: TOML syntax error: the file ends inside a string");
}

TEST_CASE("one commune listed ten thousand times is one warning with the count", "[e2e][bad-input]")
{
    Case c;
    std::string members = "commune(\"Alpha\"";
    for (int k = 1; k < 10'000; ++k) members += ", \"Alpha\"";
    const RunResult r = c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = '" + members + ")'\n");
    INFO(r.err.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::StartsWith("warning: ") && Catch::Contains("defs.toml:3:29: territory \"x\" lists commune 99001 Alpha 10000 times (first at 3:20); list it once"));
    const nlohmann::json report = nlohmann::json::parse(read_file(c.out() / "report.json"));
    CHECK(report.at("warnings").size() == 1);
}

TEST_CASE("an unknown département code is answered with the layer's départements", "[e2e][bad-input]")
{
    Case c;
    check_clean_failure(c.build(synthetic_dir(), "[[territory]]\nid = \"x\"\nmembers = 'dep(\"96\")'\n"), c.out(),
                        "defs.toml:3:16: unknown département code \"96\"; the départements of " + (synthetic_dir() / "COMMUNE.shp").string() + " are 98, 99");
}

TEST_CASE("a GeoPackage without CRS is told to pass --input-crs and not about a .prj", "[e2e][bad-input]")
{
    Case c;
    const fs::path gpkg = synthetic_gpkg(c.tmp / "communes.gpkg", true);
    const RunResult r = c.build(gpkg, kAllDefinitions);
    check_clean_failure(r, c.out(), gpkg.string() + " declares no coordinate reference system; pass the CRS of its coordinates with --input-crs EPSG:2154");
    CHECK(r.err.find(".prj") == std::string::npos);
    write_file(c.tmp / "defs.toml", kAllDefinitions);
    const RunResult fixed = run_cli({"build", "-q", "--communes", gpkg.string(), "--definitions", (c.tmp / "defs.toml").string(), "--out",
                                     c.out().string(), "--input-crs", "EPSG:2154"});
    INFO(fixed.err);
    CHECK(fixed.exit_code == 0);
}

TEST_CASE("a GeoPackage without readable geometry is not told about a .shp", "[e2e][bad-input]")
{
    Case c;
    const fs::path gpkg = synthetic_gpkg(c.tmp / "communes.gpkg", false);
    write_file(c.tmp / "defs.toml", kAllDefinitions);
    const RunResult r = run_cli({"build", "--communes", gpkg.string(), "--definitions", (c.tmp / "defs.toml").string(), "--out", c.out().string(),
                                 "--input-crs", "EPSG:2154"});
    check_clean_failure(r, c.out(), "none of the 6 communes of " + gpkg.string() + " has a readable geometry; the file is corrupt or empty");
    CHECK(r.err.find(".shp") == std::string::npos);
}
