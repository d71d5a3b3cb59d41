#include "cptsmap/layer/population_table.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/layer/population.hpp"
#include "cptsmap/names/arrondissements.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <regex>

namespace cptsmap {

namespace {

int field(OGRFeatureDefn& defn, const char* name)
{
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        std::string n = defn.GetFieldDefn(i)->GetNameRef();
        for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (n == name) return i;
    }
    return -1;
}

bool is_code(const std::string& s)
{
    return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == 'A' || c == 'B'; });
}

} // namespace

PopulationTable load_population_table(const std::string& path)
{
    ensure_gdal_registered();
    GdalErrorCapture capture;
    const char* options[] = {"SEPARATOR=SEMICOLON", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options));
    if (!ds || ds->GetLayerCount() < 1) {
        throw InputError("cannot read the population table " + path + (capture.failed() ? " (GDAL: " + capture.last_failure() + ")" : std::string()) +
                         "; pass INSEE's donnees_communes CSV (COM or CODDEP+CODCOM, PMUN)");
    }
    OGRLayer& layer = *ds->GetLayer(0);
    OGRFeatureDefn& defn = *layer.GetLayerDefn();
    const int com = field(defn, "COM"), dep = field(defn, "CODDEP") >= 0 ? field(defn, "CODDEP") : field(defn, "DEP");
    const int codcom = field(defn, "CODCOM"), pmun = field(defn, "PMUN");
    if (pmun < 0 || (com < 0 && (dep < 0 || codcom < 0))) {
        std::string names;
        for (int i = 0; i < defn.GetFieldCount(); ++i) names += (i > 0 ? ", " : "") + std::string(defn.GetFieldDefn(i)->GetNameRef());
        throw InputError("population table " + path + " has no " + (pmun < 0 ? "PMUN" : "COM (nor CODDEP and CODCOM)") + " column (it has: " + names +
                         "); pass INSEE's donnees_communes CSV of the légal populations");
    }
    PopulationTable t;
    t.source = path;
    std::smatch m;
    const std::string file = std::filesystem::path(path).filename().string();
    if (std::regex_search(file, m, std::regex("(19|20)[0-9]{2}"))) t.year = std::stoi(m.str());
    int row = 1;
    for (auto& f : layer) {
        ++row;
        std::string code = com >= 0 ? f->GetFieldAsString(com) : "";
        if (!is_code(code) && dep >= 0 && codcom >= 0) {
            // 2020: COM is the name; the code is the département's first two characters and CODCOM.
            std::string c = f->GetFieldAsString(codcom);
            while (c.size() < 3) c.insert(c.begin(), '0');
            code = std::string(f->GetFieldAsString(dep)).substr(0, 2) + c;
        }
        if (!is_code(code)) continue; // a blank or total line
        const std::string value = f->GetFieldAsString(pmun);
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(value.c_str(), &end, 10);
        if (value.empty() || end == nullptr || *end != '\0') {
            throw InputError(path + ":" + std::to_string(row) + ": PMUN of commune " + code + " is \"" + value + "\", not a population");
        }
        if (errno == ERANGE || population_out_of_range(v)) {
            throw InputError(path + ":" + std::to_string(row) + ": PMUN of commune " + code + " " + population_refusal(value) +
                             "; correct the row, or download the table again from INSEE");
        }
        t.by_code[code] = v;
    }
    if (t.by_code.empty()) throw InputError("population table " + path + " holds no commune row");
    return t;
}

void apply_population_table(CommuneLayer& layer, const PopulationTable& table)
{
    std::vector<std::string> missing;
    layer.set_populations([&](const Commune& c) -> std::optional<std::int64_t> {
        if (const auto it = table.by_code.find(c.insee); it != table.by_code.end()) return it->second;
        std::int64_t sum = 0;
        bool any = false;
        for (const std::string& a : arrondissement_codes(c.insee))
            if (const auto it = table.by_code.find(a); it != table.by_code.end()) {
                sum = add_population(sum, it->second);
                any = true;
            }
        if (any) return sum;
        missing.push_back(c.insee + " " + c.name);
        return std::nullopt;
    });
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i > 0 ? ", " : "") + missing[i];
        layer.warnings.push_back(std::to_string(missing.size()) + " commune(s) of the layer are not in the population table " + table.source + " (" + list +
                                 (missing.size() > 5 ? ", ..." : "") + "): they keep the layer's population; is the table of another COG year?");
    }
    layer.population = CommuneLayer::PopulationSource{table.source, table.year};
}

} // namespace cptsmap
