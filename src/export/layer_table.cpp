#include "cptsmap/export/layer_table.hpp"

#include "cptsmap/export/layer_schema.hpp"
#include "cptsmap/export/layers.hpp"

#include <algorithm>

namespace cptsmap {

namespace {

LayerTable empty_table(OutputLayer layer)
{
    const OutputLayerSchema& schema = schema_of(layer);
    return LayerTable{schema.name, schema.fields, {}, {}, {}};
}

LayerTable territories_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Territories);
    for (std::size_t i = 0; i < feature_count(r, OutputLayer::Territories); ++i)
        t.rows.push_back({territory_values(r, i), r.assembly.territories[i].geometry.get(), delivery_of(r.layer, r.resolution.territories[i].communes)});
    return t;
}

LayerTable communes_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Communes);
    for (CommuneIndex i : communes_in_order(r)) t.rows.push_back({commune_values(r, i), r.layer[i].geometry.get(), r.layer[i].delivery});
    return t;
}

LayerTable gaps_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Gaps);
    for (std::size_t k = 0; k < feature_count(r, OutputLayer::Gaps); ++k)
        t.rows.push_back({gap_values(r, k), r.assembly.gaps[k].geometry.get(), delivery_of(r.layer, r.assembly.gaps[k].communes)});
    return t;
}

LayerTable overlaps_table(const BuildResult& r)
{
    LayerTable t = empty_table(OutputLayer::Overlaps);
    for (std::size_t k = 0; k < feature_count(r, OutputLayer::Overlaps); ++k)
        t.rows.push_back({overlap_values(r, k), r.assembly.overlaps[k].zone.geometry.get(), delivery_of(r.layer, r.assembly.overlaps[k].zone.communes)});
    return t;
}

LayerTable study_area_table(const BuildResult& r, const GeosContext& geos)
{
    LayerTable t = empty_table(OutputLayer::StudyArea);
    // On the topology the territories were dissolved on, when there is one: the exact dissolve
    // of the study area's boundary, not a second GEOS union of all its communes.
    DissolveOptions options;
    options.topology = r.assembly.topology.get();
    if (r.layer.deliveries.size() < 2) {
        Dissolved d = dissolve(geos, r.layer, r.resolution.study_area, options);
        t.rows.push_back({study_area_values(r, d.area_m2), d.geometry.get()});
        t.owned.push_back(std::move(d.geometry));
        return t;
    }
    // Several deliveries: one outline per delivery, each in its CRS (its figures: the whole study area's).
    std::vector<CommuneSet> parts(r.layer.deliveries.size());
    for (CommuneIndex i : r.resolution.study_area) parts[r.layer[i].delivery].push_back(i);
    for (unsigned k = 0; k < parts.size(); ++k) {
        if (parts[k].empty()) continue;
        Dissolved d = dissolve(geos, r.layer, parts[k], options);
        t.rows.push_back({study_area_values(r, d.area_m2), d.geometry.get(), k});
        t.owned.push_back(std::move(d.geometry));
    }
    return t;
}

} // namespace

std::vector<LayerTable> tables_by_crs(const std::vector<LayerTable>& tables, const CommuneLayer& layer)
{
    // The deliveries of each CRS, in order of first appearance.
    std::vector<std::string> crs_order;
    std::vector<std::string> suffix;
    std::vector<unsigned> group_of(layer.deliveries.size(), 0);
    for (unsigned k = 0; k < layer.deliveries.size(); ++k) {
        const Delivery& d = layer.deliveries[k];
        const auto it = std::find(crs_order.begin(), crs_order.end(), d.crs);
        group_of[k] = static_cast<unsigned>(it - crs_order.begin());
        if (it == crs_order.end()) {
            crs_order.push_back(d.crs);
            suffix.push_back("");
        }
        if (group_of[k] > 0) suffix[group_of[k]] += "_" + d.name;
    }
    std::vector<LayerTable> out;
    for (const LayerTable& t : tables) {
        for (unsigned g = 0; g < std::max<std::size_t>(crs_order.size(), 1); ++g) {
            LayerTable part{t.name + (g < suffix.size() ? suffix[g] : ""), t.fields, {}, {}, crs_order.empty() ? t.crs : crs_order[g]};
            for (const LayerRow& row : t.rows)
                if (group_of.empty() || group_of.at(row.delivery) == g) part.rows.push_back(row);
            if (g == 0 || !part.rows.empty()) out.push_back(std::move(part));
        }
    }
    return out;
}

const std::vector<std::string>& layer_names()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const OutputLayerSchema& s : output_layers()) out.push_back(s.name);
        return out;
    }();
    return names;
}

std::vector<LayerTable> make_layer_tables(const BuildResult& r, const GeosContext& geos, const std::function<bool(const std::string& layer)>& wanted)
{
    const auto table = [&](OutputLayer layer, const auto& make) {
        return !wanted || wanted(schema_of(layer).name) ? make() : empty_table(layer);
    };
    std::vector<LayerTable> out;
    out.push_back(table(OutputLayer::Territories, [&] { return territories_table(r); }));
    out.push_back(table(OutputLayer::Communes, [&] { return communes_table(r); }));
    out.push_back(table(OutputLayer::Gaps, [&] { return gaps_table(r); }));
    out.push_back(table(OutputLayer::Overlaps, [&] { return overlaps_table(r); }));
    out.push_back(table(OutputLayer::StudyArea, [&] { return study_area_table(r, geos); }));
    return out;
}

} // namespace cptsmap
