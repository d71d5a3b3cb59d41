#include "cptsmap/export/membership_csv.hpp"

#include "cptsmap/export/csv.hpp"

#include <algorithm>

namespace cptsmap {

void write_membership_csv(const CommuneLayer& layer, const Resolution& resolution, const std::string& path)
{
    CsvFile csv(path);
    csv.row({"territory_id", "territory_name", "insee", "commune"});
    for (const auto& t : resolution.territories) {
        std::vector<CommuneIndex> order(t.communes.begin(), t.communes.end());
        std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
        for (CommuneIndex i : order) csv.row({t.id, t.name, layer[i].insee, layer[i].name});
    }
    csv.close();
}

} // namespace cptsmap
