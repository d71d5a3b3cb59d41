#include "cptsmap/sheets/territory_figures.hpp"

#include "cptsmap/geometry/dissolve.hpp"
#include "cptsmap/io/threads.hpp"
#include "cptsmap/layer/population.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <exception>
#include <memory>
#include <thread>

namespace cptsmap {

namespace {

struct Box {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool valid = false;
    bool overlaps(const Box& o, double tolerance) const
    {
        return valid && o.valid && min_x <= o.max_x + tolerance && o.min_x <= max_x + tolerance && min_y <= o.max_y + tolerance &&
               o.min_y <= max_y + tolerance;
    }
};

Box box_of(const GeosContext& geos, const GEOSGeometry* g)
{
    Box b;
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return b;
    b.valid = GEOSGeom_getExtent_r(geos, g, &b.min_x, &b.min_y, &b.max_x, &b.max_y) == 1;
    return b;
}

double area_of(const GeosContext& geos, const GEOSGeometry* g)
{
    double a = 0.0;
    GEOSArea_r(geos, g, &a);
    return a;
}

// The polygons of a Polygon or MultiPolygon (borrowed).
std::vector<const GEOSGeometry*> polygons_of(const GeosContext& geos, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> out;
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return out;
    const int n = GEOSGetNumGeometries_r(geos, g);
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* p = GEOSGetGeometryN_r(geos, g, i);
        if (GEOSGeomTypeId_r(geos, p) == GEOS_POLYGON && GEOSisEmpty_r(geos, p) == 0) out.push_back(p);
    }
    return out;
}

// A point inside `g` (its point on surface).
GeomPtr inner_point(const GeosContext& geos, const GEOSGeometry* g)
{
    return geos.own(GEOSPointOnSurface_r(geos, g), "point on surface");
}

// Length of the border two territories share: their common boundary linework when their vertices
// match (a clean coverage); else (extracts whose borders run side by side rather than on each
// other) the part of a's boundary within `tolerance` of b's. 0 when they are farther apart.
double shared_border(const GeosContext& geos, const GEOSGeometry* boundary_a, const GEOSPreparedGeometry* prepared_a,
                     const GEOSGeometry* boundary_b, double tolerance)
{
    if (GEOSPreparedDistanceWithin_r(geos, prepared_a, boundary_b, tolerance) != 1) return 0.0;
    double length = 0.0;
    GeomPtr common = geos.own(GEOSIntersection_r(geos, boundary_a, boundary_b), "shared border");
    GEOSLength_r(geos, common.get(), &length);
    if (length > 0.0) return length;
    // Only the part of b's boundary around a matters: clipped before buffering.
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSGeom_getExtent_r(geos, boundary_a, &x0, &y0, &x1, &y1);
    GeomPtr around = geos.own(GEOSClipByRect_r(geos, boundary_b, x0 - 2 * tolerance, y0 - 2 * tolerance, x1 + 2 * tolerance, y1 + 2 * tolerance),
                              "clip of a territory boundary");
    GeomPtr near_b = geos.own(GEOSBuffer_r(geos, around.get(), tolerance, 4), "buffer of a territory boundary");
    common = geos.own(GEOSIntersection_r(geos, boundary_a, near_b.get()), "shared border");
    GEOSLength_r(geos, common.get(), &length);
    return length;
}

std::vector<DepartementShare> departement_shares(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::map<std::string, DepartementShare> by_dep;
    for (CommuneIndex i : communes) {
        DepartementShare& d = by_dep[layer[i].departement];
        d.departement = layer[i].departement;
        ++d.communes;
        d.population = add_population(d.population, layer[i].population);
    }
    std::vector<DepartementShare> out;
    for (auto& [dep, d] : by_dep) {
        d.departement_population = population_of(layer, layer.in_departement(dep));
        d.share_pct = d.departement_population > 0 ? 100.0 * static_cast<double>(d.population) / static_cast<double>(d.departement_population) : 0.0;
        out.push_back(d);
    }
    return out;
}

std::vector<EpciShare> epci_shares(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::map<std::string, EpciShare> by_epci;
    for (CommuneIndex i : communes) {
        const std::string& siren = layer[i].epci;
        if (siren.empty() || siren == "NC") continue;
        EpciShare& e = by_epci[siren];
        e.siren = siren;
        ++e.communes;
    }
    std::vector<EpciShare> out;
    for (auto& [siren, e] : by_epci) {
        const Epci* epci = layer.find_epci(siren);
        e.name = epci != nullptr ? epci->name : siren;
        e.epci_communes = layer.in_epci(siren).size();
        out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const EpciShare& a, const EpciShare& b) { return a.communes > b.communes; });
    return out;
}

// Parts other than the largest, each with the communes that have a piece in it.
std::vector<DetachedPart> detached_parts(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes, const GEOSGeometry* g)
{
    std::vector<const GEOSGeometry*> parts = polygons_of(geos, g);
    if (parts.size() < 2) return {};
    std::vector<double> areas;
    for (const GEOSGeometry* p : parts) areas.push_back(area_of(geos, p));
    const std::size_t main = static_cast<std::size_t>(std::max_element(areas.begin(), areas.end()) - areas.begin());
    std::vector<DetachedPart> out(parts.size());
    std::vector<PreparedPtr> prepared;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        out[k].area_m2 = areas[k];
        prepared.push_back(geos.prepare(parts[k]));
    }
    for (CommuneIndex i : communes) {
        for (const GEOSGeometry* piece : polygons_of(geos, layer[i].geometry.get())) {
            GeomPtr pt = inner_point(geos, piece);
            for (std::size_t k = 0; k < parts.size(); ++k) {
                if (k == main || GEOSPreparedIntersects_r(geos, prepared[k].get(), pt.get()) != 1) continue;
                if (out[k].communes.empty() || out[k].communes.back() != i) out[k].communes.push_back(i);
            }
        }
    }
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(main));
    std::stable_sort(out.begin(), out.end(), [](const DetachedPart& a, const DetachedPart& b) { return a.area_m2 > b.area_m2; });
    return out;
}

// Holes of the dissolved territory, each with the communes of the layer inside it (those whose
// envelope the R-tree finds around the hole, then a point inside the commune).
std::vector<Enclave> enclaves(const GeosContext& geos, const CommuneLayer& layer, const CommuneBoxes& boxes, const Coverage& coverage,
                             const GEOSGeometry* g)
{
    std::vector<Enclave> out;
    for (const GEOSGeometry* poly : polygons_of(geos, g)) {
        const int holes = GEOSGetNumInteriorRings_r(geos, poly);
        for (int h = 0; h < holes; ++h) {
            GeomPtr hole = geos.polygon(geos.clone(GEOSGetInteriorRingN_r(geos, poly, h)), {}, "hole of a territory");
            Enclave e;
            e.area_m2 = area_of(geos, hole.get());
            const Box hb = box_of(geos, hole.get());
            PreparedPtr inside = geos.prepare(hole.get());
            std::vector<CommuneIndex> around;
            if (hb.valid) around = boxes.index.query(hb.min_x, hb.min_y, hb.max_x, hb.max_y);
            std::sort(around.begin(), around.end());
            for (CommuneIndex i : around) {
                if (layer[i].geometry.empty()) continue;
                GeomPtr pt = inner_point(geos, layer[i].geometry.get());
                if (GEOSPreparedContains_r(geos, inside.get(), pt.get()) != 1) continue;
                e.communes.push_back(i);
                e.claimed_by.push_back(coverage.territories_of[i]);
            }
            out.push_back(std::move(e));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Enclave& a, const Enclave& b) { return a.area_m2 > b.area_m2; });
    return out;
}

bool claims(const Coverage& coverage, CommuneIndex c, std::size_t t)
{
    const auto& of = coverage.territories_of[c];
    return std::find(of.begin(), of.end(), t) != of.end();
}

// Border length of every pair of neighbouring territories (t < o). Where communes share their
// edges (twins in the layer's topology), the length of the twin segments between a commune of t
// outside o and a commune of o outside t; where borders do not match (communes side by side
// within the tolerance, `CoverageTopology::near`) and no shared edge was found, the GEOS measure
// of shared_border(); territories with communes in common are neighbours even without a border.
std::map<std::pair<std::size_t, std::size_t>, double> territory_borders(const GeosContext& geos, const CommuneLayer& layer,
                                                                        const Coverage& coverage, const Assembly& assembly, const SheetOptions& options)
{
    std::map<std::pair<std::size_t, std::size_t>, double> borders;
    const auto each_border = [&](CommuneIndex a, CommuneIndex b, const auto& add) {
        for (std::size_t ta : coverage.territories_of[a]) {
            if (claims(coverage, b, ta)) continue;
            for (std::size_t tb : coverage.territories_of[b])
                if (tb != ta && !claims(coverage, a, tb)) add(std::minmax(ta, tb));
        }
    };
    std::shared_ptr<const CoverageTopology> topology = assembly.topology;
    if (!topology) topology = std::make_shared<const CoverageTopology>(geos, layer);
    const auto& segs = topology->segments();
    // Shared edges run along a ring: their lengths are summed per pair of communes first, in fixed
    // chunks of segments on every core (the same sums whatever the number of threads).
    struct Run {
        CommuneIndex a, b;
        double length;
    };
    // Communes claimed by the same territories (most neighbours) have no border between
    // territories: an id per distinct set of claimants tells them apart without measuring.
    std::vector<std::uint32_t> claimants(layer.size());
    {
        std::map<std::vector<std::size_t>, std::uint32_t> ids;
        for (CommuneIndex c = 0; c < layer.size(); ++c)
            claimants[c] = ids.emplace(coverage.territories_of[c], static_cast<std::uint32_t>(ids.size())).first->second;
    }
    constexpr std::size_t kChunk = std::size_t(1) << 16;
    const std::size_t chunks = (segs.size() + kChunk - 1) / kChunk;
    std::vector<std::vector<Run>> runs(chunks);
    WorkQueue queue(chunks);
    run_on_threads(thread_count(0), [&](unsigned) {
        for (std::size_t k; queue.take(k);) {
            std::vector<Run>& out = runs[k];
            for (std::size_t s = k * kChunk; s < std::min(segs.size(), (k + 1) * kChunk); ++s) {
                const std::uint32_t w = segs[s].twin;
                if (w == CoverageTopology::none || w < s || claimants[segs[s].commune] == claimants[segs[w].commune]) continue;
                if (out.empty() || out.back().a != segs[s].commune || out.back().b != segs[w].commune)
                    out.push_back({segs[s].commune, segs[w].commune, 0.0});
                out.back().length += topology->length(segs[s]);
            }
        }
    });
    for (const auto& list : runs)
        for (const Run& r : list) each_border(r.a, r.b, [&](std::pair<std::size_t, std::size_t> p) { borders[p] += r.length; });
    std::map<std::pair<std::size_t, std::size_t>, double> side_by_side;
    for (const auto& [a, b] : topology->near())
        each_border(a, b, [&](std::pair<std::size_t, std::size_t> p) {
            if (borders.count(p) == 0) side_by_side[p] = 0.0;
        });
    if (!side_by_side.empty()) {
        std::map<std::size_t, GeomPtr> boundaries;
        const auto boundary = [&](std::size_t t) -> const GEOSGeometry* {
            auto& g = boundaries[t];
            if (!g) g = geos.own(GEOSBoundary_r(geos, assembly.territories[t].geometry.get()), "territory boundary");
            return g.get();
        };
        for (auto& [p, length] : side_by_side) {
            PreparedPtr prepared = geos.prepare(boundary(p.first));
            length = shared_border(geos, boundary(p.first), prepared.get(), boundary(p.second), options.border_tolerance_m);
        }
    }
    std::map<std::pair<std::size_t, std::size_t>, double> out;
    for (const auto* m : {&borders, &side_by_side})
        for (const auto& [p, length] : *m)
            if (length > 2 * options.border_tolerance_m) out[p] = length;
    for (CommuneIndex c = 0; c < layer.size(); ++c) {
        const auto& of = coverage.territories_of[c];
        for (std::size_t i = 0; i < of.size(); ++i)
            for (std::size_t j = i + 1; j < of.size(); ++j) out.emplace(std::minmax(of[i], of[j]), 0.0);
    }
    return out;
}

} // namespace

SheetFigures compute_sheet_figures(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution, const Coverage& coverage,
                                   const Assembly& assembly, FundingBands bands, const SheetOptions& options)
{
    SheetFigures out;
    const std::size_t n = resolution.territories.size();
    std::shared_ptr<const CommuneBoxes> boxes = assembly.boxes;
    if (!boxes) boxes = std::make_shared<const CommuneBoxes>(commune_boxes(layer));
    // Neighbours, each pair once: a border of positive length, or communes in common.
    std::vector<std::vector<Neighbour>> neighbours(n);
    for (const auto& [pair, border] : territory_borders(geos, layer, coverage, assembly, options)) {
        neighbours[pair.first].push_back({pair.second, border});
        neighbours[pair.second].push_back({pair.first, border});
    }
    const auto figures_of = [&](const GeosContext& local, std::size_t t) {
        const CommuneSet& communes = resolution.territories[t].communes;
        const GEOSGeometry* g = assembly.territories[t].geometry.get();
        TerritoryFigures f;
        f.communes = communes.size();
        f.population = coverage.territories[t].population;
        f.area_m2 = assembly.territories[t].area_m2;
        f.density_per_km2 = f.area_m2 > 0 ? static_cast<double>(f.population) / (f.area_m2 / 1e6) : 0.0;
        f.departements = departement_shares(layer, communes);
        f.epcis = epci_shares(layer, communes);
        f.neighbours = std::move(neighbours[t]);
        std::sort(f.neighbours.begin(), f.neighbours.end(), [](const Neighbour& a, const Neighbour& b) { return a.territory < b.territory; });
        f.detached_parts = detached_parts(local, layer, communes, g);
        f.enclaves = enclaves(local, layer, *boxes, coverage, g);
        for (CommuneIndex i : communes) {
            if (coverage.territories_of[i].size() < 2) continue;
            SharedCommune s{i, {}};
            for (std::size_t o : coverage.territories_of[i])
                if (o != t) s.others.push_back(o);
            f.shared.push_back(s);
        }
        std::sort(f.shared.begin(), f.shared.end(), [&](const SharedCommune& a, const SharedCommune& b) { return layer[a.commune].insee < layer[b.commune].insee; });
        f.band = band_for(bands, f.population);
        out.territories[t] = std::move(f);
    };
    // Territories on every core (GEOS point-on-surface and prepared tests for parts and enclaves).
    out.territories.resize(n);
    const unsigned threads = std::min(thread_count(0), static_cast<unsigned>(n / 16 + 1));
    run_on_threads(threads, [&](unsigned k) {
        GeosContext local;
        for (std::size_t t = k; t < n; t += threads) figures_of(local, t);
    });
    out.study_area.uncovered_ranked = coverage.gaps;
    std::sort(out.study_area.uncovered_ranked.begin(), out.study_area.uncovered_ranked.end(), [&](CommuneIndex a, CommuneIndex b) {
        if (layer[a].population != layer[b].population) return layer[a].population > layer[b].population;
        return layer[a].insee < layer[b].insee;
    });
    std::vector<UncoveredZone> zones;
    for (std::size_t z = 0; z < assembly.gaps.size(); ++z) {
        const Zone& zone = assembly.gaps[z];
        zones.push_back({"gap-" + std::to_string(z + 1), zone.communes.size(), population_of(layer, zone.communes), zone.area_m2});
    }
    std::stable_sort(zones.begin(), zones.end(), [](const UncoveredZone& a, const UncoveredZone& b) { return a.area_m2 > b.area_m2; });
    if (zones.size() > options.largest_zones) zones.resize(options.largest_zones);
    out.study_area.largest_zones = std::move(zones);
    out.bands = std::move(bands);
    return out;
}

} // namespace cptsmap
