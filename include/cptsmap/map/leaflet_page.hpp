#pragma once
// The pieces every self-contained Leaflet page of cptsmap is made of (map.html of `build`,
// diff.html of `diff`, timeline.html of `timeline`; the MapLibre page of the vector tiles too): geometries as WGS84 GeoJSON text with 5
// decimals (~1 m), feature collections, and the page itself with Leaflet inlined, no tiles and no
// network, and an error trap that counts every error for people (the console) and tests (the DOM:
// <html data-errors="N">).
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace cptsmap {

// Each delivery's working CRS → WGS84 longitude/latitude (one transformation for most layers).
class WebLonLat {
public:
    WebLonLat(const CommuneLayer& layer, const GeosContext& geos);
    ~WebLonLat();
    WebLonLat(const WebLonLat&) = delete;
    WebLonLat& operator=(const WebLonLat&) = delete;

    // GeoJSON geometry text, "null" for an empty or missing geometry.
    std::string geojson(const GEOSGeometry* g, unsigned delivery) const;
    // [lat, lon] of a point inside `g` (for labels), null for an empty geometry.
    nlohmann::ordered_json label_point(const GEOSGeometry* g, unsigned delivery) const;

private:
    class Transform;
    const GeosContext& geos_;
    std::vector<std::unique_ptr<Transform>> all_;
    const Transform& of(unsigned delivery) const;
};

// A GeoJSON FeatureCollection built feature by feature: properties through nlohmann, geometries
// from OGR.
class FeatureCollectionText {
public:
    explicit FeatureCollectionText(const WebLonLat& lonlat) : lonlat_(lonlat) {}
    void add(const nlohmann::ordered_json& properties, const GEOSGeometry* geometry, unsigned delivery);
    std::string str() const { return text_ + "]}"; }

private:
    const WebLonLat& lonlat_;
    std::string text_ = "{\"type\":\"FeatureCollection\",\"features\":[";
    bool first_ = true;
};

// Text that is safe inside <script>: no "</" can end the element early.
std::string script_safe(std::string s);

// The page: `data_js` (assigning window.CPTSMAP_DATA, made script-safe here) runs before `page_js`;
// `page_css` comes after Leaflet's style sheet. Throws OutputError when the library was built
// without Leaflet (web/node_modules missing).
std::string leaflet_page(const std::string& title, const std::string& page_css, const std::string& data_js, const std::string& page_js);

// The same page with MapLibre GL JS inlined instead of Leaflet: the vector tile map of `build
// --format mbtiles --map` (tiles/tiles_map_html.hpp). Throws OutputError when the library was
// built without MapLibre.
std::string maplibre_page(const std::string& title, const std::string& page_css, const std::string& data_js, const std::string& page_js);

// The style of the panels (title, legend swatches, tables) the pages share.
extern const char* const kLeafletPanelCss;

} // namespace cptsmap
