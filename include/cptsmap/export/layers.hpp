#pragma once
// The four GeoJSON layers of a build (RFC 7946), features in a fixed order for byte-identical runs:
// territories in definition order, communes, gaps and overlaps by INSEE code.
#include "cptsmap/export/vertex_lonlat.hpp"
#include "cptsmap/layer/population.hpp"
#include "cptsmap/result/build_result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cptsmap {

// `vertices`: the lon/lat of the topology's vertices (write_outputs computes them once for every
// layer): territories are written from their vertex ids; without it, from their GEOS geometry.
void write_territories(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices = nullptr);
// Each commune's rings as vertex ids of the layer's topology (empty where GEOS geometry is to be used).
std::vector<VertexRings> commune_vertex_rings(const BuildResult& r);
// `rings` and `vertices` (both or neither): communes written from vertex ids, each vertex reprojected once.
void write_communes(const BuildResult& r, const std::string& path, const GeosContext& geos, const std::vector<VertexRings>* rings = nullptr,
                    const VertexLonLat* vertices = nullptr);
// Zones written from `rings` (one per zone, as vertex_rings_of gives them) and `vertices` when
// given, from their GEOS geometry otherwise.
void write_gaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices = nullptr,
                const std::vector<std::shared_ptr<const VertexRings>>* rings = nullptr);
void write_overlaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices = nullptr,
                    const std::vector<std::shared_ptr<const VertexRings>>* rings = nullptr);

// Codes of `communes` sorted as strings (their population: population_of, in layer/population.hpp).
std::vector<std::string> sorted_codes(const CommuneLayer& layer, const CommuneSet& communes);
// m² → km², rounded to 6 decimals (as written in every output).
double km2(double m2);
// The delivery of a set's communes (a territory or zone is in one: its first commune's); 0 if empty.
unsigned delivery_of(const CommuneLayer& layer, const CommuneSet& communes);
// The working CRS of each delivery of the layer, in delivery order.
std::vector<std::string> delivery_crs(const CommuneLayer& layer);
// Ids of the given territories, comma-separated ("centre-21,cpts-21-52").
std::string join_ids(const BuildResult& r, const std::vector<std::size_t>& territories);

} // namespace cptsmap
