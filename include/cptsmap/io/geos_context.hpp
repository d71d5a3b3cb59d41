#pragma once
// RAII over the GEOS reentrant C API: a context that turns GEOS errors into exceptions, and an
// owning pointer for geometries. Debian ships GEOS without its C++ API; geos_c.h is the stable one.
#include "cptsmap/error.hpp"
#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

// Deleter bound to the context that created the geometry.
struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const noexcept
    {
        if (g != nullptr) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const noexcept
    {
        if (g != nullptr) GEOSPreparedGeom_destroy_r(ctx, g);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct TreeDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSSTRtree* t) const noexcept
    {
        if (t != nullptr) GEOSSTRtree_destroy_r(ctx, t);
    }
};
using TreePtr = std::unique_ptr<GEOSSTRtree, TreeDeleter>; // the tree does not own its items

// A GEOS context handle. Not copyable; one per thread. The last GEOS error message is kept so
// that a failed call can be reported with its reason.
class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t handle() const noexcept { return ctx_; }
    operator GEOSContextHandle_t() const noexcept { return ctx_; } // NOLINT: convenience for _r calls

    // Wraps a geometry returned by a GEOS call; throws GeosError with the GEOS message if null.
    GeomPtr own(GEOSGeometry* g, std::string_view what) const;
    GeomPtr own_nothrow(GEOSGeometry* g) const noexcept { return GeomPtr(g, GeomDeleter{ctx_}); }
    PreparedPtr prepare(const GEOSGeometry* g) const;

    GeomPtr clone(const GEOSGeometry* g) const;
    GeomPtr from_wkb(const unsigned char* wkb, std::size_t size) const;
    std::vector<unsigned char> to_wkb(const GEOSGeometry* g) const;
    GeomPtr from_wkt(std::string_view wkt) const;
    std::string to_wkt(const GEOSGeometry* g, int decimals = -1) const;

    // Builds a GeometryCollection or MultiPolygon taking ownership of the parts.
    GeomPtr collect(int type, std::vector<GeomPtr> parts) const;
    // A LinearRing of n points x, y, x, y... (closed: the first repeated last). Throws GeosError
    // (with `what`) if GEOS refuses it.
    GeomPtr ring(const double* xy, std::size_t n, std::string_view what) const;
    // A Polygon taking ownership of its rings. Throws GeosError (with `what`) if GEOS refuses it.
    GeomPtr polygon(GeomPtr shell, std::vector<GeomPtr> holes, std::string_view what) const;
    GeomPtr empty_polygon() const;

    // Last error message GEOS reported on this context ("" if none).
    const std::string& last_error() const noexcept { return last_error_; }
    void clear_error() noexcept { last_error_.clear(); }

private:
    GEOSContextHandle_t ctx_;
    std::string last_error_;
};

// A GEOS operation failed (topology exception, invalid input). Internal: callers catch it to fall
// back to a more robust method, and only report it to a user with context added.
class GeosError : public GeometryError {
public:
    using GeometryError::GeometryError;
};

} // namespace cptsmap
