#pragma once
// map.png: the map's SVG rasterised with librsvg (the GNOME SVG renderer, on cairo) and written
// through GDAL's PNG driver, so that the PNG is exactly the SVG, pixel for pixel, at `scale` times
// its size, on a white background.
#include <string>

namespace cptsmap {

void write_png_from_svg(const std::string& svg, double scale, const std::string& path);

} // namespace cptsmap
