#include "cptsmap/export/geojson_text.hpp"
#include "cptsmap/geometry/primitives.hpp"

#include "cptsmap/error.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <string_view>
#include <vector>

namespace cptsmap {

void append_json_string(std::string& out, std::string_view s)
{
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void append_json_integer(std::string& out, long long v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_json_real(std::string& out, double v)
{
    if (v == 0.0) v = 0.0; // no "-0"
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

namespace {

constexpr char kTwoDigits[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                              "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                              "8081828384858687888990919293949596979899";

// Writes a coordinate at p (room for 40 characters); returns the end.
char* write_coordinate(char* p, double v)
{
    // Coordinates on the 1e-7 output grid (all but a few) are an integer count of 1e-7: its
    // decimal digits with the point placed are exactly what to_chars(fixed, 7) prints for the
    // double, at a fraction of the cost. Within 1e-3 of a step, the exact binary value is far
    // from any rounding tie, so both agree (tests/unit/export/geojson_text_test.cpp checks it).
    const double scaled = v * 1e7;
    if (std::fabs(scaled) < 1e15) {
        const long long k = std::llround(scaled);
        if (std::fabs(scaled - static_cast<double>(k)) <= 1e-3) {
            if (k == 0) { // no "-0.0"
                std::memcpy(p, "0.0", 3);
                return p + 3;
            }
            if (k < 0) *p++ = '-';
            const unsigned long long a = k < 0 ? 0ULL - static_cast<unsigned long long>(k) : static_cast<unsigned long long>(k);
            p = std::to_chars(p, p + 24, a / 10000000ULL).ptr;
            *p++ = '.';
            // The seven decimals, two at a time, trailing zeros dropped but one: "45.0".
            auto frac = static_cast<unsigned>(a % 10000000ULL);
            p[0] = static_cast<char>('0' + frac / 1000000);
            frac %= 1000000;
            std::memcpy(p + 1, kTwoDigits + 2 * (frac / 10000), 2);
            frac %= 10000;
            std::memcpy(p + 3, kTwoDigits + 2 * (frac / 100), 2);
            std::memcpy(p + 5, kTwoDigits + 2 * (frac % 100), 2);
            int digits = 7;
            while (digits > 1 && p[digits - 1] == '0') --digits;
            return p + digits;
        }
    }
    auto r = std::to_chars(p, p + 40, v, std::chars_format::fixed, 7);
    char* end = r.ptr;
    while (end[-1] == '0') --end;
    if (end[-1] == '.') ++end; // keep one zero: "45.0", as GDAL writes it
    if (std::string_view(p, static_cast<std::size_t>(end - p)) == "-0.0") {
        std::memcpy(p, "0.0", 3);
        return p + 3;
    }
    return end;
}

} // namespace

void append_json_coordinate(std::string& out, double v)
{
    char buf[48];
    out.append(buf, write_coordinate(buf, v));
}

namespace {

// Copies the coordinates of a ring, line or point into x and y; returns their number.
unsigned copy_coordinates(const GeosContext& geos, const GEOSGeometry* g, std::vector<double>& x, std::vector<double>& y)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos, g);
    unsigned n = 0;
    if (seq == nullptr || GEOSCoordSeq_getSize_r(geos, seq, &n) == 0) throw OutputError("internal error: a geometry without coordinates");
    x.resize(n);
    y.resize(n);
    if (n > 0 && GEOSCoordSeq_copyToArrays_r(geos, seq, x.data(), y.data(), nullptr, nullptr) == 0)
        throw OutputError("internal error: cannot read the coordinates of a geometry");
    return n;
}

// A ring of n positions, point i at (x[i * stride], y[i * stride]), exterior counter-clockwise.
void append_ring_positions(std::string& out, const double* x, const double* y, std::size_t stride, std::size_t n, bool exterior)
{
    const double area = ring_signed_area(
        n, [&](std::size_t i) { return x[i * stride]; }, [&](std::size_t i) { return y[i * stride]; });
    const bool reverse = exterior ? area < 0 : area > 0;
    out += "[ ";
    char buf[128]; // one position: ", [ x, y ]"
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = reverse ? n - 1 - k : k;
        char* p = buf;
        if (k > 0) *p++ = ',', *p++ = ' ';
        *p++ = '[', *p++ = ' ';
        p = write_coordinate(p, x[i * stride]);
        *p++ = ',', *p++ = ' ';
        p = write_coordinate(p, y[i * stride]);
        *p++ = ' ', *p++ = ']';
        out.append(buf, p);
    }
    out += " ]";
}

void append_ring(std::string& out, const GeosContext& geos, const GEOSGeometry* ring, bool exterior, std::vector<double>& x,
                 std::vector<double>& y)
{
    const unsigned n = copy_coordinates(geos, ring, x, y);
    append_ring_positions(out, x.data(), y.data(), 1, n, exterior);
}

void append_polygon_rings(std::string& out, const GeosContext& geos, const GEOSGeometry* polygon, std::vector<double>& x,
                          std::vector<double>& y)
{
    out += "[ ";
    if (GEOSisEmpty_r(geos, polygon) != 1) {
        append_ring(out, geos, GEOSGetExteriorRing_r(geos, polygon), true, x, y);
        const int holes = GEOSGetNumInteriorRings_r(geos, polygon);
        for (int h = 0; h < holes; ++h) {
            out += ", ";
            append_ring(out, geos, GEOSGetInteriorRingN_r(geos, polygon, h), false, x, y);
        }
    }
    out += " ]";
}

// Positions of a Point or LineString, in their order: [x, y] for a point, [[x, y], ...] for a line.
void append_positions(std::string& out, const GeosContext& geos, const GEOSGeometry* g, bool single, std::vector<double>& x,
                      std::vector<double>& y)
{
    const unsigned n = copy_coordinates(geos, g, x, y);
    if (!single) out += "[ ";
    for (unsigned i = 0; i < n; ++i) {
        out += i == 0 ? "[ " : ", [ ";
        append_json_coordinate(out, x[i]);
        out += ", ";
        append_json_coordinate(out, y[i]);
        out += " ]";
    }
    if (!single) out += " ]";
}

// Points and lines (the findings of `check`): Point, LineString and their Multi forms.
bool append_lineal_or_puntal(std::string& out, const GeosContext& geos, const GEOSGeometry* geometry, std::vector<double>& x,
                             std::vector<double>& y)
{
    const int type = GEOSGeomTypeId_r(geos, geometry);
    if (type == GEOS_POINT || type == GEOS_LINESTRING) {
        out += type == GEOS_POINT ? "{ \"type\": \"Point\", \"coordinates\": " : "{ \"type\": \"LineString\", \"coordinates\": ";
        if (GEOSisEmpty_r(geos, geometry) == 1) out += "[ ]";
        else append_positions(out, geos, geometry, type == GEOS_POINT, x, y);
        return true;
    }
    if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING) {
        out += type == GEOS_MULTIPOINT ? "{ \"type\": \"MultiPoint\", \"coordinates\": [ " : "{ \"type\": \"MultiLineString\", \"coordinates\": [ ";
        const int n = GEOSGetNumGeometries_r(geos, geometry);
        for (int i = 0; i < n; ++i) {
            if (i > 0) out += ", ";
            append_positions(out, geos, GEOSGetGeometryN_r(geos, geometry, i), type == GEOS_MULTIPOINT, x, y);
        }
        out += " ]";
        return true;
    }
    return false;
}

} // namespace

void append_geojson_polygons(std::string& out, const PolygonArrays& polygons)
{
    const auto polygon = [&](std::size_t p) {
        out += "[ ";
        for (std::size_t r = polygons.polygon_begin(p); r < polygons.polygon_end[p]; ++r) {
            if (r > polygons.polygon_begin(p)) out += ", ";
            const std::span<const double> xy = polygons.ring(r);
            append_ring_positions(out, xy.data(), xy.data() + 1, 2, xy.size() / 2, r == polygons.polygon_begin(p));
        }
        out += " ]";
    };
    if (polygons.polygons() == 1) {
        out += "{ \"type\": \"Polygon\", \"coordinates\": ";
        polygon(0);
    } else {
        out += "{ \"type\": \"MultiPolygon\", \"coordinates\": [ ";
        for (std::size_t p = 0; p < polygons.polygons(); ++p) {
            if (p > 0) out += ", ";
            polygon(p);
        }
        out += " ]";
    }
    out += " }";
}

void append_geojson_geometry(std::string& out, const GeosContext& geos, const GEOSGeometry* geometry)
{
    std::vector<double> x, y;
    const int type = GEOSGeomTypeId_r(geos, geometry);
    if (type == GEOS_POLYGON) {
        out += "{ \"type\": \"Polygon\", \"coordinates\": ";
        append_polygon_rings(out, geos, geometry, x, y);
    } else if (type == GEOS_MULTIPOLYGON) {
        out += "{ \"type\": \"MultiPolygon\", \"coordinates\": [ ";
        const int n = GEOSGetNumGeometries_r(geos, geometry);
        for (int i = 0; i < n; ++i) {
            if (i > 0) out += ", ";
            append_polygon_rings(out, geos, GEOSGetGeometryN_r(geos, geometry, i), x, y);
        }
        out += " ]";
    } else if (!append_lineal_or_puntal(out, geos, geometry, x, y)) {
        throw OutputError("internal error: a geometry collection cannot be written as GeoJSON here");
    }
    out += " }";
}

} // namespace cptsmap
