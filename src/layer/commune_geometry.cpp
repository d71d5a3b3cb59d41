#include "cptsmap/layer/commune_geometry.hpp"

#include <utility>

namespace cptsmap {

namespace {

// GEOS geometries belong to no context (they share GEOS's default factory): each thread builds
// them through a context of its own...
const GeosContext& thread_geos()
{
    thread_local GeosContext geos;
    return geos;
}

// ... and they are destroyed through one that is never finished, so that a layer destroyed after
// its thread's contexts (a static one, at exit) still has a live handle. Destroying is only a
// delete: the handle is not written to, and may serve every thread.
GEOSContextHandle_t destroy_handle()
{
    static const GEOSContextHandle_t handle = GEOS_init_r();
    return handle;
}

} // namespace

CommuneGeometry::CommuneGeometry(PolygonArrays coordinates)
    : coordinates_(std::move(coordinates)), has_coordinates_(true), empty_(coordinates_.empty()), envelope_(cptsmap::envelope(coordinates_))
{
}

CommuneGeometry::CommuneGeometry(GeomPtr geometry)
{
    if (!geometry) return;
    empty_ = GEOSisEmpty_r(thread_geos(), geometry.get()) == 1;
    if (!empty_ && GEOSGeom_getExtent_r(thread_geos(), geometry.get(), &envelope_[0], &envelope_[1], &envelope_[2], &envelope_[3]) == 0)
        envelope_ = {1.0, 1.0, 0.0, 0.0};
    geos_.store(geometry.release(), std::memory_order_release);
}

CommuneGeometry::~CommuneGeometry() { destroy(); }

CommuneGeometry::CommuneGeometry(CommuneGeometry&& other) noexcept
    : coordinates_(std::move(other.coordinates_)), has_coordinates_(other.has_coordinates_), empty_(other.empty_), envelope_(other.envelope_),
      geos_(other.geos_.exchange(nullptr))
{
    other.has_coordinates_ = false;
    other.empty_ = true;
}

CommuneGeometry::CommuneGeometry(const CommuneGeometry& other)
    : coordinates_(other.coordinates_), has_coordinates_(other.has_coordinates_), empty_(other.empty_), envelope_(other.envelope_)
{
    if (has_coordinates_) return;
    if (const GEOSGeometry* g = other.geos_.load(std::memory_order_acquire)) geos_.store(GEOSGeom_clone_r(thread_geos(), g), std::memory_order_release);
}

CommuneGeometry& CommuneGeometry::operator=(const CommuneGeometry& other)
{
    if (this != &other) *this = CommuneGeometry(other);
    return *this;
}

CommuneGeometry& CommuneGeometry::operator=(CommuneGeometry&& other) noexcept
{
    if (this != &other) {
        destroy();
        coordinates_ = std::move(other.coordinates_);
        has_coordinates_ = other.has_coordinates_;
        empty_ = other.empty_;
        envelope_ = other.envelope_;
        geos_.store(other.geos_.exchange(nullptr));
        other.has_coordinates_ = false;
        other.empty_ = true;
    }
    return *this;
}

void CommuneGeometry::destroy() noexcept
{
    if (GEOSGeometry* g = geos_.exchange(nullptr)) GEOSGeom_destroy_r(destroy_handle(), g);
}

const GEOSGeometry* CommuneGeometry::get() const
{
    if (GEOSGeometry* g = geos_.load(std::memory_order_acquire)) return g;
    GeomPtr built = has_coordinates_ ? to_geos(thread_geos(), coordinates_) : thread_geos().empty_polygon();
    GEOSGeometry* expected = nullptr;
    if (geos_.compare_exchange_strong(expected, built.get(), std::memory_order_acq_rel)) return built.release();
    return expected; // another thread published its copy first; ours is destroyed
}

} // namespace cptsmap
