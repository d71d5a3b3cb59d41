#pragma once
// A commune's boundary as the layer keeps it: the coordinates as read (PolygonArrays), with its
// envelope, and a GEOS geometry built from them the first time a step asks for one (get()). A
// national build needs GEOS for a few thousand of the 34,816 communes (sliver tests, enclaves,
// gap zones); building all of them was a fifth of the loading time and a quarter of the memory.
// A geometry GEOS had to repair (or one given as GEOS, as tests do) is kept as GEOS only.
//
// get() may be called from several threads at once: the first GEOS geometry published wins.
#include "cptsmap/geometry/polygon_arrays.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <array>
#include <atomic>

namespace cptsmap {

class CommuneGeometry {
public:
    CommuneGeometry() = default; // no geometry: an empty polygon
    explicit CommuneGeometry(PolygonArrays coordinates);
    CommuneGeometry(GeomPtr geometry); // NOLINT(google-explicit-constructor): a GEOS geometry, kept as it is
    ~CommuneGeometry();
    CommuneGeometry(CommuneGeometry&& other) noexcept;
    CommuneGeometry& operator=(CommuneGeometry&& other) noexcept;
    // A copy keeps the coordinates (its GEOS geometry is built again on demand), or a clone of the
    // GEOS geometry when held as GEOS only: a layer copied to be simplified at several tolerances
    // (the zoom levels of the vector tiles).
    CommuneGeometry(const CommuneGeometry& other);
    CommuneGeometry& operator=(const CommuneGeometry& other);

    // The GEOS geometry (built on first use); never null: an empty polygon for no geometry.
    const GEOSGeometry* get() const;
    bool empty() const noexcept { return empty_; }
    // {xmin, ymin, xmax, ymax}; inverted ({1, 1, 0, 0}) when empty.
    const std::array<double, 4>& envelope() const noexcept { return envelope_; }
    // The coordinates as read, or null when the geometry is held as GEOS only.
    const PolygonArrays* coordinates() const noexcept { return has_coordinates_ ? &coordinates_ : nullptr; }

private:
    PolygonArrays coordinates_;
    bool has_coordinates_ = false;
    bool empty_ = true;
    std::array<double, 4> envelope_{1.0, 1.0, 0.0, 0.0};
    mutable std::atomic<GEOSGeometry*> geos_{nullptr};

    void destroy() noexcept;
};

} // namespace cptsmap
