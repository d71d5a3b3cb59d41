#include "cptsmap/export/layer_table.hpp"

#include "cptsmap/export/layers.hpp"

#include <algorithm>

namespace cptsmap {

namespace {

LayerTable territories_table(const BuildResult& r)
{
    LayerTable t{"territories",
                 {{"id", FieldKind::String}, {"name", FieldKind::String}, {"communes", FieldKind::Integer},
                  {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real}, {"parts", FieldKind::Integer}},
                 {},
                 {}};
    for (std::size_t i = 0; i < r.resolution.territories.size(); ++i) {
        const auto& def = r.resolution.territories[i];
        const Dissolved& d = r.assembly.territories[i];
        t.rows.push_back({{def.id, def.name, static_cast<std::int64_t>(def.communes.size()), r.coverage.territories[i].population,
                           km2(d.area_m2), static_cast<std::int64_t>(d.parts)},
                          d.geometry.get()});
    }
    return t;
}

LayerTable communes_table(const BuildResult& r)
{
    LayerTable t{"communes",
                 {{"insee", FieldKind::String}, {"nom", FieldKind::String}, {"population", FieldKind::Integer},
                  {"dep", FieldKind::String}, {"territories", FieldKind::String}, {"status", FieldKind::String}},
                 {},
                 {}};
    CommuneSet order = r.coverage.reported;
    std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    for (CommuneIndex i : order) {
        const Commune& c = r.layer[i];
        t.rows.push_back({{c.insee, c.name, c.population, c.departement, join_ids(r, r.coverage.territories_of[i]),
                           std::string(to_string(r.coverage.status[i]))},
                          c.geometry.get()});
    }
    return t;
}

LayerTable gaps_table(const BuildResult& r)
{
    LayerTable t{"gaps",
                 {{"id", FieldKind::String}, {"communes", FieldKind::Integer}, {"population", FieldKind::Integer},
                  {"area_km2", FieldKind::Real}, {"insee", FieldKind::StringList}},
                 {},
                 {}};
    std::size_t n = 0;
    for (const Zone& z : r.assembly.gaps) {
        t.rows.push_back({{"gap-" + std::to_string(++n), static_cast<std::int64_t>(z.communes.size()), population_of(r.layer, z.communes),
                           km2(z.area_m2), sorted_codes(r.layer, z.communes)},
                          z.geometry.get()});
    }
    return t;
}

LayerTable overlaps_table(const BuildResult& r)
{
    LayerTable t{"overlaps",
                 {{"id", FieldKind::String}, {"territories", FieldKind::String}, {"communes", FieldKind::Integer},
                  {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real}, {"insee", FieldKind::StringList}},
                 {},
                 {}};
    std::size_t n = 0;
    for (const OverlapZone& o : r.assembly.overlaps) {
        const Zone& z = o.zone;
        t.rows.push_back({{"overlap-" + std::to_string(++n), join_ids(r, o.territories), static_cast<std::int64_t>(z.communes.size()),
                           population_of(r.layer, z.communes), km2(z.area_m2), sorted_codes(r.layer, z.communes)},
                          z.geometry.get()});
    }
    return t;
}

LayerTable study_area_table(const BuildResult& r, const GeosContext& geos)
{
    LayerTable t{"study_area",
                 {{"communes", FieldKind::Integer}, {"population", FieldKind::Integer}, {"covered_communes", FieldKind::Integer},
                  {"covered_population", FieldKind::Integer}, {"coverage_pct", FieldKind::Real}, {"area_km2", FieldKind::Real}},
                 {},
                 {}};
    Dissolved d = dissolve(geos, r.layer, r.resolution.study_area);
    const PopulationStats& s = r.coverage.study_area;
    t.rows.push_back({{static_cast<std::int64_t>(s.communes), s.population, static_cast<std::int64_t>(s.covered_communes),
                       s.covered_population, round_to(s.coverage_pct, 4), km2(d.area_m2)},
                      d.geometry.get()});
    t.owned.push_back(std::move(d.geometry));
    return t;
}

} // namespace

const std::vector<std::string>& layer_names()
{
    static const std::vector<std::string> names{"territories", "communes", "gaps", "overlaps", "study_area"};
    return names;
}

std::vector<LayerTable> make_layer_tables(const BuildResult& r, const GeosContext& geos)
{
    std::vector<LayerTable> out;
    out.push_back(territories_table(r));
    out.push_back(communes_table(r));
    out.push_back(gaps_table(r));
    out.push_back(overlaps_table(r));
    out.push_back(study_area_table(r, geos));
    return out;
}

} // namespace cptsmap
