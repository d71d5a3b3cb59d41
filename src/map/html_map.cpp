#include "cptsmap/map/html_map.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/leaflet_page.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>
#include <utility>

namespace cptsmap {

namespace {

using nlohmann::ordered_json;

ordered_json properties(const LayerTable& t, const LayerRow& row)
{
    ordered_json p = ordered_json::object();
    for (std::size_t i = 0; i < t.fields.size() && i < row.values.size(); ++i)
        std::visit([&](const auto& v) { p[t.fields[i].name] = v; }, row.values[i]);
    return p;
}

// A layer table as a FeatureCollection, with `extra` properties per row.
std::string collection(const LayerTable& t, const WebLonLat& lonlat, const std::function<void(std::size_t, ordered_json&)>& extra = {})
{
    FeatureCollectionText out(lonlat);
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        ordered_json p = properties(t, t.rows[i]);
        if (extra) extra(i, p);
        out.add(p, t.rows[i].geometry, t.rows[i].delivery);
    }
    return out.str();
}

const LayerTable& table_named(const std::vector<LayerTable>& tables, const std::string& name)
{
    for (const auto& t : tables)
        if (t.name == name) return t;
    throw Error("internal error: no " + name + " layer for map.html");
}

// After kLeafletPanelCss: the hover panel and the territories' labels.
const char* kPageCss = R"css(#info { min-width: 220px; }
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

} // namespace

nlohmann::ordered_json html_map_summary(const BuildResult& r)
{
    const PopulationStats& sa = r.coverage.study_area;
    ordered_json summary = {{"communes", sa.communes},
                            {"population", sa.population},
                            {"covered_communes", sa.covered_communes},
                            {"covered_population", sa.covered_population},
                            {"coverage_pct", sa.coverage_pct},
                            {"gap_communes", r.coverage.gaps.size()},
                            {"gap_population", population_of(r.layer, r.coverage.gaps)},
                            {"overlap_communes", r.coverage.overlaps.size()},
                            {"overlap_population", population_of(r.layer, r.coverage.overlaps)}};
    if (!r.coverage.shared.empty()) {
        summary["shared_communes"] = r.coverage.shared.size();
        summary["shared_population"] = population_of(r.layer, r.coverage.shared);
    }
    return summary;
}

nlohmann::ordered_json html_map_style(bool shared)
{
    ordered_json style = {{"gap", kGapColour.hex()}, {"overlap", kOverlapColour.hex()}, {"study", kStudyAreaOutline.hex()},
                          {"commune", kCommuneOutline.hex()}};
    if (shared) style["shared"] = kSharedColour.hex();
    return style;
}

std::string render_html_map(const BuildResult& r, const std::vector<LayerTable>& tables, const GeosContext& geos, const MapOptions& o)
{
    const WebLonLat lonlat(r.layer, geos);
    const LayerTable& territories = table_named(tables, "territories");
    ordered_json names = ordered_json::object();
    for (const auto& t : r.resolution.territories) names[t.id] = t.name;

    ordered_json summary = html_map_summary(r);
    const bool shared = !r.coverage.shared.empty();
    const ordered_json style = html_map_style(shared);

    std::string data = "window.CPTSMAP_DATA={\"title\":" + ordered_json(o.title).dump() + ",\"summary\":" + summary.dump() +
                       ",\"style\":" + style.dump() + ",\"names\":" + names.dump() + ",\"territories\":" +
                       collection(territories, lonlat,
                                  [&](std::size_t i, ordered_json& p) {
                                      p["colour"] = territory_colour(i).hex();
                                      p["label"] = lonlat.label_point(territories.rows[i].geometry, territories.rows[i].delivery);
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

    return leaflet_page(o.title, std::string(kLeafletPanelCss) + kPageCss, data, page_js(shared));
}

} // namespace cptsmap
