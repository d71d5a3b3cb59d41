#include "cptsmap/pipeline/build.hpp"

#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/export/layer_table.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/geometry/edge_dissolve.hpp"
#include "cptsmap/export/output_formats.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/report.hpp"
#include "cptsmap/export/resolution_csv.hpp"
#include "cptsmap/map/html_map.hpp"
#include "cptsmap/map/png_render.hpp"
#include "cptsmap/map/svg_map.hpp"
#include "cptsmap/sheets/sheets_html.hpp"
#include "cptsmap/sheets/territory_figures.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <future>
#include <optional>

namespace cptsmap {

namespace {
constexpr int kComputeSteps = 5;

void report_step(const BuildOptions& options, std::string_view what, int done)
{
    if (options.progress) options.progress(what, done, kComputeSteps);
}

BuildResult resolve_with_progress(const BuildOptions& options, const GeosContext& geos, int& done)
{
    BuildResult r;
    StageClock clock(r.timings);
    report_step(options, "reading the definitions", done++);
    // Definitions first: a typo in them is found without waiting for a national layer to load.
    r.definitions = options.membership.path.empty() ? load_definitions(options.definitions) : load_membership_table(options.membership);
    if (!options.study_area.empty()) r.definitions.study_area = parse_expression(options.study_area, SourcePos{"--study-area", 1, 1});
    std::optional<CommuneHistory> history;
    if (!options.history.empty()) history = load_commune_history(options.history);
    clock.lap("read definitions");
    report_step(options, "loading the communes", done++);
    LoadOptions load = options.load;
    if (load.threads == 0) load.threads = options.threads;
    r.layer = load_communes(load, geos);
    clock.lap("load communes");
    r.warnings = r.layer.warnings;
    r.warnings.insert(r.warnings.end(), r.definitions.warnings.begin(), r.definitions.warnings.end());

    report_step(options, "resolving the territories", done++);
    Resolver resolver(r.layer, history ? &*history : nullptr);
    r.resolution = resolver.resolve(r.definitions);
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

std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos)
{
    return write_outputs(result, out_dir, geos, OutputOptions{});
}

std::vector<StageTime> write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos,
                                     const OutputOptions& output)
{
    std::vector<StageTime> timings;
    StageClock clock(timings);
    std::string current; // the step being timed
    const auto wants = [&](OutputFormat f) { return std::find(output.formats.begin(), output.formats.end(), f) != output.formats.end(); };
    const auto layer_wanted = [&](const std::string& name) {
        return output.layers.empty() || std::find(output.layers.begin(), output.layers.end(), name) != output.layers.end();
    };
    const bool other_formats = std::any_of(output.formats.begin(), output.formats.end(), [](OutputFormat f) { return f != OutputFormat::GeoJson; });
    const int geojson_layers = static_cast<int>(std::count_if(layer_names().begin(), layer_names().end(), [&](const std::string& n) { return n != "study_area" && layer_wanted(n); }));
    const int total = (wants(OutputFormat::GeoJson) ? geojson_layers : 0) + (other_formats || output.map ? 1 : 0) +
                      static_cast<int>(output.formats.size()) - (wants(OutputFormat::GeoJson) ? 1 : 0) + (output.map ? 3 : 0) + (output.sheets ? 1 : 0) + 1;
    int done = 0;
    const auto step = [&](std::string_view what) {
        if (!current.empty()) clock.lap("write " + current);
        current = what;
        if (output.progress) output.progress(what, done++, total);
    };
    OutputDir out(out_dir);
    // report.json and resolution.csv only read the result: written on a thread of their own while
    // the layers are written.
    const std::string report_path = out.staged("report.json").string(), resolution_path = out.staged("resolution.csv").string();
    std::future<void> report = std::async(std::launch::async, [&] {
        write_report(result, report_path);
        write_resolution_csv(result.layer, result.resolution.terms, resolution_path);
    });
    if (wants(OutputFormat::GeoJson)) {
        // Every layer written from the topology's vertex ids where it can be: each vertex is
        // reprojected once for all of them (the layers share most of their borders).
        std::vector<VertexRings> commune_rings;
        std::vector<std::shared_ptr<const VertexRings>> gap_rings, overlap_rings;
        std::unique_ptr<VertexLonLat> vertices;
        if (const CoverageTopology* topology = result.assembly.topology.get()) {
            std::vector<const VertexRings*> needed;
            if (layer_wanted("territories"))
                for (const Dissolved& d : result.assembly.territories) needed.push_back(d.rings.get());
            if (layer_wanted("communes")) {
                commune_rings = commune_vertex_rings(result);
                for (const auto& c : commune_rings) needed.push_back(&c);
            }
            // (Made with the zones, on every core; here only for zones split without the topology.)
            const auto rings_of = [&](const Zone& z) { return z.rings ? z.rings : vertex_rings_of(geos, *topology, z.communes, z.geometry.get()); };
            if (layer_wanted("gaps"))
                for (const Zone& z : result.assembly.gaps) gap_rings.push_back(rings_of(z));
            if (layer_wanted("overlaps"))
                for (const OverlapZone& o : result.assembly.overlaps) overlap_rings.push_back(rings_of(o.zone));
            for (const auto* zones : {&gap_rings, &overlap_rings})
                for (const auto& rings : *zones) needed.push_back(rings.get());
            vertices = std::make_unique<VertexLonLat>(*topology, result.layer.crs, needed);
        }
        if (layer_wanted("territories")) {
            step("territories.geojson");
            write_territories(result, out.staged("territories.geojson").string(), geos, vertices.get());
        }
        if (layer_wanted("communes")) {
            step("communes.geojson");
            write_communes(result, out.staged("communes.geojson").string(), geos, vertices ? &commune_rings : nullptr, vertices.get());
        }
        if (layer_wanted("gaps")) {
            step("gaps.geojson");
            write_gaps(result, out.staged("gaps.geojson").string(), geos, vertices.get(), &gap_rings);
        }
        if (layer_wanted("overlaps")) {
            step("overlaps.geojson");
            write_overlaps(result, out.staged("overlaps.geojson").string(), geos, vertices.get(), &overlap_rings);
        }
    }
    if (other_formats || output.map) {
        step("study area outline");
        std::vector<LayerTable> tables = make_layer_tables(result, geos);
        {
            // Files and PostGIS get the chosen layers; the map draws from all of them.
            const auto chosen_end = std::stable_partition(tables.begin(), tables.end(), [&](const LayerTable& t) { return layer_wanted(t.name); });
            std::vector<LayerTable> chosen(std::make_move_iterator(tables.begin()), std::make_move_iterator(chosen_end));
            for (OutputFormat f : {OutputFormat::GeoPackage, OutputFormat::FlatGeobuf, OutputFormat::Shapefile}) {
                if (!wants(f)) continue;
                step(to_string(f));
                write_file_format(f, chosen, result.layer.crs, out);
            }
            if (wants(OutputFormat::PostGis)) {
                step("postgis");
                write_postgis(chosen, result.layer.crs, output.pg);
            }
            std::move(chosen.begin(), chosen.end(), tables.begin());
        }
        if (output.map) {
            step("map.svg");
            const MapOptions map_options;
            const std::string svg = render_svg_map(result, tables, geos, map_options);
            write_text_file(out.staged("map.svg").string(), svg);
            step("map.png");
            write_png_from_svg(svg, map_options.png_scale, out.staged("map.png").string());
            step("map.html");
            write_text_file(out.staged("map.html").string(), render_html_map(result, tables, geos, map_options));
        }
    }
    if (output.sheets) {
        step("sheets");
        write_sheets(result, out, geos);
    }
    step("report.json");
    report.get();
    out.commit();
    clock.lap("finish report.json, resolution.csv (written alongside), commit");
    if (output.progress) output.progress("done", done, total);
    return timings;
}

} // namespace cptsmap
