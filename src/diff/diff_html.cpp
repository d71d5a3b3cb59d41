#include "cptsmap/diff/diff_html.hpp"

#include "cptsmap/diff/diff_outputs.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/map/leaflet_page.hpp"

#include <nlohmann/json.hpp>

namespace cptsmap {

namespace {

using nlohmann::ordered_json;

ordered_json stats(const PopulationStats& s)
{
    return {{"communes", s.communes}, {"population", s.population}, {"covered_communes", s.covered_communes},
            {"covered_population", s.covered_population}, {"coverage_pct", s.coverage_pct}};
}

const char* kDiffCss = R"css(#info { min-width: 240px; }
)css";

// Three panes, so that switching the version underneath never covers the changes or the hover layer.
const char* kDiffJs = R"js(
(function () {
  var D = window.CPTSMAP_DATA;
  var map = L.map('map', { zoomSnap: 0.25, attributionControl: false });
  map.createPane('versions').style.zIndex = 350;
  map.createPane('hover').style.zIndex = 450;
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function names(ids) { return ids ? ids.split(',').map(function (id) { return esc(D.names[id] || id); }).join(', ') : 'none'; }
  // A commune filled as its version claims it: the territory's colour, overlaps and gaps as on map.html.
  function version(claims, status) {
    return L.geoJSON(D.communes, { pane: 'versions', interactive: false, style: function (f) {
      var ids = f.properties[claims], st = f.properties[status];
      var fill = st === 'overlap' ? D.style.overlap : st === 'gap' ? D.style.gap : ids ? D.colours[ids.split(',')[0]] : null;
      return { stroke: false, fillColor: fill || '#ffffff', fillOpacity: fill ? (st === 'gap' ? 0.25 : 0.45) : 0 }; } });
  }
  var before = version('before', 'status_before'), after = version('after', 'status_after');
  var changed = { type: 'FeatureCollection', features: D.communes.features.filter(function (f) { return f.properties.change; }) };
  var changes = L.geoJSON(changed, { interactive: false, style: function (f) {
    return { color: '#202020', weight: 1, fillColor: D.kinds[f.properties.change].colour, fillOpacity: 0.8 }; } });
  var info = L.control({ position: 'topright' });
  info.onAdd = function () { this._div = L.DomUtil.create('div', 'panel'); this._div.id = 'info'; this.show(null); return this._div; };
  info.show = function (p) {
    if (!p) { this._div.innerHTML = '<i>Hover over a commune</i>'; return; }
    this._div.innerHTML = '<b>' + esc(p.nom) + '</b> (' + esc(p.insee) + ')<br>Population: ' + fmt(p.population) +
      '<br>' + (p.change ? 'Change: <b>' + esc(p.change) + '</b>' : 'No change') +
      '<br>Before: ' + names(p.before) + '<br>After: ' + names(p.after);
  };
  var communes = L.geoJSON(D.communes, { pane: 'hover',
    style: { color: D.style.commune, weight: 0.5, fillColor: '#000000', fillOpacity: 0 },
    onEachFeature: function (f, layer) {
      layer.on('mouseover', function () { layer.setStyle({ weight: 2.5, color: '#000000' }); layer.bringToFront(); info.show(f.properties); });
      layer.on('mouseout', function () { communes.resetStyle(layer); info.show(null); });
    } });
  [after, changes, communes].forEach(function (l) { l.addTo(map); });
  L.control.layers({ 'After': after, 'Before': before }, { 'Changes': changes, 'Communes': communes },
    { collapsed: false, position: 'topright' }).addTo(map);
  info.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  var summary = L.control({ position: 'bottomleft' });
  summary.onAdd = function () {
    var div = L.DomUtil.create('div', 'panel'); div.id = 'summary';
    var rows = '';
    Object.keys(D.kinds).forEach(function (k) {
      if (!D.kinds[k].count) return;
      rows += '<tr data-change="' + esc(k) + '"><td><span class="swatch" style="background:' + D.kinds[k].colour + '"></span>' + esc(k) +
        '</td><td class="num">' + fmt(D.kinds[k].count) + '</td></tr>';
    });
    var b = D.study_area.before, a = D.study_area.after;
    div.innerHTML = '<h1>' + esc(D.title) + '</h1><div>' + esc(D.before) + ' → ' + esc(D.after) + '</div>' +
      '<div>' + fmt(changed.features.length) + ' communes changed</div>' +
      '<div>Coverage: <b>' + b.coverage_pct.toFixed(1) + ' % → ' + a.coverage_pct.toFixed(1) + ' %</b> of the population (' +
      fmt(b.covered_population) + ' → ' + fmt(a.covered_population) + ' inh.)</div>' +
      '<table>' + rows + '</table>';
    return div;
  };
  summary.addTo(map);
  map.fitBounds(communes.getBounds());

  changes.eachLayer(function (l) { var e = l.getElement(); if (e) { e.setAttribute('data-insee', l.feature.properties.insee); e.setAttribute('data-change', l.feature.properties.change); } });
  var hover = /^#hover=(\w+)$/.exec(window.location.hash);
  if (hover) communes.eachLayer(function (l) { if (l.feature.properties.insee === hover[1]) l.fire('mouseover'); });
  document.body.setAttribute('data-changes-shown', String(document.querySelectorAll('path[data-change]').length));
  document.body.setAttribute('data-status', 'ready');
})();
)js";

} // namespace

std::string render_diff_html(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff,
                             const GeosContext& geos)
{
    const WebLonLat lonlat(layer, geos);
    // Each commune drawn, with its claims in both versions and its change ("" when none).
    std::vector<const CommuneChange*> change_of(layer.size(), nullptr);
    for (const CommuneChange& c : diff.communes) change_of[c.commune] = &c;
    const auto claims = [](const TerritoryVersion& v, CommuneIndex i) {
        std::vector<std::string> ids;
        for (std::size_t t : v.coverage.territories_of.at(i)) ids.push_back(v.resolution.territories[t].id);
        std::sort(ids.begin(), ids.end());
        return joined(ids);
    };
    const std::vector<char> drawn = diff_map_communes(layer, diff);
    FeatureCollectionText communes(lonlat);
    for (CommuneIndex i = 0; i < layer.size(); ++i) {
        if (drawn[i] == 0) continue;
        const Commune& c = layer[i];
        const CommuneChange* ch = change_of[i];
        communes.add({{"insee", c.insee},
                      {"nom", c.name},
                      {"population", c.population},
                      {"change", ch != nullptr ? to_string(ch->kind) : ""},
                      {"before", claims(before, i)},
                      {"after", claims(after, i)},
                      {"status_before", to_string(before.coverage.status.at(i))},
                      {"status_after", to_string(after.coverage.status.at(i))}},
                     c.geometry.get(), c.delivery);
    }
    ordered_json names = ordered_json::object(), colours = ordered_json::object(), kinds = ordered_json::object();
    for (std::size_t k = 0; k < diff.territories.size(); ++k) {
        names[diff.territories[k].id] = diff.territories[k].name;
        colours[diff.territories[k].id] = territory_colour(k).hex();
    }
    for (ChangeKind k : kChangeKinds) kinds[to_string(k)] = {{"colour", change_colour(k).hex()}, {"count", diff.count(k)}};
    const ordered_json style = {{"gap", kGapColour.hex()}, {"overlap", kOverlapColour.hex()}, {"commune", kCommuneOutline.hex()}};
    const std::string title = "What changed";
    const std::string data = "window.CPTSMAP_DATA={\"title\":" + ordered_json(title).dump() + ",\"before\":" + ordered_json(before.source).dump() +
                             ",\"after\":" + ordered_json(after.source).dump() + ",\"study_area\":" +
                             ordered_json({{"before", stats(diff.study_area.before)}, {"after", stats(diff.study_area.after)}}).dump() +
                             ",\"style\":" + style.dump() + ",\"names\":" + names.dump() + ",\"colours\":" + colours.dump() +
                             ",\"kinds\":" + kinds.dump() + ",\"communes\":" + communes.str() + "};\n";
    return leaflet_page(title, std::string(kLeafletPanelCss) + kDiffCss, data, kDiffJs);
}

} // namespace cptsmap
