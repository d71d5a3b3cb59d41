#include "cptsmap/sheets/sheets_html.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/svg_path.hpp"
#include "cptsmap/names/departements.hpp"
#include "cptsmap/result/figure_text.hpp"
#include "cptsmap/sheets/sheets_csv.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace cptsmap {

namespace {

constexpr int kMapWidth = 640;
constexpr int kMapHeight = 420;

const char* kStyle = R"(<style>
body{font-family:"DejaVu Sans",Verdana,sans-serif;font-size:11pt;color:#202020;margin:1.5em;}
h1{font-size:18pt;margin:0 0 .3em}h2{font-size:13pt;margin:1.2em 0 .4em;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}.summary{font-size:9pt}.summary td:first-child,.summary td.band{white-space:nowrap}.figures td:first-child{font-weight:bold}.anomaly{color:#a00}.muted{color:#666}
ul.communes{columns:3;font-size:9pt;padding-left:1.2em}svg{border:1px solid #ccc;background:#fafafa}
@page{size:A4;margin:12mm}@media print{body{margin:0}.page{page-break-after:always}a{color:inherit;text-decoration:none}}
</style>)";

std::string esc(const std::string& s) { return xml_escape(s); }

std::string page_head(const std::string& title)
{
    return "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n" + kStyle + "</head>\n<body>\n";
}

std::string territory_name(const BuildResult& r, std::size_t t) { return r.resolution.territories[t].name; }

std::string link_to(const BuildResult& r, std::size_t t)
{
    return "<a href=\"" + sheet_file_name(r.resolution.territories[t].id) + "\">" + esc(territory_name(r, t)) + "</a>";
}

std::string communes_html(const BuildResult& r, const CommuneSet& communes) { return esc(commune_list_text(r.layer, communes)); }

// The territory (or, for `focus` = npos, every territory) drawn from the data: its communes filled
// with its colour, the territories around in grey, enclaves hatched.
std::string map_svg(const BuildResult& r, std::size_t focus, const GeosContext& geos)
{
    const std::size_t n = r.resolution.territories.size();
    const bool all = focus >= n;
    // The overview of several deliveries (France entière): the first's territories in the frame,
    // each other delivery's in an inset along the bottom, at its own scale.
    const std::size_t deliveries = all ? std::max<std::size_t>(r.layer.deliveries.size(), 1) : 1;
    const auto delivery = [&](std::size_t t) { return deliveries > 1 ? delivery_of(r.layer, r.resolution.territories[t].communes) : 0U; };
    std::vector<SvgExtent> extents(deliveries);
    for (std::size_t t = 0; t < n; ++t)
        if (all || t == focus) extents[delivery(t)].add(geos, r.assembly.territories[t].geometry.get());
    std::vector<std::size_t> shown; // the deliveries with territories, the first always
    for (std::size_t k = 0; k < deliveries; ++k)
        if (k == 0 || !extents[k].empty()) shown.push_back(k);
    const double inset_h = shown.size() > 1 ? std::floor(kMapHeight * 0.25) : 0.0;
    const double inset_w = shown.size() > 1 ? kMapWidth / static_cast<double>(shown.size() - 1) : 0.0;
    std::vector<SvgProjection> projections(deliveries);
    for (std::size_t j = 0; j < shown.size(); ++j) {
        SvgExtent& e = extents[shown[j]];
        if (e.empty()) e = SvgExtent{0, 0, 1, 1};
        const double pad = std::max(e.max_x - e.min_x, e.max_y - e.min_y) * 0.04;
        e.min_x -= pad, e.min_y -= pad, e.max_x += pad, e.max_y += pad;
        projections[shown[j]] = j == 0 ? SvgProjection::fit(e, 0, 0, kMapWidth, kMapHeight - inset_h)
                                       : SvgProjection::fit(e, inset_w * static_cast<double>(j - 1) + 4, kMapHeight - inset_h + 4, inset_w - 8, inset_h - 8);
    }
    const SvgProjection& p = projections[0];
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kMapWidth << "\" height=\"" << kMapHeight << "\" viewBox=\"0 0 " << kMapWidth
      << " " << kMapHeight << "\" role=\"img\">\n<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
      << "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" << kGapColour.hex()
      << "\" stroke-width=\"2\"/></pattern></defs>\n";
    for (std::size_t t = 0; t < n; ++t) {
        if (!all && t == focus) continue;
        SvgExtent te;
        te.add(geos, r.assembly.territories[t].geometry.get());
        const SvgExtent& frame = extents[delivery(t)];
        if (te.empty() || te.min_x > frame.max_x || te.max_x < frame.min_x || te.min_y > frame.max_y || te.max_y < frame.min_y) continue; // off the map
        const std::string d = svg_path_data(geos, r.assembly.territories[t].geometry.get(), projections[delivery(t)]);
        if (d.empty()) continue;
        s << "<path d=\"" << d << "\" fill=\"" << (all ? territory_colour(t).hex() : "#dddddd") << "\" fill-opacity=\"" << (all ? "0.6" : "1")
          << "\" fill-rule=\"evenodd\" stroke=\"#888\" stroke-width=\"0.8\" data-territory=\"" << esc(r.resolution.territories[t].id) << "\"/>\n";
    }
    if (!all) {
        for (CommuneIndex i : r.resolution.territories[focus].communes) {
            const std::string d = svg_path_data(geos, r.layer[i].geometry.get(), p);
            if (!d.empty())
                s << "<path d=\"" << d << "\" fill=\"" << territory_colour(focus).hex() << "\" fill-opacity=\"0.55\" fill-rule=\"evenodd\" "
                  << "stroke=\"#fff\" stroke-width=\"0.5\" data-insee=\"" << r.layer[i].insee << "\"/>\n";
        }
        for (const auto& enclave : r.figures.territories[focus].enclaves)
            for (CommuneIndex i : enclave.communes)
                s << "<path d=\"" << svg_path_data(geos, r.layer[i].geometry.get(), p) << "\" fill=\"url(#hatch)\" stroke=\"" << kGapColour.hex()
                  << "\" stroke-width=\"1\" data-enclave=\"" << r.layer[i].insee << "\"/>\n";
        s << "<path d=\"" << svg_path_data(geos, r.assembly.territories[focus].geometry.get(), p)
          << "\" fill=\"none\" fill-rule=\"evenodd\" stroke=\"#202020\" stroke-width=\"1.6\" data-territory=\"" << esc(r.resolution.territories[focus].id)
          << "\"/>\n";
    }
    for (std::size_t j = 1; j < shown.size(); ++j) {
        const Delivery& d = r.layer.deliveries[shown[j]];
        const std::string name = departement_name(d.name).empty() ? d.name : departement_name(d.name);
        s << "<rect x=\"" << svg_number(inset_w * static_cast<double>(j - 1) + 1) << "\" y=\"" << svg_number(kMapHeight - inset_h) << "\" width=\""
          << svg_number(inset_w - 2) << "\" height=\"" << svg_number(inset_h - 1) << "\" fill=\"none\" stroke=\"#999\" data-delivery=\"" << esc(d.name)
          << "\"/><text x=\"" << svg_number(inset_w * static_cast<double>(j - 1) + 5) << "\" y=\"" << svg_number(kMapHeight - 5)
          << "\" font-size=\"10\">" << esc(name) << "</text>\n";
    }
    s << "</svg>\n";
    return s.str();
}

std::string figures_table(const BuildResult& r, std::size_t t)
{
    const TerritoryFigures& f = r.figures.territories[t];
    std::ostringstream s;
    s << "<table class=\"figures\">\n"
      << "<tr><td>Communes</td><td class=\"n\" data-figure=\"communes\">" << f.communes << "</td></tr>\n"
      << "<tr><td>Population</td><td class=\"n\" data-figure=\"population\">" << thousands(f.population) << "</td></tr>\n"
      << "<tr><td>Area</td><td class=\"n\">" << fixed_decimals(f.area_m2 / 1e6, 1) << " km²</td></tr>\n"
      << "<tr><td>Density</td><td class=\"n\">" << fixed_decimals(f.density_per_km2, 1) << " inh./km²</td></tr>\n"
      << "<tr><td>Parts</td><td class=\"n\">" << r.assembly.territories[t].parts << "</td></tr>\n"
      << "<tr><td>Funding band</td><td class=\"n\" data-figure=\"funding\">" << esc(f.band.label()) << " inhabitants: "
      << thousands(f.band.annual_amount_eur) << " € a year</td></tr>\n</table>\n";
    s << "<h2>Share of each département's population</h2>\n<table><tr><th>Département</th><th class=\"n\">communes</th>"
      << "<th class=\"n\">inhabitants</th><th class=\"n\">of</th><th class=\"n\">share</th></tr>\n";
    for (const auto& d : f.departements)
        s << "<tr><td>" << esc(d.departement + " " + departement_name(d.departement)) << "</td><td class=\"n\">" << d.communes << "</td><td class=\"n\">"
          << thousands(d.population) << "</td><td class=\"n\">" << thousands(d.departement_population) << "</td><td class=\"n\">"
          << fixed_decimals(d.share_pct, 1) << " %</td></tr>\n";
    s << "</table>\n<h2>EPCI</h2>\n<ul>\n";
    for (const auto& e : f.epcis)
        s << "<li>" << esc(epci_share_text(e)) << " <span class=\"muted\">(" << (e.whole() ? "whole" : "in part") << ")</span></li>\n";
    s << "</ul>\n<h2>Neighbours</h2>\n<p>";
    if (f.neighbours.empty()) s << "none";
    for (std::size_t k = 0; k < f.neighbours.size(); ++k)
        s << (k ? ", " : "") << link_to(r, f.neighbours[k].territory) << " (" << fixed_decimals(f.neighbours[k].shared_border_m / 1e3, 1) << " km)";
    s << "</p>\n<h2>Anomalies</h2>\n<ul>\n";
    const std::size_t before = s.tellp();
    for (const auto& d : f.detached_parts)
        s << "<li class=\"anomaly\">Detached part of " << fixed_decimals(d.area_m2 / 1e6, 1) << " km²: " << communes_html(r, d.communes) << "</li>\n";
    for (const auto& e : f.enclaves) {
        s << "<li class=\"anomaly\">Enclave of " << fixed_decimals(e.area_m2 / 1e6, 1) << " km²: ";
        for (std::size_t k = 0; k < e.communes.size(); ++k) {
            s << (k ? ", " : "") << esc(r.layer[e.communes[k]].name) << " (" << r.layer[e.communes[k]].insee << "), ";
            if (e.claimed_by[k].empty()) s << "in no territory";
            for (std::size_t c = 0; c < e.claimed_by[k].size(); ++c) s << (c ? ", " : "claimed by ") << link_to(r, e.claimed_by[k][c]);
        }
        if (e.communes.empty()) s << "no commune of the layer";
        s << "</li>\n";
    }
    for (const auto& sh : f.shared) {
        s << "<li class=\"anomaly\">" << esc(r.layer[sh.commune].name) << " (" << r.layer[sh.commune].insee << ") is also claimed by ";
        for (std::size_t c = 0; c < sh.others.size(); ++c) s << (c ? ", " : "") << link_to(r, sh.others[c]);
        s << "</li>\n";
    }
    if (static_cast<std::size_t>(s.tellp()) == before) s << "<li>none</li>\n";
    s << "</ul>\n";
    return s.str();
}

} // namespace

std::string render_territory_sheet(const BuildResult& r, std::size_t t, const GeosContext& geos)
{
    const auto& def = r.resolution.territories[t];
    std::ostringstream s;
    s << page_head(def.name) << "<div class=\"page\" data-territory=\"" << esc(def.id) << "\">\n<p class=\"muted\"><a href=\"sheets.html\">Summary</a></p>\n"
      << "<h1>" << esc(def.name) << "</h1>\n<p class=\"muted\">" << esc(def.id) << "</p>\n" << map_svg(r, t, geos) << figures_table(r, t)
      << "<h2>Communes (" << def.communes.size() << ")</h2>\n<ul class=\"communes\">\n";
    CommuneSet by_code = def.communes;
    std::sort(by_code.begin(), by_code.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    for (CommuneIndex i : by_code)
        s << "<li>" << r.layer[i].insee << " " << esc(r.layer[i].name) << " <span class=\"muted\">" << thousands(r.layer[i].population) << "</span></li>\n";
    s << "</ul>\n</div>\n</body></html>\n";
    return s.str();
}

std::string render_summary_sheet(const BuildResult& r, const GeosContext& geos)
{
    constexpr std::size_t kUncoveredShown = 25;
    std::ostringstream s;
    const auto& sa = r.coverage.study_area;
    s << page_head("CPTS territories: summary") << "<div class=\"page\">\n<h1>CPTS territories: summary</h1>\n" << map_svg(r, static_cast<std::size_t>(-1), geos)
      << "<h2>Territories</h2>\n<table class=\"summary\"><tr><th>Territory</th><th class=\"n\">communes</th><th class=\"n\">population</th><th class=\"n\">km²</th>"
      << "<th class=\"n\">inh./km²</th><th>share of département</th><th>funding band</th><th class=\"n\">€ a year</th><th class=\"n\">anomalies</th></tr>\n";
    for (std::size_t t = 0; t < r.figures.territories.size(); ++t) {
        const TerritoryFigures& f = r.figures.territories[t];
        std::string shares;
        for (const auto& d : f.departements) shares += (shares.empty() ? "" : "<br>") + esc(departement_share_text(d));
        s << "<tr data-territory=\"" << esc(r.resolution.territories[t].id) << "\"><td>" << link_to(r, t) << "</td><td class=\"n\">" << f.communes
          << "</td><td class=\"n\">" << thousands(f.population) << "</td><td class=\"n\">" << fixed_decimals(f.area_m2 / 1e6, 1) << "</td><td class=\"n\">"
          << fixed_decimals(f.density_per_km2, 1) << "</td><td>" << shares << "</td><td class=\"band\">" << esc(f.band.label()) << "</td><td class=\"n\">"
          << thousands(f.band.annual_amount_eur) << "</td><td class=\"n\">" << f.detached_parts.size() + f.enclaves.size() + f.shared.size() << "</td></tr>\n";
    }
    s << "</table>\n<h2>Study area</h2>\n<p>" << thousands(static_cast<std::int64_t>(sa.communes)) << " communes, " << thousands(sa.population)
      << " inhabitants; covered: " << thousands(sa.covered_population) << " inhabitants (" << fixed_decimals(sa.coverage_pct, 1) << " %).</p>\n"
      << "<table><tr><th>Département</th><th class=\"n\">inhabitants</th><th class=\"n\">covered</th><th class=\"n\">%</th></tr>\n";
    for (const auto& d : r.coverage.by_departement)
        s << "<tr><td>" << esc(d.departement + " " + departement_name(d.departement)) << "</td><td class=\"n\">" << thousands(d.population)
          << "</td><td class=\"n\">" << thousands(d.covered_population) << "</td><td class=\"n\">" << fixed_decimals(d.coverage_pct, 1) << " %</td></tr>\n";
    const auto& ranked = r.figures.study_area.uncovered_ranked;
    s << "</table>\n<h2>Largest uncovered communes</h2>\n<p class=\"muted\">" << ranked.size() << " uncovered communes"
      << (ranked.size() > kUncoveredShown ? "; the first " + std::to_string(kUncoveredShown) + " (all in uncovered.csv)" : std::string()) << "</p>\n"
      << "<table><tr><th class=\"n\">#</th><th>commune</th><th class=\"n\">inhabitants</th></tr>\n";
    for (std::size_t k = 0; k < ranked.size() && k < kUncoveredShown; ++k)
        s << "<tr><td class=\"n\">" << k + 1 << "</td><td>" << esc(r.layer[ranked[k]].name) << " (" << r.layer[ranked[k]].insee << ")</td><td class=\"n\">"
          << thousands(r.layer[ranked[k]].population) << "</td></tr>\n";
    s << "</table>\n<h2>Largest uncovered zones</h2>\n<table><tr><th>zone</th><th class=\"n\">communes</th><th class=\"n\">km²</th><th class=\"n\">inhabitants</th></tr>\n";
    for (const auto& z : r.figures.study_area.largest_zones)
        s << "<tr><td>" << z.id << "</td><td class=\"n\">" << z.communes << "</td><td class=\"n\">" << fixed_decimals(z.area_m2 / 1e6, 1)
          << "</td><td class=\"n\">" << thousands(z.population) << "</td></tr>\n";
    s << "</table>\n<h2>Funding bands</h2>\n<p class=\"muted\">" << esc(r.figures.bands.source == "default" ? "the agreement's bands (data/aci-bands.csv)" : r.figures.bands.source)
      << "</p>\n<table>\n";
    for (const auto& b : r.figures.bands.bands)
        s << "<tr><td>" << esc(b.label()) << " inhabitants</td><td class=\"n\">" << thousands(b.annual_amount_eur) << " € a year</td></tr>\n";
    s << "</table>\n</div>\n</body></html>\n";
    return s.str();
}

namespace {
// `at(k)`: "file:line:column: " of the k-th id, or "".
template <class At>
void check_sheet_ids(const std::vector<std::string>& ids, const At& at)
{
    std::map<std::string, std::string> files; // sheet file → territory id
    for (std::size_t k = 0; k < ids.size(); ++k) {
        const std::string& id = ids[k];
        if (id.size() > kMaxSheetIdBytes) {
            throw DefinitionError(at(k) + "territory id \"" + id.substr(0, 40) + "...\" is " + std::to_string(id.size()) +
                                  " bytes long, too long for the file name of its sheet (--sheets writes sheet-<id>.html, and a file name has at most 255 "
                                  "bytes); give it an id of at most " + std::to_string(kMaxSheetIdBytes) + " ASCII characters and keep the long text as its name");
        }
        const auto [it, fresh] = files.emplace(sheet_file_name(id), id);
        if (!fresh)
            throw DefinitionError(at(k) + "territories \"" + it->second + "\" and \"" + id + "\" would both have the sheet " + it->first +
                                  "; give one of them an id that differs in letters, digits, '-' or '_'");
    }
}
} // namespace

void check_sheet_file_names(const Definitions& definitions)
{
    std::vector<std::string> ids;
    for (const TerritoryDef& t : definitions.territories) ids.push_back(t.id);
    check_sheet_ids(ids, [&](std::size_t k) { return definitions.territories[k].pos.str() + ": "; });
}

void write_sheets(const BuildResult& r, OutputDir& out, const GeosContext& geos)
{
    std::vector<std::string> ids;
    for (const auto& t : r.resolution.territories) ids.push_back(t.id);
    check_sheet_ids(ids, [](std::size_t) { return std::string(); });
    write_text_file(out.staged("sheets.html").string(), render_summary_sheet(r, geos));
    for (std::size_t t = 0; t < r.resolution.territories.size(); ++t)
        write_text_file(out.staged(sheet_file_name(r.resolution.territories[t].id)).string(), render_territory_sheet(r, t, geos));
    write_sheets_csv(r, out.staged("sheets.csv").string());
    write_uncovered_csv(r, out.staged("uncovered.csv").string());
}

} // namespace cptsmap
