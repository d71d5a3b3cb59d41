#include "cptsmap/tiles/mbtiles_writer.hpp"

#include "cptsmap/export/vector_dataset_writer.hpp"
#include "cptsmap/tiles/zoom_levels.hpp"

#include <algorithm>

namespace cptsmap {

namespace {

bool wanted(const MbtilesOptions& options, const std::string& name)
{
    return options.layers.empty() || std::find(options.layers.begin(), options.layers.end(), name) != options.layers.end();
}

// The name of the tiles' layer a table goes into: "territories" for "territories_972" too.
std::string tile_layer_name(const std::string& table)
{
    for (const std::string& n : layer_names())
        if (table == n || table.rfind(n + "_", 0) == 0) return n;
    return table;
}

} // namespace

MbtilesSummary write_mbtiles(const BuildResult& full, const std::vector<LayerTable>& tables, const GeosContext& geos, const std::string& path,
                             const MbtilesOptions& options)
{
    MbtilesSummary summary;
    summary.zooms = choose_tile_zooms(full.layer, geos);
    const TileZooms& z = summary.zooms;
    // SIMPLIFICATION=1: GDAL drops the vertices within one tile unit (a sixteenth of a pixel) of
    // the line once rounded to the grid, as tippecanoe does by default. The borders the input
    // leaves unmatched keep every vertex in the topology's simplification, and would otherwise
    // exceed MapLibre's 6,553 points of a line in one tile at low zooms on France.
    VectorDatasetWriter writer("MVT", path,
                               {"FORMAT=MBTILES", "MINZOOM=" + std::to_string(z.min_zoom), "MAXZOOM=" + std::to_string(z.max_zoom), "NAME=cptsmap",
                                "DESCRIPTION=cptsmap build: territories, communes, gaps, overlaps, study area", "TYPE=overlay",
                                "SIMPLIFICATION=1"});
    const ZoomSimplifier simplifier(full, geos, options.threads);
    // Only the layers in the tiles are dissolved again at each zoom: the communes alone need none.
    bool dissolve = false;
    for (const char* layer : {"territories", "gaps", "overlaps", "study_area"}) dissolve = dissolve || wanted(options, layer);
    for (int zoom = z.min_zoom; zoom <= z.max_zoom; ++zoom) {
        const auto in_zoom = [&](const std::string& name) { return wanted(options, name) && (name != "communes" || zoom >= z.communes_min_zoom); };
        const auto level = simplifier.level(ground_pixel_m(zoom, z.latitude), dissolve);
        summary.vertices.push_back(level->stats.vertices_after);
        const std::vector<LayerTable> level_tables = make_layer_tables(level->result, geos, in_zoom);
        std::vector<LayerTable> chosen;
        for (LayerTable& t : tile_tables(tables, level_tables))
            if (in_zoom(t.name)) chosen.push_back(std::move(t));
        const std::vector<LayerTable> by_crs = full.layer.deliveries.size() > 1 ? tables_by_crs(chosen, level->result.layer) : std::vector<LayerTable>{};
        for (const LayerTable& t : full.layer.deliveries.size() > 1 ? by_crs : chosen) {
            if (t.rows.empty()) continue;
            LayerTable named{t.name + "_z" + std::to_string(zoom), t.fields, t.rows, {}, t.crs};
            writer.write(named, full.layer.crs,
                         {{"NAME=" + tile_layer_name(t.name), "MINZOOM=" + std::to_string(zoom), "MAXZOOM=" + std::to_string(zoom)}, false});
        }
    }
    writer.close();
    for (const std::string& w : writer.gdal_warnings()) summary.warnings.push_back("vector tiles: GDAL: " + w);
    return summary;
}

} // namespace cptsmap
