#pragma once
// Gap and overlap zones: a set of communes dissolved, then split into its connected parts, each part
// listing the communes it is made of. Zones are ordered by their smallest INSEE code.
#include "cptsmap/geometry/dissolve.hpp"

#include <memory>
#include <vector>

namespace cptsmap {

struct Zone {
    GeomPtr geometry;   // one Polygon (or an empty polygon for communes that have no geometry)
    CommuneSet communes; // sorted indices
    double area_m2 = 0.0;
    // The polygon as vertex ids of the layer's topology (when the split had one): writers
    // reproject each vertex once, shared with the territories.
    std::shared_ptr<const VertexRings> rings;
};

struct ZoneSplit {
    std::vector<Zone> zones;
    DissolveMethod method = DissolveMethod::CoverageUnion;
    std::string reason;
};

// The smallest INSEE code among `communes` (zones and listings are ordered by it); "" if empty.
std::string first_code(const CommuneLayer& layer, const CommuneSet& communes);

ZoneSplit split_into_zones(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes,
                           const DissolveOptions& options = {});

} // namespace cptsmap
