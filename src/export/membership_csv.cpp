#include "cptsmap/export/membership_csv.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/csv.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace cptsmap {

namespace {
const char* const kHeader = "territory_id,territory_name,insee,commune";
} // namespace

void check_membership_csv_target(const std::string& path, bool overwrite)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw OutputError("--out " + path + " is a folder; give the path of the CSV file to write, e.g. --out membership.csv");
    if (overwrite || !fs::exists(path, ec)) return;
    std::ifstream in(path, std::ios::binary);
    std::string first;
    std::getline(in, first);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    if (first == kHeader) return;
    throw OutputError(path + " exists and is not a membership table cptsmap wrote (its first line is not " + kHeader +
                      "); choose another --out, or pass --overwrite to replace it");
}

void write_membership_csv(const CommuneLayer& layer, const Resolution& resolution, const std::string& path)
{
    CsvFile csv(path);
    csv.row({"territory_id", "territory_name", "insee", "commune"}); // kHeader
    for (const auto& t : resolution.territories) {
        std::vector<CommuneIndex> order(t.communes.begin(), t.communes.end());
        std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
        for (CommuneIndex i : order) csv.row({t.id, t.name, layer[i].insee, layer[i].name});
    }
    csv.close();
}

} // namespace cptsmap
