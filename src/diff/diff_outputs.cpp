#include "cptsmap/diff/diff_outputs.hpp"

#include "cptsmap/diff/diff_html.hpp"
#include "cptsmap/export/csv.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/export/json_stream.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/png_render.hpp"
#include "cptsmap/map/svg_path.hpp"
#include "cptsmap/names/departements.hpp"
#include "cptsmap/result/figure_text.hpp"

#include <cmath>
#include <sstream>

namespace cptsmap {

namespace {

std::vector<std::string> codes_of(const CommuneLayer& layer, const CommuneSet& s)
{
    std::vector<std::string> out;
    for (CommuneIndex i : s) out.push_back(layer[i].insee);
    return out;
}

void write_stats(JsonStream& j, const PopulationStats& s)
{
    j.begin_object();
    j.key("communes").value(s.communes);
    j.key("population").value(s.population);
    j.key("covered_communes").value(s.covered_communes);
    j.key("covered_population").value(s.covered_population);
    j.key("coverage_pct").value(round_to(s.coverage_pct, 4));
    j.end_object();
}

} // namespace

std::string joined(const std::vector<std::string>& ids)
{
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
    return out;
}

Rgb change_colour(ChangeKind k)
{
    switch (k) {
    case ChangeKind::Joined: return {26, 152, 80};           // green: covered now
    case ChangeKind::Moved: return {44, 123, 182};           // blue
    case ChangeKind::Left: return {150, 150, 150};           // grey: outside the study area now
    case ChangeKind::BecameGap: return kGapColour;           // red, as gaps on map.svg
    case ChangeKind::BecameOverlap: return kOverlapColour;   // purple, as overlaps
    case ChangeKind::ResolvedOverlap: return {253, 174, 97}; // orange
    case ChangeKind::Changed: return {230, 171, 2};
    }
    return {0, 0, 0};
}

std::vector<char> diff_map_communes(const CommuneLayer& layer, const TerritoryDiff& diff)
{
    std::vector<char> drawn(layer.size(), 0);
    for (const auto& d : diff.departements)
        for (CommuneIndex i : layer.in_departement(d.departement)) drawn[i] = 1;
    for (const CommuneChange& c : diff.communes) drawn[c.commune] = 1;
    return drawn;
}

std::string diff_json(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff)
{
    std::string out;
    JsonStream j(out);
    j.begin_object();
    j.key("before").value(before.source);
    j.key("after").value(after.source);
    j.key("changes").begin_object();
    j.key("communes").value(diff.communes.size());
    for (ChangeKind k : kChangeKinds) j.key(to_string(k)).value(diff.count(k));
    j.end_object();
    j.key("communes").begin_array();
    for (const CommuneChange& c : diff.communes) {
        j.begin_object();
        j.key("insee").value(layer[c.commune].insee);
        j.key("nom").value(layer[c.commune].name);
        j.key("population").value(layer[c.commune].population);
        j.key("change").value(to_string(c.kind));
        j.key("before").value(c.before);
        j.key("after").value(c.after);
        j.key("status_before").value(to_string(c.status_before));
        j.key("status_after").value(to_string(c.status_after));
        j.end_object();
    }
    j.end_array();
    j.key("territories").begin_array();
    for (const TerritoryChange& t : diff.territories) {
        j.begin_object();
        j.key("id").value(t.id);
        j.key("name").value(t.name);
        j.key("in_before").value(t.before);
        j.key("in_after").value(t.after);
        j.key("communes_before").value(t.communes_before);
        j.key("communes_after").value(t.communes_after);
        j.key("population_before").value(t.population_before);
        j.key("population_after").value(t.population_after);
        j.key("area_km2_before").value(round_to(t.area_before_m2 / 1e6, 6));
        j.key("area_km2_after").value(round_to(t.area_after_m2 / 1e6, 6));
        j.key("gained").value(codes_of(layer, t.gained));
        j.key("lost").value(codes_of(layer, t.lost));
        j.end_object();
    }
    j.end_array();
    j.key("study_area").begin_object();
    write_stats(j.key("before"), diff.study_area.before);
    write_stats(j.key("after"), diff.study_area.after);
    j.end_object();
    j.key("by_departement").begin_array();
    for (const CoverageChange& d : diff.departements) {
        j.begin_object();
        j.key("departement").value(d.departement);
        j.key("name").value(departement_name(d.departement));
        write_stats(j.key("before"), d.before);
        write_stats(j.key("after"), d.after);
        j.end_object();
    }
    j.end_array();
    std::vector<std::string> mappings = before.mappings;
    mappings.insert(mappings.end(), after.mappings.begin(), after.mappings.end());
    j.key("history_mappings").value(mappings);
    j.end_object();
    out += '\n';
    return out;
}

std::string diff_summary(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff)
{
    std::ostringstream s;
    s << "before: " << before.source << "\nafter:  " << after.source << "\n\n";
    s << diff.communes.size() << " commune" << (diff.communes.size() == 1 ? "" : "s") << " changed:";
    bool first = true;
    for (ChangeKind k : kChangeKinds) {
        if (diff.count(k) == 0) continue;
        s << (first ? " " : ", ") << diff.count(k) << " " << to_string(k);
        first = false;
    }
    s << "\n";
    const std::size_t carried = before.mappings.size() + after.mappings.size();
    if (carried > 0) {
        const std::string& first = before.mappings.empty() ? after.mappings.front() : before.mappings.front();
        s << carried << " code" << (carried == 1 ? "" : "s") << " of another COG year carried to the layer's communes through the history, "
          << "not counted as changes (e.g. " << first << "; all in diff.json's history_mappings)\n";
    }
    for (const CommuneChange& c : diff.communes) {
        if (&c - diff.communes.data() >= 20) {
            s << "  ... " << diff.communes.size() - 20 << " more in changes.csv\n";
            break;
        }
        s << "  " << layer[c.commune].insee << " " << layer[c.commune].name << ": " << to_string(c.kind) << " ("
          << (c.before.empty() ? "none" : joined(c.before)) << " → " << (c.after.empty() ? "none" : joined(c.after)) << ")\n";
    }
    s << "\nterritory                  communes     population (before → after)\n";
    for (const TerritoryChange& t : diff.territories) {
        if (t.gained.empty() && t.lost.empty() && t.before && t.after) continue;
        std::string line = "  " + t.id;
        if (line.size() < 27) line.resize(27, ' ');
        s << line << t.communes_before << " → " << t.communes_after << "   " << thousands(t.population_before) << " → "
          << thousands(t.population_after) << (!t.before ? "  (new)" : !t.after ? "  (removed)" : "") << "\n";
    }
    const auto pct = [](double v) { return fixed_decimals(v, 1) + " %"; };
    s << "\ncoverage of the study area: " << pct(diff.study_area.before.coverage_pct) << " → " << pct(diff.study_area.after.coverage_pct)
      << " of the population (" << thousands(diff.study_area.before.covered_population) << " → "
      << thousands(diff.study_area.after.covered_population) << " inhabitants)\n";
    if (diff.departements.size() > 1)
        for (const CoverageChange& d : diff.departements)
            s << "  " << d.departement << " " << departement_name(d.departement) << ": " << pct(d.before.coverage_pct) << " → "
              << pct(d.after.coverage_pct) << "\n";
    return s.str();
}

std::string render_diff_svg(const CommuneLayer& layer, const TerritoryDiff& diff, const GeosContext& geos)
{
    constexpr int kWidth = 1200, kHeight = 900, kLegend = 300, kMargin = 20, kTitle = 60;
    const std::vector<char> drawn = diff_map_communes(layer, diff);
    SvgExtent e;
    for (CommuneIndex i = 0; i < layer.size(); ++i)
        if (drawn[i] != 0) e.add(geos, layer[i].geometry.get());
    if (e.empty()) e = SvgExtent{0, 0, 1, 1};
    const SvgProjection p = SvgProjection::fit(e, kMargin, kTitle + kMargin, kWidth - kLegend - 2 * kMargin, kHeight - kTitle - 2 * kMargin);
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      << "<text x=\"" << kMargin << "\" y=\"32\" font-size=\"22\" font-weight=\"bold\" fill=\"#202020\">What changed</text>\n"
      << "<text x=\"" << kMargin << "\" y=\"54\" font-size=\"14\" fill=\"#404040\">" << diff.communes.size() << " communes changed; coverage "
      << fixed_decimals(diff.study_area.before.coverage_pct, 1) << " % → " << fixed_decimals(diff.study_area.after.coverage_pct, 1)
      << " % of the population</text>\n";
    s << "<g id=\"communes\" fill=\"#fafafa\" stroke=\"" << kCommuneOutline.hex() << "\" stroke-width=\"0.3\" fill-rule=\"evenodd\">\n";
    for (CommuneIndex i = 0; i < layer.size(); ++i) {
        if (drawn[i] == 0) continue;
        const std::string d = svg_path_data(geos, layer[i].geometry.get(), p);
        if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
    }
    s << "</g>\n<g id=\"changes\" fill-rule=\"evenodd\" stroke=\"#202020\" stroke-width=\"0.6\">\n";
    for (const CommuneChange& c : diff.communes) {
        const std::string d = svg_path_data(geos, layer[c.commune].geometry.get(), p);
        if (!d.empty())
            s << "<path data-insee=\"" << layer[c.commune].insee << "\" data-change=\"" << xml_escape(to_string(c.kind)) << "\" fill=\""
              << change_colour(c.kind).hex() << "\" fill-opacity=\"0.8\" d=\"" << d << "\"/>\n";
    }
    s << "</g>\n<g id=\"legend\" font-size=\"13\" fill=\"#202020\">\n";
    const int lx = kWidth - kLegend + 10;
    int ly = kTitle + kMargin + 10;
    s << "<text x=\"" << lx << "\" y=\"" << ly << "\" font-weight=\"bold\">Changes</text>\n";
    ly += 12;
    for (ChangeKind k : kChangeKinds) {
        if (diff.count(k) == 0) continue;
        s << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"22\" height=\"14\" fill=\"" << change_colour(k).hex() << "\" fill-opacity=\"0.8\" stroke=\"#202020\"/>"
          << "<text x=\"" << lx + 30 << "\" y=\"" << ly + 12 << "\">" << xml_escape(to_string(k)) << ": " << diff.count(k) << "</text>\n";
        ly += 22;
    }
    s << "</g>\n";
    // Scale bar: a round length near a fifth of the map's width.
    const double target = (e.max_x - e.min_x) / 5, magnitude = std::pow(10.0, std::floor(std::log10(std::max(target, 1.0))));
    double metres = magnitude;
    for (double step : {5.0, 2.0, 1.0})
        if (step * magnitude <= target) {
            metres = step * magnitude;
            break;
        }
    const double px = metres * p.scale;
    s << "<g id=\"scale-bar\" font-size=\"12\" fill=\"#202020\"><rect x=\"" << kMargin << "\" y=\"" << kHeight - kMargin - 6 << "\" width=\""
      << svg_number(px) << "\" height=\"6\" fill=\"#202020\"/><text x=\"" << kMargin << "\" y=\"" << kHeight - kMargin - 10 << "\">"
      << svg_number(metres / 1000, metres < 1000 ? 1 : 0) << " km</text></g>\n</svg>\n";
    return s.str();
}

void write_diff(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff,
                const std::string& out_dir, const GeosContext& geos, const DiffOutputOptions& options)
{
    OutputDir out(out_dir, OutputDirOptions{options.overwrite});
    {
        CsvFile csv(out.staged("changes.csv").string());
        csv.row({"insee", "nom", "population", "change", "before", "after", "status_before", "status_after"});
        for (const CommuneChange& c : diff.communes)
            csv.row({layer[c.commune].insee, layer[c.commune].name, std::to_string(layer[c.commune].population), to_string(c.kind), joined(c.before),
                     joined(c.after), to_string(c.status_before), to_string(c.status_after)});
        csv.close();
    }
    {
        CsvFile csv(out.staged("territory_changes.csv").string());
        csv.row({"id", "name", "in_before", "in_after", "communes_before", "communes_after", "population_before", "population_after",
                 "area_km2_before", "area_km2_after", "gained", "lost"});
        for (const TerritoryChange& t : diff.territories)
            csv.row({t.id, t.name, t.before ? "yes" : "no", t.after ? "yes" : "no", std::to_string(t.communes_before), std::to_string(t.communes_after),
                     std::to_string(t.population_before), std::to_string(t.population_after), fixed_decimals(t.area_before_m2 / 1e6, 3),
                     fixed_decimals(t.area_after_m2 / 1e6, 3), joined(codes_of(layer, t.gained)), joined(codes_of(layer, t.lost))});
        csv.close();
    }
    {
        GeoJsonWriter w(out.staged("changes.geojson").string(), "changes",
                        {{"insee"}, {"nom"}, {"population", FieldKind::Integer}, {"change"}, {"before"}, {"after"}, {"status_before"}, {"status_after"}},
                        delivery_crs(layer), geos);
        for (const CommuneChange& c : diff.communes)
            w.add({layer[c.commune].insee, layer[c.commune].name, layer[c.commune].population, std::string(to_string(c.kind)), joined(c.before),
                   joined(c.after), std::string(to_string(c.status_before)), std::string(to_string(c.status_after))},
                  layer[c.commune].geometry.get(), layer[c.commune].delivery);
        w.close();
    }
    write_text_file(out.staged("diff.json"), diff_json(layer, before, after, diff));
    if (options.map) {
        const std::string svg = render_diff_svg(layer, diff, geos);
        write_text_file(out.staged("diff.svg"), svg);
        write_png_from_svg(svg, 1.5, out.staged("diff.png").string());
        write_text_file(out.staged("diff.html"), render_diff_html(layer, before, after, diff, geos));
    }
    out.commit();
}

} // namespace cptsmap
