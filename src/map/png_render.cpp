#include "cptsmap/map/png_render.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"

#include <cairo.h>
#include <gdal_priv.h>
#include <librsvg/rsvg.h>

#include <dlfcn.h>

#include <cmath>
#include <memory>
#include <type_traits>
#include <vector>

namespace cptsmap {

namespace {

// librsvg (and through it cairo and GLib) is opened when a map is first drawn, not linked: it
// brings some thirty shared libraries (pango, harfbuzz, gdk-pixbuf...) whose loading cost every
// run of cptsmap about 12 ms, a national build 1.5 % of its time, for a feature most runs do not
// use. The functions are those of the headers, looked up by name.
struct Rsvg {
    decltype(&rsvg_handle_new_from_data) new_from_data = nullptr;
    decltype(&rsvg_handle_get_intrinsic_size_in_pixels) intrinsic_size = nullptr;
    decltype(&rsvg_handle_render_document) render_document = nullptr;
    decltype(&g_object_unref) object_unref = nullptr;
    decltype(&g_error_free) error_free = nullptr;
    decltype(&cairo_image_surface_create) image_surface_create = nullptr;
    decltype(&cairo_create) create = nullptr;
    decltype(&cairo_set_source_rgb) set_source_rgb = nullptr;
    decltype(&cairo_paint) paint = nullptr;
    decltype(&cairo_surface_flush) surface_flush = nullptr;
    decltype(&cairo_image_surface_get_data) image_surface_get_data = nullptr;
    decltype(&cairo_image_surface_get_stride) image_surface_get_stride = nullptr;
    decltype(&cairo_surface_destroy) surface_destroy = nullptr;
    decltype(&cairo_destroy) destroy = nullptr;
};

const Rsvg& rsvg()
{
    static const Rsvg loaded = [] {
        void* library = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) {
            const char* why = dlerror();
            throw OutputError(std::string("cannot draw map.png: librsvg is not installed (") + (why != nullptr ? why : "librsvg-2.so.2") +
                              "); install the Debian package librsvg2-2, or leave out --map");
        }
        Rsvg r;
        const auto look_up = [&](auto& function, const char* name) {
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, name));
            if (function == nullptr) throw OutputError(std::string("cannot draw map.png: librsvg has no function ") + name + "; is it older than 2.52?");
        };
        look_up(r.new_from_data, "rsvg_handle_new_from_data");
        look_up(r.intrinsic_size, "rsvg_handle_get_intrinsic_size_in_pixels");
        look_up(r.render_document, "rsvg_handle_render_document");
        look_up(r.object_unref, "g_object_unref");
        look_up(r.error_free, "g_error_free");
        look_up(r.image_surface_create, "cairo_image_surface_create");
        look_up(r.create, "cairo_create");
        look_up(r.set_source_rgb, "cairo_set_source_rgb");
        look_up(r.paint, "cairo_paint");
        look_up(r.surface_flush, "cairo_surface_flush");
        look_up(r.image_surface_get_data, "cairo_image_surface_get_data");
        look_up(r.image_surface_get_stride, "cairo_image_surface_get_stride");
        look_up(r.surface_destroy, "cairo_surface_destroy");
        look_up(r.destroy, "cairo_destroy");
        return r; // the library stays open for the life of the process
    }();
    return loaded;
}

struct GObjectDeleter {
    void operator()(void* p) const noexcept { rsvg().object_unref(p); }
};
struct GErrorDeleter {
    void operator()(GError* e) const noexcept { rsvg().error_free(e); }
};
struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const noexcept { rsvg().surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { rsvg().destroy(c); }
};

} // namespace

void write_png_from_svg(const std::string& svg, double scale, const std::string& path)
{
    const Rsvg& r = rsvg();
    GError* raw_error = nullptr;
    std::unique_ptr<RsvgHandle, GObjectDeleter> handle(
        r.new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &raw_error));
    std::unique_ptr<GError, GErrorDeleter> error(raw_error);
    if (!handle) throw OutputError("cannot read the map's SVG for " + path + ": " + (error ? error->message : "librsvg failed"));
    double w = 0, h = 0;
    if (r.intrinsic_size(handle.get(), &w, &h) == FALSE) throw OutputError("the map's SVG has no size in pixels");
    const int width = static_cast<int>(std::lround(w * scale));
    const int height = static_cast<int>(std::lround(h * scale));

    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(r.image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    std::unique_ptr<cairo_t, CairoDeleter> cr(r.create(surface.get()));
    r.set_source_rgb(cr.get(), 1, 1, 1);
    r.paint(cr.get());
    const RsvgRectangle viewport{0, 0, static_cast<double>(width), static_cast<double>(height)};
    raw_error = nullptr;
    const gboolean ok = r.render_document(handle.get(), cr.get(), &viewport, &raw_error);
    error.reset(raw_error);
    if (ok == FALSE) throw OutputError("cannot render the map for " + path + ": " + (error ? error->message : "librsvg failed"));
    r.surface_flush(surface.get());

    // RGB24 pixels are 32-bit words 0x00RRGGBB: split them into three bands for GDAL.
    const unsigned char* data = r.image_surface_get_data(surface.get());
    const int stride = r.image_surface_get_stride(surface.get());
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
