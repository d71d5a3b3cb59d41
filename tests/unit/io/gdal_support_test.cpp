#include "cptsmap/io/gdal_support.hpp"

#include <catch2/catch.hpp>

#include <cpl_error.h>

using namespace cptsmap;

TEST_CASE("GDAL messages outside a capture are dropped and never printed after our error line", "[io]")
{
    ensure_gdal_registered();
    // The handler in place is the quiet one (CPLSetErrorHandler returns the one it replaces).
    const CPLErrorHandler before = CPLSetErrorHandler(CPLQuietErrorHandler);
    CHECK(before == CPLQuietErrorHandler);
    {
        GdalErrorCapture capture; // inside a capture messages are still collected
        CPLError(CE_Warning, CPLE_AppDefined, "One or several characters couldn't be converted correctly from UTF-8 to ISO-8859-1");
        CHECK(capture.warnings().size() == 1);
    }
}
