#include "cptsmap/io/geos_context.hpp"

#include <cstdarg>
#include <cstdio>

namespace cptsmap {

namespace {
void on_geos_message(const char* message, void* userdata)
{
    if (userdata != nullptr && message != nullptr) {
        *static_cast<std::string*>(userdata) = message;
    }
}
void ignore_geos_notice(const char*, void*) {}
} // namespace

GeosContext::GeosContext() : ctx_(GEOS_init_r())
{
    if (ctx_ == nullptr) throw GeosError("cannot initialise a GEOS context (out of memory?)");
    GEOSContext_setErrorMessageHandler_r(ctx_, on_geos_message, &last_error_);
    GEOSContext_setNoticeMessageHandler_r(ctx_, ignore_geos_notice, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(ctx_); }

GeomPtr GeosContext::own(GEOSGeometry* g, std::string_view what) const
{
    if (g == nullptr) {
        std::string msg(what);
        msg += " failed";
        if (!last_error_.empty()) msg += ": " + last_error_;
        throw GeosError(msg);
    }
    return GeomPtr(g, GeomDeleter{ctx_});
}

PreparedPtr GeosContext::prepare(const GEOSGeometry* g) const
{
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx_, g);
    if (p == nullptr) throw GeosError("GEOSPrepare failed: " + last_error_);
    return PreparedPtr(p, PreparedDeleter{ctx_});
}

GeomPtr GeosContext::clone(const GEOSGeometry* g) const { return own(GEOSGeom_clone_r(ctx_, g), "GEOSGeom_clone"); }

GeomPtr GeosContext::from_wkb(const unsigned char* wkb, std::size_t size) const
{
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx_);
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx_, reader, wkb, size);
    GEOSWKBReader_destroy_r(ctx_, reader);
    return own(g, "reading WKB");
}

std::vector<unsigned char> GeosContext::to_wkb(const GEOSGeometry* g) const
{
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx_);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(ctx_, writer, g, &size);
    GEOSWKBWriter_destroy_r(ctx_, writer);
    if (buf == nullptr) throw GeosError("writing WKB failed: " + last_error_);
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(ctx_, buf);
    return out;
}

GeomPtr GeosContext::from_wkt(std::string_view wkt) const
{
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx_);
    std::string text(wkt);
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx_, reader, text.c_str());
    GEOSWKTReader_destroy_r(ctx_, reader);
    return own(g, "reading WKT");
}

std::string GeosContext::to_wkt(const GEOSGeometry* g, int decimals) const
{
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx_);
    if (decimals >= 0) {
        GEOSWKTWriter_setRoundingPrecision_r(ctx_, writer, decimals);
        GEOSWKTWriter_setTrim_r(ctx_, writer, 1);
    }
    char* text = GEOSWKTWriter_write_r(ctx_, writer, g);
    GEOSWKTWriter_destroy_r(ctx_, writer);
    if (text == nullptr) throw GeosError("writing WKT failed: " + last_error_);
    std::string out(text);
    GEOSFree_r(ctx_, text);
    return out;
}

GeomPtr GeosContext::collect(int type, std::vector<GeomPtr> parts) const
{
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& p : parts) raw.push_back(p.release());
    GEOSGeometry* g = GEOSGeom_createCollection_r(ctx_, type, raw.data(), static_cast<unsigned>(raw.size()));
    if (g == nullptr) {
        for (GEOSGeometry* r : raw) GEOSGeom_destroy_r(ctx_, r);
    }
    return own(g, "building a geometry collection");
}

GeomPtr GeosContext::ring(const double* xy, std::size_t n, std::string_view what) const
{
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx_, xy, static_cast<unsigned>(n), 0, 0);
    if (seq == nullptr) return own(nullptr, what);
    return own(GEOSGeom_createLinearRing_r(ctx_, seq), what); // the sequence is handed over to the ring
}

GeomPtr GeosContext::polygon(GeomPtr shell, std::vector<GeomPtr> holes, std::string_view what) const
{
    std::vector<GEOSGeometry*> raw;
    raw.reserve(holes.size());
    for (auto& h : holes) raw.push_back(h.release());
    // The rings are handed over to GEOS, as GEOSGeom_createPolygon_r wants.
    return own(GEOSGeom_createPolygon_r(ctx_, shell.release(), raw.data(), static_cast<unsigned>(raw.size())), what);
}

GeomPtr GeosContext::empty_polygon() const { return own(GEOSGeom_createEmptyPolygon_r(ctx_), "creating an empty polygon"); }

} // namespace cptsmap
