#include "cptsmap/tiles/tile_zooms.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

namespace cptsmap {

namespace {

constexpr double kEquatorM = 40075016.685578488; // Web Mercator's world width, metres
constexpr int kMaxZoom = 14;

double median(std::vector<double>& v)
{
    if (v.empty()) return 0.0;
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// The lengths of the segments of every ring of a GEOS (Multi)Polygon.
void add_segments(const GeosContext& geos, const GEOSGeometry* g, std::vector<double>& out)
{
    GEOSContextHandle_t h = geos.handle();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); ++i) add_segments(geos, GEOSGetGeometryN_r(h, g, i), out);
        return;
    }
    if (type != GEOS_POLYGON) return;
    std::vector<const GEOSGeometry*> rings{GEOSGetExteriorRing_r(h, g)};
    for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); ++i) rings.push_back(GEOSGetInteriorRingN_r(h, g, i));
    for (const GEOSGeometry* ring : rings) {
        const GEOSCoordSequence* seq = ring != nullptr ? GEOSGeom_getCoordSeq_r(h, ring) : nullptr;
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0) continue;
        double px = 0, py = 0;
        for (unsigned k = 0; k < n; ++k) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, k, &x, &y);
            if (k > 0) out.push_back(std::hypot(x - px, y - py));
            px = x, py = y;
        }
    }
}

} // namespace

// From the box's corners and edge midpoints.
std::array<double, 4> lonlat_bounds(const std::string& crs, const std::array<double, 4>& box)
{
    OGRSpatialReference from, to;
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (from.SetFromUserInput(crs.c_str()) != OGRERR_NONE || to.importFromEPSG(4326) != OGRERR_NONE)
        throw InputError("cannot place the layer's CRS " + crs + " on the web map (unknown to PROJ)");
    std::unique_ptr<OGRCoordinateTransformation> t(OGRCreateCoordinateTransformation(&from, &to));
    if (!t) throw InputError("cannot transform the layer's CRS " + crs + " to WGS84 for the web map");
    std::array<double, 4> out{180.0, 90.0, -180.0, -90.0};
    const double xs[] = {box[0], (box[0] + box[2]) / 2, box[2]}, ys[] = {box[1], (box[1] + box[3]) / 2, box[3]};
    for (double x : xs)
        for (double y : ys) {
            double lon = x, lat = y;
            if (!t->Transform(1, &lon, &lat)) continue;
            out = {std::min(out[0], lon), std::min(out[1], lat), std::max(out[2], lon), std::max(out[3], lat)};
        }
    return out;
}

double ground_pixel_m(int zoom, double latitude)
{
    return kEquatorM * std::cos(latitude * std::numbers::pi / 180.0) / (256.0 * std::ldexp(1.0, zoom));
}

TileZooms choose_tile_zooms(const CommuneLayer& layer, const GeosContext& geos)
{
    ensure_gdal_registered();
    std::array<double, 4> box{1.0, 1.0, 0.0, 0.0};
    std::vector<double> segments, areas;
    for (const Commune& c : layer.communes()) {
        if (c.delivery != 0 || c.geometry.empty()) continue;
        const auto& e = c.geometry.envelope();
        box = box[0] > box[2] ? e : std::array<double, 4>{std::min(box[0], e[0]), std::min(box[1], e[1]), std::max(box[2], e[2]), std::max(box[3], e[3])};
        areas.push_back(c.area_m2);
        if (const PolygonArrays* p = c.geometry.coordinates()) {
            for (std::size_t r = 0; r < p->rings(); ++r) {
                const auto ring = p->ring(r);
                for (std::size_t i = 2; i < ring.size(); i += 2) segments.push_back(std::hypot(ring[i] - ring[i - 2], ring[i + 1] - ring[i - 1]));
            }
        } else {
            add_segments(geos, c.geometry.get(), segments); // held as GEOS (a repaired ring)
        }
    }
    if (areas.empty()) throw InputError("the commune layer " + layer.source + " has no geometry: there is nothing to draw in vector tiles");
    TileZooms z;
    z.bounds = lonlat_bounds(layer.deliveries.empty() ? layer.crs : layer.deliveries[0].crs, box);
    z.latitude = (z.bounds[1] + z.bounds[3]) / 2;
    // Web Mercator width of the extent: degrees of longitude, and latitude stretched by 1/cos.
    const double width_m = std::max((z.bounds[2] - z.bounds[0]) / 360.0 * kEquatorM,
                                    (box[3] - box[1]) / std::cos(z.latitude * std::numbers::pi / 180.0));
    z.min_zoom = std::clamp(static_cast<int>(std::floor(std::log2(kEquatorM / std::max(width_m, 1.0)))), 0, kMaxZoom - 2);
    z.median_segment_m = std::max(median(segments), 0.5);
    const auto zoom_for = [&](double pixel_m) { return static_cast<int>(std::lround(std::log2(ground_pixel_m(0, z.latitude) / pixel_m))); };
    z.max_zoom = std::clamp(zoom_for(z.median_segment_m), z.min_zoom + 2, kMaxZoom);
    z.median_commune_width_m = std::sqrt(median(areas));
    z.communes_min_zoom = std::clamp(zoom_for(z.median_commune_width_m / 4.0), z.min_zoom, z.max_zoom);
    return z;
}

} // namespace cptsmap
