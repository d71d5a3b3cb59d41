#include "cptsmap/export/layers.hpp"

#include "cptsmap/export/geojson_writer.hpp"

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

std::int64_t population_of(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::int64_t sum = 0;
    for (CommuneIndex i : communes) sum += layer[i].population;
    return sum;
}

double km2(double m2) { return round_to(m2 / 1e6, 6); }

std::string join_ids(const BuildResult& r, const std::vector<std::size_t>& territories)
{
    std::string out;
    for (std::size_t t : territories) out += (out.empty() ? "" : ",") + r.resolution.territories[t].id;
    return out;
}

void write_territories(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices)
{
    GeoJsonWriter w(path, "territories",
                    {{"id", FieldKind::String}, {"name", FieldKind::String}, {"communes", FieldKind::Integer},
                     {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real}, {"parts", FieldKind::Integer}},
                    r.layer.crs, geos);
    if (vertices != nullptr) w.use_vertices(vertices);
    w.add_rows(r.resolution.territories.size(), [&](std::size_t t) {
        const auto& def = r.resolution.territories[t];
        const Dissolved& d = r.assembly.territories[t];
        return GeoJsonWriter::Row{{def.id, def.name, static_cast<std::int64_t>(def.communes.size()), r.coverage.territories[t].population,
                                   km2(d.area_m2), static_cast<std::int64_t>(d.parts)},
                                  d.geometry.get(), d.rings.get()};
    });
    w.close();
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
    GeoJsonWriter w(path, "communes",
                    {{"insee", FieldKind::String}, {"nom", FieldKind::String}, {"population", FieldKind::Integer},
                     {"dep", FieldKind::String}, {"territories", FieldKind::String}, {"status", FieldKind::String}},
                    r.layer.crs, geos);
    if (vertices != nullptr) w.use_vertices(vertices);
    CommuneSet order = r.coverage.reported;
    std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    w.add_rows(order.size(), [&](std::size_t k) {
        const CommuneIndex i = order[k];
        const Commune& c = r.layer[i];
        return GeoJsonWriter::Row{{c.insee, c.name, c.population, c.departement, join_ids(r, r.coverage.territories_of[i]),
                                   std::string(to_string(r.coverage.status[i]))},
                                  nullptr, rings != nullptr && !(*rings)[i].polygons.empty() ? &(*rings)[i] : nullptr, &c.geometry};
    });
    w.close();
}

void write_gaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices,
                const std::vector<std::shared_ptr<const VertexRings>>* rings)
{
    GeoJsonWriter w(path, "gaps",
                    {{"id", FieldKind::String}, {"communes", FieldKind::Integer}, {"population", FieldKind::Integer},
                     {"area_km2", FieldKind::Real}, {"insee", FieldKind::StringList}},
                    r.layer.crs, geos);
    if (vertices != nullptr) w.use_vertices(vertices);
    w.add_rows(r.assembly.gaps.size(), [&](std::size_t k) {
        const Zone& z = r.assembly.gaps[k];
        return GeoJsonWriter::Row{{"gap-" + std::to_string(k + 1), static_cast<std::int64_t>(z.communes.size()), population_of(r.layer, z.communes),
                                   km2(z.area_m2), sorted_codes(r.layer, z.communes)},
                                  z.geometry.get(), rings != nullptr ? (*rings)[k].get() : nullptr};
    });
    w.close();
}

void write_overlaps(const BuildResult& r, const std::string& path, const GeosContext& geos, const VertexLonLat* vertices,
                    const std::vector<std::shared_ptr<const VertexRings>>* rings)
{
    GeoJsonWriter w(path, "overlaps",
                    {{"id", FieldKind::String}, {"territories", FieldKind::String}, {"communes", FieldKind::Integer},
                     {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real}, {"insee", FieldKind::StringList}},
                    r.layer.crs, geos);
    if (vertices != nullptr) w.use_vertices(vertices);
    w.add_rows(r.assembly.overlaps.size(), [&](std::size_t k) {
        const OverlapZone& o = r.assembly.overlaps[k];
        const Zone& z = o.zone;
        return GeoJsonWriter::Row{{"overlap-" + std::to_string(k + 1), join_ids(r, o.territories), static_cast<std::int64_t>(z.communes.size()),
                                   population_of(r.layer, z.communes), km2(z.area_m2), sorted_codes(r.layer, z.communes)},
                                  z.geometry.get(), rings != nullptr ? (*rings)[k].get() : nullptr};
    });
    w.close();
}

} // namespace cptsmap
