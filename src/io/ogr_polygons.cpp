#include "cptsmap/io/ogr_polygons.hpp"

#include <ogr_geometry.h>

namespace cptsmap {

bool read_polygon_arrays(const OGRGeometry& g, PolygonArrays& out)
{
    out.clear();
    const auto add_polygon = [&](const OGRPolygon& p) {
        if (p.IsEmpty()) return false;
        for (int r = -1; r < p.getNumInteriorRings(); ++r) {
            const OGRLinearRing& ring = r < 0 ? *p.getExteriorRing() : *p.getInteriorRing(r);
            const int n = ring.getNumPoints();
            if (n < 4) return false;
            const std::size_t at = out.xy.size();
            out.xy.resize(at + 2 * std::size_t(n));
            static_assert(sizeof(OGRRawPoint) == 2 * sizeof(double), "OGRRawPoint is x, y");
            ring.getPoints(reinterpret_cast<OGRRawPoint*>(out.xy.data() + at));
            if (out.xy[at] != out.xy[out.xy.size() - 2] || out.xy[at + 1] != out.xy.back()) return false;
            out.ring_end.push_back(static_cast<std::uint32_t>(out.xy.size() / 2));
        }
        out.polygon_end.push_back(static_cast<std::uint32_t>(out.ring_end.size()));
        return true;
    };
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) return add_polygon(*g.toPolygon());
    if (type != wkbMultiPolygon) return false;
    out.multi = true;
    for (const OGRPolygon* p : *g.toMultiPolygon())
        if (!add_polygon(*p)) return false;
    return !out.empty();
}

std::unique_ptr<OGRGeometry> ogr_polygons(const PolygonArrays& p)
{
    const auto polygon = [&](std::size_t k) {
        auto out = std::make_unique<OGRPolygon>();
        for (std::uint32_t r = p.polygon_begin(k); r < p.polygon_end[k]; ++r) {
            const auto xy = p.ring(r);
            auto ring = std::make_unique<OGRLinearRing>();
            ring->setPoints(static_cast<int>(xy.size() / 2), reinterpret_cast<const OGRRawPoint*>(xy.data()));
            out->addRingDirectly(ring.release());
        }
        return out;
    };
    if (!p.multi && p.polygons() == 1) return polygon(0);
    auto out = std::make_unique<OGRMultiPolygon>();
    for (std::size_t k = 0; k < p.polygons(); ++k) out->addGeometryDirectly(polygon(k).release());
    return out;
}

} // namespace cptsmap
