#include "cptsmap/export/vertex_lonlat.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/inverse_lcc.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/io/threads.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <memory>
#include <optional>
#include <thread>

namespace cptsmap {

VertexLonLat::VertexLonLat(const CoverageTopology& topology, const std::string& crs, const std::vector<const VertexRings*>& needed, unsigned threads)
{
    ensure_gdal_registered();
    const std::size_t nv = topology.vertex_count();
    done_.assign(nv, 0);
    steps_ = std::make_unique_for_overwrite<std::int32_t[]>(2 * nv);
    std::vector<std::uint32_t> ids;
    for (const VertexRings* rings : needed) {
        if (rings == nullptr) continue;
        for (const auto& polygon : rings->polygons)
            for (const auto& ring : polygon)
                for (std::uint32_t v : ring)
                    if (v < nv && done_[v] == 0) {
                        done_[v] = 1;
                        ids.push_back(v);
                    }
    }
    if (ids.empty()) return;
    OGRSpatialReference source, wgs84;
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84.SetWellKnownGeogCS("WGS84");
    if (source.SetFromUserInput(crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + crs);
    std::unique_ptr<OGRCoordinateTransformation> transform(OGRCreateCoordinateTransformation(&source, &wgs84));
    if (!transform) throw OutputError("cannot transform from " + crs + " to WGS84 (PROJ database missing?)");

    // Lambert Conformal Conic sources (Lambert-93) in closed form when it agrees with PROJ here.
    std::array<double, 4> extent{HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (std::uint32_t v : ids) {
        extent[0] = std::min(extent[0], topology.x(v));
        extent[1] = std::min(extent[1], topology.y(v));
        extent[2] = std::max(extent[2], topology.x(v));
        extent[3] = std::max(extent[3], topology.y(v));
    }
    lcc_ = InverseLcc::make(source, *transform, extent);
    const std::optional<InverseLcc>& lcc = lcc_;

    threads = thread_count(threads);
    if (ids.size() < 10000) threads = 1;
    if (lcc) {
        run_on_threads(threads, [&](unsigned t) {
            for (std::size_t k = ids.size() * t / threads; k < ids.size() * (t + 1) / threads; ++k) {
                const std::uint32_t v = ids[k];
                double lon = 0.0, lat = 0.0;
                lcc->lonlat(topology.x(v), topology.y(v), lon, lat);
                set(v, lon, lat);
            }
        });
        return;
    }
    const auto work = [&](unsigned t, OGRCoordinateTransformation& ct) {
        constexpr std::size_t batch = 4096;
        std::vector<double> x(batch), y(batch);
        const std::size_t lo = ids.size() * t / threads, hi = ids.size() * (t + 1) / threads;
        for (std::size_t b = lo; b < hi; b += batch) {
            const std::size_t m = std::min(batch, hi - b);
            for (std::size_t k = 0; k < m; ++k) {
                x[k] = topology.x(ids[b + k]);
                y[k] = topology.y(ids[b + k]);
            }
            if (!ct.Transform(m, x.data(), y.data())) throw OutputError("cannot reproject the territories' vertices to WGS84");
            for (std::size_t k = 0; k < m; ++k) set(ids[b + k], x[k], y[k]);
        }
    };
    run_on_threads(threads, [&](unsigned t) {
        if (threads == 1) return work(0, *transform);
        std::unique_ptr<OGRCoordinateTransformation> own(transform->Clone());
        if (!own) throw OutputError("cannot copy the WGS84 transformation");
        work(t, *own);
    });
}

static_assert(VertexLonLat::kStep == kOutputGrid, "vertices are rounded to the GeoJSON grid");

bool VertexLonLat::project(double x, double y, double& lon, double& lat) const
{
    if (!lcc_) return false;
    lcc_->lonlat(x, y, lon, lat);
    return std::isfinite(lon) && std::isfinite(lat);
}

void VertexLonLat::set(std::uint32_t v, double lon, double lat)
{
    const double x = std::round(lon / kOutputGrid), y = std::round(lat / kOutputGrid);
    constexpr double limit = 2147483647.0;
    if (!(std::fabs(x) <= limit) || !(std::fabs(y) <= limit)) {
        done_[v] = 0;
        return;
    }
    steps_[2 * std::size_t(v)] = static_cast<std::int32_t>(x);
    steps_[2 * std::size_t(v) + 1] = static_cast<std::int32_t>(y);
}

} // namespace cptsmap
