#include "cptsmap/map/svg_path.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace cptsmap {

namespace {

void ring_path(std::ostringstream& out, const GeosContext& geos, const GEOSGeometry* ring, const SvgProjection& p)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
    unsigned int n = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0 || n < 4) return;
    std::string last;
    bool first = true;
    for (unsigned int i = 0; i + 1 < n; ++i) { // the closing point is implied by Z
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(geos, seq, i, &x, &y);
        std::string pt = svg_number(p.x(x)) + " " + svg_number(p.y(y));
        if (pt == last) continue;
        out << (first ? "M" : "L") << pt;
        last = std::move(pt);
        first = false;
    }
    out << "Z";
}

} // namespace

void SvgExtent::add(const GeosContext& geos, const GEOSGeometry* g)
{
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return;
    double a = 0, b = 0, c = 0, d = 0;
    if (GEOSGeom_getExtent_r(geos, g, &a, &b, &c, &d) == 0) return;
    min_x = std::min(min_x, a), min_y = std::min(min_y, b), max_x = std::max(max_x, c), max_y = std::max(max_y, d);
}

SvgProjection SvgProjection::fit(const SvgExtent& e, double left, double top, double width, double height)
{
    SvgProjection p;
    p.min_x = e.min_x;
    p.max_y = e.max_y;
    p.scale = std::min(width / std::max(e.max_x - e.min_x, 1.0), height / std::max(e.max_y - e.min_y, 1.0));
    p.off_x = left + (width - (e.max_x - e.min_x) * p.scale) / 2;
    p.off_y = top + (height - (e.max_y - e.min_y) * p.scale) / 2;
    return p;
}

std::string svg_number(double v, int decimals)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s == "-0.0") s = "0.0";
    return s;
}

std::string svg_path_data(const GeosContext& geos, const GEOSGeometry* g, const SvgProjection& p)
{
    std::ostringstream out;
    if (g == nullptr || GEOSisEmpty_r(geos, g) == 1) return {};
    const int parts = GEOSGetNumGeometries_r(geos, g);
    for (int i = 0; i < parts; ++i) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(geos, g, i);
        if (GEOSGeomTypeId_r(geos, poly) != GEOS_POLYGON) continue;
        ring_path(out, geos, GEOSGetExteriorRing_r(geos, poly), p);
        const int holes = GEOSGetNumInteriorRings_r(geos, poly);
        for (int h = 0; h < holes; ++h) ring_path(out, geos, GEOSGetInteriorRingN_r(geos, poly, h), p);
    }
    return out.str();
}

} // namespace cptsmap
