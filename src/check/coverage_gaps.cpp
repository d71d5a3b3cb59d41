#include "cptsmap/check/coverage_gaps.hpp"

#include "cptsmap/geometry/polygonal.hpp"

#include <algorithm>
#include <array>

namespace cptsmap {

double hole_width(const GeosContext& geos, const GEOSGeometry* hole, double gap_width_m)
{
    GeomPtr circle = geos.own(GEOSMaximumInscribedCircle_r(geos, hole, std::max(gap_width_m / 50.0, 1e-3)), "measuring the width of a hole");
    double radius = 0.0;
    GEOSGeomGetLength_r(geos, circle.get(), &radius);
    return 2.0 * radius;
}

CoverageGaps find_coverage_gaps(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, double gap_width_m, double min_area_m2)
{
    CoverageGaps result;
    // A noded (unary) union, not a coverage union: the coverage may be broken, which is what we look for.
    std::vector<GeomPtr> parts;
    for (const GEOSGeometry* g : polygons)
        if (g != nullptr) parts.push_back(geos.clone(g));
    if (parts.empty()) return result;
    GeomPtr all = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
    GeomPtr merged = polygonal_part(geos, geos.own(GEOSUnaryUnion_r(geos, all.get()), "union of all communes"));
    all.reset();
    std::vector<GeomPtr> holes;
    const int n = GEOSGetNumGeometries_r(geos, merged.get());
    for (int k = 0; k < n; ++k) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(geos, merged.get(), k);
        for (int r = 0; r < GEOSGetNumInteriorRings_r(geos, poly); ++r)
            holes.push_back(geos.polygon(geos.clone(GEOSGetInteriorRingN_r(geos, poly, r)), {}, "building a hole"));
    }
    if (holes.empty()) return result;

    // The polygons in an STR-tree, to find those around each gap.
    TreePtr tree(GEOSSTRtree_create_r(geos, 10), TreeDeleter{geos});
    std::vector<std::size_t> ids(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        ids[i] = i;
        if (polygons[i] != nullptr) GEOSSTRtree_insert_r(geos, tree.get(), polygons[i], &ids[i]);
    }
    const auto query = [&](const GEOSGeometry* g, std::array<double, 4>& e) {
        e = envelope_of(geos, g);
        GeomPtr box = geos.own(GEOSGeom_createRectangle_r(geos, e[0] - 1e-3, e[1] - 1e-3, e[2] + 1e-3, e[3] + 1e-3), "building a query rectangle");
        std::vector<std::size_t> found;
        GEOSSTRtree_query_r(
            geos, tree.get(), box.get(),
            [](void* item, void* out) { static_cast<std::vector<std::size_t>*>(out)->push_back(*static_cast<std::size_t*>(item)); }, &found);
        std::sort(found.begin(), found.end());
        return found;
    };
    const std::size_t whole_holes = holes.size(); // the holes after these are parts of one of them
    for (std::size_t h = 0; h < holes.size(); ++h) {
        GeomPtr& hole = holes[h];
        std::array<double, 4> e{};
        std::vector<std::size_t> found = query(hole.get(), e);
        // A hole may hold islands of the union (a commune, or a part of one, inside it): the gap is
        // the hole without them. A hole whose ring touches itself is no valid polygon on its own:
        // the gaps are its valid parts. Either way each part is a gap of its own.
        if (h < whole_holes) {
            const bool valid = GEOSisValid_r(geos, hole.get()) == 1;
            std::vector<GeomPtr> islands;
            for (std::size_t j : found) {
                const std::array<double, 4> f = envelope_of(geos, polygons[j]);
                const bool may_be_inside = (f[0] >= e[0] && f[1] >= e[1] && f[2] <= e[2] && f[3] <= e[3]) || GEOSGetNumGeometries_r(geos, polygons[j]) > 1;
                if (valid && may_be_inside && GEOSRelatePattern_r(geos, hole.get(), polygons[j], "T********") == 1)
                    islands.push_back(geos.clone(polygons[j]));
            }
            if (!valid || !islands.empty()) {
                GeomPtr rest = valid ? nullptr : polygonal_part(geos, geos.own(GEOSMakeValid_r(geos, hole.get()), "make-valid of a hole"));
                if (!islands.empty()) {
                    GeomPtr land = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(islands));
                    rest = polygonal_part(geos, geos.own(GEOSDifference_r(geos, hole.get(), land.get()), "taking the islands out of a hole"));
                }
                const int parts = GEOSGetNumGeometries_r(geos, rest.get());
                for (int k = 0; k < parts; ++k) {
                    GeomPtr part = geos.clone(GEOSGetGeometryN_r(geos, rest.get(), k));
                    if (GEOSisEmpty_r(geos, part.get()) != 1) holes.push_back(std::move(part)); // `hole` is not used after this
                }
                continue;
            }
        }
        const double width = hole_width(geos, hole.get(), gap_width_m);
        double area = 0.0;
        GEOSArea_r(geos, hole.get(), &area);
        if (area < min_area_m2 || area <= 0.0) continue;
        if (width > gap_width_m) {
            ++result.wide_holes;
            continue;
        }
        CoverageGap gap;
        std::vector<std::size_t> near;
        GeomPtr rim = geos.own(GEOSBoundary_r(geos, hole.get()), "boundary of a gap");
        for (std::size_t j : found) {
            if (GEOSDistanceWithin_r(geos, hole.get(), polygons[j], 1e-3) != 1) continue;
            near.push_back(j);
            GeomPtr shared = geos.own(GEOSIntersection_r(geos, rim.get(), polygons[j]), "intersecting a gap with a commune");
            double length = 0.0;
            GEOSLength_r(geos, shared.get(), &length); // GEOSGeomGetLength_r is for a LineString only: 0 for a MultiLineString
            if (length > 0.0) {
                gap.along.push_back(j);
                gap.border_m.push_back(length);
            }
        }
        if (gap.along.empty()) {
            gap.along = std::move(near);
            gap.border_m.assign(gap.along.size(), 0.0);
        }
        gap.area_m2 = area;
        gap.width_m = width;
        gap.geometry = std::move(hole);
        result.gaps.push_back(std::move(gap));
    }
    return result;
}

} // namespace cptsmap
