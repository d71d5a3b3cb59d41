#include "cptsmap/export/layers.hpp"

#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/export/layer_schema.hpp"

#include <algorithm>
#include <memory>

namespace cptsmap {

std::vector<std::string> sorted_codes(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::vector<std::string> out;
    out.reserve(communes.size());
    for (CommuneIndex i : communes) out.push_back(layer[i].insee);
    std::sort(out.begin(), out.end());
    return out;
}

double km2(double m2) { return round_to(m2 / 1e6, 6); }

unsigned delivery_of(const CommuneLayer& layer, const CommuneSet& communes) { return communes.empty() ? 0U : layer[communes.front()].delivery; }

std::vector<std::string> delivery_crs(const CommuneLayer& layer)
{
    std::vector<std::string> out;
    for (const Delivery& d : layer.deliveries) out.push_back(d.crs);
    if (out.empty()) out.push_back(layer.crs);
    return out;
}

std::string join_ids(const BuildResult& r, const std::vector<std::size_t>& territories)
{
    std::string out;
    for (std::size_t t : territories) out += (out.empty() ? "" : ",") + r.resolution.territories[t].id;
    return out;
}

namespace {
// A layer's writer, opened with the layer's one description (export/layer_schema.hpp).
std::unique_ptr<GeoJsonWriter> open_layer(const BuildResult& r, OutputLayer layer, const std::string& path, const GeosContext& geos,
                                          const VertexLonLat* vertices)
{
    const OutputLayerSchema& schema = schema_of(layer);
    auto w = std::make_unique<GeoJsonWriter>(path, schema.name, schema.fields, delivery_crs(r.layer), geos);
    if (vertices != nullptr) w->use_vertices(vertices);
    return w;
}
} // namespace

void write_territories(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices)
{
    const auto w = open_layer(r, OutputLayer::Territories, path, geos, vertices);
    w->add_rows(feature_count(r, OutputLayer::Territories), [&](std::size_t t) {
        const Dissolved& d = r.assembly.territories[t];
        return GeoJsonWriter::Row{territory_values(r, t), d.geometry.get(), d.rings.get(), nullptr,
                                  delivery_of(r.layer, r.resolution.territories[t].communes)};
    });
    w->close();
}

std::vector<VertexRings> commune_vertex_rings(const BuildResult& r)
{
    std::vector<VertexRings> out(r.layer.size());
    if (!r.assembly.topology) return out;
    for (CommuneIndex i = 0; i < r.layer.size(); ++i)
        if (!r.assembly.topology->commune_rings(i, out[i])) out[i].polygons.clear();
    return out;
}

void write_communes(const BuildResult& r, const std::string& path, const GeosContext& geos, const std::vector<VertexRings>* rings,
                    const VertexLonLat* vertices)
{
    const auto w = open_layer(r, OutputLayer::Communes, path, geos, vertices);
    const CommuneSet order = communes_in_order(r);
    w->add_rows(order.size(), [&](std::size_t k) {
        const CommuneIndex i = order[k];
        return GeoJsonWriter::Row{commune_values(r, i), nullptr, rings != nullptr && !(*rings)[i].polygons.empty() ? &(*rings)[i] : nullptr,
                                  &r.layer[i].geometry, r.layer[i].delivery};
    });
    w->close();
}

void write_gaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices,
                const std::vector<std::shared_ptr<const VertexRings>>* rings)
{
    const auto w = open_layer(r, OutputLayer::Gaps, path, geos, vertices);
    w->add_rows(feature_count(r, OutputLayer::Gaps), [&](std::size_t k) {
        return GeoJsonWriter::Row{gap_values(r, k), r.assembly.gaps[k].geometry.get(), rings != nullptr ? (*rings)[k].get() : nullptr, nullptr,
                                  delivery_of(r.layer, r.assembly.gaps[k].communes)};
    });
    w->close();
}

void write_overlaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices,
                    const std::vector<std::shared_ptr<const VertexRings>>* rings)
{
    const auto w = open_layer(r, OutputLayer::Overlaps, path, geos, vertices);
    w->add_rows(feature_count(r, OutputLayer::Overlaps), [&](std::size_t k) {
        return GeoJsonWriter::Row{overlap_values(r, k), r.assembly.overlaps[k].zone.geometry.get(),
                                  rings != nullptr ? (*rings)[k].get() : nullptr, nullptr, delivery_of(r.layer, r.assembly.overlaps[k].zone.communes)};
    });
    w->close();
}

} // namespace cptsmap
