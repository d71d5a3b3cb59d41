#include "cptsmap/timeline/timeline_html.hpp"

#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/leaflet_page.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cptsmap {

namespace {

using nlohmann::ordered_json;

// A commune's state at one date, one character in its `at` string: C covered, O overlap, S shared
// by declaration, G gap, - outside; lower case (c, o, s) when claimed outside the study area.
char state_of(CoverageStatus s, bool in_study)
{
    char c = '-';
    switch (s) {
    case CoverageStatus::Covered: c = 'C'; break;
    case CoverageStatus::Overlap: c = 'O'; break;
    case CoverageStatus::Shared: c = 'S'; break;
    case CoverageStatus::Gap: c = 'G'; break;
    case CoverageStatus::Outside: c = '-'; break;
    }
    return in_study || c == '-' ? c : static_cast<char>(c - 'A' + 'a');
}

const char* kTimelineCss = R"css(#info { min-width: 220px; }
#stepper { min-width: 300px; }
#stepper input[type=range] { width: 100%; }
#stepper button { font: inherit; margin-right: 4px; }
)css";

const char* kTimelineJs = R"js(
(function () {
  var D = window.CPTSMAP_DATA;
  var map = L.map('map', { zoomSnap: 0.25, attributionControl: false });
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  var k = 0, timer = null;
  function fill(p) {
    var st = p.at.charAt(k).toUpperCase(), ids = p.claims[k];
    if (st === 'O') return { fillColor: D.style.overlap, fillOpacity: 0.6 };
    if (st === 'G') return { fillColor: D.style.gap, fillOpacity: 0.25 };
    if (st === 'C' || st === 'S') return { fillColor: D.colours[ids.split(',')[0]], fillOpacity: 0.55 };
    return { fillColor: '#ffffff', fillOpacity: 0 };
  }
  var info = L.control({ position: 'topright' });
  info.onAdd = function () { this._div = L.DomUtil.create('div', 'panel'); this._div.id = 'info'; this.show(null); return this._div; };
  info.show = function (p) {
    if (!p) { this._div.innerHTML = '<i>Hover over a commune</i>'; return; }
    var ids = p.claims[k], st = p.at.charAt(k).toUpperCase();
    this._div.innerHTML = '<b>' + esc(p.nom) + '</b> (' + esc(p.insee) + ')<br>Population: ' + fmt(p.population) + '<br>On ' + esc(D.dates[k].date) + ': ' +
      (ids ? ids.split(',').map(function (id) { return esc(D.names[id] || id); }).join(', ') + (st === 'O' ? ' <b>(overlap)</b>' : '') :
       st === 'G' ? '<b>none (gap)</b>' : 'outside the study area');
  };
  var hovered = null;
  var communes = L.geoJSON(D.communes, {
    style: function (f) { var s = fill(f.properties); s.color = D.style.commune; s.weight = 0.5; return s; },
    onEachFeature: function (f, layer) {
      layer.on('mouseover', function () { hovered = f.properties; layer.setStyle({ weight: 2.5, color: '#000000' }); layer.bringToFront(); info.show(f.properties); });
      layer.on('mouseout', function () { hovered = null; communes.resetStyle(layer); info.show(null); });
    } }).addTo(map);
  info.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  var stepper = L.control({ position: 'bottomleft' });
  stepper.onAdd = function () {
    var div = L.DomUtil.create('div', 'panel'); div.id = 'stepper';
    div.innerHTML = '<h1>' + esc(D.title) + '</h1><div id="date"></div>' +
      '<input id="slider" type="range" min="0" max="' + (D.dates.length - 1) + '" step="1" value="0">' +
      '<div><button id="prev" title="previous date">&#9664;</button><button id="play" title="play">&#9654; play</button>' +
      '<button id="next" title="next date">&#9654;</button></div><table id="in-force"></table>';
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  stepper.addTo(map);
  // Shows the k-th date: the communes' fills, the panel, and (for tests) the body's data-* attributes.
  function show(i) {
    k = Math.max(0, Math.min(D.dates.length - 1, i));
    var d = D.dates[k], covered = 0;
    communes.eachLayer(function (l) {
      l.setStyle(fill(l.feature.properties));
      var st = l.feature.properties.at.charAt(k);
      if (st === 'C' || st === 'O' || st === 'S') ++covered;
    });
    document.getElementById('slider').value = String(k);
    document.getElementById('date').innerHTML = '<b>' + esc(d.date) + '</b> (' + (k + 1) + ' of ' + D.dates.length + '): ' +
      fmt(d.covered_communes) + ' of ' + fmt(d.communes) + ' communes covered, <b>' + d.coverage_pct.toFixed(1) + ' %</b> of ' +
      fmt(d.population) + ' inhabitants';
    document.getElementById('in-force').innerHTML = d.territories.map(function (id) {
      return '<tr data-territory="' + esc(id) + '"><td><span class="swatch" style="background:' + D.colours[id] + '"></span>' + esc(D.names[id] || id) + '</td></tr>';
    }).join('');
    if (hovered) info.show(hovered);
    document.body.setAttribute('data-date', d.date);
    document.body.setAttribute('data-covered-communes', String(covered));
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; document.getElementById('play').innerHTML = '&#9654; play'; } }
  document.getElementById('slider').addEventListener('input', function (e) { stop(); show(Number(e.target.value)); });
  document.getElementById('prev').addEventListener('click', function () { stop(); show(k - 1); });
  document.getElementById('next').addEventListener('click', function () { stop(); show(k + 1); });
  document.getElementById('play').addEventListener('click', function () {
    if (timer) { stop(); return; }
    if (k === D.dates.length - 1) show(0);
    document.getElementById('play').innerHTML = '&#10074;&#10074; pause';
    timer = setInterval(function () { if (k === D.dates.length - 1) stop(); else show(k + 1); }, 1200);
  });
  map.fitBounds(communes.getBounds());
  var at = /#date=(\d+)/.exec(window.location.hash);
  show(at ? Number(at[1]) : 0);
  var hover = /[#&]hover=(\w+)/.exec(window.location.hash);
  if (hover) communes.eachLayer(function (l) { if (l.feature.properties.insee === hover[1]) l.fire('mouseover'); });
  document.body.setAttribute('data-status', 'ready');
})();
)js";

} // namespace

std::string render_timeline_html(const CoverageTimeline& t, const CommuneLayer& layer, const GeosContext& geos)
{
    const WebLonLat lonlat(layer, geos);
    // Colours in definition order: the last date's territories (all of them, for a [founded]
    // timeline, so they match map.html), then those only earlier dates have.
    ordered_json names = ordered_json::object(), colours = ordered_json::object();
    std::vector<const TimelinePoint*> order{&t.points.back()};
    for (const TimelinePoint& p : t.points) order.push_back(&p);
    std::size_t next = 0;
    for (const TimelinePoint* p : order)
        for (std::size_t k = 0; k < p->territories.size(); ++k)
            if (!colours.contains(p->territories[k])) {
                colours[p->territories[k]] = territory_colour(next++).hex();
                names[p->territories[k]] = p->names[k];
            }

    std::vector<char> drawn(layer.size(), 0);
    std::vector<std::vector<char>> in_study(t.points.size(), std::vector<char>(layer.size(), 0));
    ordered_json dates = ordered_json::array();
    for (std::size_t d = 0; d < t.points.size(); ++d) {
        const TimelinePoint& p = t.points[d];
        for (CommuneIndex i : p.coverage.reported) drawn[i] = 1;
        for (CommuneIndex i : p.study_area_communes) in_study[d][i] = 1;
        const PopulationStats& s = p.study_area;
        dates.push_back({{"date", p.date}, {"territories", p.territories}, {"communes", s.communes}, {"population", s.population},
                         {"covered_communes", s.covered_communes}, {"covered_population", s.covered_population}, {"coverage_pct", s.coverage_pct}});
    }
    FeatureCollectionText communes(lonlat);
    for (CommuneIndex i = 0; i < layer.size(); ++i) {
        if (drawn[i] == 0) continue;
        std::string at;
        ordered_json claims = ordered_json::array();
        for (std::size_t d = 0; d < t.points.size(); ++d) {
            const TimelinePoint& p = t.points[d];
            at += state_of(p.coverage.status.at(i), in_study[d][i] != 0);
            std::vector<std::string> ids;
            for (std::size_t k : p.coverage.territories_of.at(i)) ids.push_back(p.territories.at(k));
            std::sort(ids.begin(), ids.end());
            std::string joined;
            for (const auto& id : ids) joined += (joined.empty() ? "" : ",") + id;
            claims.push_back(joined);
        }
        const Commune& c = layer[i];
        communes.add({{"insee", c.insee}, {"nom", c.name}, {"population", c.population}, {"at", at}, {"claims", claims}}, c.geometry.get(), c.delivery);
    }
    const ordered_json style = {{"gap", kGapColour.hex()}, {"overlap", kOverlapColour.hex()}, {"commune", kCommuneOutline.hex()}};
    const std::string title = "Coverage over time";
    const std::string data = "window.CPTSMAP_DATA={\"title\":" + ordered_json(title).dump() + ",\"style\":" + style.dump() + ",\"names\":" +
                             names.dump() + ",\"colours\":" + colours.dump() + ",\"dates\":" + dates.dump() + ",\"communes\":" + communes.str() + "};\n";
    return leaflet_page(title, std::string(kLeafletPanelCss) + kTimelineCss, data, kTimelineJs);
}

} // namespace cptsmap
