#include "cptsmap/export/palette.hpp"

#include <array>
#include <cstdio>

namespace cptsmap {

std::string Rgb::hex() const
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r & 0xff, g & 0xff, b & 0xff);
    return buf;
}

std::string Rgb::qgis() const
{
    return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + ",255";
}

Rgb territory_colour(std::size_t index)
{
    // ColorBrewer "Paired" reordered so that neighbours in the list differ in hue.
    static constexpr std::array<Rgb, 12> palette{{{31, 120, 180}, {51, 160, 44}, {255, 127, 0}, {106, 61, 154}, {166, 206, 227},
                                                  {178, 223, 138}, {253, 191, 111}, {202, 178, 214}, {177, 89, 40}, {255, 255, 153},
                                                  {251, 154, 153}, {128, 128, 128}}};
    return palette[index % palette.size()];
}

std::string xml_escape(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

} // namespace cptsmap
