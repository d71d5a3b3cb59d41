#include "cptsmap/map/svg_map.hpp"

#include "cptsmap/result/figure_text.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/svg_path.hpp"
#include "cptsmap/names/departements.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace cptsmap {

namespace {

constexpr int kLegendWidth = 300;
constexpr int kTitleHeight = 60;
constexpr int kMargin = 20;

std::string num(double v, int decimals = 1) { return svg_number(v, decimals); }

using Projection = SvgProjection;
using Extent = SvgExtent;

std::string path_data(const GeosContext& geos, const GEOSGeometry* g, const Projection& p) { return svg_path_data(geos, g, p); }

// A round length (1, 2 or 5 × 10^k metres) close to a fifth of the map width.
double scale_bar_metres(double map_width_metres)
{
    const double target = map_width_metres / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
    for (double step : {5.0, 2.0, 1.0})
        if (step * magnitude <= target) return step * magnitude;
    return magnitude;
}

const LayerTable& table_named(const std::vector<LayerTable>& tables, const std::string& name)
{
    for (const auto& t : tables)
        if (t.name == name) return t;
    throw Error("internal error: no " + name + " layer for the map");
}

} // namespace

std::string render_svg_map(const BuildResult& r, const std::vector<LayerTable>& tables, const GeosContext& geos, const MapOptions& o)
{
    const LayerTable& territories = table_named(tables, "territories");
    const LayerTable& communes = table_named(tables, "communes");
    const LayerTable& gaps = table_named(tables, "gaps");
    const LayerTable& overlaps = table_named(tables, "overlaps");
    const LayerTable& study = table_named(tables, "study_area");

    // One extent and projection per delivery: the first (the mainland) in the map frame, each other
    // (an overseas département) in an inset of its own along the bottom, at its own scale, as on
    // French national maps. One delivery: the whole frame.
    const std::size_t deliveries = std::max<std::size_t>(r.layer.deliveries.size(), 1);
    std::vector<Extent> extents(deliveries);
    for (const auto& row : communes.rows) extents.at(row.delivery < deliveries ? row.delivery : 0).add(geos, row.geometry);
    for (Extent& x : extents)
        if (x.empty()) x = Extent{0, 0, 1, 1};
    const Extent& e = extents[0];
    const double frame_w = o.width - kLegendWidth - 2 * kMargin;
    const double frame_h = o.height - kTitleHeight - 2 * kMargin;
    const double inset_h = deliveries > 1 ? std::floor(frame_h * 0.24) : 0.0;
    const double inset_w = deliveries > 1 ? frame_w / static_cast<double>(deliveries - 1) : 0.0;
    std::vector<Projection> projections;
    projections.push_back(Projection::fit(e, kMargin, kTitleHeight + kMargin, frame_w, frame_h - inset_h - (deliveries > 1 ? 30 : 0)));
    for (std::size_t k = 1; k < deliveries; ++k)
        projections.push_back(Projection::fit(extents[k], kMargin + inset_w * static_cast<double>(k - 1) + 6, o.height - kMargin - inset_h + 6,
                                              inset_w - 12, inset_h - 28));
    const Projection& p = projections[0];
    const auto projection = [&](const LayerRow& row) -> const Projection& { return projections.at(row.delivery < deliveries ? row.delivery : 0); };

    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << o.width << "\" height=\"" << o.height << "\" viewBox=\"0 0 " << o.width
      << " " << o.height << "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
      << "<defs>\n"
      << "  <pattern id=\"gap-hatch\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" patternTransform=\"rotate(45)\">"
      << "<rect width=\"7\" height=\"7\" fill=\"" << kGapColour.hex() << "\" fill-opacity=\"0.12\"/>"
      << "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"" << kGapColour.hex() << "\" stroke-width=\"2.5\"/></pattern>\n"
      << "  <pattern id=\"overlap-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
      << "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" << kOverlapColour.hex() << "\" stroke-width=\"1.5\"/>"
      << "<line x1=\"0\" y1=\"0\" x2=\"6\" y2=\"0\" stroke=\"" << kOverlapColour.hex() << "\" stroke-width=\"1.5\"/></pattern>\n";
    const bool shared = !r.coverage.shared.empty(); // drawn only then: maps without shares keep their bytes
    if (shared) {
        s << "  <pattern id=\"shared-dots\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
          << "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"" << kSharedColour.hex() << "\"/></pattern>\n";
    }
    s << "</defs>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";

    // Title and coverage.
    const PopulationStats& sa = r.coverage.study_area;
    s << "<text x=\"" << kMargin << "\" y=\"32\" font-size=\"22\" font-weight=\"bold\" fill=\"#202020\">" << xml_escape(o.title) << "</text>\n"
      << "<text x=\"" << kMargin << "\" y=\"54\" font-size=\"14\" fill=\"#404040\">" << thousands(static_cast<std::int64_t>(sa.covered_communes))
      << " of " << thousands(static_cast<std::int64_t>(sa.communes)) << " communes covered, " << num(sa.coverage_pct, 1)
      << " % of " << thousands(sa.population) << " inhabitants</text>\n";

    // Layers, bottom to top.
    s << "<g id=\"communes\" fill=\"#fafafa\" stroke=\"" << kCommuneOutline.hex() << "\" stroke-width=\"0.3\" fill-rule=\"evenodd\">\n";
    for (const auto& row : communes.rows) {
        const std::string d = path_data(geos, row.geometry, projection(row));
        if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
    }
    s << "</g>\n<g id=\"territories\" fill-rule=\"evenodd\">\n";
    for (std::size_t i = 0; i < territories.rows.size(); ++i) {
        const std::string d = path_data(geos, territories.rows[i].geometry, projection(territories.rows[i]));
        const auto& id = std::get<std::string>(territories.rows[i].values.at(0));
        if (!d.empty())
            s << "<path data-id=\"" << xml_escape(id) << "\" fill=\"" << territory_colour(i).hex() << "\" fill-opacity=\"0.55\" stroke=\""
              << territory_colour(i).hex() << "\" stroke-width=\"1.2\" d=\"" << d << "\"/>\n";
    }
    s << "</g>\n<g id=\"gaps\" fill=\"url(#gap-hatch)\" stroke=\"" << kGapColour.hex() << "\" stroke-width=\"1.2\" fill-rule=\"evenodd\">\n";
    for (const auto& row : gaps.rows) {
        const std::string d = path_data(geos, row.geometry, projection(row));
        if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
    }
    s << "</g>\n<g id=\"overlaps\" fill=\"url(#overlap-hatch)\" stroke=\"" << kOverlapColour.hex() << "\" stroke-width=\"1.2\" fill-rule=\"evenodd\">\n";
    for (const auto& row : overlaps.rows) {
        const std::string d = path_data(geos, row.geometry, projection(row));
        if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
    }
    if (shared) {
        // Communes split between territories by declaration: dotted, not hatched as a conflict.
        s << "</g>\n<g id=\"shared\" fill=\"url(#shared-dots)\" stroke=\"" << kSharedColour.hex()
          << "\" stroke-width=\"1.2\" stroke-dasharray=\"4 2\" fill-rule=\"evenodd\">\n";
        for (const auto& row : communes.rows) {
            if (std::get<std::string>(row.values.at(5)) != to_string(CoverageStatus::Shared)) continue;
            const std::string d = path_data(geos, row.geometry, projection(row));
            if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
        }
    }
    s << "</g>\n<g id=\"study-area\" fill=\"none\" stroke=\"" << kStudyAreaOutline.hex() << "\" stroke-width=\"1.6\" stroke-dasharray=\"6 3\">\n";
    for (const auto& row : study.rows) {
        const std::string d = path_data(geos, row.geometry, projection(row));
        if (!d.empty()) s << "<path d=\"" << d << "\"/>\n";
    }
    s << "</g>\n";

    // Territory labels, at a point inside each territory.
    s << "<g id=\"labels\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#111111\" stroke=\"#ffffff\""
      << " stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n";
    for (const auto& row : territories.rows) {
        if (row.geometry == nullptr || GEOSisEmpty_r(geos, row.geometry) == 1) continue;
        GeomPtr pt = geos.own(GEOSPointOnSurface_r(geos, row.geometry), "a label point");
        double x = 0, y = 0;
        GEOSGeomGetX_r(geos, pt.get(), &x);
        GEOSGeomGetY_r(geos, pt.get(), &y);
        const Projection& q = projection(row);
        s << "<text x=\"" << num(q.x(x)) << "\" y=\"" << num(q.y(y)) << "\">" << xml_escape(std::get<std::string>(row.values.at(1)))
          << "</text>\n";
    }
    s << "</g>\n";

    // Legend.
    const int lx = o.width - kLegendWidth + 10;
    int ly = kTitleHeight + kMargin + 10;
    s << "<g id=\"legend\" font-size=\"13\" fill=\"#202020\">\n<text x=\"" << lx << "\" y=\"" << ly << "\" font-weight=\"bold\">Territories</text>\n";
    ly += 12;
    const auto swatch = [&](const std::string& fill, const std::string& stroke, const std::string& label, const std::string& extra = "") {
        s << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"22\" height=\"14\" fill=\"" << fill << "\" stroke=\"" << stroke << "\"" << extra
          << "/><text x=\"" << lx + 30 << "\" y=\"" << ly + 12 << "\">" << xml_escape(label) << "</text>\n";
        ly += 22;
    };
    for (std::size_t i = 0; i < territories.rows.size(); ++i) {
        const auto& name = std::get<std::string>(territories.rows[i].values.at(1));
        const auto population = std::get<std::int64_t>(territories.rows[i].values.at(3));
        swatch(territory_colour(i).hex(), territory_colour(i).hex(), name + " (" + thousands(population) + ")", " fill-opacity=\"0.55\"");
    }
    ly += 8;
    // Each commune once (a commune in several parts is in as many zones, one per part).
    const std::int64_t gap_population = population_of(r.layer, r.coverage.gaps), overlap_population = population_of(r.layer, r.coverage.overlaps);
    const std::size_t gap_communes = r.coverage.gaps.size(), overlap_communes = r.coverage.overlaps.size();
    swatch("url(#gap-hatch)", kGapColour.hex(), "Gaps: " + thousands(static_cast<std::int64_t>(gap_communes)) + " communes, " + thousands(gap_population) + " inh.");
    swatch("url(#overlap-hatch)", kOverlapColour.hex(),
           "Overlaps: " + thousands(static_cast<std::int64_t>(overlap_communes)) + " communes, " + thousands(overlap_population) + " inh.");
    if (shared) {
        swatch("url(#shared-dots)", kSharedColour.hex(),
               "Shared by declaration: " + thousands(static_cast<std::int64_t>(r.coverage.shared.size())) + " communes, " +
                   thousands(population_of(r.layer, r.coverage.shared)) + " inh.",
               " stroke-dasharray=\"4 2\"");
    }
    swatch("none", kStudyAreaOutline.hex(), "Study area", " stroke-dasharray=\"6 3\" stroke-width=\"1.6\"");
    swatch("#fafafa", kCommuneOutline.hex(), "Communes", " stroke-width=\"0.5\"");
    s << "</g>\n";

    // Scale bar, bottom left.
    const double metres = scale_bar_metres((e.max_x - e.min_x));
    const double px = metres * p.scale;
    const double sx = kMargin, sy = o.height - kMargin - (deliveries > 1 ? inset_h + 8 : 0.0); // above the insets
    s << "<g id=\"scale-bar\" font-size=\"12\" fill=\"#202020\">\n"
      << "<rect x=\"" << num(sx) << "\" y=\"" << num(sy - 6) << "\" width=\"" << num(px / 2) << "\" height=\"6\" fill=\"#202020\"/>"
      << "<rect x=\"" << num(sx + px / 2) << "\" y=\"" << num(sy - 6) << "\" width=\"" << num(px / 2) << "\" height=\"6\" fill=\"#ffffff\" stroke=\"#202020\"/>\n"
      << "<text x=\"" << num(sx) << "\" y=\"" << num(sy - 10) << "\">0</text><text x=\"" << num(sx + px) << "\" y=\"" << num(sy - 10)
      << "\" text-anchor=\"middle\">" << num(metres / 1000, metres < 1000 ? 1 : 0) << " km</text>\n"
      << "</g>\n";
    if (deliveries > 1) {
        // The insets' frames, names and scale bars (their layers are drawn with the others above).
        s << "<g id=\"insets\" font-size=\"11\" fill=\"#202020\">\n";
        for (std::size_t k = 1; k < deliveries; ++k) {
            const Delivery& d = r.layer.deliveries[k];
            const double x0 = kMargin + inset_w * static_cast<double>(k - 1), y0 = o.height - kMargin - inset_h;
            const std::string name = departement_name(d.name).empty() ? d.name : departement_name(d.name);
            const double m = scale_bar_metres(extents[k].max_x - extents[k].min_x);
            const double w = m * projections[k].scale;
            s << "<rect data-delivery=\"" << xml_escape(d.name) << "\" x=\"" << num(x0 + 2) << "\" y=\"" << num(y0) << "\" width=\"" << num(inset_w - 4)
              << "\" height=\"" << num(inset_h) << "\" fill=\"none\" stroke=\"#808080\" stroke-width=\"0.8\"/>"
              << "<text x=\"" << num(x0 + 6) << "\" y=\"" << num(y0 + inset_h - 6) << "\">" << xml_escape(name) << "</text>"
              << "<rect x=\"" << num(x0 + inset_w - 10 - w) << "\" y=\"" << num(y0 + inset_h - 10) << "\" width=\"" << num(w)
              << "\" height=\"4\" fill=\"#202020\"/><text x=\"" << num(x0 + inset_w - 10 - w / 2) << "\" y=\"" << num(y0 + inset_h - 13)
              << "\" text-anchor=\"middle\">" << num(m / 1000, m < 1000 ? 1 : 0) << " km</text>\n";
        }
        s << "</g>\n";
    }
    s << "</svg>\n";
    return s.str();
}

} // namespace cptsmap
