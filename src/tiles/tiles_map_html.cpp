#include "cptsmap/tiles/tiles_map_html.hpp"

#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/html_map.hpp"
#include "cptsmap/map/leaflet_page.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace cptsmap {

namespace {

using nlohmann::ordered_json;

// After kLeafletPanelCss.
const char* kPageCss = R"css(
.panels { position: absolute; z-index: 2; display: flex; flex-direction: column; gap: 8px; }
#top-right { top: 10px; right: 50px; }
#bottom-left { bottom: 30px; left: 10px; }
#info { min-width: 220px; }
#layers label { display: block; }
.territory-label { background: rgba(255,255,255,0.8); font-weight: bold; font-size: 12px; padding: 1px 4px; border-radius: 2px; pointer-events: none; white-space: nowrap; }
.notice { position: absolute; top: 40px; left: 50%; transform: translateX(-50%); max-width: 520px; }
.notice code { background: #eef2f5; padding: 1px 4px; }
)css";

const char* kPageJs = R"js(
(function () {
  var D = window.CPTSMAP_DATA, body = document.body;
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function panel(id, parent) { var d = document.createElement('div'); d.className = 'panel'; d.id = id; parent.appendChild(d); return d; }
  if (location.protocol === 'file:') {
    var n = panel('notice', document.body); n.className = 'panel notice';
    n.innerHTML = '<h1>' + esc(D.title) + '</h1>This map draws the vector tiles of <code>cptsmap.mbtiles</code>, beside it, ' +
      'which a page opened from the disk may not read. Run<br><code>cptsmap serve ' +
      esc(decodeURIComponent(location.pathname.replace(/\/[^\/]*$/, '')) || '.') + '</code><br>' +
      'and open the address it prints (<code>http://127.0.0.1:8080/</code>).';
    body.setAttribute('data-status', 'needs-server');
    return;
  }
  var hash = {};
  window.location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('='); if (i > 0) hash[kv.slice(0, i)] = kv.slice(i + 1).split(',').map(Number);
  });
  var colour = ['match', ['get', 'id']], names = {};
  D.territories.forEach(function (t) { colour.push(t.id, t.colour); names[t.id] = t.name; });
  colour.push('#888888');
  var hover = ['boolean', ['feature-state', 'hover'], false];
  function layer(id, type, source, paint, minzoom) {
    var l = { id: id, type: type, source: 'cptsmap', 'source-layer': source, paint: paint };
    if (minzoom) l.minzoom = minzoom;
    return l;
  }
  var style = { version: 8,
    sources: { cptsmap: { type: 'vector', tiles: [location.origin + '/tiles/{z}/{x}/{y}.pbf'], minzoom: D.tiles.minzoom,
                          maxzoom: D.tiles.maxzoom, bounds: D.tiles.bounds, promoteId: { communes: 'insee' } } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } },
      layer('territories', 'fill', 'territories', { 'fill-color': colour, 'fill-opacity': 0.55 }),
      layer('territories-outline', 'line', 'territories', { 'line-color': colour, 'line-width': 1.5 }),
      layer('gaps', 'fill', 'gaps', { 'fill-color': D.style.gap, 'fill-opacity': 0.3 }),
      layer('gaps-outline', 'line', 'gaps', { 'line-color': D.style.gap, 'line-width': 1.5, 'line-dasharray': [3, 2] }),
      layer('overlaps', 'fill', 'overlaps', { 'fill-color': D.style.overlap, 'fill-opacity': 0.45 }),
      layer('communes', 'fill', 'communes', { 'fill-color': '#000000', 'fill-opacity': ['case', hover, 0.15, 0] }, D.tiles.communes_minzoom),
      layer('communes-outline', 'line', 'communes', { 'line-color': ['case', hover, '#000000', D.style.commune],
                                                      'line-width': ['case', hover, 2.5, 0.4] }, D.tiles.communes_minzoom),
      layer('study-area', 'line', 'study_area', { 'line-color': D.style.study, 'line-width': 2, 'line-dasharray': [4, 2] })
    ] };
  var b = D.tiles.view;
  // (The drawing buffer is kept so that a screenshot or a print shows the map.)
  var options = { container: 'map', style: style, minZoom: Math.max(0, D.tiles.minzoom - 1), attributionControl: false,
                  canvasContextAttributes: { preserveDrawingBuffer: true },
                  bounds: [[b[0], b[1]], [b[2], b[3]]], fitBoundsOptions: { padding: 20 } };
  if (hash.view) { delete options.bounds; options.center = [hash.view[0], hash.view[1]]; options.zoom = hash.view[2]; }
  var map = new maplibregl.Map(options);
  map.on('error', function (e) { console.error('map: ' + (e.error && e.error.message ? e.error.message : String(e.error || e))); });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

  var right = document.createElement('div'); right.className = 'panels'; right.id = 'top-right'; document.body.appendChild(right);
  var left = document.createElement('div'); left.className = 'panels'; left.id = 'bottom-left'; document.body.appendChild(left);
  var info = panel('info', right), switcher = panel('layers', right), summary = panel('summary', left);
  function show(f) {
    if (!f) { info.innerHTML = '<i>Hover over a commune' + (map.getZoom() < D.tiles.communes_minzoom ? ' (zoom in to see them)' : '') + '</i>';
              body.removeAttribute('data-hover-insee'); return; }
    var p = f.properties, src = f.sourceLayer;
    if (src === 'communes') {
      var ids = p.territories ? p.territories.split(',') : [];
      info.innerHTML = '<b>' + esc(p.nom) + '</b> (' + esc(p.insee) + ')<br>Population: ' + fmt(p.population) + '<br>Territories: ' +
        (ids.length ? ids.map(function (id) { return esc(names[id] || id); }).join(', ') : '<b>none (gap)</b>') +
        (p.status === 'overlap' ? ' <b>(overlap)</b>' : p.status === 'shared' ? ' <b>(shared by declaration)</b>' : '');
      body.setAttribute('data-hover-insee', p.insee);
    } else if (src === 'territories') {
      info.innerHTML = '<b>' + esc(p.name) + '</b><br>' + fmt(p.communes) + ' communes, ' + fmt(p.population) + ' inhabitants';
    } else {
      info.innerHTML = '<b>' + (src === 'gaps' ? 'Gap ' : 'Overlap ') + esc(p.id) + '</b>' + (p.territories ? ' (' + esc(p.territories) + ')' : '') +
        '<br>' + fmt(p.communes) + ' communes, ' + fmt(p.population) + ' inhabitants';
    }
  }
  show(null);
  var hovered = null;
  map.on('mousemove', function (e) {
    var fs = map.queryRenderedFeatures(e.point, { layers: ['communes', 'overlaps', 'gaps', 'territories'].filter(function (l) { return map.getLayer(l); }) });
    var f = fs.filter(function (x) { return x.sourceLayer === 'communes'; })[0] || fs[0] || null;
    if (hovered !== null) map.setFeatureState({ source: 'cptsmap', sourceLayer: 'communes', id: hovered }, { hover: false });
    hovered = f && f.sourceLayer === 'communes' ? f.id : null;
    if (hovered !== null) map.setFeatureState({ source: 'cptsmap', sourceLayer: 'communes', id: hovered }, { hover: true });
    map.getCanvas().style.cursor = f ? 'pointer' : '';
    show(f);
  });
  map.on('mouseout', function () { show(null); });

  var labels = D.territories.filter(function (t) { return t.label; }).map(function (t) {
    var el = document.createElement('div'); el.className = 'territory-label'; el.textContent = t.name;
    return new maplibregl.Marker({ element: el }).setLngLat([t.label[1], t.label[0]]);
  });
  var groups = [['Territories', ['territories', 'territories-outline']], ['Territory names', []], ['Gaps', ['gaps', 'gaps-outline']],
                ['Overlaps', ['overlaps']], ['Communes', ['communes', 'communes-outline']], ['Study area', ['study-area']]];
  var namesShown = true;
  function updateLabels() {
    var on = namesShown && (labels.length <= 60 || map.getZoom() >= D.tiles.communes_minzoom);
    labels.forEach(function (m) { if (on) m.addTo(map); else m.remove(); });
  }
  groups.forEach(function (g) {
    var l = document.createElement('label'), c = document.createElement('input');
    c.type = 'checkbox'; c.checked = true;
    c.onchange = function () {
      if (!g[1].length) { namesShown = c.checked; updateLabels(); return; }
      g[1].forEach(function (id) { map.setLayoutProperty(id, 'visibility', c.checked ? 'visible' : 'none'); });
    };
    l.appendChild(c); l.appendChild(document.createTextNode(' ' + g[0])); switcher.appendChild(l);
  });
  map.on('zoomend', updateLabels);

  var s = D.summary, rows = '';
  if (D.territories.length <= 30) D.territories.forEach(function (t) {
    rows += '<tr data-territory="' + esc(t.id) + '"><td><span class="swatch" style="background:' + t.colour + '"></span>' + esc(t.name) +
      '</td><td class="num">' + fmt(t.communes) + '</td><td class="num">' + fmt(t.population) + '</td></tr>';
  });
  summary.innerHTML = '<h1>' + esc(D.title) + '</h1>' +
    '<div>' + fmt(s.covered_communes) + ' of ' + fmt(s.communes) + ' communes covered: <b>' + s.coverage_pct.toFixed(1) +
    ' %</b> of ' + fmt(s.population) + ' inhabitants</div>' +
    '<div><span class="swatch" style="background:' + D.style.gap + '"></span>Gaps: ' + fmt(s.gap_communes) + ' communes, ' + fmt(s.gap_population) + ' inh.</div>' +
    '<div><span class="swatch" style="background:' + D.style.overlap + '"></span>Overlaps: ' + fmt(s.overlap_communes) + ' communes, ' + fmt(s.overlap_population) + ' inh.</div>' +
    (s.shared_communes ? '<div><span class="swatch" style="background:' + D.style.shared + '"></span>Shared by declaration: ' + fmt(s.shared_communes) +
      ' communes, ' + fmt(s.shared_population) + ' inh.</div>' : '') +
    (rows ? '<table><tr><th></th><th>communes</th><th>population</th></tr>' + rows + '</table>' : '<div>' + fmt(D.territories.length) + ' territories</div>') +
    '<div>Vector tiles: zoom ' + D.tiles.minzoom + '–' + D.tiles.maxzoom + ', communes from zoom ' + D.tiles.communes_minzoom + '</div>';

  var tiles = 0;
  map.on('data', function (e) { if (e.dataType === 'source' && e.tile) tiles++; });
  function rendered(layerId, key) {
    if (!map.getLayer(layerId)) return 0;
    var seen = {};
    map.queryRenderedFeatures({ layers: [layerId] }).forEach(function (f) { seen[f.properties[key]] = true; });
    return Object.keys(seen).length;
  }
  function report() {
    body.setAttribute('data-zoom', map.getZoom().toFixed(2));
    body.setAttribute('data-tiles-loaded', String(tiles));
    body.setAttribute('data-rendered-territories', String(rendered('territories', 'id')));
    body.setAttribute('data-rendered-communes', String(rendered('communes', 'insee')));
  }
  map.once('idle', function () {
    updateLabels();
    if (hash.hover) {
      var p = map.project([hash.hover[0], hash.hover[1]]), r = map.getCanvas().getBoundingClientRect();
      map.getCanvas().dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true }));
    }
    report();
    if (!hash.pan) { body.setAttribute('data-status', 'ready'); return; }
    var before = tiles;
    map.once('idle', function () { report(); body.setAttribute('data-tiles-after-pan', String(tiles - before)); body.setAttribute('data-status', 'ready'); });
    map.jumpTo({ center: [hash.pan[0], hash.pan[1]] });
  });
})();
)js";

} // namespace

std::string render_tiles_map(const BuildResult& r, const std::vector<LayerTable>& tables, const MbtilesSummary& tiles, const GeosContext& geos,
                             const std::string& title)
{
    const WebLonLat lonlat(r.layer, geos);
    const LayerTable* territories = nullptr;
    for (const LayerTable& t : tables)
        if (t.name == "territories") territories = &t;
    ordered_json list = ordered_json::array();
    for (std::size_t i = 0; i < r.resolution.territories.size(); ++i) {
        const auto& t = r.resolution.territories[i];
        const LayerRow* row = territories != nullptr && i < territories->rows.size() ? &territories->rows[i] : nullptr;
        list.push_back({{"id", t.id},
                        {"name", t.name},
                        {"colour", territory_colour(i).hex()},
                        {"communes", t.communes.size()},
                        {"population", r.coverage.territories[i].population},
                        {"label", row != nullptr ? lonlat.label_point(row->geometry, row->delivery) : ordered_json(nullptr)}});
    }
    const TileZooms& z = tiles.zooms;
    // The map opens on the study area (on the mainland for France entière).
    std::array<double, 4> box{1.0, 1.0, 0.0, 0.0};
    for (CommuneIndex i : r.resolution.study_area) {
        const Commune& c = r.layer[i];
        if (c.delivery != 0 || c.geometry.empty()) continue;
        const auto& e = c.geometry.envelope();
        box = box[0] > box[2] ? e : std::array<double, 4>{std::min(box[0], e[0]), std::min(box[1], e[1]), std::max(box[2], e[2]), std::max(box[3], e[3])};
    }
    const std::array<double, 4> view = box[0] > box[2] ? z.bounds : lonlat_bounds(r.layer.deliveries.empty() ? r.layer.crs : r.layer.deliveries[0].crs, box);
    const auto round5 = [](double v) { return std::round(v * 1e5) / 1e5; };
    const ordered_json tile_info = {{"minzoom", z.min_zoom},
                                    {"maxzoom", z.max_zoom},
                                    {"communes_minzoom", z.communes_min_zoom},
                                    {"bounds", {round5(z.bounds[0]), round5(z.bounds[1]), round5(z.bounds[2]), round5(z.bounds[3])}},
                                    {"view", {round5(view[0]), round5(view[1]), round5(view[2]), round5(view[3])}}};
    const std::string data = "window.CPTSMAP_DATA={\"title\":" + ordered_json(title).dump() +
                             ",\"summary\":" + html_map_summary(r).dump() + ",\"style\":" + html_map_style(!r.coverage.shared.empty()).dump() +
                             ",\"tiles\":" + tile_info.dump() + ",\"territories\":" + list.dump() + "};\n";
    return maplibre_page(title, std::string(kLeafletPanelCss) + kPageCss, data, kPageJs);
}

} // namespace cptsmap
