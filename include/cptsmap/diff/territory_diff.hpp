#pragma once
// What changed between two versions of the territories over one commune layer (`cptsmap diff`):
// each commune whose claims changed (joined a territory, left one, moved from A to B, became a
// gap, became an overlap, had an overlap resolved), each territory's communes and population
// gained and lost, and the coverage of each département and of the study area before and after.
// Decided on commune sets, as the coverage is: no geometry, so the same inputs give the same diff.
//
// Territories are matched by id across the versions. A version comes from definitions or a
// membership table resolved on the layer (with --cog-history, old codes and names lead to today's
// communes, so that a commune that merged in between is matched, not reported as gone), or from an
// earlier build's report.json.
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/history/commune_history.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cptsmap {

// One version of the territories over the layer.
struct TerritoryVersion {
    std::string source;                // where it came from, for messages and outputs
    Resolution resolution;             // territories (ids, names, communes) and study area
    Coverage coverage;                 // who claims each commune of the layer
    std::vector<std::string> mappings; // how old codes and names were carried to the layer's
};

TerritoryVersion version_of(const CommuneLayer& layer, Resolution resolution, std::string source);

// From an earlier build's report.json: each territory's `insee` list, the study area its `gaps` and
// the communes the territories claim in the départements of `by_departement`. A code the layer
// lacks is carried through `history` when given (a commune that merged since), else is an error.
TerritoryVersion version_from_report(const CommuneLayer& layer, const nlohmann::json& report, std::string source,
                                     const CommuneHistory* history);

enum class ChangeKind { Joined, Left, Moved, BecameGap, BecameOverlap, ResolvedOverlap, Changed };
// "joined", "left", "moved", "became a gap", "became an overlap", "overlap resolved", "changed".
const char* to_string(ChangeKind k);

struct CommuneChange {
    CommuneIndex commune = 0;
    ChangeKind kind = ChangeKind::Changed;
    std::vector<std::string> before, after; // ids of the territories claiming it, sorted
    CoverageStatus status_before = CoverageStatus::Outside, status_after = CoverageStatus::Outside;
};

struct TerritoryChange {
    std::string id, name;
    bool before = false, after = false; // whether the territory is in each version
    std::size_t communes_before = 0, communes_after = 0;
    std::int64_t population_before = 0, population_after = 0;
    double area_before_m2 = 0.0, area_after_m2 = 0.0; // sums of its communes' areas
    CommuneSet gained, lost;                          // sorted by INSEE code
};

struct CoverageChange {
    std::string departement; // "" for the study area
    PopulationStats before, after;
};

struct TerritoryDiff {
    std::vector<CommuneChange> communes;       // by INSEE code
    std::vector<TerritoryChange> territories;  // the before version's order, then those new after
    std::vector<CoverageChange> departements;  // by code
    CoverageChange study_area;
    std::size_t count(ChangeKind k) const;
};

TerritoryDiff diff_versions(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after);

} // namespace cptsmap
