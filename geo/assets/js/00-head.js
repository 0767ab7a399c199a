/* geo runtime: draws the layers that geo/layers/ serialises, with legends tied to their
 * layers, a layer control, a title, a sources footer and a period slider. Offline, no
 * dependencies beyond Leaflet. Every string from data is inserted with textContent.
 *
 * Events layers come as one columnar blob: up to ~3,000 rows (cfg.svg) each event is an
 * SVG circle with its own popup; above that they are painted on one canvas, in counted
 * bins where dense.
 *
 * The runtime is the files of geo/assets/js concatenated in name order (geo/render.py
 * runtime_js): 00-head opens this function scope, 10-pure holds helpers without Leaflet
 * or a page (unit-tested with node --test, tests/js/), 99-tail closes the scope.
 *
 * Payload (mirrors geo/layers/payload.py; tests/test_kinds.py checks every key):
 *   geo.layer: LayerPayload {name, kind, draw ("vector" | "events"), show, legend}
 *     vector:  {shape, periods: [label], areas: [GeoJSON], feats: [Feature], heat?: [[lat, lon, w]]}
 *       Feature {ll: [lat, lon], r: radius px, c: colour, p: period index (-1 undated),
 *                pop: Popup {t: title, r: [[label, text]]}, tip: hover text, lb?: label,
 *                k?: place-and-group key (time = "asof" shows the latest of each),
 *                a?: 1 approximate, ai?: area index, h?: 1 hollow (no count),
 *                line?: [[lat, lon]] and w?: width (flows), geom?: GeoJSON (choropleth)}
 *     events:  {n: rows, svg: 0|1, pd: 0|1 periods are the dates, colors: [colour per group],
 *               dicts: {column: [labels]}, extra: [popup columns], aggregate: points before
 *               bins (-1 never), groupLabel, valueLabel, cols: [{name, type, offset}],
 *               buf: base64, z: 0|1 deflated}
 *     legend:  Legend {title, items: [LegendItem {label, color, shape?, size?, width?,
 *               hollow?}], notes: [text]}
 *   geo.finish: FinishPayload {title, description, footer, sources: [text],
 *               notes: [text],
 *               periods: [label], bounds: [[s, w], [n, e]], tiles, view: [lat, lon, zoom],
 *               time: "asof" | "exact", open: "latest" | "all", base: Base}
 *     Base {extent: [[s, w], [n, e]], land, lakes: GeoJSON polygon coordinates, rivers,
 *           borders, admin1: line coordinates, towns: [[lat, lon, name, min zoom]],
 *           countries: [[lat, lon, name]]}
 *
 * Probe for tests and benchmarks:
 *   window.geoLayers["<layer name>"] = {count, drawn, kind, layer, ready, mapId}
 *   (count: features in the data; drawn: SVG symbols shown, or canvas dots and bins in view)
 *   window.geoMaps["<map id>"] = {map, layers: {...same...}}
 *   document.documentElement.dataset.geoReady === "1" once every layer has drawn.
 */
(function () {
  "use strict";
  if (window.geo && window.geo.version === 1) return;
  var geo = { version: 1 };
  window.geo = geo;
  window.geoLayers = window.geoLayers || {};
  window.geoMaps = window.geoMaps || {};
