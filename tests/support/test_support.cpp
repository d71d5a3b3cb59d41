#include "test_support.hpp"

#include "cptsmap/layer/commune_loader.hpp"
#include "test_config.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cptsmap::test {

fs::path source_dir() { return CPTSMAP_SOURCE_DIR; }
fs::path synthetic_dir() { return source_dir() / "data" / "shapefiles" / "synthetic"; }
fs::path shared_data_dir() { return CPTSMAP_SHARED_DATA_DIR; }
bool shared_data_required()
{
    const char* ci = std::getenv("CI");
    const char* required = std::getenv("CPTSMAP_REQUIRE_SHARED_DATA");
    return (ci != nullptr && std::string(ci) == "true") || (required != nullptr && std::string(required) == "1");
}

bool have_shared_data() { return fs::exists(cote_dor_dir() / "COMMUNE.shp"); }
fs::path cote_dor_dir() { return shared_data_dir() / "admin-express" / "cote-dor-haute-marne"; }
fs::path france_dir() { return shared_data_dir() / "admin-express" / "france-metro"; }

const GeosContext& shared_geos()
{
    static GeosContext geos;
    return geos;
}

std::string square_wkt(double x, double y, double side)
{
    const auto p = [](double a, double b) { return std::to_string(a) + " " + std::to_string(b); };
    return "POLYGON((" + p(x, y) + "," + p(x + side, y) + "," + p(x + side, y + side) + "," + p(x, y + side) + "," + p(x, y) + "))";
}

CommuneLayer layer_from_wkt(const std::vector<std::string>& wkts)
{
    const GeosContext& geos = shared_geos();
    CommuneLayer layer;
    int n = 0;
    for (const auto& wkt : wkts) {
        Commune c;
        ++n;
        c.insee = std::string(n < 10 ? "0000" : "000") + std::to_string(n);
        c.name = "C" + std::to_string(n);
        c.departement = "00";
        c.geometry = geos.from_wkt(wkt);
        GEOSArea_r(geos, c.geometry.get(), &c.area_m2);
        layer.add(std::move(c));
    }
    return layer;
}

const CommuneLayer& synthetic_layer()
{
    static const CommuneLayer layer = [] {
        LoadOptions o;
        o.path = (synthetic_dir() / "COMMUNE.shp").string();
        return load_communes(o, shared_geos());
    }();
    return layer;
}

TempDir::TempDir()
{
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("cptsmap-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

void copy_synthetic(const fs::path& dir)
{
    for (const auto& entry : fs::directory_iterator(synthetic_dir())) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".shp" || ext == ".shx" || ext == ".dbf" || ext == ".prj" || ext == ".cpg")
            fs::copy_file(entry.path(), dir / entry.path().filename(), fs::copy_options::overwrite_existing);
    }
}

namespace {
std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}
} // namespace

RunResult run_cli(const std::vector<std::string>& args)
{
    return run_command(CPTSMAP_CLI_PATH, args);
}

const nlohmann::json& territory_in(const nlohmann::json& report, const std::string& id)
{
    for (const auto& t : report.at("territories"))
        if (t.at("id") == id) return t;
    throw std::runtime_error("report.json has no territory " + id);
}

const std::vector<std::vector<std::string>>& cote_dor_configurations()
{
    static const std::vector<std::vector<std::string>> all = {
        {},
        {"--map"},
        {"--map", "--format", "shp"},
        {"--format", "geojson,gpkg,fgb,shp"},
        {"--format", "geojson,gpkg", "--map", "--sheets"},
        {"--sheets", "-q"},
    };
    return all;
}

fs::path fixture_dir()
{
    const char* dir = std::getenv("CPTSMAP_FIXTURE_DIR");
    return dir != nullptr ? fs::path(dir) : fs::path();
}

namespace {

// A folder name for an argument set: "build" then each argument, letters and digits kept.
std::string configuration_name(const std::vector<std::string>& extra)
{
    std::string name = "build";
    for (const std::string& a : extra) {
        name += '_';
        for (char c : a) name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '-';
    }
    return name;
}

} // namespace

CoteDorRun::CoteDorRun(const std::vector<std::string>& extra)
{
    const fs::path fixtures = fixture_dir();
    const bool shared = !fixtures.empty() && std::find(cote_dor_configurations().begin(), cote_dor_configurations().end(), extra) !=
                                                 cote_dor_configurations().end();
    fs::path record;
    if (shared) {
        const fs::path dir = fixtures / configuration_name(extra);
        out_ = dir / "out";
        record = dir / "run.json";
    } else {
        tmp_ = std::make_unique<TempDir>();
        out_ = *tmp_ / "out";
    }
    if (!record.empty() && fs::exists(record)) {
        // Made by the fixture test: the build's exit code, stdout and stderr as it recorded them.
        const nlohmann::json j = nlohmann::json::parse(read_file(record));
        run.exit_code = j.at("exit_code").get<int>();
        run.out = j.at("stdout").get<std::string>();
        run.err = j.at("stderr").get<std::string>();
    } else {
        if (!record.empty()) fs::create_directories(record.parent_path());
        std::vector<std::string> args{"build", "--communes", cote_dor_dir().string(), "--definitions",
                                      (source_dir() / "examples" / "cote-dor.toml").string(), "--out", out_.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        run = run_cli(args);
        if (!record.empty()) {
            // Written whole, then renamed: a test process started meanwhile never reads half of it.
            const nlohmann::json j = {{"exit_code", run.exit_code}, {"stdout", run.out}, {"stderr", run.err}};
            write_file(record.string() + ".part", j.dump());
            fs::rename(record.string() + ".part", record);
        }
    }
    if (run.exit_code == 0) report = nlohmann::json::parse(read_file(out_ / "report.json"));
}

void extract_departements(const fs::path& dir, const std::vector<std::string>& departements)
{
    fs::create_directories(dir);
    std::string where = "INSEE_DEP IN (";
    for (std::size_t i = 0; i < departements.size(); ++i) where += (i > 0 ? ",'" : "'") + departements[i] + "'";
    where += ")";
    const RunResult r = run_command("ogr2ogr", {"-where", where, (dir / "COMMUNE.shp").string(), (france_dir() / "COMMUNE.shp").string()});
    if (r.exit_code != 0) throw std::runtime_error("ogr2ogr failed: " + r.err);
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
        if (fs::exists(france_dir() / (std::string("EPCI") + ext))) fs::copy_file(france_dir() / (std::string("EPCI") + ext), dir / (std::string("EPCI") + ext));
}

RunResult run_command(const std::string& program, const std::vector<std::string>& args)
{
    TempDir tmp;
    std::string cmd = shell_quote(program);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " >" + shell_quote((tmp / "out").string()) + " 2>" + shell_quote((tmp / "err").string()) + " </dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(tmp / "out");
    r.err = read_file(tmp / "err");
    return r;
}

} // namespace cptsmap::test

#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogr_geometry.h>

#include <cmath>

namespace cptsmap::test {

namespace {
double ring_signed_area(const nlohmann::json& ring)
{
    double a = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return a / 2.0;
}

void check_position(const nlohmann::json& pos, const std::string& where, std::vector<std::string>& problems)
{
    const double lon = pos[0].get<double>(), lat = pos[1].get<double>();
    if (std::fabs(lon) > 180 || std::fabs(lat) > 90) problems.push_back(where + ": position out of lon/lat range");
    for (double v : {lon, lat})
        if (std::fabs(std::round(v * 1e7) / 1e7 - v) > 1e-12) {
            problems.push_back(where + ": more than 7 decimals");
            break;
        }
}

void check_line(const nlohmann::json& line, const std::string& where, std::vector<std::string>& problems)
{
    if (line.size() < 2) problems.push_back(where + ": line with fewer than 2 positions");
    for (const auto& pos : line) check_position(pos, where, problems);
}

void check_polygon(const nlohmann::json& rings, const std::string& where, std::vector<std::string>& problems)
{
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const auto& ring = rings[r];
        if (ring.size() < 4 || ring.front() != ring.back()) problems.push_back(where + ": ring not closed or too short");
        for (const auto& pos : ring) check_position(pos, where, problems);
        const double a = ring_signed_area(ring);
        if (r == 0 && a <= 0) problems.push_back(where + ": exterior ring not counter-clockwise");
        if (r > 0 && a >= 0) problems.push_back(where + ": hole not clockwise");
    }
}
} // namespace

std::vector<std::string> rfc7946_problems(const fs::path& path)
{
    std::vector<std::string> problems;
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(read_file(path));
    } catch (const std::exception& e) {
        return {path.string() + ": not JSON: " + e.what()};
    }
    if (doc.value("type", "") != "FeatureCollection") problems.push_back("not a FeatureCollection");
    if (doc.contains("crs")) problems.push_back("has a crs member (RFC 7946 forbids it)");
    const GeosContext& geos = shared_geos();
    std::size_t n = 0;
    for (const auto& f : doc["features"]) {
        const std::string where = path.filename().string() + " feature " + std::to_string(n++);
        const auto& g = f["geometry"];
        if (g.is_null()) continue;
        const std::string type = g["type"];
        if (type == "Polygon") check_polygon(g["coordinates"], where, problems);
        else if (type == "MultiPolygon")
            for (const auto& p : g["coordinates"]) check_polygon(p, where, problems);
        else if (type == "Point") check_position(g["coordinates"], where, problems);
        else if (type == "MultiPoint")
            for (const auto& p : g["coordinates"]) check_position(p, where, problems);
        else if (type == "LineString") check_line(g["coordinates"], where, problems);
        else if (type == "MultiLineString")
            for (const auto& l : g["coordinates"]) check_line(l, where, problems);
        else problems.push_back(where + ": unexpected geometry type " + type);
        OGRGeometryH ogr = OGR_G_CreateGeometryFromJson(g.dump().c_str());
        if (ogr == nullptr) {
            problems.push_back(where + ": GDAL cannot read the geometry");
            continue;
        }
        std::vector<unsigned char> wkb(static_cast<std::size_t>(OGR_G_WkbSize(ogr)));
        OGR_G_ExportToWkb(ogr, wkbNDR, wkb.data());
        OGR_G_DestroyGeometry(ogr);
        GeomPtr geom = geos.from_wkb(wkb.data(), wkb.size());
        if (GEOSisValid_r(geos, geom.get()) != 1) problems.push_back(where + ": invalid geometry");
    }
    return problems;
}

} // namespace cptsmap::test
