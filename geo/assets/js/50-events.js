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
      // Under bins, hovering still names the event under the cursor (attributes at the
      // overview zoom, no drill-down needed to read one).
      this._pick = this.aggregated ? pickGrid(vis, W, H) : null;
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
      if (h.bin && this._pick) {  // fully zoomed in: the event under the cursor, and the count
        var ev = pickNearest(this._pick, e.containerPoint.x, e.containerPoint.y, 15);
        if (ev) h = { i: ev.i, x: ev.x, y: ev.y, r: h.r, binMore: h.count - 1 };
      }
      L.popup({ maxWidth: 320 }).setLatLng(this._map.containerPointToLatLng([h.x, h.y]))
        .setContent(popupEl(this._content(h), h.bin ? null : this.cfg.name)).openOn(this._map);
    },
    _hover: function (e) {
      var h = this._hit(e), map = this._map;
      map.getContainer().style.cursor = h ? "pointer" : "";
      if (!h) { if (this._tip) { map.closeTooltip(this._tip); this._tip = null; } return; }
      var text = tipText(this._content(h));
      // The event nearest the cursor among those of the bin's cell (60 px: 15 cells away).
      var p = e.containerPoint;
      var ev = h.bin && this._pick ? pickNearest(this._pick, p.x, p.y, 15) : null;
      if (ev) {
        var c = this._content(ev);
        text = c.t + " · " + c.r.map(function (r) { return r[1]; }).slice(0, 3).join(" · ") +
          " (" + h.count.toLocaleString("en-US") + " events here: click to zoom in)";
      }
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
