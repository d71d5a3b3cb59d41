#include "cptsmap/export/report.hpp"

#include "cptsmap/sheets/sheet_text.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/names/departements.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace cptsmap {

namespace {

nlohmann::ordered_json stats_json(const PopulationStats& s)
{
    nlohmann::ordered_json j;
    if (!s.departement.empty()) {
        j["departement"] = s.departement;
        j["name"] = departement_name(s.departement);
    }
    j["communes"] = s.communes;
    j["population"] = s.population;
    j["covered_communes"] = s.covered_communes;
    j["covered_population"] = s.covered_population;
    j["coverage_pct"] = round_to(s.coverage_pct, 4);
    return j;
}

std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string pad(const std::string& s, std::size_t width, bool right = false)
{
    // Width in characters, not bytes (names carry accents).
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars >= width) return s;
    const std::string fill(width - chars, ' ');
    return right ? fill + s : s + fill;
}

nlohmann::ordered_json ids_json(const BuildResult& r, const std::vector<std::size_t>& territories)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (std::size_t t : territories) j.push_back(r.resolution.territories[t].id);
    return j;
}

nlohmann::ordered_json communes_json(const BuildResult& r, const CommuneSet& communes)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (CommuneIndex i : communes) j.push_back({{"insee", r.layer[i].insee}, {"nom", r.layer[i].name}, {"population", r.layer[i].population}});
    return j;
}

// The sheet's figures added to a territory of report.json (README "Territory sheets").
void add_figures(nlohmann::ordered_json& tj, const BuildResult& r, const TerritoryFigures& f)
{
    tj["density_per_km2"] = round_to(f.density_per_km2, 2);
    tj["departements"] = nlohmann::ordered_json::array();
    for (const auto& d : f.departements)
        tj["departements"].push_back({{"departement", d.departement}, {"name", departement_name(d.departement)}, {"communes", d.communes},
                                      {"population", d.population}, {"departement_population", d.departement_population},
                                      {"share_pct", round_to(d.share_pct, 4)}});
    tj["epci"] = nlohmann::ordered_json::array();
    for (const auto& e : f.epcis)
        tj["epci"].push_back({{"siren", e.siren}, {"name", e.name}, {"communes", e.communes}, {"epci_communes", e.epci_communes}, {"whole", e.whole()}});
    tj["neighbours"] = nlohmann::ordered_json::array();
    for (const auto& n : f.neighbours)
        tj["neighbours"].push_back({{"id", r.resolution.territories[n.territory].id}, {"shared_border_km", round_to(n.shared_border_m / 1e3, 3)}});
    nlohmann::ordered_json an;
    an["detached_parts"] = nlohmann::ordered_json::array();
    for (const auto& p : f.detached_parts)
        an["detached_parts"].push_back({{"area_km2", round_to(p.area_m2 / 1e6, 6)}, {"communes", communes_json(r, p.communes)}});
    an["enclaves"] = nlohmann::ordered_json::array();
    for (const auto& e : f.enclaves) {
        nlohmann::ordered_json ej{{"area_km2", round_to(e.area_m2 / 1e6, 6)}, {"communes", nlohmann::ordered_json::array()}};
        for (std::size_t k = 0; k < e.communes.size(); ++k) {
            const Commune& c = r.layer[e.communes[k]];
            ej["communes"].push_back({{"insee", c.insee}, {"nom", c.name}, {"population", c.population}, {"claimed_by", ids_json(r, e.claimed_by[k])}});
        }
        an["enclaves"].push_back(std::move(ej));
    }
    an["shared_communes"] = nlohmann::ordered_json::array();
    for (const auto& s : f.shared)
        an["shared_communes"].push_back({{"insee", r.layer[s.commune].insee}, {"nom", r.layer[s.commune].name}, {"also_in", ids_json(r, s.others)}});
    tj["anomalies"] = std::move(an);
    tj["funding"] = {{"band", f.band.label()}, {"annual_amount_eur", f.band.annual_amount_eur}};
}

} // namespace

nlohmann::ordered_json make_report(const BuildResult& r)
{
    nlohmann::ordered_json j;
    j["territories"] = nlohmann::ordered_json::array();
    for (std::size_t t = 0; t < r.resolution.territories.size(); ++t) {
        const auto& def = r.resolution.territories[t];
        const Dissolved& d = r.assembly.territories[t];
        nlohmann::ordered_json tj;
        tj["id"] = def.id;
        tj["name"] = def.name;
        tj["communes"] = def.communes.size();
        tj["population"] = r.coverage.territories[t].population;
        tj["area_km2"] = round_to(d.area_m2 / 1e6, 6);
        tj["parts"] = d.parts;
        tj["dissolve"] = to_string(d.method);
        tj["insee"] = sorted_codes(r.layer, def.communes);
        if (t < r.figures.territories.size()) add_figures(tj, r, r.figures.territories[t]);
        j["territories"].push_back(std::move(tj));
    }
    nlohmann::ordered_json sa = stats_json(r.coverage.study_area);
    sa["defined_by"] = r.resolution.study_area_defined ? "study_area" : "departements of the territories";
    sa["by_departement"] = nlohmann::ordered_json::array();
    for (const auto& d : r.coverage.by_departement) sa["by_departement"].push_back(stats_json(d));
    sa["uncovered_ranked"] = communes_json(r, r.figures.study_area.uncovered_ranked);
    sa["largest_gap_zones"] = nlohmann::ordered_json::array();
    for (const auto& z : r.figures.study_area.largest_zones)
        sa["largest_gap_zones"].push_back({{"id", z.id}, {"communes", z.communes}, {"population", z.population}, {"area_km2", round_to(z.area_m2 / 1e6, 6)}});
    j["study_area"] = std::move(sa);
    j["gaps"] = sorted_codes(r.layer, r.coverage.gaps);
    j["overlaps"] = nlohmann::ordered_json::array();
    CommuneSet overlaps = r.coverage.overlaps;
    std::sort(overlaps.begin(), overlaps.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    for (CommuneIndex i : overlaps) {
        nlohmann::ordered_json o;
        o["insee"] = r.layer[i].insee;
        o["nom"] = r.layer[i].name;
        o["territories"] = nlohmann::ordered_json::array();
        for (std::size_t t : r.coverage.territories_of[i]) o["territories"].push_back(r.resolution.territories[t].id);
        j["overlaps"].push_back(std::move(o));
    }
    // How the terms resolved (the details are in resolution.csv), methods in alphabetical order.
    std::map<std::string, std::size_t> methods;
    for (const auto& t : r.resolution.terms) ++methods[t.method];
    nlohmann::ordered_json res;
    res["terms"] = r.resolution.terms.size();
    res["by_method"] = nlohmann::ordered_json::object();
    for (const auto& [method, n] : methods) res["by_method"][method] = n;
    j["resolution"] = std::move(res);
    j["funding_bands"] = {{"source", r.figures.bands.source}, {"bands", nlohmann::ordered_json::array()}};
    for (const auto& b : r.figures.bands.bands) {
        nlohmann::ordered_json bj{{"label", b.label()}, {"min_population", b.min_population}};
        bj["max_population"] = b.max_population ? nlohmann::ordered_json(*b.max_population) : nlohmann::ordered_json(nullptr);
        bj["annual_amount_eur"] = b.annual_amount_eur;
        j["funding_bands"]["bands"].push_back(std::move(bj));
    }
    j["warnings"] = r.warnings;
    return j;
}

void write_report(const BuildResult& r, const std::string& path)
{
    std::ofstream out(path, std::ios::binary);
    out << make_report(r).dump(2) << "\n";
    out.close();
    if (!out) throw OutputError("cannot write " + path + "; is the disk full?");
}

std::string format_summary(const BuildResult& r)
{
    std::ostringstream s;
    const auto& cov = r.coverage;
    s << "communes: " << thousands(static_cast<std::int64_t>(r.layer.size())) << " read from " << r.layer.source << "\n\n";
    s << pad("territory", 24) << pad("communes", 10, true) << pad("population", 13, true) << pad("area km²", 11, true)
      << pad("parts", 7, true) << "\n";
    for (std::size_t t = 0; t < r.resolution.territories.size(); ++t) {
        const auto& def = r.resolution.territories[t];
        const Dissolved& d = r.assembly.territories[t];
        s << pad(def.id, 24) << pad(std::to_string(def.communes.size()), 10, true) << pad(thousands(cov.territories[t].population), 13, true)
          << pad(fixed(d.area_m2 / 1e6, 1), 11, true) << pad(std::to_string(d.parts), 7, true) << "\n";
    }
    const auto& sa = cov.study_area;
    s << "\nstudy area: " << thousands(static_cast<std::int64_t>(sa.communes)) << " communes, " << thousands(sa.population)
      << " inhabitants; covered: " << thousands(static_cast<std::int64_t>(sa.covered_communes)) << " communes, "
      << thousands(sa.covered_population) << " inhabitants (" << fixed(sa.coverage_pct, 1) << " %)\n";
    if (cov.by_departement.size() > 1) {
        for (const auto& d : cov.by_departement) {
            s << "  " << pad(d.departement + " " + departement_name(d.departement), 24) << " " << thousands(d.covered_population) << " / "
              << thousands(d.population) << " inhabitants covered (" << fixed(d.coverage_pct, 1) << " %)\n";
        }
    }
    s << "gaps: " << cov.gaps.size() << " communes (" << thousands(population_of(r.layer, cov.gaps)) << " inhabitants) in "
      << r.assembly.gaps.size() << " zone" << (r.assembly.gaps.size() == 1 ? "" : "s") << "\n";
    s << "overlaps: " << cov.overlaps.size() << " communes (" << thousands(population_of(r.layer, cov.overlaps)) << " inhabitants) in "
      << r.assembly.overlaps.size() << " zone" << (r.assembly.overlaps.size() == 1 ? "" : "s") << "\n";
    return s.str();
}

} // namespace cptsmap
