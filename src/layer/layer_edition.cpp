#include "cptsmap/layer/layer_edition.hpp"

#include <cmath>
#include <cstdio>
#include <regex>

namespace cptsmap {

const char* to_string(LayerPrecision p)
{
    switch (p) {
    case LayerPrecision::Full: return "full";
    case LayerPrecision::Generalised: return "generalised";
    case LayerPrecision::Simplified: return "simplified";
    case LayerPrecision::Unknown: break;
    }
    return "unknown";
}

LayerPrecision precision_of_spacing(double mean_segment_m)
{
    if (!(mean_segment_m > 0.0)) return LayerPrecision::Unknown;
    if (mean_segment_m <= full_precision_max_segment_m) return LayerPrecision::Full;
    if (mean_segment_m <= generalised_max_segment_m) return LayerPrecision::Generalised;
    return LayerPrecision::Simplified;
}

DeliveryName parse_delivery_name(const std::string& path)
{
    // IGN's names: ADMIN-EXPRESS[-COG[-CARTO]]_<version>__<format>_<crs>_<zone>_<yyyy-mm-dd>, and the
    // shorter ADE[-COG[-CARTO]]_<version>_<format>_<crs>_<zone>-ED<yyyy-mm-dd> of the 4-0 files.
    static const std::regex product(R"((?:^|[/\\_])(ADMIN-EXPRESS|ADE)(-COG)?(-CARTO)?_(\d)-(\d)[_-])", std::regex::icase);
    static const std::regex date(R"((?:_|-ED|ED)(\d{4})-\d{2}-\d{2})", std::regex::icase);
    DeliveryName d;
    std::smatch m;
    // The last component naming a product wins (the file inside its delivery folder).
    for (auto it = std::sregex_iterator(path.begin(), path.end(), product); it != std::sregex_iterator(); ++it) m = *it;
    if (!m.empty()) {
        d.product = "ADMIN EXPRESS";
        if (m[2].matched) d.product += " COG";
        if (m[3].matched) d.product += " CARTO";
        d.version = m[4].str() + "-" + m[5].str();
        const std::string rest = path.substr(static_cast<std::size_t>(m.position(0)));
        std::smatch y;
        if (std::regex_search(rest, y, date)) {
            const int year = std::stoi(y[1].str());
            if (year >= 2000 && year <= 2100) d.year = year;
        }
    }
    return d;
}

std::string describe(const LayerEdition& e)
{
    std::string s = "ADMIN EXPRESS " + std::string(to_string(e.schema)) + " schema";
    std::string format = e.format == "ESRI Shapefile" ? "shapefile" : e.format == "GPKG" ? "GeoPackage" : e.format;
    if (!e.delivery.product.empty()) {
        format += ", " + e.delivery.product + " " + e.delivery.version;
        if (e.delivery.year) format += " of " + std::to_string(*e.delivery.year);
    }
    if (!format.empty()) s += " (" + format + ")";
    s += "; precision: ";
    s += to_string(e.precision);
    if (e.segments > 0) {
        char spacing[64];
        std::snprintf(spacing, sizeof spacing, "%.0f", e.mean_segment_m);
        s += std::string(", a vertex every ") + spacing + " m on average";
        if (e.precision == LayerPrecision::Full) s += " (ADMIN EXPRESS or ADMIN EXPRESS COG)";
        else if (e.precision == LayerPrecision::Generalised) s += " (ADMIN EXPRESS COG CARTO)";
        else if (e.precision == LayerPrecision::Simplified) s += " (coarser than COG CARTO: a simplified extract)";
    }
    return s;
}

} // namespace cptsmap
