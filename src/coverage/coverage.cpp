#include "cptsmap/coverage/coverage.hpp"

#include "cptsmap/layer/population.hpp"

#include <algorithm>
#include <map>

namespace cptsmap {

const char* to_string(CoverageStatus s)
{
    switch (s) {
    case CoverageStatus::Outside: return "outside";
    case CoverageStatus::Covered: return "covered";
    case CoverageStatus::Gap: return "gap";
    case CoverageStatus::Overlap: return "overlap";
    case CoverageStatus::Shared: return "shared";
    }
    return "?";
}

namespace {
void finish(PopulationStats& s)
{
    s.coverage_pct = s.population > 0 ? 100.0 * static_cast<double>(s.covered_population) / static_cast<double>(s.population) : 0.0;
}
} // namespace

Coverage compute_coverage(const CommuneLayer& layer, const Resolution& resolution)
{
    Coverage cov;
    const std::size_t n = layer.size();
    cov.territories_of.assign(n, {});
    cov.status.assign(n, CoverageStatus::Outside);
    for (std::size_t t = 0; t < resolution.territories.size(); ++t) {
        TerritoryStats ts;
        for (CommuneIndex i : resolution.territories[t].communes) {
            cov.territories_of[i].push_back(t);
            ++ts.communes;
            ts.population = add_population(ts.population, layer[i].population);
        }
        cov.territories.push_back(ts);
    }

    std::vector<bool> in_study(n, false);
    for (CommuneIndex i : resolution.study_area) in_study[i] = true;

    std::map<std::string, PopulationStats> per_dep, per_region;
    for (CommuneIndex i = 0; i < n; ++i) {
        const std::size_t claims = cov.territories_of[i].size();
        const auto as_share = [&](std::size_t t) { return resolution.territories[t].shares.count(i) > 0; };
        if (claims >= 2 && std::all_of(cov.territories_of[i].begin(), cov.territories_of[i].end(), as_share)) {
            cov.status[i] = CoverageStatus::Shared;
            cov.shared.push_back(i);
        } else if (claims >= 2) {
            cov.status[i] = CoverageStatus::Overlap;
            cov.overlaps.push_back(i);
        } else if (claims == 1) {
            cov.status[i] = CoverageStatus::Covered;
        } else if (in_study[i]) {
            cov.status[i] = CoverageStatus::Gap;
            cov.gaps.push_back(i);
        }
        if (claims > 0 || in_study[i]) cov.reported.push_back(i);
        if (!in_study[i]) continue;
        const Commune& c = layer[i];
        for (PopulationStats* s : {&cov.study_area, &per_dep[c.departement], &per_region[c.region]}) {
            ++s->communes;
            s->population = add_population(s->population, c.population);
            if (claims > 0) {
                ++s->covered_communes;
                s->covered_population = add_population(s->covered_population, c.population);
            }
        }
    }
    finish(cov.study_area);
    for (auto& [dep, s] : per_dep) {
        s.departement = dep;
        finish(s);
        cov.by_departement.push_back(s);
    }
    for (auto& [region, s] : per_region) {
        s.region = region;
        finish(s);
        cov.by_region.push_back(s);
    }
    return cov;
}

} // namespace cptsmap
