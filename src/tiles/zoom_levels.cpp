#include "cptsmap/tiles/zoom_levels.hpp"

#include "cptsmap/geometry/assemble.hpp"

namespace cptsmap {

ZoomSimplifier::ZoomSimplifier(const BuildResult& full, const GeosContext& geos, unsigned threads)
    : full_(full), geos_(geos), threads_(threads)
{
    options_.threads = threads;
    topology_ = std::make_unique<const CoverageTopology>(geos, full.layer, simplify_topology_options(options_, threads));
}

ZoomSimplifier::~ZoomSimplifier() = default;

std::unique_ptr<ZoomSimplifier::Level> ZoomSimplifier::level(double tolerance_m, bool dissolve) const
{
    auto out = std::make_unique<Level>();
    out->tolerance_m = tolerance_m;
    SimplifyOptions options = options_;
    options.tolerance = tolerance_m;
    CoverageSimplification s = simplify_coverage(geos_, *topology_, options);
    out->stats = s.stats;
    BuildResult& r = out->result;
    r.layer = full_.layer;
    apply_simplification(r.layer, geos_, s);
    r.resolution = full_.resolution;
    r.coverage = full_.coverage;
    if (!dissolve) return out;
    AssembleOptions assemble_options;
    assemble_options.threads = threads_;
    TopologyOptions topology_options;
    topology_options.threads = threads_;
    assemble_options.topology = std::make_shared<const CoverageTopology>(geos_, r.layer, topology_options);
    r.assembly = assemble(geos_, r.layer, r.resolution, r.coverage, assemble_options);
    return out;
}

std::vector<LayerTable> tile_tables(const std::vector<LayerTable>& full, const std::vector<LayerTable>& level)
{
    std::vector<LayerTable> out;
    for (std::size_t t = 0; t < level.size(); ++t) {
        const LayerTable& z = level[t];
        const LayerTable* f = t < full.size() && full[t].name == z.name && full[t].rows.size() == z.rows.size() ? &full[t] : nullptr;
        LayerTable tile{z.name, {}, {}, {}, z.crs};
        std::vector<std::size_t> kept;
        for (std::size_t i = 0; i < z.fields.size(); ++i) {
            if (z.fields[i].kind == FieldKind::StringList) continue;
            tile.fields.push_back(z.fields[i]);
            kept.push_back(i);
        }
        for (std::size_t k = 0; k < z.rows.size(); ++k) {
            const LayerRow& values = f != nullptr ? f->rows[k] : z.rows[k];
            LayerRow row{{}, z.rows[k].geometry, z.rows[k].delivery};
            for (std::size_t i : kept) row.values.push_back(values.values.at(i));
            tile.rows.push_back(std::move(row));
        }
        out.push_back(std::move(tile));
    }
    return out;
}

} // namespace cptsmap
