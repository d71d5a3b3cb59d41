#include "cptsmap/map/html_map.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/map/web_assets.hpp"

#include <cpl_conv.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <memory>
#include <string_view>
#include <utility>

namespace cptsmap {

namespace {

using nlohmann::ordered_json;

// Working CRS → WGS84 longitude/latitude, as GeoJSON geometry text with 5 decimals.
class LonLat {
public:
    LonLat(const std::string& crs, const GeosContext& geos) : geos_(geos)
    {
        ensure_gdal_registered();
        wgs84_.SetWellKnownGeogCS("WGS84");
        wgs84_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        source_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (source_.SetFromUserInput(crs.c_str()) != OGRERR_NONE) throw OutputError("unknown CRS " + crs + " for map.html");
        transform_.reset(OGRCreateCoordinateTransformation(&source_, &wgs84_));
        if (!transform_) throw OutputError("cannot transform from " + crs + " to WGS84 for map.html (PROJ database missing?)");
    }

    std::unique_ptr<OGRGeometry> to_ogr(const GEOSGeometry* g) const
    {
        std::vector<unsigned char> wkb = geos_.to_wkb(g);
        OGRGeometry* ogr = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &ogr, wkb.size()) != OGRERR_NONE || ogr == nullptr)
            throw OutputError("internal error: cannot convert a geometry for map.html");
        std::unique_ptr<OGRGeometry> owned(ogr);
        if (owned->transform(transform_.get()) != OGRERR_NONE) throw OutputError("cannot reproject a geometry to WGS84 for map.html");
        return owned;
    }

    std::string geojson(const GEOSGeometry* g) const
    {
        if (g == nullptr || GEOSisEmpty_r(geos_, g) == 1) return "null";
        std::unique_ptr<OGRGeometry> ogr = to_ogr(g);
        char** options = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", "5");
        char* text = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(ogr.get()), options);
        CSLDestroy(options);
        std::string out = text != nullptr ? text : "null";
        CPLFree(text);
        return out;
    }

    // [lat, lon] of a point inside `g` (for labels).
    ordered_json label_point(const GEOSGeometry* g) const
    {
        if (g == nullptr || GEOSisEmpty_r(geos_, g) == 1) return nullptr;
        GeomPtr pt = geos_.own(GEOSPointOnSurface_r(geos_, g), "a label point");
        std::unique_ptr<OGRGeometry> p = to_ogr(pt.get());
        const OGRPoint* point = p->toPoint();
        return ordered_json::array({std::round(point->getY() * 1e5) / 1e5, std::round(point->getX() * 1e5) / 1e5});
    }

private:
    const GeosContext& geos_;
    OGRSpatialReference wgs84_, source_;
    std::unique_ptr<OGRCoordinateTransformation> transform_;
};

ordered_json properties(const LayerTable& t, const LayerRow& row)
{
    ordered_json p = ordered_json::object();
    for (std::size_t i = 0; i < t.fields.size() && i < row.values.size(); ++i)
        std::visit([&](const auto& v) { p[t.fields[i].name] = v; }, row.values[i]);
    return p;
}

// Each delivery's transformation to WGS84 (one for most layers).
class LonLats {
public:
    LonLats(const CommuneLayer& layer, const GeosContext& geos)
    {
        for (const std::string& crs : delivery_crs(layer)) all_.push_back(std::make_unique<LonLat>(crs, geos));
    }
    const LonLat& of(unsigned delivery) const { return *all_.at(delivery < all_.size() ? delivery : 0); }

private:
    std::vector<std::unique_ptr<LonLat>> all_;
};

// A FeatureCollection as text: properties through nlohmann, geometries from OGR.
std::string collection(const LayerTable& t, const LonLats& lonlat, const std::function<void(std::size_t, ordered_json&)>& extra = {})
{
    std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        ordered_json p = properties(t, t.rows[i]);
        if (extra) extra(i, p);
        out += (i == 0 ? "" : ",");
        out += "{\"type\":\"Feature\",\"properties\":" + p.dump() + ",\"geometry\":" + lonlat.of(t.rows[i].delivery).geojson(t.rows[i].geometry) + "}";
    }
    return out + "]}";
}

const LayerTable& table_named(const std::vector<LayerTable>& tables, const std::string& name)
{
    for (const auto& t : tables)
        if (t.name == name) return t;
    throw Error("internal error: no " + name + " layer for map.html");
}

// Text that is safe inside <script>: no "</" can end the element early.
std::string script_safe(std::string s)
{
    for (std::size_t at = s.find("</"); at != std::string::npos; at = s.find("</", at + 3)) s.replace(at, 2, "<\\/");
    return s;
}

const char* kPageCss = R"css(
html, body { margin: 0; height: 100%; font: 13px/1.35 "DejaVu Sans", Verdana, sans-serif; color: #202020; }
#map { position: absolute; inset: 0; background: #eef2f5; }
.panel { background: rgba(255,255,255,0.95); padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 320px; }
.panel h1 { font-size: 15px; margin: 0 0 4px; }
.panel .swatch { display: inline-block; width: 16px; height: 11px; margin-right: 6px; vertical-align: -1px; border: 1px solid #555; }
.panel table { border-collapse: collapse; }
.panel td { padding: 0 6px 0 0; }
.panel td.num { text-align: right; }
#info { min-width: 220px; }
.territory-label { background: rgba(255,255,255,0.8); border: none; box-shadow: none; font-weight: bold; font-size: 12px; padding: 1px 4px; }
.territory-label::before { display: none; }
)css";

const char* kPageJs = R"js(
(function () {
  var D = window.CPTSMAP_DATA;
  var map = L.map('map', { zoomSnap: 0.25, attributionControl: false });
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  var colour = {};
  D.territories.features.forEach(function (f) { colour[f.properties.id] = f.properties.colour; });

  var territories = L.geoJSON(D.territories, { style: function (f) {
    return { color: f.properties.colour, weight: 2, fillColor: f.properties.colour, fillOpacity: 0.55 }; } });
  var gaps = L.geoJSON(D.gaps, { style: { color: D.style.gap, weight: 2, fillColor: D.style.gap, fillOpacity: 0.3, dashArray: '5 3' } });
  var overlaps = L.geoJSON(D.overlaps, { style: { color: D.style.overlap, weight: 2, fillColor: D.style.overlap, fillOpacity: 0.45 } });
  var study = L.geoJSON(D.study_area, { interactive: false, style: { color: D.style.study, weight: 2, dashArray: '7 4', fill: false } });
  var info = L.control({ position: 'topright' });
  info.onAdd = function () { this._div = L.DomUtil.create('div', 'panel'); this._div.id = 'info'; this.show(null); return this._div; };
  info.show = function (p) {
    if (!p) { this._div.innerHTML = '<i>Hover over a commune</i>'; return; }
    var names = p.territories ? p.territories.split(',').map(function (id) { return esc(D.names[id] || id); }).join(', ') : '<b>none (gap)</b>';
    this._div.innerHTML = '<b>' + esc(p.nom) + '</b> (' + esc(p.insee) + ')<br>Population: ' + fmt(p.population) +
      '<br>Territories: ' + names + (p.status === 'overlap' ? ' <b>(overlap)</b>' : @SHARED_STATUS@'');
  };
  var communes = L.geoJSON(D.communes, {
    style: { color: D.style.commune, weight: 0.5, fillColor: '#000000', fillOpacity: 0 },
    onEachFeature: function (f, layer) {
      layer.on('mouseover', function () { layer.setStyle({ weight: 2.5, color: '#000000' }); layer.bringToFront(); info.show(f.properties); });
      layer.on('mouseout', function () { communes.resetStyle(layer); info.show(null); });
    } });
  var labels = L.layerGroup();
  D.territories.features.forEach(function (f) {
    if (!f.properties.label) return;
    labels.addLayer(L.tooltip({ permanent: true, direction: 'center', className: 'territory-label', interactive: false })
      .setLatLng(f.properties.label).setContent(esc(f.properties.name)));
  });
  [territories, gaps, overlaps, study, communes, labels].forEach(function (l) { l.addTo(map); });
@SHARED_LAYER@  L.control.layers(null, { 'Territories': territories, 'Territory names': labels, 'Gaps': gaps, 'Overlaps': overlaps,
    'Communes': communes, 'Study area': study@SHARED_CONTROL@ }, { collapsed: false, position: 'topright' }).addTo(map);
  info.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  var summary = L.control({ position: 'bottomleft' });
  summary.onAdd = function () {
    var div = L.DomUtil.create('div', 'panel'); div.id = 'summary';
    var s = D.summary, rows = '';
    D.territories.features.forEach(function (f) {
      var p = f.properties;
      rows += '<tr data-territory="' + esc(p.id) + '"><td><span class="swatch" style="background:' + p.colour + '"></span>' + esc(p.name) +
        '</td><td class="num">' + fmt(p.communes) + '</td><td class="num">' + fmt(p.population) + '</td></tr>';
    });
    div.innerHTML = '<h1>' + esc(D.title) + '</h1>' +
      '<div>' + fmt(s.covered_communes) + ' of ' + fmt(s.communes) + ' communes covered: <b>' + s.coverage_pct.toFixed(1) +
      ' %</b> of ' + fmt(s.population) + ' inhabitants</div>' +
      '<div><span class="swatch" style="background:' + D.style.gap + '"></span>Gaps: ' + fmt(s.gap_communes) + ' communes, ' +
      fmt(s.gap_population) + ' inh.</div>' +
      '<div><span class="swatch" style="background:' + D.style.overlap + '"></span>Overlaps: ' + fmt(s.overlap_communes) + ' communes, ' +
      fmt(s.overlap_population) + ' inh.</div>' +
@SHARED_SUMMARY@      '<table><tr><th></th><th>communes</th><th>population</th></tr>' + rows + '</table>';
    return div;
  };
  summary.addTo(map);
  var bounds = study.getBounds();
  map.fitBounds(bounds.isValid() ? bounds : communes.getBounds());

  territories.eachLayer(function (l) { var e = l.getElement(); if (e) e.setAttribute('data-territory', l.feature.properties.id); });
  // map.html#hover=INSEE: behaves as if the mouse were over that commune (links, tests).
  var hover = /^#hover=(\w+)$/.exec(window.location.hash);
  if (hover) communes.eachLayer(function (l) { if (l.feature.properties.insee === hover[1]) l.fire('mouseover'); });
  var shown = document.querySelectorAll('path[data-territory]').length;
  document.body.setAttribute('data-territories-shown', String(shown));
  document.body.setAttribute('data-status', 'ready');
})();
)js";

// What kPageJs's @SHARED_...@ markers become when communes are shared by declaration (and ""
// otherwise, so that maps without shares keep their bytes): a dotted layer of the shared communes,
// in the layer control and the summary, and the hover panel saying so.
const std::pair<const char*, const char*> kSharedJs[] = {
    {"@SHARED_STATUS@", "p.status === 'shared' ? ' <b>(shared by declaration)</b>' : "},
    {"@SHARED_LAYER@", "  var shared = L.geoJSON(D.shared, { interactive: false, style: { color: D.style.shared, weight: 2, dashArray: '4 2',"
                       " fillColor: D.style.shared, fillOpacity: 0.25 } });\n  shared.addTo(map);\n"},
    {"@SHARED_CONTROL@", ", 'Shared by declaration': shared"},
    {"@SHARED_SUMMARY@", "      '<div><span class=\"swatch\" style=\"background:' + D.style.shared + '\"></span>Shared by declaration: ' +"
                         " fmt(s.shared_communes) + ' communes, ' + fmt(s.shared_population) + ' inh.</div>' +\n"},
};

std::string page_js(bool shared)
{
    std::string js = kPageJs;
    for (const auto& [marker, code] : kSharedJs) js.replace(js.find(marker), std::string_view(marker).size(), shared ? code : "");
    return js;
}

// Runs first: every error of the page is counted, for people (the console) and for tests (the DOM).
const char* kErrorTrap = R"js(
window.CPTSMAP_ERRORS = [];
window.addEventListener('error', function (e) { window.CPTSMAP_ERRORS.push(String(e.message)); document.documentElement.setAttribute('data-errors', String(window.CPTSMAP_ERRORS.length)); });
(function () { var ce = console.error; console.error = function () { window.CPTSMAP_ERRORS.push(Array.prototype.join.call(arguments, ' ')); document.documentElement.setAttribute('data-errors', String(window.CPTSMAP_ERRORS.length)); ce.apply(console, arguments); }; })();
)js";

} // namespace

std::string render_html_map(const BuildResult& r, const std::vector<LayerTable>& tables, const GeosContext& geos, const MapOptions& o)
{
    if (!leaflet_available())
        throw OutputError("this cptsmap was built without Leaflet, so it cannot write map.html; run scripts/install-deps (npm ci in web/), then rebuild");
    const LonLats lonlat(r.layer, geos);
    const LayerTable& territories = table_named(tables, "territories");
    ordered_json names = ordered_json::object();
    for (const auto& t : r.resolution.territories) names[t.id] = t.name;

    const std::int64_t gap_population = population_of(r.layer, r.coverage.gaps), overlap_population = population_of(r.layer, r.coverage.overlaps);
    const PopulationStats& sa = r.coverage.study_area;
    ordered_json summary = {{"communes", sa.communes},
                            {"population", sa.population},
                            {"covered_communes", sa.covered_communes},
                            {"covered_population", sa.covered_population},
                            {"coverage_pct", sa.coverage_pct},
                            {"gap_communes", r.coverage.gaps.size()},
                            {"gap_population", gap_population},
                            {"overlap_communes", r.coverage.overlaps.size()},
                            {"overlap_population", overlap_population}};
    ordered_json style = {{"gap", kGapColour.hex()}, {"overlap", kOverlapColour.hex()}, {"study", kStudyAreaOutline.hex()},
                          {"commune", kCommuneOutline.hex()}};
    const bool shared = !r.coverage.shared.empty();
    if (shared) {
        summary["shared_communes"] = r.coverage.shared.size();
        summary["shared_population"] = population_of(r.layer, r.coverage.shared);
        style["shared"] = kSharedColour.hex();
    }

    std::string data = "window.CPTSMAP_DATA={\"title\":" + ordered_json(o.title).dump() + ",\"summary\":" + summary.dump() +
                       ",\"style\":" + style.dump() + ",\"names\":" + names.dump() + ",\"territories\":" +
                       collection(territories, lonlat,
                                  [&](std::size_t i, ordered_json& p) {
                                      p["colour"] = territory_colour(i).hex();
                                      p["label"] = lonlat.of(territories.rows[i].delivery).label_point(territories.rows[i].geometry);
                                  });
    for (const char* name : {"gaps", "overlaps", "study_area", "communes"}) data += std::string(",\"") + name + "\":" + collection(table_named(tables, name), lonlat);
    if (shared) {
        const LayerTable& communes = table_named(tables, "communes");
        LayerTable communes_shared{communes.name, communes.fields, {}, {}, {}};
        for (const LayerRow& row : communes.rows)
            if (std::get<std::string>(row.values.at(5)) == to_string(CoverageStatus::Shared)) communes_shared.rows.push_back(row);
        data += ",\"shared\":" + collection(communes_shared, lonlat);
    }
    data += "};\n";

    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>" + xml_escape(o.title) + "</title>\n";
    html += "<script>" + std::string(kErrorTrap) + "</script>\n";
    html += "<style>\n" + leaflet_css() + "\n</style>\n<style>" + kPageCss + "</style>\n";
    html += "<script>\n" + leaflet_js() + "\n</script>\n</head>\n<body>\n<div id=\"map\"></div>\n";
    html += "<script>\n" + script_safe(data) + "</script>\n";
    html += "<script>" + page_js(shared) + "</script>\n</body>\n</html>\n";
    return html;
}

} // namespace cptsmap
