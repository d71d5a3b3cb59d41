#pragma once
// A (Multi)Polygon as plain arrays of coordinates, as read from the input: the form the commune
// layer keeps (see layer/commune_geometry.hpp), from which the shared-edge topology, the quick
// validity test, areas and envelopes work directly, and GEOS geometries are built only when a
// step needs one.
#include "cptsmap/io/geos_context.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace cptsmap {

struct PolygonArrays {
    std::vector<double> xy;                 // x, y, x, y... of every ring, one after the other
    std::vector<std::uint32_t> ring_end;    // ring r holds points [ring_end[r - 1], ring_end[r]) (closed: first point repeated)
    std::vector<std::uint32_t> polygon_end; // polygon p holds rings [polygon_end[p - 1], polygon_end[p]); its first is the shell
    bool multi = false;                     // a MultiPolygon (even of one polygon), as read

    std::size_t polygons() const noexcept { return polygon_end.size(); }
    std::size_t rings() const noexcept { return ring_end.size(); }
    std::size_t points() const noexcept { return xy.size() / 2; }
    std::uint32_t ring_begin(std::size_t r) const noexcept { return r == 0 ? 0 : ring_end[r - 1]; }
    std::uint32_t polygon_begin(std::size_t p) const noexcept { return p == 0 ? 0 : polygon_end[p - 1]; }
    // Ring r's coordinates x, y, x, y..., closed.
    std::span<const double> ring(std::size_t r) const noexcept
    {
        return {xy.data() + 2 * std::size_t(ring_begin(r)), 2 * std::size_t(ring_end[r] - ring_begin(r))};
    }
    bool empty() const noexcept { return polygon_end.empty(); }
    void clear() noexcept
    {
        xy.clear();
        ring_end.clear();
        polygon_end.clear();
        multi = false;
    }
};

// Shells minus holes, each ring by the shoelace formula (as GEOSArea, about the first point).
double planar_area(const PolygonArrays& p);
// The length of every ring, shells and holes.
double boundary_length(const PolygonArrays& p);
// {xmin, ymin, xmax, ymax}; {1, 1, 0, 0} (an inverted box, which overlaps nothing) when empty.
std::array<double, 4> envelope(const PolygonArrays& p);
// The GEOS Polygon or MultiPolygon (as `multi` says; a Polygon needs exactly one); an empty
// Polygon when empty. Throws GeosError
// when GEOS refuses a ring (fewer than 4 points, not closed).
GeomPtr to_geos(const GeosContext& geos, const PolygonArrays& p);

} // namespace cptsmap
