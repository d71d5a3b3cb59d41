#pragma once
// Longitude and latitude of the vertices of a layer's shared-edge topology, each reprojected once
// (PROJ through OGR, on every core) and rounded to the GeoJSON grid (1e-7°). Territories written
// from vertex ids (Dissolved::rings) share the vertices of their common borders: each is
// reprojected once instead of once per territory, and no GEOS geometry is rebuilt to write them.
#include "cptsmap/geometry/coverage_topology.hpp"

#include <string>
#include <vector>

namespace cptsmap {

class VertexLonLat {
public:
    // Reprojects the vertices used by `needed` from `crs` (the topology's CRS, e.g. "EPSG:2154").
    VertexLonLat(const CoverageTopology& topology, const std::string& crs, const std::vector<const VertexRings*>& needed, unsigned threads = 0);

    bool has(std::uint32_t v) const { return v < done_.size() && done_[v] != 0; }
    double lon(std::uint32_t v) const { return lonlat_[2 * std::size_t(v)]; }
    double lat(std::uint32_t v) const { return lonlat_[2 * std::size_t(v) + 1]; }

private:
    std::vector<double> lonlat_;
    std::vector<std::uint8_t> done_;
};

} // namespace cptsmap
