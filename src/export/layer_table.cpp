#include "cptsmap/export/layer_table.hpp"

#include "cptsmap/export/layer_schema.hpp"
#include "cptsmap/export/layers.hpp"

namespace cptsmap {

namespace {

LayerTable empty_table(OutputLayer layer)
{
    const OutputLayerSchema& schema = schema_of(layer);
    return LayerTable{schema.name, schema.fields, {}, {}};
}

LayerTable territories_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Territories);
    for (std::size_t i = 0; i < feature_count(r, OutputLayer::Territories); ++i)
        t.rows.push_back({territory_values(r, i), r.assembly.territories[i].geometry.get()});
    return t;
}

LayerTable communes_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Communes);
    for (CommuneIndex i : communes_in_order(r)) t.rows.push_back({commune_values(r, i), r.layer[i].geometry.get()});
    return t;
}

LayerTable gaps_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Gaps);
    for (std::size_t k = 0; k < feature_count(r, OutputLayer::Gaps); ++k) t.rows.push_back({gap_values(r, k), r.assembly.gaps[k].geometry.get()});
    return t;
}

LayerTable overlaps_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Overlaps);
    for (std::size_t k = 0; k < feature_count(r, OutputLayer::Overlaps); ++k)
        t.rows.push_back({overlap_values(r, k), r.assembly.overlaps[k].zone.geometry.get()});
    return t;
}

LayerTable study_area_table(const BuildResult& r, const GeosContext& geos)
{
    LayerTable t = empty_table(OutputLayer::StudyArea);
    // On the topology the territories were dissolved on, when there is one: the exact dissolve
    // of the study area's boundary, not a second GEOS union of all its communes.
    DissolveOptions options;
    options.topology = r.assembly.topology.get();
    Dissolved d = dissolve(geos, r.layer, r.resolution.study_area, options);
    t.rows.push_back({study_area_values(r, d.area_m2), d.geometry.get()});
    t.owned.push_back(std::move(d.geometry));
    return t;
}

} // namespace

const std::vector<std::string>& layer_names()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const OutputLayerSchema& s : output_layers()) out.push_back(s.name);
        return out;
    }();
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
