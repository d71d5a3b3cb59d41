#include "cptsmap/geometry/assemble.hpp"

#include "cptsmap/geometry/edge_dissolve.hpp"
#include "cptsmap/io/threads.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>

namespace cptsmap {

namespace {

// Dissolves territories [0, n) on several threads. GEOS geometries are plain heap objects: a
// geometry made in a worker's context is destroyed later through the main context's deleter.
std::vector<Dissolved> dissolve_all(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution, unsigned threads,
                                    const DissolveOptions& dissolve_options)
{
    const std::size_t n = resolution.territories.size();
    std::vector<Dissolved> out(n);
    threads = static_cast<unsigned>(std::min<std::size_t>(thread_count(threads), std::max<std::size_t>(n, 1)));
    // Largest territories first, so that threads finish together.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return resolution.territories[a].communes.size() > resolution.territories[b].communes.size();
    });
    WorkQueue queue(n);
    run_on_threads(threads, [&](unsigned) {
        GeosContext local;
        try {
            for (std::size_t k; queue.take(k);) {
                const std::size_t t = order[k];
                Dissolved d = dissolve(local, layer, resolution.territories[t].communes, dissolve_options);
                // Territories not dissolved exactly, as vertex ids too: their writers reproject
                // each vertex once, with those of the other territories.
                if (!d.rings && dissolve_options.topology != nullptr)
                    d.rings = vertex_rings_of(local, *dissolve_options.topology, resolution.territories[t].communes, d.geometry.get());
                d.geometry = GeomPtr(d.geometry.release(), GeomDeleter{geos.handle()});
                out[t] = std::move(d);
            }
        } catch (...) {
            queue.stop(); // the other threads stop too
            throw;
        }
    });
    return out;
}

void note_method(std::vector<std::string>& warnings, const std::string& what, DissolveMethod method, const std::string& reason,
                 int slivers = 0, double sliver_area_m2 = 0.0)
{
    if (method == DissolveMethod::CoverageUnion) return;
    std::string msg = what + ": the communes do not form a clean coverage (" + reason + "); dissolved with a " + to_string(method) +
                      " instead of the exact coverage union";
    if (slivers > 0) {
        char area[32];
        std::snprintf(area, sizeof area, "%.0f", sliver_area_m2);
        msg += ", and " + std::to_string(slivers) + " sliver hole" + (slivers > 1 ? "s" : "") + " between communes filled (" + area + " m²)";
    }
    warnings.push_back(msg);
}

} // namespace

Assembly assemble(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution, const Coverage& coverage,
                  const AssembleOptions& options)
{
    Assembly a;
    a.topology = options.topology;
    if (!a.topology) {
        TopologyOptions topology_options;
        topology_options.threads = options.threads;
        a.topology = std::make_shared<const CoverageTopology>(geos, layer, topology_options);
    }
    a.boxes = std::make_shared<const CommuneBoxes>(commune_boxes(layer));
    DissolveOptions dissolve_options;
    dissolve_options.boxes = a.boxes.get();
    dissolve_options.topology = a.topology.get();
    a.territories = dissolve_all(geos, layer, resolution, options.threads, dissolve_options);
    for (std::size_t t = 0; t < a.territories.size(); ++t)
        note_method(a.warnings, "territory \"" + resolution.territories[t].id + "\"", a.territories[t].method, a.territories[t].reason,
                    a.territories[t].slivers_filled, a.territories[t].sliver_area_m2);

    ZoneSplit gaps = split_into_zones(geos, layer, coverage.gaps, dissolve_options);
    note_method(a.warnings, "gap zones", gaps.method, gaps.reason);
    a.gaps = std::move(gaps.zones);

    // Overlap zones per group of claimants (each group's communes split on their own), the groups
    // taken in turn by every core, their zones gathered in the groups' order.
    std::map<std::vector<std::size_t>, CommuneSet> by_claimants;
    for (CommuneIndex i : coverage.overlaps) by_claimants[coverage.territories_of[i]].push_back(i);
    const std::vector<std::pair<std::vector<std::size_t>, CommuneSet>> groups(by_claimants.begin(), by_claimants.end());
    std::vector<ZoneSplit> splits(groups.size());
    WorkQueue queue(groups.size());
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(thread_count(options.threads), std::max<std::size_t>(groups.size(), 1)));
    run_on_threads(threads, [&](unsigned) {
        GeosContext local;
        for (std::size_t g; queue.take(g);) {
            splits[g] = split_into_zones(local, layer, groups[g].second, dissolve_options);
            for (Zone& z : splits[g].zones) z.geometry = GeomPtr(z.geometry.release(), GeomDeleter{geos.handle()});
        }
    });
    for (std::size_t g = 0; g < groups.size(); ++g) {
        note_method(a.warnings, "overlap zones", splits[g].method, splits[g].reason);
        for (auto& z : splits[g].zones) a.overlaps.push_back(OverlapZone{groups[g].first, std::move(z)});
    }
    std::stable_sort(a.overlaps.begin(), a.overlaps.end(), [&](const OverlapZone& x, const OverlapZone& y) {
        return first_code(layer, x.zone.communes) < first_code(layer, y.zone.communes);
    });
    return a;
}

} // namespace cptsmap
