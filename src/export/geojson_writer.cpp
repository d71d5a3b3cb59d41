#include "cptsmap/export/geojson_writer.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/geojson_text.hpp"
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/geometry/quick_validity.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/io/threads.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace cptsmap {

double round_to(double value, int decimals)
{
    const double f = std::pow(10.0, decimals);
    return std::round(value * f) / f;
}


struct GeoJsonWriter::Impl {
    const GeosContext& geos;
    std::string path;
    std::vector<FieldSpec> fields;
    OGRSpatialReference wgs84;
    // One transformation to WGS84 per source CRS (Row::crs); most layers have one.
    std::vector<std::unique_ptr<OGRCoordinateTransformation>> transforms;
    VSILFILE* file = nullptr;
    const VertexLonLat* vertices = nullptr;
    std::string buffer;
    bool first = true;

    explicit Impl(const GeosContext& g) : geos(g) {}
    ~Impl()
    {
        if (file != nullptr) VSIFCloseL(file);
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void flush()
    {
        if (buffer.empty()) return;
        if (VSIFWriteL(buffer.data(), 1, buffer.size(), file) != buffer.size())
            throw OutputError("cannot write to " + path + "; is the disk full?");
        buffer.clear();
    }
};

GeoJsonWriter::GeoJsonWriter(const std::string& path, const std::string& layer_name, std::vector<FieldSpec> fields,
                             const std::string& source_crs, const GeosContext& geos)
    : GeoJsonWriter(path, layer_name, std::move(fields), std::vector<std::string>{source_crs}, geos)
{
}

GeoJsonWriter::GeoJsonWriter(const std::string& path, const std::string& layer_name, std::vector<FieldSpec> fields,
                             const std::vector<std::string>& source_crs, const GeosContext& geos)
    : impl_(std::make_unique<Impl>(geos))
{
    ensure_gdal_registered();
    Impl& m = *impl_;
    m.path = path;
    m.fields = std::move(fields);
    m.wgs84.SetWellKnownGeogCS("WGS84");
    m.wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (source_crs.empty()) throw OutputError("internal error: no source CRS for " + path);
    for (const std::string& crs : source_crs) {
        OGRSpatialReference source;
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (source.SetFromUserInput(crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + crs);
        m.transforms.emplace_back(OGRCreateCoordinateTransformation(&source, &m.wgs84));
        if (!m.transforms.back()) throw OutputError("cannot transform from " + crs + " to WGS84 (PROJ database missing?)");
    }

    GdalErrorCapture capture;
    m.file = VSIFOpenL(path.c_str(), "wb");
    if (m.file == nullptr) throw OutputError("cannot create " + path + " (GDAL: " + capture.last_failure() + "); is its folder writable?");
    m.buffer = "{\n\"type\": \"FeatureCollection\",\n\"name\": ";
    append_json_string(m.buffer, layer_name);
    m.buffer += ",\n\"features\": [\n";
}

GeoJsonWriter::~GeoJsonWriter() = default;

namespace {

// Reprojects and rounds one ring of `geometry`'s coordinates to the output grid, dropping points that
// rounding makes repeat. Returns null if the ring collapses (fewer than 4 points left).
GEOSGeometry* project_ring(const GeosContext& geos, const GEOSGeometry* ring, OGRCoordinateTransformation& transform,
                           std::vector<double>& x, std::vector<double>& y)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, ring);
    unsigned n = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0 || n < 4) return nullptr;
    x.resize(n);
    y.resize(n);
    if (GEOSCoordSeq_copyToArrays_r(geos, seq, x.data(), y.data(), nullptr, nullptr) == 0) return nullptr;
    if (!transform.Transform(static_cast<std::size_t>(n), x.data(), y.data())) return nullptr;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double rx = round_to_output_grid(x[i]);
        const double ry = round_to_output_grid(y[i]);
        if (kept > 0 && rx == x[kept - 1] && ry == y[kept - 1]) continue;
        x[kept] = rx;
        y[kept] = ry;
        ++kept;
    }
    if (kept < 4) return nullptr;
    GEOSCoordSequence* out = GEOSCoordSeq_copyFromArrays_r(geos, x.data(), y.data(), nullptr, nullptr, static_cast<unsigned>(kept));
    if (out == nullptr) return nullptr;
    return GEOSGeom_createLinearRing_r(geos, out);
}

// Reprojects and rounds a polygon ring by ring; null if a ring collapses.
GeomPtr project_polygon(const GeosContext& geos, const GEOSGeometry* polygon, OGRCoordinateTransformation& transform,
                        std::vector<double>& x, std::vector<double>& y)
{
    GeomPtr shell = geos.own_nothrow(project_ring(geos, GEOSGetExteriorRing_r(geos, polygon), transform, x, y));
    if (!shell) return nullptr;
    std::vector<GeomPtr> holes;
    const int n = GEOSGetNumInteriorRings_r(geos, polygon);
    for (int i = 0; i < n; ++i) {
        holes.push_back(geos.own_nothrow(project_ring(geos, GEOSGetInteriorRingN_r(geos, polygon, i), transform, x, y)));
        if (!holes.back()) return nullptr;
    }
    try {
        return geos.polygon(std::move(shell), std::move(holes), "a reprojected polygon");
    } catch (const GeosError&) {
        return nullptr; // the general path below
    }
}

// The general path: GEOS precision reduction, which keeps any geometry valid on the grid.
GeomPtr snap_geometry(const GeosContext& geos, OGRCoordinateTransformation& transform, const GEOSGeometry* geometry,
                      const std::string& path)
{
    std::vector<unsigned char> wkb = geos.to_wkb(geometry);
    OGRGeometry* ogr = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr) {
        throw OutputError("internal error: cannot convert a geometry for " + path);
    }
    std::unique_ptr<OGRGeometry> owned(ogr);
    if (owned->transform(&transform) != OGRERR_NONE) throw OutputError("cannot reproject a geometry to WGS84 for " + path);
    wkb.resize(static_cast<std::size_t>(owned->WkbSize()));
    owned->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    GeomPtr lonlat = geos.from_wkb(wkb.data(), wkb.size());
    if (GeomPtr snapped = geos.own_nothrow(GEOSGeom_setPrecision_r(geos, lonlat.get(), kOutputGrid, 0))) return snapped;
    // Precision reduction needs a valid input: a ring that its overlays (or the input) left a few
    // 1e-9 m invalid — a hole crossing its shell, which GEOS cannot assign to it — is made valid
    // first, its polygons kept.
    GeomPtr valid = geos.own(GEOSMakeValid_r(geos, lonlat.get()), "make-valid before snapping to the 1e-7° grid");
    const int type = GEOSGeomTypeId_r(geos, lonlat.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) valid = polygonal_part(geos, std::move(valid));
    return geos.own(GEOSGeom_setPrecision_r(geos, valid.get(), kOutputGrid, 0), "snapping to the 1e-7° grid");
}

GeomPtr output_geometry(const GeosContext& geos, OGRCoordinateTransformation& transform, const GEOSGeometry* geometry,
                        const std::string& path)
{
    if (GEOSisEmpty_r(geos, geometry) == 1) return geos.clone(geometry);
    // Fast path: reproject the coordinates in bulk and round them; kept when the result is valid,
    // which it is for all but polygons thinner than the grid somewhere.
    std::vector<double> x, y;
    GeomPtr fast;
    const int type = GEOSGeomTypeId_r(geos, geometry);
    if (type == GEOS_POLYGON) {
        fast = project_polygon(geos, geometry, transform, x, y);
    } else if (type == GEOS_MULTIPOLYGON) {
        std::vector<GeomPtr> parts;
        for (int i = 0; i < GEOSGetNumGeometries_r(geos, geometry); ++i) {
            parts.push_back(project_polygon(geos, GEOSGetGeometryN_r(geos, geometry, i), transform, x, y));
            if (!parts.back()) break;
        }
        if (!parts.empty() && parts.back()) fast = geos.collect(GEOS_MULTIPOLYGON, std::move(parts));
    }
    if (fast && is_valid(geos, fast.get())) return fast;
    return snap_geometry(geos, transform, geometry, path);
}

// The WGS84 transformation of one writer thread, copied from the writer's on first use: most
// features are written from the reprojected vertex table and never need one (and a copy costs
// PROJ database lookups, 90 ms for the first on France).
class TransformOnDemand {
public:
    // The writer's transformations (one per source CRS) used as they are (one thread), or copied
    // for this thread.
    TransformOnDemand(const std::vector<std::unique_ptr<OGRCoordinateTransformation>>& shared, bool copy, const std::string& path)
        : shared_(shared), copy_(copy), path_(path), own_(shared.size())
    {
    }
    // The transformation from source CRS k.
    OGRCoordinateTransformation& get(unsigned k = 0)
    {
        if (k >= shared_.size()) throw OutputError("internal error: no source CRS " + std::to_string(k) + " for " + path_);
        if (!copy_) return *shared_[k];
        if (!own_[k]) {
            own_[k].reset(shared_[k]->Clone());
            if (!own_[k]) throw OutputError("cannot copy the WGS84 transformation for " + path_);
        }
        return *own_[k];
    }

private:
    const std::vector<std::unique_ptr<OGRCoordinateTransformation>>& shared_;
    bool copy_;
    const std::string& path_;
    std::vector<std::unique_ptr<OGRCoordinateTransformation>> own_;
};

// The lon/lat polygons of `rings`, rounded points repeated by rounding dropped; false when a ring
// then has fewer than 4 points or a vertex is missing. Extra points (not vertices of the
// topology) are reprojected here, one by one: a few nodes where borders cross.
bool lonlat_polygons(const VertexRings& rings, const VertexLonLat& vertices, TransformOnDemand& transform, unsigned crs, PolygonArrays& out)
{
    out.clear();
    for (const auto& polygon : rings.polygons) {
        for (const auto& ring : polygon) {
            const std::size_t start = out.xy.size();
            for (std::uint32_t v : ring) {
                double x = 0.0, y = 0.0;
                if (v >= VertexRings::kExtra) {
                    const std::size_t k = 2 * std::size_t(v - VertexRings::kExtra);
                    if (k + 1 >= rings.extra_xy.size()) return false;
                    double lon = 0.0, lat = 0.0;
                    if (vertices.project(rings.extra_xy[k], rings.extra_xy[k + 1], lon, lat)) {
                        x = lon;
                        y = lat;
                    } else {
                        x = rings.extra_xy[k];
                        y = rings.extra_xy[k + 1];
                        if (!transform.get(crs).Transform(1, &x, &y)) return false;
                    }
                    x = round_to_output_grid(x);
                    y = round_to_output_grid(y);
                } else {
                    if (!vertices.has(v)) return false;
                    x = vertices.lon(v);
                    y = vertices.lat(v);
                }
                if (out.xy.size() > start && out.xy[out.xy.size() - 2] == x && out.xy.back() == y) continue;
                out.xy.push_back(x);
                out.xy.push_back(y);
            }
            if (out.xy.size() - start < 8) return false;
            out.ring_end.push_back(static_cast<std::uint32_t>(out.xy.size() / 2));
        }
        out.polygon_end.push_back(static_cast<std::uint32_t>(out.ring_end.size()));
    }
    return true;
}

// GEOS's verdict on polygons the quick test cannot certify (rings that touch at a vertex, valid).
bool valid_in_geos(const GeosContext& geos, const PolygonArrays& polygons)
{
    try {
        const GeomPtr g = to_geos(geos, polygons);
        return g && GEOSisValid_r(geos, g.get()) == 1;
    } catch (const GeosError&) {
        return false;
    }
}

// Appends one feature (without separator) to `out`.
void format_feature(std::string& out, const GeosContext& geos, TransformOnDemand& transform, const std::vector<FieldSpec>& fields,
                    const GeoJsonWriter::Row& row, const std::string& path, const VertexLonLat* vertices)
{
    const std::vector<FieldValue>& values = row.values;
    const VertexRings* rings = row.rings;
    out += "{ \"type\": \"Feature\", \"properties\": { ";
    for (std::size_t i = 0; i < values.size() && i < fields.size(); ++i) {
        if (i > 0) out += ", ";
        append_json_string(out, fields[i].name);
        out += ": ";
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::string>) append_json_string(out, v);
                else if constexpr (std::is_same_v<T, std::int64_t>) append_json_integer(out, v);
                else if constexpr (std::is_same_v<T, double>) append_json_real(out, v);
                else {
                    out += "[ ";
                    for (std::size_t k = 0; k < v.size(); ++k) {
                        if (k > 0) out += ", ";
                        append_json_string(out, v[k]);
                    }
                    out += " ]";
                }
            },
            values[i]);
    }
    out += " }, \"geometry\": ";
    thread_local PolygonArrays polygons;
    if (row.geometry == nullptr && row.commune == nullptr) {
        out += "null";
    } else if (rings != nullptr && vertices != nullptr && !rings->polygons.empty() && lonlat_polygons(*rings, *vertices, transform, row.crs, polygons) &&
               (certainly_valid(polygons) || valid_in_geos(geos, polygons))) {
        append_geojson_polygons(out, polygons);
    } else {
        GeomPtr lonlat = output_geometry(geos, transform.get(row.crs), row.geometry != nullptr ? row.geometry : row.commune->get(), path);
        append_geojson_geometry(out, geos, lonlat.get());
    }
    out += " }";
}

} // namespace

GeomPtr GeoJsonWriter::to_output_geometry(const GEOSGeometry* geometry, unsigned crs) const
{
    if (crs >= impl_->transforms.size()) throw OutputError("internal error: no source CRS " + std::to_string(crs) + " for " + impl_->path);
    return output_geometry(impl_->geos, *impl_->transforms[crs], geometry, impl_->path);
}

GeomPtr GeoJsonWriter::snap_to_grid(const GEOSGeometry* geometry) const
{
    return snap_geometry(impl_->geos, *impl_->transforms.front(), geometry, impl_->path);
}

void GeoJsonWriter::add(const std::vector<FieldValue>& values, const GEOSGeometry* geometry, unsigned crs)
{
    Impl& m = *impl_;
    if (m.file == nullptr) throw OutputError("internal error: feature added to " + m.path + " after close()");
    if (!m.first) m.buffer += ",\n";
    m.first = false;
    TransformOnDemand transform(m.transforms, false, m.path);
    format_feature(m.buffer, m.geos, transform, m.fields, Row{values, geometry, nullptr, nullptr, crs}, m.path, nullptr);
    if (m.buffer.size() > (1u << 22)) m.flush();
}

void GeoJsonWriter::add_rows(std::size_t n, const std::function<Row(std::size_t)>& row, unsigned threads)
{
    Impl& m = *impl_;
    if (m.file == nullptr) throw OutputError("internal error: features added to " + m.path + " after close()");
    threads = thread_count(threads);
    if (threads == 1 || n < 64) {
        TransformOnDemand transform(m.transforms, false, m.path);
        for (std::size_t i = 0; i < n; ++i) {
            const Row r = row(i);
            if (!m.first) m.buffer += ",\n";
            m.first = false;
            format_feature(m.buffer, m.geos, transform, m.fields, r, m.path, m.vertices);
            if (m.buffer.size() > (1u << 22)) m.flush();
        }
        return;
    }
    // Waves of features: the threads take short runs of features in turn (features differ a
    // hundredfold in size, halves would leave one core idle), each run formatted into its own
    // string with the thread's GEOS context and coordinate transformation; runs are written in order.
    constexpr std::size_t kWave = 4096, kRun = 4;
    std::vector<std::unique_ptr<TransformOnDemand>> transforms;
    for (unsigned t = 0; t < threads; ++t) transforms.push_back(std::make_unique<TransformOnDemand>(m.transforms, true, m.path));
    std::vector<std::string> runs(kWave / kRun);
    for (std::size_t start = 0; start < n; start += kWave) {
        const std::size_t end = std::min(n, start + kWave);
        const std::size_t count = (end - start + kRun - 1) / kRun;
        WorkQueue queue(count);
        run_on_threads(threads, [&](unsigned t) {
            GeosContext local;
            for (std::size_t k; queue.take(k);) {
                std::string& out = runs[k];
                out.clear();
                for (std::size_t i = start + k * kRun; i < std::min(end, start + (k + 1) * kRun); ++i) {
                    if (i > 0 || !m.first) out += ",\n";
                    const Row r = row(i);
                    format_feature(out, local, *transforms[t], m.fields, r, m.path, m.vertices);
                }
            }
        });
        for (std::size_t k = 0; k < count; ++k) {
            m.buffer += runs[k];
            if (m.buffer.size() > (1u << 22)) m.flush();
        }
        if (end > start) m.first = false;
    }
    m.flush();
}

void GeoJsonWriter::use_vertices(const VertexLonLat* vertices) { impl_->vertices = vertices; }

void GeoJsonWriter::close()
{
    Impl& m = *impl_;
    if (m.file == nullptr) return;
    m.buffer += "\n]\n}\n";
    m.flush();
    VSILFILE* file = m.file;
    m.file = nullptr;
    if (VSIFCloseL(file) != 0) throw OutputError("cannot finish writing " + m.path + "; is the disk full?");
}

} // namespace cptsmap
