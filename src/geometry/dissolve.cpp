#include "cptsmap/geometry/dissolve.hpp"

#include "cptsmap/geometry/edge_dissolve.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/geometry/quick_validity.hpp"

#include <algorithm>
#include <cmath>

namespace cptsmap {

const char* to_string(DissolveMethod m)
{
    switch (m) {
    case DissolveMethod::CoverageUnion: return "coverage union";
    case DissolveMethod::NodedUnion: return "noded union";
    case DissolveMethod::SnapRoundedUnion: return "snap-rounded union";
    }
    return "?";
}

int polygon_count(const GeosContext& geos, const GEOSGeometry* g)
{
    if (GEOSisEmpty_r(geos, g) == 1) return 0;
    const int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_POLYGON) return 1;
    int n = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); ++i) n += polygon_count(geos, GEOSGetGeometryN_r(geos, g, i));
    return n;
}

CommuneBoxes commune_boxes(const CommuneLayer& layer)
{
    CommuneBoxes out;
    out.boxes.resize(layer.size());
    for (CommuneIndex i = 0; i < layer.size(); ++i) out.boxes[i] = layer[i].geometry.envelope();
    out.index = BoxIndex(out.boxes);
    return out;
}

namespace {

// The communes of the layer around holes, found in the layer's R-tree of envelopes (built when
// the caller did not share one).
struct Others {
    const CommuneBoxes* boxes = nullptr;
    CommuneBoxes own;
    bool built = false;

    void build(const CommuneLayer& layer, const CommuneBoxes* shared)
    {
        built = true;
        if (shared == nullptr) own = commune_boxes(layer);
        boxes = shared != nullptr ? shared : &own;
    }
};

// Area of `hole` covered by communes of the layer outside the dissolved set.
double covered_by_others(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& members, const Others& others,
                         const GEOSGeometry* hole)
{
    double hx0 = 0, hy0 = 0, hx1 = 0, hy1 = 0;
    GEOSGeom_getExtent_r(geos, hole, &hx0, &hy0, &hx1, &hy1);
    double covered = 0.0;
    for (CommuneIndex i : others.boxes->index.query(hx0, hy0, hx1, hy1)) {
        if (std::binary_search(members.begin(), members.end(), i)) continue;
        GEOSGeometry* inter = GEOSIntersection_r(geos, hole, layer[i].geometry.get());
        if (inter == nullptr) continue;
        GeomPtr owned = geos.own_nothrow(inter);
        covered += area_of(geos, owned.get());
    }
    return covered;
}

// The holes of a polygon that are not slivers (their indices); the slivers are counted in `stats`.
std::vector<int> holes_kept(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& members, Others& others,
                            const GEOSGeometry* polygon, const DissolveOptions& options, Dissolved& stats)
{
    const int holes = GEOSGetNumInteriorRings_r(geos, polygon);
    std::vector<int> kept;
    for (int h = 0; h < holes; ++h) {
        const GEOSGeometry* ring = GEOSGetInteriorRingN_r(geos, polygon, h);
        GeomPtr hole = geos.polygon(geos.clone(ring), {}, "hole polygon");
        const double a = area_of(geos, hole.get());
        double perimeter = 0.0;
        GEOSLength_r(geos, hole.get(), &perimeter);
        const bool thin = perimeter > 0.0 && 2.0 * a / perimeter < options.sliver_max_width;
        if (thin && !others.built) others.build(layer, options.boxes);
        if (thin && covered_by_others(geos, layer, members, others, hole.get()) < options.sliver_cover_ratio * a) {
            ++stats.slivers_filled;
            stats.sliver_area_m2 += a;
        } else {
            kept.push_back(h);
        }
    }
    return kept;
}

// The geometry without its holes that are slivers (itself when none is). `rings`, when given, are
// the same polygons as vertex ids: the filled holes are dropped from them too.
GeomPtr fill_slivers(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& members, GeomPtr g,
                     const DissolveOptions& options, Dissolved& stats, std::shared_ptr<const VertexRings>& rings)
{
    Others others;
    const int type = GEOSGeomTypeId_r(geos, g.get());
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) return g;
    const int n = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(geos, g.get());
    const auto polygon_at = [&](int i) { return type == GEOS_POLYGON ? g.get() : GEOSGetGeometryN_r(geos, g.get(), i); };
    if (rings && rings->polygons.size() != static_cast<std::size_t>(n)) rings.reset();
    const int filled_before = stats.slivers_filled;
    std::vector<std::vector<int>> kept(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* polygon = polygon_at(i);
        kept[static_cast<std::size_t>(i)] = holes_kept(geos, layer, members, others, polygon, options, stats);
        if (rings && rings->polygons[static_cast<std::size_t>(i)].size() != static_cast<std::size_t>(GEOSGetNumInteriorRings_r(geos, polygon)) + 1)
            rings.reset();
    }
    if (stats.slivers_filled == filled_before) return g;
    if (rings) {
        auto filtered = std::make_shared<VertexRings>();
        filtered->extra_xy = rings->extra_xy;
        for (std::size_t p = 0; p < rings->polygons.size(); ++p) {
            std::vector<std::vector<std::uint32_t>> polygon{rings->polygons[p][0]};
            for (int h : kept[p]) polygon.push_back(rings->polygons[p][static_cast<std::size_t>(h) + 1]);
            filtered->polygons.push_back(std::move(polygon));
        }
        rings = std::move(filtered);
    }
    std::vector<GeomPtr> parts;
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* polygon = polygon_at(i);
        const std::vector<int>& keep = kept[static_cast<std::size_t>(i)];
        if (static_cast<int>(keep.size()) == GEOSGetNumInteriorRings_r(geos, polygon)) {
            parts.push_back(geos.clone(polygon));
            continue;
        }
        std::vector<GeomPtr> holes;
        for (int h : keep) holes.push_back(geos.clone(GEOSGetInteriorRingN_r(geos, polygon, h)));
        parts.push_back(geos.polygon(geos.clone(GEOSGetExteriorRing_r(geos, polygon)), std::move(holes), "polygon without slivers"));
    }
    if (type == GEOS_POLYGON) return std::move(parts.front());
    return geos.collect(GEOS_MULTIPOLYGON, std::move(parts));
}

} // namespace

Dissolved dissolve(const GeosContext& geos, const CommuneLayer& layer, const CommuneSet& communes, const DissolveOptions& options)
{
    Dissolved out;
    std::size_t with_geometry = 0;
    double sum = 0.0;
    for (CommuneIndex i : communes) {
        if (layer[i].geometry.empty()) continue;
        ++with_geometry;
        sum += layer[i].area_m2;
    }
    if (with_geometry == 0) {
        out.geometry = geos.empty_polygon();
        return out;
    }
    EdgeDissolved exact;
    if (with_geometry > 1 && options.topology != nullptr) {
        exact = edge_dissolve(geos, *options.topology, layer, communes);
        if (exact.geometry) {
            out.geometry = std::move(exact.geometry);
            out.rings = std::move(exact.rings);
            out.area_m2 = exact.area_m2;
            out.parts = exact.parts;
            return out;
        }
    }
    std::vector<GeomPtr> parts;
    for (CommuneIndex i : communes)
        if (!layer[i].geometry.empty()) parts.push_back(geos.clone(layer[i].geometry.get()));
    if (parts.size() == 1) {
        out.geometry = std::move(parts.front());
    } else {
        GeomPtr collection = geos.collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
        GEOSGeometry* u = options.topology != nullptr ? nullptr : GEOSCoverageUnion_r(geos, collection.get());
        if (options.topology != nullptr) {
            out.reason = exact.refusal;
        } else if (u != nullptr) {
            GeomPtr candidate = geos.own_nothrow(u);
            const double a = area_of(geos, candidate.get());
            if (GEOSisValid_r(geos, candidate.get()) != 1) {
                out.reason = "coverage union result is invalid";
            } else if (std::fabs(a - sum) > options.area_tolerance * sum) {
                out.reason = "communes overlap or leave gaps: union area " + std::to_string(a / 1e6) + " km² vs " +
                             std::to_string(sum / 1e6) + " km² summed";
            } else {
                out.geometry = polygonal_part(geos, std::move(candidate));
            }
        } else {
            out.reason = geos.last_error().empty() ? std::string("coverage union failed") : geos.last_error();
        }
        if (!out.geometry && options.topology != nullptr) {
            // Where the exact dissolve refused, the noded union of the boundary only.
            try {
                EdgeDissolved boundary = noded_edge_dissolve(geos, *options.topology, layer, communes);
                if (boundary.geometry && is_valid(geos, boundary.geometry.get())) {
                    out.method = DissolveMethod::NodedUnion;
                    out.geometry = polygonal_part(geos, std::move(boundary.geometry));
                    out.rings = std::move(boundary.rings);
                    out.geometry = fill_slivers(geos, layer, communes, std::move(out.geometry), options, out, out.rings);
                }
            } catch (const GeometryError&) {
                // the full noded union below
            }
        }
        if (!out.geometry) {
            GEOSGeometry* noded = GEOSUnaryUnion_r(geos, collection.get());
            if (noded != nullptr) {
                out.method = DissolveMethod::NodedUnion;
                out.geometry = polygonal_part(geos, geos.own_nothrow(noded));
            } else {
                out.method = DissolveMethod::SnapRoundedUnion;
                out.geometry = polygonal_part(geos, geos.own(GEOSUnaryUnionPrec_r(geos, collection.get(), options.snap_grid),
                                                            "snap-rounded union"));
            }
            std::shared_ptr<const VertexRings> none;
            out.geometry = fill_slivers(geos, layer, communes, std::move(out.geometry), options, out, none);
        }
    }
    out.area_m2 = area_of(geos, out.geometry.get());
    out.parts = polygon_count(geos, out.geometry.get());
    return out;
}

} // namespace cptsmap
