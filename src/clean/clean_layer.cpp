#include "cptsmap/clean/clean_layer.hpp"

#include "cptsmap/geometry/polygonal.hpp"

#include <algorithm>

namespace cptsmap {

CleanResult clean_layer(CommuneLayer& layer, const GeosContext& geos, const CleanOptions& options)
{
    CleanResult all; // polygons left empty: the layer holds them
    const std::size_t deliveries = std::max<std::size_t>(layer.deliveries.size(), 1);
    for (std::size_t d = 0; d < deliveries; ++d) {
        std::vector<CommuneIndex> members;
        std::vector<const GEOSGeometry*> polygons;
        CleanOptions o = options;
        if (o.rule == OverlapRule::Priority) o.priority.clear();
        for (CommuneIndex c = 0; c < layer.size(); ++c) {
            const Commune& commune = layer[c];
            if (commune.delivery != d) continue;
            members.push_back(c);
            polygons.push_back(commune.geometry.empty() ? nullptr : commune.geometry.get());
            if (o.rule == OverlapRule::Priority)
                o.priority.push_back(options.priority.empty() ? static_cast<double>(commune.population) : options.priority.at(c));
        }
        if (members.empty()) continue;
        CleanResult r = clean_coverage(geos, polygons, o);
        std::vector<bool> changed(members.size(), false);
        for (CleanChange& change : r.changes) {
            changed[change.polygon] = true;
            change.polygon = members[change.polygon];
            for (std::size_t& j : change.others) j = members[j];
            all.changes.push_back(std::move(change));
        }
        for (std::size_t k = 0; k < members.size(); ++k) {
            if (!changed[k] || !r.polygons[k]) continue;
            const double area = area_of(geos, r.polygons[k].get());
            layer.set_geometry(members[k], CommuneGeometry(std::move(r.polygons[k])), area);
        }
        const CleanStats& s = r.stats;
        CleanStats& t = all.stats;
        t.snapped += s.snapped;
        t.overlaps += s.overlaps;
        t.gaps += s.gaps;
        t.kept_from_vanishing += s.kept_from_vanishing;
        t.unresolved_overlaps += s.unresolved_overlaps;
        t.wide_holes += s.wide_holes;
        t.repaired_invalid += s.repaired_invalid;
        t.nodes += s.nodes;
        t.slivers += s.slivers;
        t.conflicts += s.conflicts;
    }
    return all;
}

} // namespace cptsmap
