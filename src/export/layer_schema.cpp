#include "cptsmap/export/layer_schema.hpp"

#include "cptsmap/export/layers.hpp"

#include <algorithm>

namespace cptsmap {

const std::vector<OutputLayerSchema>& output_layers()
{
    static const std::vector<OutputLayerSchema> layers{
        {OutputLayer::Territories,
         "territories",
         {{"id", FieldKind::String}, {"name", FieldKind::String}, {"communes", FieldKind::Integer}, {"population", FieldKind::Integer},
          {"area_km2", FieldKind::Real}, {"parts", FieldKind::Integer}},
         true},
        {OutputLayer::Communes,
         "communes",
         {{"insee", FieldKind::String}, {"nom", FieldKind::String}, {"population", FieldKind::Integer}, {"dep", FieldKind::String},
          {"territories", FieldKind::String}, {"status", FieldKind::String}},
         true},
        {OutputLayer::Gaps,
         "gaps",
         {{"id", FieldKind::String}, {"communes", FieldKind::Integer}, {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real},
          {"insee", FieldKind::StringList}},
         true},
        {OutputLayer::Overlaps,
         "overlaps",
         {{"id", FieldKind::String}, {"territories", FieldKind::String}, {"communes", FieldKind::Integer},
          {"population", FieldKind::Integer}, {"area_km2", FieldKind::Real}, {"insee", FieldKind::StringList}},
         true},
        {OutputLayer::StudyArea,
         "study_area",
         {{"communes", FieldKind::Integer}, {"population", FieldKind::Integer}, {"covered_communes", FieldKind::Integer},
          {"covered_population", FieldKind::Integer}, {"coverage_pct", FieldKind::Real}, {"area_km2", FieldKind::Real}},
         false},
    };
    return layers;
}

const OutputLayerSchema& schema_of(OutputLayer layer)
{
    return output_layers()[static_cast<std::size_t>(layer)];
}

std::size_t feature_count(const BuildResult& r, OutputLayer layer)
{
    switch (layer) {
    case OutputLayer::Territories: return r.resolution.territories.size();
    case OutputLayer::Communes: return r.coverage.reported.size();
    case OutputLayer::Gaps: return r.assembly.gaps.size();
    case OutputLayer::Overlaps: return r.assembly.overlaps.size();
    case OutputLayer::StudyArea: break;
    }
    return 1;
}

CommuneSet communes_in_order(const BuildResult& r)
{
    CommuneSet order = r.coverage.reported;
    std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return r.layer[a].insee < r.layer[b].insee; });
    return order;
}

std::vector<FieldValue> territory_values(const BuildResult& r, std::size_t t)
{
    const auto& def = r.resolution.territories[t];
    const Dissolved& d = r.assembly.territories[t];
    return {def.id, def.name, static_cast<std::int64_t>(def.communes.size()), r.coverage.territories[t].population, km2(d.area_m2),
            static_cast<std::int64_t>(d.parts)};
}

std::vector<FieldValue> commune_values(const BuildResult& r, CommuneIndex i)
{
    const Commune& c = r.layer[i];
    return {c.insee, c.name, c.population, c.departement, join_ids(r, r.coverage.territories_of[i]), std::string(to_string(r.coverage.status[i]))};
}

std::vector<FieldValue> gap_values(const BuildResult& r, std::size_t k)
{
    const Zone& z = r.assembly.gaps[k];
    return {"gap-" + std::to_string(k + 1), static_cast<std::int64_t>(z.communes.size()), population_of(r.layer, z.communes), km2(z.area_m2),
            sorted_codes(r.layer, z.communes)};
}

std::vector<FieldValue> overlap_values(const BuildResult& r, std::size_t k)
{
    const OverlapZone& o = r.assembly.overlaps[k];
    const Zone& z = o.zone;
    return {"overlap-" + std::to_string(k + 1), join_ids(r, o.territories), static_cast<std::int64_t>(z.communes.size()),
            population_of(r.layer, z.communes), km2(z.area_m2), sorted_codes(r.layer, z.communes)};
}

std::vector<FieldValue> study_area_values(const BuildResult& r, double study_area_m2)
{
    const PopulationStats& s = r.coverage.study_area;
    return {static_cast<std::int64_t>(s.communes), s.population, static_cast<std::int64_t>(s.covered_communes), s.covered_population,
            round_to(s.coverage_pct, 4), km2(study_area_m2)};
}

} // namespace cptsmap
