#include "cptsmap/pipeline/build.hpp"

#include "cptsmap/clean/clean_changes.hpp"
#include "cptsmap/clean/clean_layer.hpp"
#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/output_formats.hpp"
#include "cptsmap/export/report.hpp"
#include "cptsmap/export/resolution_csv.hpp"
#include "cptsmap/geometry/edge_dissolve.hpp"
#include "cptsmap/layer/population_table.hpp"
#include "cptsmap/map/html_map.hpp"
#include "cptsmap/map/png_render.hpp"
#include "cptsmap/map/svg_map.hpp"
#include "cptsmap/sheets/sheets_html.hpp"
#include "cptsmap/sheets/territory_figures.hpp"
#include "cptsmap/tiles/mbtiles_writer.hpp"
#include "cptsmap/tiles/tiles_map_html.hpp"

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace cptsmap {

namespace {
constexpr int kComputeSteps = 5;

void report_step(const BuildOptions& options, std::string_view what, int done)
{
    if (options.progress) options.progress(what, done, kComputeSteps);
}

// A territory is dissolved and measured in one CRS: its communes must come from one delivery.
void check_one_delivery_each(const CommuneLayer& layer, const Resolution& resolution)
{
    if (layer.deliveries.size() < 2) return;
    for (const ResolvedTerritory& t : resolution.territories) {
        for (CommuneIndex i : t.communes) {
            const Commune& first = layer[t.communes.front()];
            const Commune& c = layer[i];
            if (c.delivery == first.delivery) continue;
            const Delivery& a = layer.deliveries[first.delivery];
            const Delivery& b = layer.deliveries[c.delivery];
            throw DefinitionError("territory \"" + t.id + "\" spans two deliveries: " + first.insee + " " + first.name + " from " + a.source + " (" +
                                  a.crs + ") and " + c.insee + " " + c.name + " from " + b.source + " (" + b.crs +
                                  "); a territory is dissolved and measured in one CRS: split it in two, or give --work-crs to put every "
                                  "delivery in one CRS");
        }
    }
}

BuildResult resolve_with_progress(const BuildOptions& options, const GeosContext& geos, int& done)
{
    BuildResult r;
    StageClock clock(r.timings);
    report_step(options, "reading the definitions", done++);
    // Definitions first: a typo in them is found without waiting for a national layer to load.
    r.definitions = options.membership.path.empty() ? load_definitions(options.definitions) : load_membership_table(options.membership);
    if (options.sheets) check_sheet_file_names(r.definitions);
    if (!options.study_area.empty()) r.definitions.study_area = parse_expression(options.study_area, SourcePos{"--study-area", 1, 1});
    std::optional<CommuneHistory> history;
    if (!options.history.empty()) history = load_commune_history(options.history);
    clock.lap("read definitions");
    report_step(options, "loading the communes", done++);
    LoadOptions load = options.load;
    if (load.threads == 0) load.threads = options.threads;
    r.layer = load_communes(load, geos);
    if (!options.population.empty()) apply_population_table(r.layer, load_population_table(options.population));
    clock.lap("load communes");
    if (options.clean) {
        const CleanResult c = clean_layer(r.layer, geos, *options.clean);
        r.layer.warnings.push_back("--clean: " + clean_summary(c.stats) + " (" + std::to_string(c.changes.size()) + " changes)");
        clock.lap("clean");
    }
    if (options.simplify) {
        const SimplifyStats s = simplify_layer(r.layer, geos, *options.simplify);
        r.layer.simplified = CommuneLayer::Simplification{s.tolerance, options.simplify->keep_pct, s.vertices_before, s.vertices_after, s.restored};
        clock.lap("simplify");
    }
    r.warnings = r.layer.warnings;
    r.warnings.insert(r.warnings.end(), r.definitions.warnings.begin(), r.definitions.warnings.end());

    report_step(options, "resolving the territories", done++);
    Resolver resolver(r.layer, history ? &*history : nullptr);
    r.resolution = resolver.resolve(r.definitions);
    check_one_delivery_each(r.layer, r.resolution);
    clock.lap("resolve");
    r.warnings.insert(r.warnings.end(), r.resolution.warnings.begin(), r.resolution.warnings.end());
    return r;
}
} // namespace

BuildResult resolve_definitions(const BuildOptions& options, const GeosContext& geos)
{
    int done = 0;
    return resolve_with_progress(options, geos, done);
}

BuildResult compute(const BuildOptions& options, const GeosContext& geos)
{
    int done = 0;
    // The bands first: a bad table fails before the long steps.
    FundingBands bands = options.bands.empty() ? default_funding_bands() : read_funding_bands(options.bands);
    BuildResult r = resolve_with_progress(options, geos, done);
    StageClock clock(r.timings);
    report_step(options, "finding gaps and overlaps", done++);
    r.coverage = compute_coverage(r.layer, r.resolution);
    clock.lap("coverage");
    report_step(options, "dissolving", done++);
    AssembleOptions assemble_options;
    assemble_options.threads = options.threads;
    TopologyOptions topology_options;
    topology_options.threads = options.threads;
    assemble_options.topology = std::make_shared<const CoverageTopology>(geos, r.layer, topology_options);
    clock.lap("shared-edge topology");
    r.assembly = assemble(geos, r.layer, r.resolution, r.coverage, assemble_options);
    r.warnings.insert(r.warnings.end(), r.assembly.warnings.begin(), r.assembly.warnings.end());
    clock.lap("dissolve, gaps, overlaps");
    r.figures = compute_sheet_figures(geos, r.layer, r.resolution, r.coverage, r.assembly, std::move(bands));
    clock.lap("territory figures");
    report_step(options, "done", done);
    return r;
}

namespace {

// What the output options ask for, and how many progress steps writing it takes.
struct OutputPlan {
    const OutputOptions& output;

    bool wants(OutputFormat f) const { return std::find(output.formats.begin(), output.formats.end(), f) != output.formats.end(); }
    bool layer_wanted(const std::string& name) const
    {
        return output.layers.empty() || std::find(output.layers.begin(), output.layers.end(), name) != output.layers.end();
    }
    bool other_formats() const
    {
        return std::any_of(output.formats.begin(), output.formats.end(), [](OutputFormat f) { return f != OutputFormat::GeoJson; });
    }
    bool tables() const { return other_formats() || output.map; } // the layers as GDAL tables
    int steps() const
    {
        const auto geojson_layers =
            std::count_if(layer_names().begin(), layer_names().end(), [&](const std::string& n) { return n != "study_area" && layer_wanted(n); });
        const bool geojson = wants(OutputFormat::GeoJson);
        return (geojson ? static_cast<int>(geojson_layers) : 0) + (tables() ? 1 : 0) + static_cast<int>(output.formats.size()) - (geojson ? 1 : 0) +
               (output.map ? 3 : 0) + (output.sheets ? 1 : 0) + 1;
    }
};

// The writing steps: each reported to the progress callback and timed until the next one.
class WriteSteps {
public:
    WriteSteps(const OutputOptions& output, int total, std::vector<StageTime>& timings) : output_(output), total_(total), clock_(timings) {}
    void operator()(std::string_view what)
    {
        if (!current_.empty()) clock_.lap("write " + current_);
        current_ = what;
        if (output_.progress) output_.progress(what, done_++, total_);
    }
    void finish(std::string_view last_lap)
    {
        clock_.lap(std::string(last_lap));
        if (output_.progress) output_.progress("done", done_, total_);
    }

private:
    const OutputOptions& output_;
    int total_, done_ = 0;
    StageClock clock_;
    std::string current_;
};

// The rings of the GeoJSON layers as vertex ids of the topology, and the vertices in WGS84: each
// vertex is reprojected once for all the layers (they share most of their borders). Empty without
// a topology: the layers are then written from their GEOS geometries.
struct LayerRings {
    std::vector<VertexRings> communes;
    std::vector<std::shared_ptr<const VertexRings>> gaps, overlaps;
    std::unique_ptr<VertexLonLat> vertices;
};

LayerRings layer_rings(const BuildResult& result, const OutputPlan& plan, const GeosContext& geos)
{
    LayerRings out;
    const CoverageTopology* topology = result.assembly.topology.get();
    // Several deliveries: each vertex is in its delivery's CRS, which the vertex table does not
    // know; the layers are written from their GEOS geometries, each from its own CRS.
    if (topology == nullptr || result.layer.deliveries.size() > 1) return out;
    std::vector<const VertexRings*> needed;
    if (plan.layer_wanted("territories"))
        for (const Dissolved& d : result.assembly.territories) needed.push_back(d.rings.get());
    if (plan.layer_wanted("communes")) {
        out.communes = commune_vertex_rings(result);
        for (const auto& c : out.communes) needed.push_back(&c);
    }
    // (Made with the zones, on every core; here only for zones split without the topology.)
    const auto rings_of = [&](const Zone& z) { return z.rings ? z.rings : vertex_rings_of(geos, *topology, z.communes, z.geometry.get()); };
    if (plan.layer_wanted("gaps"))
        for (const Zone& z : result.assembly.gaps) out.gaps.push_back(rings_of(z));
    if (plan.layer_wanted("overlaps"))
        for (const OverlapZone& o : result.assembly.overlaps) out.overlaps.push_back(rings_of(o.zone));
    for (const auto* zones : {&out.gaps, &out.overlaps})
        for (const auto& rings : *zones) needed.push_back(rings.get());
    out.vertices = std::make_unique<VertexLonLat>(*topology, result.layer.crs, needed);
    return out;
}

void write_geojson_layers(const BuildResult& result, const OutputPlan& plan, OutputDir& out, const GeosContext& geos, WriteSteps& step)
{
    const LayerRings rings = layer_rings(result, plan, geos);
    const VertexLonLat* vertices = rings.vertices.get();
    if (plan.layer_wanted("territories")) {
        step("territories.geojson");
        write_territories(result, out.staged("territories.geojson").string(), geos, vertices);
    }
    if (plan.layer_wanted("communes")) {
        step("communes.geojson");
        write_communes(result, out.staged("communes.geojson").string(), geos, vertices ? &rings.communes : nullptr, vertices);
    }
    if (plan.layer_wanted("gaps")) {
        step("gaps.geojson");
        write_gaps(result, out.staged("gaps.geojson").string(), geos, vertices, vertices ? &rings.gaps : nullptr);
    }
    if (plan.layer_wanted("overlaps")) {
        step("overlaps.geojson");
        write_overlaps(result, out.staged("overlaps.geojson").string(), geos, vertices, vertices ? &rings.overlaps : nullptr);
    }
}

// The GDAL formats and PostGIS get the chosen layers; the maps draw from all of them.
void write_tables_and_maps(const BuildResult& result, const OutputPlan& plan, OutputDir& out, const GeosContext& geos, WriteSteps& step)
{
    step("study area outline");
    // The maps draw every layer; the formats only those chosen (a national study area's outline is
    // a dissolve of every commune).
    std::function<bool(const std::string&)> needed;
    if (!plan.output.map) needed = [&](const std::string& name) { return plan.layer_wanted(name); };
    std::vector<LayerTable> tables = make_layer_tables(result, geos, needed);
    {
        const auto chosen_end = std::stable_partition(tables.begin(), tables.end(), [&](const LayerTable& t) { return plan.layer_wanted(t.name); });
        std::vector<LayerTable> chosen(std::make_move_iterator(tables.begin()), std::make_move_iterator(chosen_end));
        // Deliveries in several CRSs: one table per CRS ("territories", "territories_972"...).
        const std::vector<LayerTable> by_crs = result.layer.deliveries.size() > 1 ? tables_by_crs(chosen, result.layer) : std::vector<LayerTable>{};
        const std::vector<LayerTable>& written = result.layer.deliveries.size() > 1 ? by_crs : chosen;
        for (OutputFormat f : {OutputFormat::GeoPackage, OutputFormat::FlatGeobuf, OutputFormat::Shapefile}) {
            if (!plan.wants(f)) continue;
            step(to_string(f));
            write_file_format(f, written, result.layer.crs, out);
        }
        if (plan.wants(OutputFormat::PostGis)) {
            step("postgis");
            write_postgis(written, result.layer.crs, plan.output.pg);
        }
        std::move(chosen.begin(), chosen.end(), tables.begin());
    }
    std::optional<MbtilesSummary> tiles;
    if (plan.wants(OutputFormat::MBTiles)) {
        step("mbtiles");
        tiles = write_mbtiles(result, tables, geos, out.staged("cptsmap.mbtiles").string(), MbtilesOptions{plan.output.layers, 0});
        if (plan.output.warning)
            for (const std::string& w : tiles->warnings) plan.output.warning(w);
    }
    if (!plan.output.map) return;
    step("map.svg");
    const MapOptions map_options;
    const std::string svg = render_svg_map(result, tables, geos, map_options);
    write_text_file(out.staged("map.svg").string(), svg);
    step("map.png");
    write_png_from_svg(svg, map_options.png_scale, out.staged("map.png").string());
    step("map.html");
    // With vector tiles, map.html draws them (and needs `cptsmap serve`); without, it is one file.
    write_text_file(out.staged("map.html").string(),
                    tiles ? render_tiles_map(result, tables, *tiles, geos, map_options.title) : render_html_map(result, tables, geos, map_options));
}

} // namespace

std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos)
{
    return write_outputs(result, out_dir, geos, OutputOptions{});
}

std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos,
                                     const OutputOptions& output)
{
    std::vector<StageTime> timings;
    const OutputPlan plan{output};
    WriteSteps step(output, plan.steps(), timings);
    OutputDir out(out_dir, OutputDirOptions{output.overwrite});
    // report.json and resolution.csv only read the result: written on a thread of their own while
    // the layers are written.
    const std::string report_path = out.staged("report.json").string(), resolution_path = out.staged("resolution.csv").string();
    std::future<void> report = std::async(std::launch::async, [&] {
        write_report(result, report_path);
        write_resolution_csv(result.layer, result.resolution.terms, resolution_path);
    });
    if (plan.wants(OutputFormat::GeoJson)) write_geojson_layers(result, plan, out, geos, step);
    if (plan.tables()) write_tables_and_maps(result, plan, out, geos, step);
    if (output.sheets) {
        step("sheets");
        write_sheets(result, out, geos);
    }
    step("report.json");
    report.get();
    out.commit();
    step.finish("finish report.json, resolution.csv (written alongside), commit");
    return timings;
}

} // namespace cptsmap
