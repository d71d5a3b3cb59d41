#pragma once
// Drawing GEOS polygons as SVG paths: a projection from the working CRS (metres, y up) to SVG
// pixels (y down) that fits an extent into a frame, and path data rounded to 0.1 px with the
// consecutive points that round together dropped. Shared by map.svg and the territory sheets.
#include "cptsmap/io/geos_context.hpp"

#include <limits>
#include <string>

namespace cptsmap {

struct SvgExtent {
    double min_x = std::numeric_limits<double>::max(), min_y = min_x, max_x = -min_x, max_y = -min_x;
    void add(const GeosContext& geos, const GEOSGeometry* g);
    bool empty() const { return min_x > max_x; }
};

struct SvgProjection {
    double min_x = 0, max_y = 0, scale = 1, off_x = 0, off_y = 0;
    double x(double mx) const { return off_x + (mx - min_x) * scale; }
    double y(double my) const { return off_y + (max_y - my) * scale; }
    // The projection that fits `e` into the frame at (`left`, `top`), `width` × `height` px, centred.
    static SvgProjection fit(const SvgExtent& e, double left, double top, double width, double height);
};

// `v` with `decimals` decimals ("-0.0" written "0.0").
std::string svg_number(double v, int decimals = 1);

// SVG path data of a Polygon or MultiPolygon (holes included; draw with fill-rule evenodd).
std::string svg_path_data(const GeosContext& geos, const GEOSGeometry* g, const SvgProjection& p);

} // namespace cptsmap
