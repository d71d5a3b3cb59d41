#include "cptsmap/map/png_render.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <cairo.h>
#include <gdal_priv.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>
#include <vector>

namespace cptsmap {

namespace {

struct GObjectDeleter {
    void operator()(void* p) const noexcept { g_object_unref(p); }
};
struct GErrorDeleter {
    void operator()(GError* e) const noexcept { g_error_free(e); }
};
struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};

} // namespace

void write_png_from_svg(const std::string& svg, double scale, const std::string& path)
{
    GError* raw_error = nullptr;
    std::unique_ptr<RsvgHandle, GObjectDeleter> handle(
        rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &raw_error));
    std::unique_ptr<GError, GErrorDeleter> error(raw_error);
    if (!handle) throw OutputError("cannot read the map's SVG for " + path + ": " + (error ? error->message : "librsvg failed"));
    double w = 0, h = 0;
    if (rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &w, &h) == FALSE) throw OutputError("the map's SVG has no size in pixels");
    const int width = static_cast<int>(std::lround(w * scale));
    const int height = static_cast<int>(std::lround(h * scale));

    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    const RsvgRectangle viewport{0, 0, static_cast<double>(width), static_cast<double>(height)};
    raw_error = nullptr;
    const gboolean ok = rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &raw_error);
    error.reset(raw_error);
    if (ok == FALSE) throw OutputError("cannot render the map for " + path + ": " + (error ? error->message : "librsvg failed"));
    cairo_surface_flush(surface.get());

    // RGB24 pixels are 32-bit words 0x00RRGGBB: split them into three bands for GDAL.
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    std::vector<unsigned char> bands(static_cast<std::size_t>(width) * height * 3);
    const std::size_t plane = static_cast<std::size_t>(width) * height;
    for (int y = 0; y < height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
        for (int x = 0; x < width; ++x) {
            const std::uint32_t px = row[x];
            const std::size_t i = static_cast<std::size_t>(y) * width + x;
            bands[i] = static_cast<unsigned char>((px >> 16) & 0xff);
            bands[plane + i] = static_cast<unsigned char>((px >> 8) & 0xff);
            bands[2 * plane + i] = static_cast<unsigned char>(px & 0xff);
        }
    }

    ensure_gdal_registered();
    GdalErrorCapture capture;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (mem == nullptr || png == nullptr) throw OutputError("GDAL has no MEM or PNG driver; cannot write " + path);
    GDALDatasetUniquePtr image(mem->Create("", width, height, 3, GDT_Byte, nullptr));
    if (!image || image->RasterIO(GF_Write, 0, 0, width, height, bands.data(), width, height, GDT_Byte, 3, nullptr, 0, 0, 0, nullptr) != CE_None)
        throw OutputError("cannot build the map image for " + path + " (GDAL: " + capture.last_failure() + ")");
    char** options = CSLSetNameValue(nullptr, "WORLDFILE", "NO");
    GDALDatasetUniquePtr out(png->CreateCopy(path.c_str(), image.get(), FALSE, options, nullptr, nullptr));
    CSLDestroy(options);
    if (!out) throw OutputError("cannot write " + path + " (GDAL: " + capture.last_failure() + ")");
    out.reset();
    if (capture.failed()) throw OutputError("cannot write " + path + " (GDAL: " + capture.last_failure() + ")");
}

} // namespace cptsmap
