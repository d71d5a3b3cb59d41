#include "cptsmap/export/qml_style.hpp"

#include "cptsmap/export/palette.hpp"

#include <sstream>

namespace cptsmap {

namespace {

struct Fill {
    Rgb colour;
    std::string brush;   // QGIS brush style: solid, no, b_diagonal, diagonal_x, ...
    Rgb outline;
    double outline_mm = 0.26;
    std::string outline_style = "solid";
};

void symbol(std::ostringstream& x, const std::string& name, const Fill& f, double alpha)
{
    x << "      <symbol type=\"fill\" name=\"" << name << "\" alpha=\"" << alpha << "\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
      << "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    const std::pair<const char*, std::string> props[] = {
        {"color", f.colour.qgis()},       {"style", f.brush},
        {"outline_color", f.outline.qgis()}, {"outline_style", f.outline_style},
        {"outline_width", std::to_string(f.outline_mm)}, {"outline_width_unit", "MM"},
        {"joinstyle", "round"}};
    for (const auto& [k, v] : props) x << "          <prop k=\"" << k << "\" v=\"" << v << "\"/>\n";
    x << "        </layer>\n      </symbol>\n";
}

void header(std::ostringstream& x, bool labels)
{
    x << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.28.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" << (labels ? 1 : 0) << "\">\n";
}

void single(std::ostringstream& x, const Fill& f, double alpha)
{
    x << "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n";
    symbol(x, "0", f, alpha);
    x << "    </symbols>\n  </renderer-v2>\n";
}

void labels(std::ostringstream& x, const std::string& field)
{
    x << "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
      << "      <text-style fieldName=\"" << xml_escape(field) << "\" isExpression=\"0\" fontFamily=\"DejaVu Sans\" fontSize=\"9\""
      << " fontSizeUnit=\"Point\" fontWeight=\"75\" textColor=\"20,20,20,255\" textOpacity=\"1\">\n"
      << "        <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\"/>\n"
      << "      </text-style>\n"
      << "      <placement placement=\"1\" centroidInside=\"1\" centroidWhole=\"0\" fitInPolygonOnly=\"0\"/>\n"
      << "      <rendering obstacle=\"1\" fontLimitPixelSize=\"0\" drawLabels=\"1\" upsidedownLabels=\"0\"/>\n"
      << "    </settings>\n  </labeling>\n";
}

} // namespace

std::string qml_style(const LayerTable& table)
{
    std::ostringstream x;
    const std::string& name = table.name;
    if (name == "territories") {
        header(x, true);
        x << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"id\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
          << "    <categories>\n";
        for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const auto& id = std::get<std::string>(table.rows[i].values.at(0));
            const auto& label = std::get<std::string>(table.rows[i].values.at(1));
            x << "      <category symbol=\"" << i << "\" value=\"" << xml_escape(id) << "\" label=\"" << xml_escape(label)
              << "\" render=\"true\"/>\n";
        }
        x << "    </categories>\n    <symbols>\n";
        for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const Rgb c = territory_colour(i);
            symbol(x, std::to_string(i), {c, "solid", c, 0.5}, 0.55);
        }
        x << "    </symbols>\n  </renderer-v2>\n";
        labels(x, "name");
    } else if (name == "gaps") {
        header(x, false);
        single(x, {kGapColour, "b_diagonal", kGapColour, 0.8}, 1.0);
    } else if (name == "overlaps") {
        header(x, false);
        single(x, {kOverlapColour, "diagonal_x", kOverlapColour, 0.6}, 1.0);
    } else if (name == "communes") {
        header(x, false);
        single(x, {kCommuneOutline, "no", kCommuneOutline, 0.1}, 1.0);
    } else {
        header(x, false);
        single(x, {kStudyAreaOutline, "no", kStudyAreaOutline, 0.8, "dash"}, 1.0);
    }
    x << "  <layerGeometryType>2</layerGeometryType>\n</qgis>\n";
    return x.str();
}

} // namespace cptsmap
