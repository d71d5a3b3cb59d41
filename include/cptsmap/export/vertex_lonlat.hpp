#pragma once
// Longitude and latitude of the vertices of a layer's shared-edge topology, each reprojected once
// (PROJ through OGR, on every core) and rounded to the GeoJSON grid (1e-7°). Territories written
// from vertex ids (Dissolved::rings) share the vertices of their common borders: each is
// reprojected once instead of once per territory, and no GEOS geometry is rebuilt to write them.
#include "cptsmap/export/inverse_lcc.hpp"
#include "cptsmap/geometry/coverage_topology.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

class VertexLonLat {
public:
    // Reprojects the vertices used by `needed` from `crs` (the topology's CRS, e.g. "EPSG:2154").
    VertexLonLat(const CoverageTopology& topology, const std::string& crs, const std::vector<const VertexRings*>& needed, unsigned threads = 0);

    bool has(std::uint32_t v) const { return v < done_.size() && done_[v] != 0; }
    // Exactly round_to_output_grid() of the reprojected coordinate.
    double lon(std::uint32_t v) const { return static_cast<double>(steps_[2 * std::size_t(v)]) * kStep; }
    double lat(std::uint32_t v) const { return static_cast<double>(steps_[2 * std::size_t(v) + 1]) * kStep; }
    static constexpr double kStep = 1e-7; // the GeoJSON writer's kOutputGrid
    // Longitude and latitude (not rounded) of any point of the topology's CRS in closed form,
    // when the CRS has one that agrees with PROJ (see InverseLcc); false otherwise.
    bool project(double x, double y, double& lon, double& lat) const;

private:
    // Whole steps of the output grid (1e-7°: ±214° fit in 32 bits), half the memory of doubles;
    // written only for the vertices needed (the others' pages are never touched).
    std::unique_ptr<std::int32_t[]> steps_;
    std::vector<std::uint8_t> done_;
    std::optional<InverseLcc> lcc_;
    // Records vertex v's reprojected coordinates; a vertex whose reprojection fails (not finite,
    // off the grid's range) is left out, for the writer to take the GEOS path that reports it.
    void set(std::uint32_t v, double lon, double lat);
};

} // namespace cptsmap
