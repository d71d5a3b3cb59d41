#include "cptsmap/map/leaflet_page.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/map/web_assets.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cmath>

namespace cptsmap {

using nlohmann::ordered_json;

// One CRS → WGS84 (traditional GIS order: longitude first).
class WebLonLat::Transform {
public:
    explicit Transform(const std::string& crs)
    {
        ensure_gdal_registered();
        wgs84_.SetWellKnownGeogCS("WGS84");
        wgs84_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        source_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (source_.SetFromUserInput(crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + crs + " for the HTML map");
        transform_.reset(OGRCreateCoordinateTransformation(&source_, &wgs84_));
        if (!transform_) throw OutputError("cannot transform from " + crs + " to WGS84 for the HTML map (PROJ database missing?)");
    }

    std::unique_ptr<OGRGeometry> to_ogr(const GEOSGeometry* g, const GeosContext& geos) const
    {
        std::vector<unsigned char> wkb = geos.to_wkb(g);
        OGRGeometry* ogr = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr)
            throw OutputError("internal error: cannot convert a geometry for the HTML map");
        std::unique_ptr<OGRGeometry> owned(ogr);
        if (owned->transform(transform_.get()) != OGRERR_NONE) throw OutputError("cannot reproject a geometry to WGS84 for the HTML map");
        return owned;
    }

private:
    OGRSpatialReference wgs84_, source_;
    std::unique_ptr<OGRCoordinateTransformation> transform_;
};

WebLonLat::WebLonLat(const CommuneLayer& layer, const GeosContext& geos) : geos_(geos)
{
    for (const std::string& crs : delivery_crs(layer)) all_.push_back(std::make_unique<Transform>(crs));
}

WebLonLat::~WebLonLat() = default;

const WebLonLat::Transform& WebLonLat::of(unsigned delivery) const
{
    return *all_.at(delivery < all_.size() ? delivery : 0);
}

std::string WebLonLat::geojson(const GEOSGeometry* g, unsigned delivery) const
{
    if (g == nullptr || GEOSisEmpty_r(geos_, g) == 1) return "null";
    std::unique_ptr<OGRGeometry> ogr = of(delivery).to_ogr(g, geos_);
    char** options = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", "5");
    char* text = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(ogr.get()), options);
    CSLDestroy(options);
    std::string out = text != nullptr ? text : "null";
    CPLFree(text);
    return out;
}

ordered_json WebLonLat::label_point(const GEOSGeometry* g, unsigned delivery) const
{
    if (g == nullptr || GEOSisEmpty_r(geos_, g) == 1) return nullptr;
    GeomPtr pt = geos_.own(GEOSPointOnSurface_r(geos_, g), "a label point");
    std::unique_ptr<OGRGeometry> p = of(delivery).to_ogr(pt.get(), geos_);
    const OGRPoint* point = p->toPoint();
    return ordered_json::array({std::round(point->getY() * 1e5) / 1e5, std::round(point->getX() * 1e5) / 1e5});
}

void FeatureCollectionText::add(const ordered_json& properties, const GEOSGeometry* geometry, unsigned delivery)
{
    text_ += first_ ? "" : ",";
    first_ = false;
    text_ += "{\"type\":\"Feature\",\"properties\":" + properties.dump() + ",\"geometry\":" + lonlat_.geojson(geometry, delivery) + "}";
}

std::string script_safe(std::string s)
{
    for (std::size_t at = s.find("</"); at != std::string::npos; at = s.find("</", at + 3)) s.replace(at, 2, "<\\/");
    return s;
}

const char* const kLeafletPanelCss = R"css(
html, body { margin: 0; height: 100%; font: 13px/1.35 "DejaVu Sans", Verdana, sans-serif; color: #202020; }
#map { position: absolute; inset: 0; background: #eef2f5; }
.panel { background: rgba(255,255,255,0.95); padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 320px; }
.panel h1 { font-size: 15px; margin: 0 0 4px; }
.panel .swatch { display: inline-block; width: 16px; height: 11px; margin-right: 6px; vertical-align: -1px; border: 1px solid #555; }
.panel table { border-collapse: collapse; }
.panel td { padding: 0 6px 0 0; }
.panel td.num { text-align: right; }
)css";

namespace {

// Runs first: every error of the page is counted, for people (the console) and for tests (the DOM).
const char* kErrorTrap = R"js(
window.CPTSMAP_ERRORS = [];
window.addEventListener('error', function (e) { window.CPTSMAP_ERRORS.push(String(e.message)); document.documentElement.setAttribute('data-errors', String(window.CPTSMAP_ERRORS.length)); });
(function () { var ce = console.error; console.error = function () { window.CPTSMAP_ERRORS.push(Array.prototype.join.call(arguments, ' ')); document.documentElement.setAttribute('data-errors', String(window.CPTSMAP_ERRORS.length)); ce.apply(console, arguments); }; })();
)js";

} // namespace

namespace {

// The page skeleton: the error trap, the library's style and script, then the page's.
std::string inline_page(const std::string& title, const std::string& library_css, const std::string& library_js, const std::string& page_css,
                        const std::string& data_js, const std::string& page_js)
{
    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>" + xml_escape(title) + "</title>\n";
    html += "<script>" + std::string(kErrorTrap) + "</script>\n";
    html += "<style>\n" + library_css + "\n</style>\n<style>" + page_css + "</style>\n";
    html += "<script>\n" + library_js + "\n</script>\n</head>\n<body>\n<div id=\"map\"></div>\n";
    html += "<script>\n" + script_safe(data_js) + "</script>\n";
    html += "<script>" + page_js + "</script>\n</body>\n</html>\n";
    return html;
}

} // namespace

std::string leaflet_page(const std::string& title, const std::string& page_css, const std::string& data_js, const std::string& page_js)
{
    if (!leaflet_available())
        throw OutputError("this cptsmap was built without Leaflet, so it cannot write an HTML map; run scripts/install-deps (npm ci in web/), then rebuild");
    return inline_page(title, leaflet_css(), leaflet_js(), page_css, data_js, page_js);
}

std::string maplibre_page(const std::string& title, const std::string& page_css, const std::string& data_js, const std::string& page_js)
{
    if (!maplibre_available())
        throw OutputError("this cptsmap was built without MapLibre GL JS, so it cannot write the vector tile map; run scripts/install-deps (npm ci "
                          "in web/), then rebuild");
    return inline_page(title, maplibre_css(), maplibre_js(), page_css, data_js, page_js);
}

} // namespace cptsmap
