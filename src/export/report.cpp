#include "cptsmap/export/report.hpp"

#include "cptsmap/result/figure_text.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/export/json_stream.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/names/departements.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace cptsmap {

namespace {

void write_stats(JsonStream& j, const PopulationStats& s, bool close = true)
{
    j.begin_object();
    if (!s.departement.empty()) {
        j.key("departement").value(s.departement);
        j.key("name").value(departement_name(s.departement));
    }
    if (!s.region.empty()) {
        j.key("region").value(s.region);
        j.key("name").value(region_name(s.region));
    }
    j.key("communes").value(s.communes);
    j.key("population").value(s.population);
    j.key("covered_communes").value(s.covered_communes);
    j.key("covered_population").value(s.covered_population);
    j.key("coverage_pct").value(round_to(s.coverage_pct, 4));
    if (close) j.end_object();
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

void write_ids(JsonStream& j, const BuildResult& r, const std::vector<std::size_t>& territories)
{
    j.begin_array();
    for (std::size_t t : territories) j.value(r.resolution.territories[t].id);
    j.end_array();
}

void write_communes(JsonStream& j, const BuildResult& r, const CommuneSet& communes)
{
    j.begin_array();
    for (CommuneIndex i : communes) {
        j.begin_object();
        j.key("insee").value(r.layer[i].insee);
        j.key("nom").value(r.layer[i].name);
        j.key("population").value(r.layer[i].population);
        j.end_object();
    }
    j.end_array();
}

// The sheet's figures added to a territory of report.json (README "Territory sheets").
void write_figures(JsonStream& j, const BuildResult& r, const TerritoryFigures& f)
{
    j.key("density_per_km2").value(round_to(f.density_per_km2, 2));
    j.key("departements").begin_array();
    for (const auto& d : f.departements) {
        j.begin_object();
        j.key("departement").value(d.departement);
        j.key("name").value(departement_name(d.departement));
        j.key("communes").value(d.communes);
        j.key("population").value(d.population);
        j.key("departement_population").value(d.departement_population);
        j.key("share_pct").value(round_to(d.share_pct, 4));
        j.end_object();
    }
    j.end_array();
    j.key("epci").begin_array();
    for (const auto& e : f.epcis) {
        j.begin_object();
        j.key("siren").value(e.siren);
        j.key("name").value(e.name);
        j.key("communes").value(e.communes);
        j.key("epci_communes").value(e.epci_communes);
        j.key("whole").value(e.whole());
        j.end_object();
    }
    j.end_array();
    j.key("neighbours").begin_array();
    for (const auto& n : f.neighbours) {
        j.begin_object();
        j.key("id").value(r.resolution.territories[n.territory].id);
        j.key("shared_border_km").value(round_to(n.shared_border_m / 1e3, 3));
        j.end_object();
    }
    j.end_array();
    j.key("anomalies").begin_object();
    j.key("detached_parts").begin_array();
    for (const auto& p : f.detached_parts) {
        j.begin_object();
        j.key("area_km2").value(round_to(p.area_m2 / 1e6, 6));
        write_communes(j.key("communes"), r, p.communes);
        j.end_object();
    }
    j.end_array();
    j.key("enclaves").begin_array();
    for (const auto& e : f.enclaves) {
        j.begin_object();
        j.key("area_km2").value(round_to(e.area_m2 / 1e6, 6));
        j.key("communes").begin_array();
        for (std::size_t k = 0; k < e.communes.size(); ++k) {
            const Commune& c = r.layer[e.communes[k]];
            j.begin_object();
            j.key("insee").value(c.insee);
            j.key("nom").value(c.name);
            j.key("population").value(c.population);
            write_ids(j.key("claimed_by"), r, e.claimed_by[k]);
            j.end_object();
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.key("shared_communes").begin_array();
    for (const auto& s : f.shared) {
        j.begin_object();
        j.key("insee").value(r.layer[s.commune].insee);
        j.key("nom").value(r.layer[s.commune].name);
        write_ids(j.key("also_in"), r, s.others);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    j.key("funding").begin_object();
    j.key("band").value(f.band.label());
    j.key("annual_amount_eur").value(f.band.annual_amount_eur);
    j.end_object();
}

} // namespace

std::string report_json(const BuildResult& r)
{
    std::string out;
    out.reserve(1 << 20);
    JsonStream j(out);
    j.begin_object();
    j.key("territories").begin_array();
    for (std::size_t t = 0; t < r.resolution.territories.size(); ++t) {
        const auto& def = r.resolution.territories[t];
        const Dissolved& d = r.assembly.territories[t];
        j.begin_object();
        j.key("id").value(def.id);
        j.key("name").value(def.name);
        j.key("communes").value(def.communes.size());
        j.key("population").value(r.coverage.territories[t].population);
        j.key("area_km2").value(round_to(d.area_m2 / 1e6, 6));
        j.key("parts").value(d.parts);
        j.key("dissolve").value(to_string(d.method));
        if (r.layer.deliveries.size() > 1) { // France entière: the delivery (and CRS) it was dissolved and measured in
            const Delivery& delivery = r.layer.deliveries[delivery_of(r.layer, def.communes)];
            j.key("delivery").value(delivery.name);
            j.key("crs").value(delivery.crs);
        }
        j.key("insee").value(sorted_codes(r.layer, def.communes));
        if (t < r.figures.territories.size()) write_figures(j, r, r.figures.territories[t]);
        j.end_object();
    }
    j.end_array();
    write_stats(j.key("study_area"), r.coverage.study_area, false);
    j.key("defined_by").value(r.resolution.study_area_defined ? "study_area" : "departements of the territories");
    j.key("by_departement").begin_array();
    for (const auto& d : r.coverage.by_departement) write_stats(j, d);
    j.end_array();
    if (r.layer.deliveries.size() > 1) { // France entière only: reports of one delivery keep their bytes
        j.key("by_region").begin_array();
        for (const auto& g : r.coverage.by_region) write_stats(j, g);
        j.end_array();
    }
    write_communes(j.key("uncovered_ranked"), r, r.figures.study_area.uncovered_ranked);
    j.key("largest_gap_zones").begin_array();
    for (const auto& z : r.figures.study_area.largest_zones) {
        j.begin_object();
        j.key("id").value(z.id);
        j.key("communes").value(z.communes);
        j.key("population").value(z.population);
        j.key("area_km2").value(round_to(z.area_m2 / 1e6, 6));
        j.end_object();
    }
    j.end_array();
    j.end_object();
    j.key("gaps").value(sorted_codes(r.layer, r.coverage.gaps));
    j.key("overlaps").begin_array();
    CommuneSet overlaps = r.coverage.overlaps;
    std::sort(overlaps.begin(), overlaps.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    for (CommuneIndex i : overlaps) {
        j.begin_object();
        j.key("insee").value(r.layer[i].insee);
        j.key("nom").value(r.layer[i].name);
        write_ids(j.key("territories"), r, r.coverage.territories_of[i]);
        j.end_object();
    }
    j.end_array();
    if (!r.coverage.shared.empty()) { // only then: reports without declared shares keep their bytes
        // Communes split between territories by declaration: each claims a share, none a conflict.
        j.key("shared").begin_array();
        CommuneSet shared = r.coverage.shared;
        std::sort(shared.begin(), shared.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
        for (CommuneIndex i : shared) {
            j.begin_object();
            j.key("insee").value(r.layer[i].insee);
            j.key("nom").value(r.layer[i].name);
            j.key("population").value(r.layer[i].population);
            write_ids(j.key("territories"), r, r.coverage.territories_of[i]);
            std::vector<std::string> labels;
            for (std::size_t t : r.coverage.territories_of[i]) labels.push_back(r.resolution.territories[t].shares.at(i));
            j.key("shares").value(labels);
            j.end_object();
        }
        j.end_array();
    }
    // How the terms resolved (the details are in resolution.csv), methods in alphabetical order.
    std::map<std::string, std::size_t> methods;
    for (const auto& t : r.resolution.terms) ++methods[t.method];
    j.key("resolution").begin_object();
    j.key("terms").value(r.resolution.terms.size());
    j.key("by_method").begin_object();
    for (const auto& [method, n] : methods) j.key(method).value(n);
    j.end_object();
    j.end_object();
    j.key("funding_bands").begin_object();
    j.key("source").value(r.figures.bands.source);
    j.key("bands").begin_array();
    for (const auto& b : r.figures.bands.bands) {
        j.begin_object();
        j.key("label").value(b.label());
        j.key("min_population").value(b.min_population);
        if (b.max_population) j.key("max_population").value(*b.max_population);
        else j.key("max_population").null();
        j.key("annual_amount_eur").value(b.annual_amount_eur);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    j.key("commune_layer").begin_object();
    j.key("precision").value(to_string(r.layer.edition.precision));
    j.key("mean_segment_m").value(round_to(r.layer.edition.mean_segment_m, 1));
    if (r.layer.edition.delivery.year) j.key("cog_year").value(*r.layer.edition.delivery.year);
    else j.key("cog_year").null();
    if (r.layer.deliveries.size() > 1) {
        j.key("deliveries").begin_array();
        std::vector<std::size_t> communes(r.layer.deliveries.size(), 0);
        for (const Commune& c : r.layer.communes()) ++communes[c.delivery];
        for (std::size_t k = 0; k < r.layer.deliveries.size(); ++k) {
            const Delivery& d = r.layer.deliveries[k];
            j.begin_object();
            j.key("name").value(d.name);
            j.key("crs").value(d.crs);
            j.key("crs_name").value(d.crs_name);
            j.key("communes").value(communes[k]);
            j.key("source").value(d.source);
            j.end_object();
        }
        j.end_array();
    }
    if (r.layer.population) { // --population: which population the figures use
        j.key("population").begin_object();
        j.key("source").value(r.layer.population->source);
        if (r.layer.population->year) j.key("year").value(*r.layer.population->year);
        else j.key("year").null();
        j.end_object();
    }
    if (r.layer.simplified) { // --simplify: the boundaries drawn are simplified (the figures are not)
        const auto& s = *r.layer.simplified;
        j.key("simplified").begin_object();
        j.key("method").value("weighted Visvalingam on the shared borders");
        if (std::isinf(s.tolerance_m)) j.key("tolerance_m").null();
        else j.key("tolerance_m").value(round_to(s.tolerance_m, 3));
        if (s.keep_pct) j.key("keep_pct").value(*s.keep_pct);
        else j.key("keep_pct").null();
        j.key("vertices_before").value(s.vertices_before);
        j.key("vertices_after").value(s.vertices_after);
        j.key("vertices_restored").value(s.restored);
        j.end_object();
    }
    if (r.layer.arrondissements.count > 0) { // only then: reports of whole cities keep their bytes
        j.key("arrondissements").begin_object();
        j.key("count").value(r.layer.arrondissements.count);
        j.key("cities").value(r.layer.arrondissements.cities);
        j.key("source").value(r.layer.arrondissements.source);
        j.end_object();
    }
    j.end_object();
    j.key("warnings").value(r.warnings);
    j.end_object();
    out += '\n';
    return out;
}

void write_report(const BuildResult& r, const std::string& path)
{
    write_text_file(path, report_json(r));
}

std::string format_summary(const BuildResult& r)
{
    std::ostringstream s;
    const auto& cov = r.coverage;
    s << "communes: " << thousands(static_cast<std::int64_t>(r.layer.size())) << " read from " << r.layer.source << "\n";
    s << "edition: " << describe(r.layer.edition) << "\n";
    if (r.layer.deliveries.size() > 1) {
        std::vector<std::size_t> communes(r.layer.deliveries.size(), 0);
        for (const Commune& c : r.layer.communes()) ++communes[c.delivery];
        s << "deliveries: " << r.layer.deliveries.size() << ", each in its own CRS:";
        for (std::size_t k = 0; k < r.layer.deliveries.size(); ++k)
            s << (k > 0 ? ";" : "") << " " << r.layer.deliveries[k].name << " " << thousands(static_cast<std::int64_t>(communes[k])) << " communes ("
              << r.layer.deliveries[k].crs << ")";
        s << "\n";
    }
    if (r.layer.population) {
        s << "population: INSEE légal populations" << (r.layer.population->year ? " " + std::to_string(*r.layer.population->year) : std::string())
          << " from " << r.layer.population->source << "\n";
    }
    if (r.layer.simplified) {
        const auto& sm = *r.layer.simplified;
        s << "simplified: " << thousands(static_cast<std::int64_t>(sm.vertices_before)) << " → " << thousands(static_cast<std::int64_t>(sm.vertices_after))
          << " vertices on the shared borders (" << (sm.keep_pct ? fixed_decimals(*sm.keep_pct, 1) + " % of the removable vertices kept" : fixed_decimals(sm.tolerance_m, 1) + " m") << ")\n";
    }
    if (r.layer.arrondissements.count > 0) {
        std::string cities;
        for (const auto& c : r.layer.arrondissements.cities) cities += (cities.empty() ? "" : ", ") + c;
        s << "arrondissements: " << cities << " as their " << r.layer.arrondissements.count << " arrondissements municipaux, from "
          << r.layer.arrondissements.source << "\n";
    }
    s << "\n";
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
    if (!cov.shared.empty()) {
        s << "shared by declaration: " << cov.shared.size() << " communes (" << thousands(population_of(r.layer, cov.shared))
          << " inhabitants, counted once)\n";
    }
    return s.str();
}

} // namespace cptsmap
