/* geo runtime: draws the layers that geo/layers/ serialises, with legends tied to their
 * layers, a layer control, a title, a sources footer and a period slider. Offline, no
 * dependencies beyond Leaflet. Every string from data is inserted with textContent.
 *
 * Events layers come as one columnar blob: up to ~3,000 rows (cfg.svg) each event is an
 * SVG circle with its own popup; above that they are painted on one canvas, in counted
 * bins where dense.
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

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  geo.el = el;

  /* Popup / tooltip content: {t: title, r: [[label, value], ...]} and the layer's name
   * -> DOM, as text only. */
  function popupEl(p, layerName) {
    var box = el("div", "geo-popup");
    if (p.t) box.appendChild(el("div", "geo-popup-title", p.t));
    if (layerName) box.appendChild(el("div", "geo-popup-layer", layerName));
    var table = el("table");
    (p.r || []).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }
  geo.popupEl = popupEl;

  function state(map) {
    if (!map._geo) {
      map._geo = { layers: [], periods: null, period: null, pending: 0 };
      var id = map.getContainer().id;
      window.geoMaps[id] = { map: map, layers: {} };
    }
    return map._geo;
  }

  function register(map, cfg, layer, count) {
    var st = state(map);
    var rec = { count: count, drawn: 0, kind: cfg.kind, layer: layer, ready: false,
      mapId: map.getContainer().id, name: cfg.name };
    window.geoLayers[cfg.name] = rec;
    window.geoMaps[rec.mapId].layers[cfg.name] = rec;
    st.layers.push({ cfg: cfg, layer: layer, rec: rec });
    return rec;
  }

  function markReady(map, rec) {
    if (rec.ready) return;
    rec.ready = true;
    var st = state(map);
    var all = st.layers.every(function (l) { return l.rec.ready; });
    if (all && st.finished) {
      map.getContainer().dataset.geoReady = "1";
      document.documentElement.dataset.geoReady = "1";
    }
  }

  /* ---- symbols ---------------------------------------------------------------- */
  var Shape = L.CircleMarker.extend({
    _updatePath: function () {
      var s = this.options.shape;
      if (s !== "square" && s !== "diamond") return L.CircleMarker.prototype._updatePath.call(this);
      var p = this._point, r = this._radius, d;
      if (s === "square") {
        d = "M" + (p.x - r) + "," + (p.y - r) + "h" + 2 * r + "v" + 2 * r + "h" + -2 * r + "z";
      } else {
        d = "M" + p.x + "," + (p.y - r) + "L" + (p.x + r) + "," + p.y + "L" + p.x + "," +
          (p.y + r) + "L" + (p.x - r) + "," + p.y + "z";
      }
      this._renderer._setPath(this, d);
    }
  });

  function symbolStyle(cfg, f) {
    var approx = f.a === 1, hollow = f.h === 1;
    return {
      shape: cfg.shape, radius: f.r, color: f.c, weight: approx || hollow ? 2 : 1,
      opacity: 0.95, fillColor: f.c, fillOpacity: hollow ? 0 : (approx ? 0.2 : 0.45),
      dashArray: approx || hollow ? "4 3" : null
    };
  }

  function bindInfo(layer, f, name) {
    if (f.pop) layer.bindPopup(function () { return popupEl(f.pop, name); }, { maxWidth: 320 });
    if (f.tip) layer.bindTooltip(function () { return el("span", null, f.tip); }, { sticky: true });
  }

  /* Panes, bottom to top: outlines 250, areas and choropleths 350, heat 380, events 390,
   * symbols and flows (overlayPane) 400. */
  function panes(map) {
    if (map.getPane("geoAreas")) return;
    [["geoBase", 250], ["geoAreas", 350], ["geoHeat", 380], ["geoEvents", 390]].forEach(
      function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
    map.getPane("geoHeat").style.pointerEvents = "none";
    map.getPane("geoEvents").style.pointerEvents = "none";
  }

  function drawFeature(cfg, f, areas, svg, under) {
    var out = [];
    if (f.ai !== undefined && f.ai >= 0 && areas[f.ai]) {
      out.push(L.geoJSON(areas[f.ai], { interactive: false, pane: "geoAreas", renderer: under,
        style: {
        color: f.c, weight: 1, dashArray: "3 3", fillColor: f.c, fillOpacity: 0.12 } }));
    }
    var sym;
    if (f.geom) {
      sym = L.geoJSON(f.geom, { pane: "geoAreas", renderer: under,
        bubblingMouseEvents: false, style: { color: "#555", weight: 0.6, fillColor: f.c,
        fillOpacity: 0.75 } });
    } else if (f.line) {
      sym = L.featureGroup([
        L.polyline(f.line, { color: f.c, weight: f.w, opacity: 0.75, lineCap: "round",
          bubblingMouseEvents: false }),
        L.circleMarker(f.line[f.line.length - 1], { radius: Math.max(3, f.w / 1.5),
          color: f.c, fillColor: f.c, fillOpacity: 1, weight: 1 }),
        L.circleMarker(f.line[0], { radius: 3, color: f.c, fillColor: "#fff",
          fillOpacity: 1, weight: 2 })
      ]);
      sym._geoSize = Math.max(3, f.w / 1.5);  // stacked like a symbol of its end dot
    } else {
      sym = new Shape(f.ll, symbolStyle(cfg, f));
      sym.options.renderer = svg;
      sym.options.bubblingMouseEvents = false;
    }
    bindInfo(sym, f, cfg.name);
    out.push(sym);
    return out;
  }

  /* A layer of individually drawn features (everything but events). */
  function vectorLayer(map, cfg) {
    panes(map);
    var group = L.featureGroup();
    // One SVG for every layer's symbols, so restack() can order them across layers.
    var svg = map._geoSvg || (map._geoSvg = L.svg({ padding: 0.5 }));
    var under = L.svg({ padding: 0.5, pane: "geoAreas" });
    var parts = cfg.feats.map(function (f) {
      return drawFeature(cfg, f, cfg.areas || [], svg, under);
    });
    group._geoFilter = function (label) {
      group.clearLayers();
      var drawn = 0;
      // areas first so symbols stay on top
      [0, 1].forEach(function (pass) {
        cfg.feats.forEach(function (f, i) {
          if (label !== null && f.p >= 0 && cfg.periods[f.p] !== label) return;
          var ls = parts[i];
          if (pass === 0 && ls.length > 1) group.addLayer(ls[0]);
          if (pass === 1) { group.addLayer(ls[ls.length - 1]); drawn += 1; }
        });
      });
      if (cfg.heat && group._geoHeat) group.addLayer(group._geoHeat);
      return drawn;
    };
    if (cfg.heat && cfg.heat.length) group._geoHeat = heatLayer(cfg.heat);
    return group;
  }

  /* Symbols of every shown layer, larger below smaller, so several figures on one spot
   * (a deployment, its casualties and displacement at world zoom) all stay visible and
   * clickable. Equal sizes keep the layers' order. */
  function restack(map) {
    var st = map._geo, items = [];
    if (!st) return;
    st.layers.forEach(function (l) {
      if (!map.hasLayer(l.layer) || !l.layer.eachLayer) return;  // not the events canvas
      l.layer.eachLayer(function (c) {
        if (c instanceof Shape) items.push([c.getRadius(), items.length, c]);
        else if (c._geoSize) items.push([c._geoSize, items.length, c]);
      });
    });
    items.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    items.forEach(function (it) { it[2].bringToFront(); });
  }

  /* ---- heat (exact points only; serialised by Python) ------------------------- */
  function heatLayer(points) {
    var Heat = L.Layer.extend({
      onAdd: function (map) {
        this._map = map;
        this._c = L.DomUtil.create("canvas", "geo-heat leaflet-zoom-hide");
        this._c.style.pointerEvents = "none";
        map.getPane("geoHeat").appendChild(this._c);
        map.on("moveend zoomend resize", this._draw, this);
        this._draw();
      },
      onRemove: function (map) {
        L.DomUtil.remove(this._c);
        map.off("moveend zoomend resize", this._draw, this);
      },
      _draw: function () {
        var map = this._map, size = map.getSize(), c = this._c;
        c.width = size.x; c.height = size.y;
        L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
        var ctx = c.getContext("2d"), max = 0, rad = 25;
        points.forEach(function (p) { max = Math.max(max, p[2]); });
        points.forEach(function (p) {
          var pt = map.latLngToContainerPoint([p[0], p[1]]);
          var g = ctx.createRadialGradient(pt.x, pt.y, 0, pt.x, pt.y, rad);
          var a = Math.min(1, 0.15 + 0.85 * Math.sqrt(p[2] / (max || 1)));
          g.addColorStop(0, "rgba(200,0,0," + a + ")");
          g.addColorStop(1, "rgba(255,160,0,0)");
          ctx.fillStyle = g;
          ctx.fillRect(pt.x - rad, pt.y - rad, 2 * rad, 2 * rad);
        });
      }
    });
    return new Heat();
  }

  /* ---- events: columnar typed arrays on one canvas ---------------------------- */
  function b64bytes(s) {
    var bin = atob(s), n = bin.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function unpack(cfg) {
    var bytes = b64bytes(cfg.buf);
    if (!cfg.z) return Promise.resolve(bytes.buffer);
    var ds = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(ds).arrayBuffer();
  }

  var TYPES = { i4: Int32Array, f4: Float32Array, u1: Uint8Array, u2: Uint16Array,
    u4: Uint32Array };

  function columns(buf, cfg) {
    var cols = {};
    cfg.cols.forEach(function (c) {
      cols[c.name] = new TYPES[c.type](buf, c.offset, cfg.n);
    });
    if (cfg.pd) cols.p = cols.d;  // the periods are the dates, stored once
    return cols;
  }

  function eventRadius(v) {
    return v > 0 ? Math.min(14, 3 + 1.5 * Math.sqrt(v)) : 3;
  }

  /* "12.3456, -7.5": coordinates as a title for an event without a place name. */
  function coordText(cols, i) {
    return String(+(cols.lat[i] * 1e-5).toFixed(4)) + ", " + String(+(cols.lon[i] * 1e-5).toFixed(4));
  }

  /* Popup content of event i (or of a bin: h.bin), from the columns. */
  function eventContent(cfg, cols, h) {
    if (h.bin) {
      return { t: cfg.name, r: [["Events", h.count.toLocaleString("en-US")],
        ["Fatalities", Math.round(h.fat).toLocaleString("en-US")],
        ["Note", "aggregated: zoom in or click to see the events"]] };
    }
    var i = h.i, d = cfg.dicts, rows = [];
    var title = (cols.n && d.n[cols.n[i]]) || coordText(cols, i);
    if (cols.g && d.g) rows.push([cfg.groupLabel, d.g[cols.g[i]]]);
    if (cols.d && d.d[cols.d[i]]) rows.push(["Date", d.d[cols.d[i]]]);
    else if (cols.p && d.p[cols.p[i]]) rows.push(["Period", d.p[cols.p[i]]]);
    var v = cols.v[i];
    rows.push([cfg.valueLabel, isNaN(v) ? "not reported" : Math.round(v).toLocaleString("en-US")]);
    if (cols.pr) {
      var pr = d.pr[cols.pr[i]];
      rows.push(["Location", cols.a[i] ? "approximate: " + title + ", " + pr : pr]);
    }
    (cfg.extra || []).forEach(function (x) { rows.push([x, d[x][cols[x][i]]]); });
    if (cols.s) rows.push(["Source", d.s[cols.s[i]]]);
    if (h.more) rows.push(["Also here", h.more + " more events at this approximate location"]);
    return { t: title, r: rows };
  }

  function tipText(c) { return c.t + (c.r.length ? ": " + c.r[0][1] : ""); }

  var EventLayer = L.Layer.extend({
    initialize: function (cfg) { this.cfg = cfg; this.cols = null; this.period = null; },
    setData: function (cols) {
      var n = this.cfg.n, mx = new Float64Array(n), my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var lat = cols.lat[i] * 1e-5, lon = cols.lon[i] * 1e-5;
        var s = Math.sin(lat * Math.PI / 180);
        s = Math.max(-0.9999, Math.min(0.9999, s));
        mx[i] = (lon + 180) / 360;
        my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      }
      this.cols = cols; this.mx = mx; this.my = my;
      if (this._map) this._draw();
    },
    onAdd: function (map) {
      this._map = map;
      this._c = L.DomUtil.create("canvas", "geo-events leaflet-zoom-hide");
      this._c.style.pointerEvents = "none";
      panes(map);
      map.getPane("geoEvents").appendChild(this._c);
      map.on("moveend zoomend resize", this._draw, this);
      map.on("click", this._click, this);
      map.on("mousemove", this._hover, this);
      this._draw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._c);
      map.off("moveend zoomend resize", this._draw, this);
      map.off("click", this._click, this);
      map.off("mousemove", this._hover, this);
      if (this._tip) map.closeTooltip(this._tip);
      this.hits = null;
    },
    _draw: function () {
      var map = this._map, size = map.getSize(), c = this._c, cfg = this.cfg;
      var dpr = window.devicePixelRatio || 1;
      c.width = size.x * dpr; c.height = size.y * dpr;
      c.style.width = size.x + "px"; c.style.height = size.y + "px";
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      var ctx = c.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (!this.cols) return;
      var z = map.getZoom(), scale = 256 * Math.pow(2, z);
      var o = map.project(map.containerPointToLatLng([0, 0]), z);
      var cols = this.cols, mx = this.mx, my = this.my, n = cfg.n, W = size.x, H = size.y;
      var pmap = this._pmap, per = this.period;
      var vis = [], approx = [];
      for (var i = 0; i < n; i++) {
        if (per !== null && cols.p && pmap[cols.p[i]] && pmap[cols.p[i]] !== per) continue;
        var x = mx[i] * scale - o.x, y = my[i] * scale - o.y;
        if (x < -20 || y < -20 || x > W + 20 || y > H + 20) continue;
        if (cols.a[i]) approx.push(i, x, y); else vis.push(i, x, y);
      }
      var hits = [];
      var nvis = vis.length / 3;
      this.aggregated = cfg.aggregate >= 0 && nvis > cfg.aggregate;
      if (this.aggregated) this._bins(ctx, vis, hits, W, H);
      else this._dots(ctx, vis, hits);
      this._rings(ctx, approx, hits);
      this.hits = hits;
      this.rec.drawn = hits.length;
      this.rec.aggregated = this.aggregated;
    },
    _radius: function (i) { return eventRadius(this.cols.v[i]); },
    _dots: function (ctx, vis, hits) {
      var colors = this.cfg.colors, g = this.cols.g;
      ctx.globalAlpha = 0.8; ctx.lineWidth = 0.6; ctx.strokeStyle = "#fff";
      for (var k = 0; k < vis.length; k += 3) {
        var i = vis[k], x = vis[k + 1], y = vis[k + 2], r = this._radius(i);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = colors[g[i] % colors.length];
        ctx.fill(); ctx.stroke();
        hits.push({ i: i, x: x, y: y, r: r });
      }
      ctx.globalAlpha = 1;
    },
    _rings: function (ctx, approx, hits) {
      var colors = this.cfg.colors, g = this.cols.g, seen = {};
      ctx.setLineDash([3, 3]); ctx.lineWidth = 1.5;
      for (var k = 0; k < approx.length; k += 3) {
        var i = approx[k], x = approx[k + 1], y = approx[k + 2];
        var key = Math.round(x) + ":" + Math.round(y) + ":" + g[i];
        if (seen[key]) { seen[key].more += 1; continue; }
        var r = this._radius(i) + 2;
        ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.strokeStyle = colors[g[i] % colors.length]; ctx.stroke();
        seen[key] = { i: i, x: x, y: y, r: r, more: 0, approx: true };
        hits.push(seen[key]);
      }
      ctx.setLineDash([]);
    },
    _bins: function (ctx, vis, hits, W, H) {
      var cell = 60, cols = Math.ceil((W + 40) / cell) + 1, rows = Math.ceil((H + 40) / cell) + 1;
      var cnt = new Float64Array(cols * rows), sx = new Float64Array(cols * rows),
        sy = new Float64Array(cols * rows), fat = new Float64Array(cols * rows);
      var v = this.cols.v;
      for (var k = 0; k < vis.length; k += 3) {
        var x = vis[k + 1], y = vis[k + 2];
        var c = Math.floor((x + 20) / cell) + Math.floor((y + 20) / cell) * cols;
        cnt[c] += 1; sx[c] += x; sy[c] += y;
        var f = v[vis[k]]; if (f > 0) fat[c] += f;
      }
      ctx.font = "bold 11px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      for (var b = 0; b < cnt.length; b++) {
        if (!cnt[b]) continue;
        var cx = sx[b] / cnt[b], cy = sy[b] / cnt[b];
        var r = Math.min(28, 9 + 3 * Math.log(cnt[b]) / Math.LN2 * 0.8);
        ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(120,40,140,0.55)"; ctx.fill();
        ctx.strokeStyle = "rgba(80,20,100,0.9)"; ctx.lineWidth = 1.5; ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.fillText(cnt[b] >= 10000 ? Math.round(cnt[b] / 1000) + "k" : String(cnt[b]), cx, cy);
        hits.push({ bin: true, x: cx, y: cy, r: r, count: cnt[b], fat: fat[b] });
      }
    },
    _hit: function (e) {
      if (!this.hits) return null;
      var p = e.containerPoint, best = null, bd = Infinity;
      for (var k = 0; k < this.hits.length; k++) {
        var h = this.hits[k], dx = h.x - p.x, dy = h.y - p.y, d = dx * dx + dy * dy;
        if (d <= (h.r + 3) * (h.r + 3) && d < bd) { bd = d; best = h; }
      }
      return best;
    },
    _content: function (h) { return eventContent(this.cfg, this.cols, h); },
    _click: function (e) {
      var h = this._hit(e);
      if (!h) return;
      if (h.bin && this._map.getZoom() < this._map.getMaxZoom()) {
        this._map.setView(this._map.containerPointToLatLng([h.x, h.y]), this._map.getZoom() + 2);
        return;
      }
      L.popup({ maxWidth: 320 }).setLatLng(this._map.containerPointToLatLng([h.x, h.y]))
        .setContent(popupEl(this._content(h), h.bin ? null : this.cfg.name)).openOn(this._map);
    },
    _hover: function (e) {
      var h = this._hit(e), map = this._map;
      map.getContainer().style.cursor = h ? "pointer" : "";
      if (!h) { if (this._tip) { map.closeTooltip(this._tip); this._tip = null; } return; }
      var text = tipText(this._content(h));
      if (!this._tip) this._tip = L.tooltip({ direction: "top", offset: [0, -6] });
      this._tip.setLatLng(map.containerPointToLatLng([h.x, h.y])).setContent(el("span", null, text));
      map.openTooltip(this._tip);
    }
  });

  function eventLayer(map, cfg, rec) {
    var layer = new EventLayer(cfg);
    layer.rec = rec;
    layer._geoFilter = function (label) {
      layer.period = label;
      layer._pmap = cfg.dicts.p || (cfg.pd ? cfg.dicts.d : null);
      if (layer._map) layer._draw();
      return rec.drawn;
    };
    unpack(cfg).then(function (buf) {
      layer.setData(columns(buf, cfg));
      markReady(map, rec);
    });
    return layer;
  }

  /* ---- small events layers: one SVG circle per event -------------------------- */
  function eventMarker(cfg, cols, i, svg) {
    var c = cfg.colors[cols.g[i] % cfg.colors.length], r = eventRadius(cols.v[i]);
    var style = cols.a[i] ?  // approximate: a dashed ring, as on the canvas
      { radius: r + 2, color: c, weight: 1.5, opacity: 0.95, fillColor: c, fillOpacity: 0.05,
        dashArray: "3 3" } :
      { radius: r, color: "#fff", weight: 0.6, opacity: 0.8, fillColor: c, fillOpacity: 0.8 };
    var m = new Shape([cols.lat[i] * 1e-5, cols.lon[i] * 1e-5], style);
    m.options.renderer = svg;
    m.options.bubblingMouseEvents = false;
    m.bindPopup(function () { return popupEl(eventContent(cfg, cols, { i: i }), cfg.name); },
      { maxWidth: 320 });
    m.bindTooltip(function () { return el("span", null, tipText(eventContent(cfg, cols, { i: i }))); },
      { sticky: true });
    return m;
  }

  function eventMarkers(map, cfg, rec) {
    panes(map);
    var group = L.featureGroup(), marks = null, cols = null, period = null;
    var svg = map._geoSvg || (map._geoSvg = L.svg({ padding: 0.5 }));
    group._geoFilter = function (label) {
      period = label;
      if (!marks) return 0;
      group.clearLayers();
      var pm = cfg.dicts.p || (cfg.pd ? cfg.dicts.d : null), shown = 0;
      for (var i = 0; i < marks.length; i++) {
        if (label !== null && cols.p && pm[cols.p[i]] && pm[cols.p[i]] !== label) continue;
        group.addLayer(marks[i]);
        shown += 1;
      }
      return shown;
    };
    unpack(cfg).then(function (buf) {
      cols = columns(buf, cfg);
      marks = [];
      for (var i = 0; i < cfg.n; i++) marks.push(eventMarker(cfg, cols, i, svg));
      rec.drawn = group._geoFilter(period);
      markReady(map, rec);
      restack(map);
    });
    return group;
  }

  /* ---- public entry points ----------------------------------------------------- */

  /* A fragment's container, before Leaflet takes it. The snippet's ids come from the
   * map's content, so the same snippet pasted twice repeats them: scripts run in page
   * order, each copy takes the first unclaimed container with its id, and every copy
   * after the first gets fresh ids ("-2", "-3", ...). */
  geo.claim = function (wrapId, mapId) {
    var boxes = document.querySelectorAll("[id='" + wrapId + "']"), box = null;
    for (var i = 0; i < boxes.length && !box; i++) {
      if (!boxes[i].dataset.geoClaimed) box = boxes[i];
    }
    if (!box) return document.getElementById(mapId);
    box.dataset.geoClaimed = "1";
    var node = box.querySelector("[id='" + mapId + "']");
    if (box !== boxes[0]) {
      var n = 2;
      while (document.getElementById(wrapId + "-" + n) ||
        document.getElementById(mapId + "-" + n)) n += 1;
      box.id = wrapId + "-" + n;
      node.id = mapId + "-" + n;
    }
    return node;
  };
  geo.layer = function (map, cfg) {
    var count = cfg.kind === "events" ? cfg.n : cfg.feats.length;
    var rec = register(map, cfg, null, count);
    var layer = cfg.kind !== "events" ? vectorLayer(map, cfg) :
      cfg.svg ? eventMarkers(map, cfg, rec) : eventLayer(map, cfg, rec);
    rec.layer = layer;
    state(map).layers[state(map).layers.length - 1].layer = layer;
    if (cfg.kind !== "events") {
      rec.drawn = layer._geoFilter(null);
      markReady(map, rec);
    }
    if (cfg.show) layer.addTo(map);
    return layer;
  };

  function legendSection(cfg, notes) {
    var lg = cfg.legend || {}, sec = el("div", "geo-legend-section");
    sec.dataset.geoLayer = cfg.name;
    sec.appendChild(el("div", "geo-legend-title", lg.title || cfg.name));
    // colours on one wrapping line, the size scale on another: fewer rows to cover the map
    var cats = el("div", "geo-legend-items"), scale = el("div", "geo-legend-items");
    (lg.items || []).forEach(function (it) {
      var row = el("div", "geo-legend-item"), sw = el("span", "geo-swatch geo-" + (it.shape || "circle"));
      sw.style.background = it.hollow ? "transparent" : it.color;
      sw.style.borderColor = it.color;
      if (it.hollow) sw.style.borderStyle = "dashed";
      // size swatches at 2/3 of the symbols' radius keep the legend short
      if (it.size) { sw.style.width = sw.style.height = Math.round(4 * it.size / 3) + "px"; }
      if (it.width) { sw.className = "geo-swatch geo-line"; sw.style.height = it.width + "px"; }
      row.appendChild(sw); row.appendChild(el("span", null, it.label));
      (it.size || it.width || it.hollow ? scale : cats).appendChild(row);
    });
    if (cats.childNodes.length) sec.appendChild(cats);
    if (scale.childNodes.length) sec.appendChild(scale);
    // a note several layers share ("dashed = approximate") is written once, at the end
    (lg.notes || []).forEach(function (n) {
      if (!notes.byText[n]) {
        notes.byText[n] = { node: el("div", "geo-legend-note", n), layers: [] };
        notes.order.push(n);
      }
      notes.byText[n].layers.push(cfg.name);
    });
    return sec;
  }

  /* The legend: a "Legend" button that folds it, then a scrolling body whose height
   * follows the map's. */
  function legendBox(map, st) {
    var box = el("div", "geo-legend"), body = el("div", "geo-legend-body");
    var button = el("button", "geo-legend-toggle", "Legend");
    button.type = "button";
    button.setAttribute("aria-expanded", "true");
    button.title = "Hide the legend";
    button.addEventListener("click", function () {
      var open = box.classList.toggle("geo-legend-closed") === false;
      button.setAttribute("aria-expanded", String(open));
      button.title = open ? "Hide the legend" : "Show the legend";
    });
    var notes = { byText: {}, order: [] };
    st.layers.forEach(function (l) {
      l.legend = legendSection(l.cfg, notes);
      body.appendChild(l.legend);
    });
    var noteBox = el("div", "geo-legend-notes");
    notes.order.forEach(function (n) { noteBox.appendChild(notes.byText[n].node); });
    if (notes.order.length) body.appendChild(noteBox);
    box.appendChild(button); box.appendChild(body);
    box._geoUpdate = function () {
      var shown = {};
      st.layers.forEach(function (l) {
        var on = map.hasLayer(l.layer);
        l.legend.style.display = on ? "" : "none";
        if (on) shown[l.cfg.name] = true;
      });
      var any = false;
      notes.order.forEach(function (n) {
        var on = notes.byText[n].layers.some(function (name) { return shown[name]; });
        notes.byText[n].node.style.display = on ? "" : "none";
        any = any || on;
      });
      noteBox.style.display = any ? "" : "none";
    };
    box._geoFit = function () {
      // below the layer control, above the map's bottom edge; at most 60 % of the map
      var h = map.getSize().y, above = 0, corner = box.parentNode;
      if (corner) {
        for (var n = corner.firstChild; n && n !== box; n = n.nextSibling) above += n.offsetHeight + 10;
      }
      var room = Math.min(0.6 * h, h - above - 20) - button.offsetHeight - 8;
      body.style.maxHeight = Math.max(60, Math.floor(room)) + "px";
    };
    return box;
  }

  /* fitBounds padding that keeps symbols clear of the controls: the right column (layer
   * control, legend, zoom), the title above and the slider and footer below. Capped so a
   * small map still gives most of its area to the data. */
  function fitOptions(map) {
    var size = map.getSize(), c = map._controlCorners || {}, pad = 30;
    function dim(k, w) { var n = c[k]; return n ? (w ? n.offsetWidth : n.offsetHeight) : 0; }
    var right = Math.min(Math.max(dim("topright", 1), dim("bottomright", 1)), 0.4 * size.x);
    var top = dim("topleft", 0), bottom = dim("bottomleft", 0);
    var cap = 0.45 * size.y;
    if (top + bottom > cap) { var k = cap / (top + bottom); top *= k; bottom *= k; }
    return { paddingTopLeft: [pad, pad + top], paddingBottomRight: [pad + right, pad + bottom],
      maxZoom: 9 };
  }

  function control(position, node) {
    var C = L.Control.extend({ onAdd: function () {
      L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node);
      return node; } });
    return new C({ position: position });
  }

  function periodSlider(map, st, periods) {
    var box = el("div", "geo-time leaflet-bar");
    var label = el("div", "geo-time-label", "All periods");
    var input = el("input");
    input.type = "range"; input.min = "0"; input.max = String(periods.length); input.value = "0";
    input.setAttribute("aria-label", "Period");
    input.addEventListener("input", function () {
      var k = Number(input.value), sel = k === 0 ? null : periods[k - 1];
      label.textContent = sel === null ? "All periods" : sel;
      st.period = sel;
      st.layers.forEach(function (l) { l.rec.drawn = l.layer._geoFilter(sel); });
      restack(map);
    });
    box.appendChild(label); box.appendChild(input);
    control("bottomleft", box).addTo(map);
  }

  geo.finish = function (map, cfg) {
    var st = state(map);
    panes(map);
    if (cfg.outlines) {
      L.geoJSON(cfg.outlines, { pane: "geoBase", interactive: false, style: {
        color: "#9a9a9a", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: cfg.tiles ? 0 : 1 } })
        .addTo(map);
    }
    var layers = L.control.layers(null, null, { collapsed: false, position: "topright" });
    st.layers.forEach(function (l) {
      var label = el("span", null, " " + l.cfg.name);
      label.dataset.geoLayer = l.cfg.name;
      // Leaflet puts the name into innerHTML: hand it an element's escaped markup.
      var holder = el("span"); holder.appendChild(label);
      layers.addOverlay(l.layer, holder.innerHTML);
    });
    layers.addTo(map);
    // the zoom buttons leave the top left to the title
    if (map.zoomControl) map.zoomControl.setPosition("bottomright");
    var legend = null;
    if (st.layers.length) {
      legend = legendBox(map, st);
      control("topright", legend).addTo(map);
      legend._geoUpdate();
      legend._geoFit();
      map.on("resize", legend._geoFit);
    }
    map.on("overlayadd overlayremove", function () {
      if (legend) legend._geoUpdate();
      restack(map);
    });
    if (cfg.title) {
      var t = el("div", "geo-title");
      t.appendChild(el("div", "geo-title-main", cfg.title));
      if (cfg.description) t.appendChild(el("div", "geo-title-sub", cfg.description));
      control("topleft", t).addTo(map);
      map.getContainer().querySelector(".leaflet-top.leaflet-left").classList.add("geo-has-title");
    }
    if (cfg.footer || (cfg.sources && cfg.sources.length)) {
      var foot = el("div", "geo-footer");
      if (cfg.footer) foot.appendChild(el("div", "geo-footer-note", cfg.footer));
      if (cfg.sources && cfg.sources.length) {
        foot.appendChild(el("div", null, "Sources: " + cfg.sources.join("; ")));
      }
      control("bottomleft", foot).addTo(map);
    }
    if (cfg.periods && cfg.periods.length) periodSlider(map, st, cfg.periods);
    // The first view is set without animation: the page is ready (geoReady) only once it
    // has settled, and a click right after lands where the reader aimed.
    if (cfg.view) map.setView([cfg.view[0], cfg.view[1]], cfg.view[2], { animate: false });
    else if (cfg.bounds) map.fitBounds(cfg.bounds, L.extend(fitOptions(map), { animate: false }));
    restack(map);
    st.finished = true;
    var all = st.layers.every(function (l) { return l.rec.ready; });
    if (all) {
      map.getContainer().dataset.geoReady = "1";
      document.documentElement.dataset.geoReady = "1";
    }
  };
})();
