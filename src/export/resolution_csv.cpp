#include "cptsmap/export/resolution_csv.hpp"

#include "cptsmap/export/csv.hpp"

#include <algorithm>

namespace cptsmap {

void write_resolution_csv(const CommuneLayer& layer, const std::vector<TermResolution>& terms, const std::string& path)
{
    CsvFile csv(path);
    csv.row({"territory", "selector", "term", "position", "method", "insee", "commune", "note"});
    for (const auto& t : terms) {
        const std::string position = std::to_string(t.pos.line) + ":" + std::to_string(t.pos.column);
        std::vector<CommuneIndex> order(t.communes.begin(), t.communes.end());
        std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
        if (order.empty()) csv.row({t.territory, t.selector, t.term, position, t.method, "", "", t.note});
        for (CommuneIndex i : order) csv.row({t.territory, t.selector, t.term, position, t.method, layer[i].insee, layer[i].name, t.note});
    }
    csv.close();
}

} // namespace cptsmap
