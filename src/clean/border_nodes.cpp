#include "cptsmap/clean/border_nodes.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace cptsmap {

namespace {

using Point = std::array<double, 2>;

void collect_points(const GeosContext& geos, const GEOSGeometry* g, std::vector<Point>& out)
{
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) collect_points(geos, GEOSGetGeometryN_r(geos, g, i), out);
        return;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(geos, g) == 1) return;
    const auto ring = [&](const GEOSGeometry* r) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, r);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(geos, seq, &n);
        for (unsigned k = 0; k < n; ++k) {
            Point p{};
            GEOSCoordSeq_getXY_r(geos, seq, k, &p[0], &p[1]);
            out.push_back(p);
        }
    };
    ring(GEOSGetExteriorRing_r(geos, g));
    for (int r = 0; r < GEOSGetNumInteriorRings_r(geos, g); ++r) ring(GEOSGetInteriorRingN_r(geos, g, r));
}

// The ring's coordinates with the points inserted; `inserted` counts them.
std::vector<double> noded_ring(const GeosContext& geos, const GEOSGeometry* ring, const std::vector<Point>& points, double tol, std::size_t& inserted)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(geos, seq, &n);
    std::vector<Point> pts(n);
    for (unsigned k = 0; k < n; ++k) GEOSCoordSeq_getXY_r(geos, seq, k, &pts[k][0], &pts[k][1]);
    std::vector<double> xy;
    xy.reserve(2 * n);
    std::vector<std::pair<double, Point>> on;
    for (unsigned k = 0; k + 1 < n; ++k) {
        const Point& a = pts[k];
        const Point& b = pts[k + 1];
        xy.push_back(a[0]);
        xy.push_back(a[1]);
        const double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
        if (len2 <= 0.0) continue;
        const double xmin = std::min(a[0], b[0]) - tol, xmax = std::max(a[0], b[0]) + tol;
        const double ymin = std::min(a[1], b[1]) - tol, ymax = std::max(a[1], b[1]) + tol;
        on.clear();
        // `points` is sorted by x: only those in the segment's x range.
        for (auto it = std::lower_bound(points.begin(), points.end(), Point{xmin, -1e300}); it != points.end() && (*it)[0] <= xmax; ++it) {
            const Point& p = *it;
            if (p[1] < ymin || p[1] > ymax || p == a || p == b) continue;
            const double t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
            if (t <= 0.0 || t >= 1.0) continue;
            const double ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
            if (ex * ex + ey * ey <= tol * tol) on.emplace_back(t, p);
        }
        std::sort(on.begin(), on.end());
        for (const auto& [t, p] : on) {
            xy.push_back(p[0]);
            xy.push_back(p[1]);
            ++inserted;
        }
    }
    if (n > 0) {
        xy.push_back(pts[n - 1][0]);
        xy.push_back(pts[n - 1][1]);
    }
    return xy;
}

GeomPtr noded_polygon(const GeosContext& geos, const GEOSGeometry* poly, const std::vector<Point>& points, double tol, std::size_t& inserted)
{
    const auto rebuild = [&](const GEOSGeometry* r) {
        const std::vector<double> xy = noded_ring(geos, r, points, tol, inserted);
        return geos.ring(xy.data(), xy.size() / 2, "inserting the nodes of a border");
    };
    GeomPtr shell = rebuild(GEOSGetExteriorRing_r(geos, poly));
    std::vector<GeomPtr> holes;
    for (int r = 0; r < GEOSGetNumInteriorRings_r(geos, poly); ++r) holes.push_back(rebuild(GEOSGetInteriorRingN_r(geos, poly, r)));
    return geos.polygon(std::move(shell), std::move(holes), "inserting the nodes of a border");
}

} // namespace

GeomPtr with_border_nodes(const GeosContext& geos, const GEOSGeometry* polygon, const GEOSGeometry* from, double tolerance)
{
    std::vector<Point> points;
    collect_points(geos, from, points);
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    if (points.empty() || GEOSisEmpty_r(geos, polygon) == 1) return nullptr;
    std::size_t inserted = 0;
    if (GEOSGeomTypeId_r(geos, polygon) == GEOS_POLYGON) {
        GeomPtr out = noded_polygon(geos, polygon, points, tolerance, inserted);
        return inserted > 0 ? std::move(out) : nullptr;
    }
    std::vector<GeomPtr> parts;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, polygon); ++i) parts.push_back(noded_polygon(geos, GEOSGetGeometryN_r(geos, polygon, i), points, tolerance, inserted));
    if (inserted == 0) return nullptr;
    return geos.collect(GEOS_MULTIPOLYGON, std::move(parts));
}

} // namespace cptsmap
