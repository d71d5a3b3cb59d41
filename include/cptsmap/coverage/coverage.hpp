#pragma once
// Who is covered: gaps, overlaps and population statistics, decided on commune sets alone (never on
// geometry), so a sliver in the input can never turn a covered commune into a gap.
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cptsmap {

// Shared: claimed by two territories or more, each of them for a declared share only
// (commune("Nice", share = "nord")), so not a conflict; claimed whole by one of them, it is an
// Overlap.
enum class CoverageStatus { Outside, Covered, Gap, Overlap, Shared };
const char* to_string(CoverageStatus s);

struct PopulationStats {
    std::string departement; // "" for the whole study area (and for a région's)
    std::string region;      // by_region's: the région's INSEE code
    std::size_t communes = 0;
    std::int64_t population = 0;
    std::size_t covered_communes = 0;
    std::int64_t covered_population = 0; // each commune counted once, however many territories claim it
    double coverage_pct = 0.0;           // covered_population / population × 100 (0 when population is 0)
};

struct TerritoryStats {
    std::size_t communes = 0;
    std::int64_t population = 0;
};

struct Coverage {
    // For every commune of the layer, the territories (indices into Resolution::territories) claiming it.
    std::vector<std::vector<std::size_t>> territories_of;
    std::vector<CoverageStatus> status; // per commune of the layer
    CommuneSet gaps;                     // study-area communes in no territory
    CommuneSet overlaps;                 // communes in two territories or more (inside the study area or not)
                                         // but shared by declaration
    CommuneSet shared;                   // communes each territory claiming them claims as a declared share
    CommuneSet reported;                 // study area ∪ every territory: the communes written out
    PopulationStats study_area;
    std::vector<PopulationStats> by_departement; // sorted by code
    std::vector<PopulationStats> by_region;      // sorted by code; communes without a région under ""
    std::vector<TerritoryStats> territories;     // per territory
};

Coverage compute_coverage(const CommuneLayer& layer, const Resolution& resolution);

} // namespace cptsmap
