#pragma once
// The planar predicates and measures the geometry modules share, on coordinates of a projected CRS
// (metres): one orientation test, one proper-crossing test, one point–segment distance, one
// point-in-ring test and one ring area. Inline: they sit in the innermost loops of the validity
// sweep, the topology and the dissolve. GEOS has each of them, but only on GEOS geometries; these
// work on the coordinate arrays the topology holds, and each is tested against GEOS
// (tests/unit/geometry/primitives_test.cpp).
#include <cmath>
#include <cstddef>
#include <span>

namespace cptsmap {

// Sign of the orientation of c about the line a→b: +1 when c is on its left (a, b, c counter-
// clockwise), -1 on its right, 0 when collinear or too close to call in double precision. The
// error bound is relative to the terms of the determinant, so a 0 is returned rather than a sign
// made of rounding noise; callers treat 0 as "touching, look closer".
inline int orientation(double ax, double ay, double bx, double by, double cx, double cy)
{
    const double abx = bx - ax, aby = by - ay, acx = cx - ax, acy = cy - ay;
    const double det = abx * acy - aby * acx;
    const double bound = 1e-12 * (std::fabs(abx * acy) + std::fabs(aby * acx));
    if (det > bound) return 1;
    if (det < -bound) return -1;
    return 0;
}

// The same on points stored as two consecutive doubles (x, y).
inline int orientation(const double* a, const double* b, const double* c) { return orientation(a[0], a[1], b[0], b[1], c[0], c[1]); }

// Whether segments ab and cd cross at a point inside both, certainly (a touch, a collinear overlap
// or a case too close to call is not a proper crossing).
inline bool cross_properly(const double* a, const double* b, const double* c, const double* d)
{
    const int d1 = orientation(a, b, c), d2 = orientation(a, b, d), d3 = orientation(c, d, a), d4 = orientation(c, d, b);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

// Squared distance from p to the segment ab (to a itself when a and b coincide).
inline double squared_distance_to_segment(double px, double py, double ax, double ay, double bx, double by)
{
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
    t = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
    const double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

// Signed area of a closed ring of n points (the first repeated last) read through x(i) and y(i):
// positive when counter-clockwise. GEOS's formula (Area::ofRingSigned: each vertex's x, taken about
// the first, times the difference of its neighbours' y), negated since GEOS counts clockwise as
// positive, so that areas agree with GEOS's to the last bit.
template <class X, class Y> double ring_signed_area(std::size_t n, X x, Y y)
{
    if (n < 3) return 0.0;
    const double x0 = x(0);
    double sum = 0.0;
    for (std::size_t i = 1; i + 1 < n; ++i) sum += (x(i) - x0) * (y(i + 1) - y(i - 1));
    return sum / 2.0;
}

// The same on a closed ring of interleaved coordinates x0, y0, x1, y1, ...
inline double ring_signed_area(std::span<const double> xy)
{
    return ring_signed_area(
        xy.size() / 2, [&](std::size_t i) { return xy[2 * i]; }, [&](std::size_t i) { return xy[2 * i + 1]; });
}

// Whether (px, py) is inside a closed ring of interleaved coordinates, by its crossing number (a
// point on the boundary may be told either way: callers probe points off the boundary).
inline bool point_in_ring(std::span<const double> xy, double px, double py)
{
    bool in = false;
    const std::size_t n = xy.size() / 2;
    for (std::size_t i = 1; i < n; ++i) {
        const double ax = xy[2 * i - 2], ay = xy[2 * i - 1], bx = xy[2 * i], by = xy[2 * i + 1];
        if ((ay > py) != (by > py) && px < ax + (py - ay) * (bx - ax) / (by - ay)) in = !in;
    }
    return in;
}

} // namespace cptsmap
