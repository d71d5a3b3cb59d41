#pragma once
// Computes the figures of a territory sheet (result/figures.hpp), as CPTS announcements print them,
// and the anomalies a reviewer must see: per territory, its population and area, the share of each département's population it
// covers, the EPCI it draws on (whole or in part), its neighbours (territories sharing a border),
// its detached parts, its enclaves (holes of the dissolved territory and the communes filling them)
// and the communes it shares with another territory; for the study area, the uncovered communes
// ranked by population and the largest uncovered zones. Sets decide membership; the geometry of
// the assembly (dissolved territories, gap zones) answers the geometric questions, with GEOS.
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/geometry/assemble.hpp"
#include "cptsmap/result/figures.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cptsmap {

struct SheetOptions {
    std::size_t largest_zones = 10; // DEFAULT: the 10 largest gap zones
    double border_tolerance_m = 0.5; // DEFAULT: boundaries closer than this count as shared (unmatched vertices)
};

SheetFigures compute_sheet_figures(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution,
                                   const Coverage& coverage, const Assembly& assembly, FundingBands bands,
                                   const SheetOptions& options = {});

} // namespace cptsmap
