#pragma once
// What it looks like: the geometry built from the membership sets — each territory dissolved, and
// the gap and overlap zones. Territories are dissolved in parallel (one GEOS context per thread).
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/geometry/zones.hpp"

#include <memory>
#include <vector>

namespace cptsmap {

struct OverlapZone {
    std::vector<std::size_t> territories; // indices into Resolution::territories, sorted
    Zone zone;
};

struct Assembly {
    std::vector<Dissolved> territories; // parallel to Resolution::territories
    std::vector<Zone> gaps;
    std::vector<OverlapZone> overlaps;  // grouped by the set of territories claiming them
    std::vector<std::string> warnings;
    // The layer's shared-edge topology the dissolves ran on (figures reuse it).
    std::shared_ptr<const CoverageTopology> topology;
    // The communes' envelopes and their R-tree (the sliver test's; the figures' enclaves reuse it).
    std::shared_ptr<const CommuneBoxes> boxes;
};

struct AssembleOptions {
    unsigned threads = 0; // DEFAULT: 0, one per hardware core
    // The layer's shared-edge topology when the caller has built it. DEFAULT: built here.
    std::shared_ptr<const CoverageTopology> topology;
};

Assembly assemble(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution,
                  const Coverage& coverage, const AssembleOptions& options = {});

} // namespace cptsmap
