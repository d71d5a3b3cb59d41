#include "cptsmap/io/gdal_support.hpp"

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace cptsmap {

void ensure_gdal_registered()
{
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Shapefiles: honour the .cpg; read invalid ring orders as GDAL does by default.
        // GDAL messages raised outside a GdalErrorCapture are dropped, not printed: GDAL's own
        // lines ("One or several characters couldn't be converted correctly from UTF-8 to
        // ISO-8859-1") would follow our one-line error. What matters is captured where it happens.
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
}

GdalErrorCapture::GdalErrorCapture()
{
    CPLPushErrorHandlerEx(
        [](CPLErr cls, CPLErrorNum num, const char* msg) { handler(static_cast<int>(cls), num, msg); }, this);
}

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void GdalErrorCapture::handler(int error_class, int /*error_number*/, const char* message)
{
    auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
    if (self == nullptr) return;
    std::string text = message != nullptr ? message : "";
    if (error_class == CE_Failure || error_class == CE_Fatal) self->failures_.push_back(std::move(text));
    else if (error_class == CE_Warning) self->warnings_.push_back(std::move(text));
}

} // namespace cptsmap
