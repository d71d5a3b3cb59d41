#include "cptsmap/timeline/coverage_timeline.hpp"

#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/csv.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/svg_path.hpp"
#include "cptsmap/names/departements.hpp"
#include "cptsmap/resolve/resolver.hpp"
#include "cptsmap/result/figure_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace cptsmap {

namespace {

std::string where(const std::string& path, const toml::node& n)
{
    return path + ":" + std::to_string(n.source().begin.line) + ":" + std::to_string(n.source().begin.column);
}

// "YYYY-MM-DD", checked; TOML dates are accepted as well as strings.
std::string date_of(const toml::node& n, const std::string& path)
{
    std::string text;
    if (const auto* d = n.as_date()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d->get().year), static_cast<int>(d->get().month), static_cast<int>(d->get().day));
        text = buf;
    } else if (const auto* s = n.as_string()) {
        text = s->get();
    }
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        !std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)), std::chrono::day(static_cast<unsigned>(d))).ok()) {
        throw DefinitionError(where(path, n) + ": \"" + text + "\" is not a date; write it YYYY-MM-DD, e.g. \"2021-09-16\"");
    }
    return text;
}

std::string path_beside(const std::string& timeline, const std::string& file)
{
    const std::filesystem::path p = file;
    return p.is_absolute() ? file : (std::filesystem::path(timeline).parent_path() / p).string();
}

TimelinePoint point_of(const std::string& date, const CommuneLayer& layer, const Resolution& all, const std::vector<std::size_t>& in_force)
{
    Resolution r;
    r.study_area = all.study_area;
    r.study_area_defined = all.study_area_defined;
    TimelinePoint p;
    p.date = date;
    for (std::size_t t : in_force) {
        r.territories.push_back(all.territories[t]);
        p.territories.push_back(all.territories[t].id);
        p.names.push_back(all.territories[t].name);
    }
    p.coverage = compute_coverage(layer, r);
    p.study_area_communes = r.study_area;
    p.study_area = p.coverage.study_area;
    p.by_departement = p.coverage.by_departement;
    return p;
}

} // namespace

CoverageTimeline coverage_timeline(const std::string& path, const CommuneLayer& layer, const CommuneHistory* history)
{
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw DefinitionError(path + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) +
                              ": TOML syntax error: " + std::string(e.description()));
    }
    CoverageTimeline out;
    out.source = path;
    const auto resolve = [&](const std::string& file) {
        Resolver resolver(layer, history);
        Resolution r = resolver.resolve(load_definitions(file));
        out.warnings.insert(out.warnings.end(), r.warnings.begin(), r.warnings.end());
        return r;
    };
    if (const toml::node* d = root.get("definitions")) {
        // One definitions file and each territory's founding date.
        if (!d->is_string()) throw DefinitionError(where(path, *d) + ": definitions must be a file name in quotes");
        const Resolution all = resolve(path_beside(path, d->as_string()->get()));
        const toml::table* founded = root["founded"].as_table();
        if (founded == nullptr) throw DefinitionError(path + ": no [founded] table: give the date each territory was founded, \"id\" = \"YYYY-MM-DD\"");
        std::map<std::string, std::vector<std::size_t>> by_date;
        std::set<std::string> dated;
        for (const auto& [key, node] : *founded) {
            const std::string id(key.str());
            const auto it = std::find_if(all.territories.begin(), all.territories.end(), [&](const ResolvedTerritory& t) { return t.id == id; });
            if (it == all.territories.end()) throw DefinitionError(where(path, node) + ": no territory \"" + id + "\" in " + d->as_string()->get());
            by_date[date_of(node, path)].push_back(static_cast<std::size_t>(it - all.territories.begin()));
            dated.insert(id);
        }
        for (const ResolvedTerritory& t : all.territories)
            if (dated.count(t.id) == 0) out.warnings.push_back(path + ": territory \"" + t.id + "\" has no date in [founded]; left out of the timeline");
        std::vector<std::size_t> in_force;
        for (const auto& [date, territories] : by_date) {
            in_force.insert(in_force.end(), territories.begin(), territories.end());
            std::sort(in_force.begin(), in_force.end());
            out.points.push_back(point_of(date, layer, all, in_force));
        }
    } else if (const toml::array* versions = root["version"].as_array()) {
        for (const toml::node& v : *versions) {
            const toml::table* t = v.as_table();
            if (t == nullptr || !t->contains("date") || !(*t)["definitions"].is_string())
                throw DefinitionError(where(path, v) + ": each [[version]] needs date = \"YYYY-MM-DD\" and definitions = \"file.toml\"");
            const Resolution r = resolve(path_beside(path, (*t)["definitions"].as_string()->get()));
            std::vector<std::size_t> every(r.territories.size());
            for (std::size_t k = 0; k < every.size(); ++k) every[k] = k;
            out.points.push_back(point_of(date_of(*t->get("date"), path), layer, r, every));
        }
        std::stable_sort(out.points.begin(), out.points.end(), [](const TimelinePoint& a, const TimelinePoint& b) { return a.date < b.date; });
    } else {
        throw DefinitionError(path + ": neither definitions = \"...\" with [founded], nor [[version]] entries; see cptsmap timeline --help");
    }
    if (out.points.empty()) throw DefinitionError(path + ": no dated territory or version");
    return out;
}

std::string timeline_csv(const CoverageTimeline& t)
{
    std::string out = csv_line({"date", "departement", "name", "territories", "communes", "population", "covered_communes", "covered_population",
                                "coverage_pct"});
    for (const TimelinePoint& p : t.points) {
        std::string ids;
        for (const auto& id : p.territories) ids += (ids.empty() ? "" : ",") + id;
        const auto row = [&](const PopulationStats& s, const std::string& dep, const std::string& name) {
            out += csv_line({p.date, dep, name, ids, std::to_string(s.communes), std::to_string(s.population), std::to_string(s.covered_communes),
                             std::to_string(s.covered_population), fixed_decimals(s.coverage_pct, 4)});
        };
        row(p.study_area, "", "study area");
        for (const PopulationStats& d : p.by_departement) row(d, d.departement, departement_name(d.departement));
    }
    return out;
}

std::string render_timeline_svg(const CoverageTimeline& t)
{
    constexpr double kWidth = 900, kHeight = 520, kLeft = 70, kRight = 230, kTop = 60, kBottom = 60;
    // Days since the first date, for the x axis.
    const auto days = [](const std::string& d) {
        const std::chrono::year_month_day ymd(std::chrono::year(std::stoi(d.substr(0, 4))), std::chrono::month(static_cast<unsigned>(std::stoi(d.substr(5, 2)))),
                                              std::chrono::day(static_cast<unsigned>(std::stoi(d.substr(8, 2)))));
        return static_cast<double>(std::chrono::sys_days(ymd).time_since_epoch().count());
    };
    const double d0 = days(t.points.front().date), d1 = std::max(days(t.points.back().date), d0 + 1);
    const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
    const auto x = [&](const std::string& d) { return kLeft + (t.points.size() == 1 ? plot_w / 2 : (days(d) - d0) / (d1 - d0) * plot_w); };
    const auto y = [&](double pct) { return kTop + plot_h * (1.0 - pct / 100.0); };
    // The series: the study area, then each département.
    std::vector<std::pair<std::string, std::string>> series{{"", "Study area"}};
    std::set<std::string> deps;
    for (const TimelinePoint& p : t.points)
        for (const auto& d : p.by_departement) deps.insert(d.departement);
    if (deps.size() > 1)
        for (const std::string& d : deps) series.emplace_back(d, d + " " + departement_name(d));
    const auto value = [](const TimelinePoint& p, const std::string& dep) {
        if (dep.empty()) return p.study_area.coverage_pct;
        for (const auto& d : p.by_departement)
            if (d.departement == dep) return d.coverage_pct;
        return 0.0;
    };
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      << "<text x=\"" << kLeft << "\" y=\"32\" font-size=\"20\" font-weight=\"bold\" fill=\"#202020\">Covered population over time</text>\n";
    s << "<g id=\"axes\" stroke=\"#808080\" stroke-width=\"1\" font-size=\"12\" fill=\"#404040\">\n";
    for (int pct = 0; pct <= 100; pct += 20) {
        s << "<line x1=\"" << kLeft << "\" y1=\"" << svg_number(y(pct)) << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << svg_number(y(pct))
          << "\" stroke=\"#e0e0e0\"/><text x=\"" << kLeft - 8 << "\" y=\"" << svg_number(y(pct) + 4) << "\" text-anchor=\"end\" stroke=\"none\">" << pct
          << " %</text>\n";
    }
    for (const TimelinePoint& p : t.points)
        s << "<text x=\"" << svg_number(x(p.date)) << "\" y=\"" << kTop + plot_h + 20 << "\" text-anchor=\"middle\" stroke=\"none\">" << p.date << "</text>\n";
    s << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + plot_h << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << kTop + plot_h << "\"/>\n</g>\n";
    for (std::size_t k = 0; k < series.size(); ++k) {
        const std::string colour = k == 0 ? "#202020" : territory_colour(k - 1).hex();
        s << "<g data-series=\"" << xml_escape(series[k].first.empty() ? "study area" : series[k].first) << "\" stroke=\"" << colour << "\" fill=\"" << colour
          << "\">\n<polyline fill=\"none\" stroke-width=\"" << (k == 0 ? 3 : 2) << "\" points=\"";
        for (const TimelinePoint& p : t.points) s << svg_number(x(p.date)) << "," << svg_number(y(value(p, series[k].first))) << " ";
        s << "\"/>\n";
        for (const TimelinePoint& p : t.points)
            s << "<circle data-date=\"" << p.date << "\" cx=\"" << svg_number(x(p.date)) << "\" cy=\"" << svg_number(y(value(p, series[k].first)))
              << "\" r=\"4\"><title>" << xml_escape(series[k].second) << ", " << p.date << ": " << fixed_decimals(value(p, series[k].first), 1)
              << " %</title></circle>\n";
        s << "</g>\n";
        s << "<rect x=\"" << kLeft + plot_w + 20 << "\" y=\"" << kTop + 22 * static_cast<double>(k) << "\" width=\"18\" height=\"4\" fill=\"" << colour
          << "\"/><text x=\"" << kLeft + plot_w + 44 << "\" y=\"" << kTop + 22 * static_cast<double>(k) + 6 << "\" font-size=\"13\" fill=\"#202020\">"
          << xml_escape(series[k].second) << "</text>\n";
    }
    // The last value of the study area, written out.
    const double last = t.points.back().study_area.coverage_pct;
    s << "<text x=\"" << svg_number(x(t.points.back().date)) << "\" y=\"" << svg_number(y(last) - 10) << "\" text-anchor=\"end\" font-size=\"13\" "
      << "font-weight=\"bold\" fill=\"#202020\">" << fixed_decimals(last, 1) << " %</text>\n</svg>\n";
    return s.str();
}

} // namespace cptsmap
