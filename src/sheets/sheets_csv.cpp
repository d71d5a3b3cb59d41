#include "cptsmap/sheets/sheets_csv.hpp"

#include "cptsmap/export/csv.hpp"
#include "cptsmap/result/figure_text.hpp"

namespace cptsmap {

namespace {

template <class T, class F>
std::string joined(const std::vector<T>& items, F text)
{
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : "; ") + text(item);
    return out;
}

} // namespace

void write_sheets_csv(const BuildResult& r, const std::string& path)
{
    CsvFile csv(path);
    csv.row({"id", "name", "communes", "population", "area_km2", "density_per_km2", "departements", "epci", "neighbours", "parts",
             "detached_communes", "enclave_communes", "shared_communes", "funding_band", "annual_amount_eur"});
    for (std::size_t t = 0; t < r.figures.territories.size(); ++t) {
        const TerritoryFigures& f = r.figures.territories[t];
        const auto& def = r.resolution.territories[t];
        CommuneSet detached, enclosed, shared;
        for (const auto& p : f.detached_parts) detached.insert(detached.end(), p.communes.begin(), p.communes.end());
        for (const auto& e : f.enclaves) enclosed.insert(enclosed.end(), e.communes.begin(), e.communes.end());
        for (const auto& s : f.shared) shared.push_back(s.commune);
        csv.row({def.id, def.name, std::to_string(f.communes), std::to_string(f.population), fixed_decimals(f.area_m2 / 1e6, 3),
                 fixed_decimals(f.density_per_km2, 1), joined(f.departements, departement_share_text), joined(f.epcis, epci_share_text),
                 joined(f.neighbours, [&](const Neighbour& n) { return r.resolution.territories[n.territory].id; }),
                 std::to_string(r.assembly.territories[t].parts), commune_list_text(r.layer, detached), commune_list_text(r.layer, enclosed),
                 commune_list_text(r.layer, shared), f.band.label(), std::to_string(f.band.annual_amount_eur)});
    }
    csv.close();
}

void write_uncovered_csv(const BuildResult& r, const std::string& path)
{
    CsvFile csv(path);
    csv.row({"rank", "insee", "nom", "departement", "population"});
    std::size_t rank = 0;
    for (CommuneIndex i : r.figures.study_area.uncovered_ranked) {
        const Commune& c = r.layer[i];
        csv.row({std::to_string(++rank), c.insee, c.name, c.departement, std::to_string(c.population)});
    }
    csv.close();
}

} // namespace cptsmap
