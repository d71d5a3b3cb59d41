#include "cptsmap/export/output_formats.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/qml_style.hpp"
#include "cptsmap/export/vector_dataset_writer.hpp"

#include <algorithm>
#include <fstream>

namespace cptsmap {

OutputFormat parse_output_format(const std::string& name)
{
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n == "geojson") return OutputFormat::GeoJson;
    if (n == "gpkg" || n == "geopackage") return OutputFormat::GeoPackage;
    if (n == "fgb" || n == "flatgeobuf") return OutputFormat::FlatGeobuf;
    if (n == "shp" || n == "shapefile") return OutputFormat::Shapefile;
    if (n == "postgis" || n == "pg") return OutputFormat::PostGis;
    if (n == "mbtiles") return OutputFormat::MBTiles;
    throw Error("unknown output format \"" + name + "\"; use geojson, gpkg, fgb, shp, postgis or mbtiles");
}

const char* to_string(OutputFormat format)
{
    switch (format) {
    case OutputFormat::GeoJson: return "geojson";
    case OutputFormat::GeoPackage: return "gpkg";
    case OutputFormat::FlatGeobuf: return "fgb";
    case OutputFormat::Shapefile: return "shp";
    case OutputFormat::PostGis: return "postgis";
    case OutputFormat::MBTiles: return "mbtiles";
    }
    return "?";
}

namespace {

std::vector<LayerStyle> styles_of(const std::vector<LayerTable>& tables)
{
    std::vector<LayerStyle> styles;
    for (const auto& t : tables) styles.push_back({t.name, qml_style(t)});
    return styles;
}

} // namespace

void write_file_format(OutputFormat format, const std::vector<LayerTable>& tables, const std::string& crs, OutputDir& out)
{
    switch (format) {
    case OutputFormat::GeoPackage: {
        VectorDatasetWriter w("GPKG", out.staged("cptsmap.gpkg").string());
        w.begin_transaction();
        for (const auto& t : tables) w.write(t, crs, {{"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES"}, false});
        w.write_styles(styles_of(tables), {"FID=id"});
        w.close();
        return;
    }
    case OutputFormat::FlatGeobuf:
        for (const auto& t : tables) {
            VectorDatasetWriter w("FlatGeobuf", out.staged(t.name + ".fgb").string());
            w.write(t, crs, {{"SPATIAL_INDEX=YES"}, false});
            w.close();
            write_text_file(out.staged(t.name + ".qml"), qml_style(t));
        }
        return;
    case OutputFormat::Shapefile:
        for (const auto& t : tables) {
            const std::filesystem::path shp = out.staged(t.name + ".shp");
            VectorDatasetWriter w("ESRI Shapefile", shp.string());
            w.write(t, crs, {{"ENCODING=UTF-8", "DBF_DATE_LAST_UPDATE=2000-01-01", "SPATIAL_INDEX=NO"}, true});
            w.close();
            for (const char* ext : {".shx", ".dbf", ".prj", ".cpg"}) {
                std::filesystem::path side = shp;
                side.replace_extension(ext);
                if (std::filesystem::exists(side)) out.staged(t.name + ext);
            }
            write_text_file(out.staged(t.name + ".qml"), qml_style(t));
        }
        return;
    case OutputFormat::GeoJson:
    case OutputFormat::PostGis:
    case OutputFormat::MBTiles: // tiles/mbtiles_writer.hpp
        break;
    }
    throw Error(std::string("internal error: ") + to_string(format) + " is not a file format written here");
}

void write_postgis(const std::vector<LayerTable>& tables, const std::string& crs, const std::string& connection)
{
    if (connection.empty()) throw Error("--format postgis needs --pg \"dbname=... host=... port=... user=...\"");
    VectorDatasetWriter w("PostgreSQL", "PG:" + connection);
    w.begin_transaction();
    for (const auto& t : tables) {
        w.write(t, crs, {{"OVERWRITE=YES", "GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=GIST", "LAUNDER=NO"}, false});
    }
    w.close(); // commits
}

} // namespace cptsmap
