#include "cptsmap/clean/clean_changes.hpp"

#include "cptsmap/export/csv.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/result/figure_text.hpp"

#include <sstream>

namespace cptsmap {

void write_clean_changes(const CleanResult& result, const std::vector<std::string>& ids, const std::string& crs, OutputDir& out,
                         const GeosContext& geos)
{
    CsvFile csv(out.staged("clean.csv").string());
    csv.row({"change", "reason", "insee", "others", "change_m2", "piece_m2", "width_m", "rule"});
    GeoJsonWriter w(out.staged("changes.geojson").string(), "changes",
                    {{"change", FieldKind::Integer},
                     {"reason"},
                     {"insee"},
                     {"others", FieldKind::StringList},
                     {"change_m2", FieldKind::Real},
                     {"piece_m2", FieldKind::Real},
                     {"width_m", FieldKind::Real},
                     {"rule"}},
                    crs, geos);
    std::int64_t number = 0;
    for (const CleanChange& c : result.changes) {
        ++number;
        std::vector<std::string> others;
        std::string joined;
        for (std::size_t j : c.others) {
            others.push_back(ids.at(j));
            joined += (joined.empty() ? "" : ";") + ids.at(j);
        }
        const std::string n = std::to_string(number);
        const std::string change = fixed_decimals(c.change_m2, 2), piece = fixed_decimals(c.piece_m2, 2), width = fixed_decimals(c.width_m, 2);
        csv.row({n, to_string(c.reason), ids.at(c.polygon), joined, change, piece, width, c.rule});
        // A piece smaller than the output grid would be written as an empty geometry: write the
        // point where it is instead, so that it can still be found on a map.
        const GEOSGeometry* g = c.piece.get();
        GeomPtr point;
        if (g != nullptr && GEOSisEmpty_r(geos, g) == 1) g = nullptr;
        // So is a piece the grid cannot hold (GEOS precision reduction fails on a few slivers).
        const auto collapses = [&] {
            try {
                return GEOSisEmpty_r(geos, w.to_output_geometry(g).get()) == 1;
            } catch (const GeosError&) {
                return true;
            }
        };
        if (g != nullptr && collapses()) {
            point = geos.own(GEOSPointOnSurface_r(geos, g), "locating a change");
            g = point.get();
        }
        w.add({number, std::string(to_string(c.reason)), ids.at(c.polygon), others, round_to(c.change_m2, 2), round_to(c.piece_m2, 2),
               round_to(c.width_m, 2), c.rule},
              g);
    }
    csv.close();
    w.close();
}

std::string clean_summary(const CleanStats& s)
{
    std::ostringstream o;
    o << "cleaned: " << s.overlaps << " overlaps given to one commune, " << s.gaps << " gaps filled, " << s.snapped << " communes snapped";
    if (s.kept_from_vanishing > 0) o << ", " << s.kept_from_vanishing << " overlaps kept by the commune the rule would have emptied";
    if (s.unresolved_overlaps > 0) o << ", " << s.unresolved_overlaps << " overlaps between identical communes left as they are";
    if (s.repaired_invalid > 0) o << ", " << s.repaired_invalid << " invalid communes made valid";
    o << "; " << s.nodes << " nodes where borders crossed, " << s.slivers << " slivers under the minimum area given to a neighbour";
    o << "; " << s.wide_holes << " holes wider than the gap width left as they are";
    if (s.conflicts > 0) o << "; " << s.conflicts << " faces whose communes could not be told consistently (please report)";
    return o.str();
}

} // namespace cptsmap
