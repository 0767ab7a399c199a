  /* ---- the offline context basemap and labels ----------------------------------- */
  /* base (geo/basemap.py): land polygons, lakes, rivers and borders as GeoJSON
   * coordinates, towns [[lat, lon, name, min zoom]] and countries [[lat, lon, name]]. */
  function drawBase(map, base, tiles) {
    var renderer = L.canvas({ pane: "geoBase", padding: 0.3 });
    function add(type, coords, style) {
      if (!coords || !coords.length) return;
      L.geoJSON({ type: type, coordinates: coords }, { pane: "geoBase", interactive: false,
        renderer: renderer, style: style }).addTo(map);
    }
    if (!tiles) {
      // nonzero: the coarse world overlaps the detailed extent (evenodd would cut it out)
      add("MultiPolygon", base.land, { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1,
        fillRule: "nonzero" });
      add("MultiPolygon", base.lakes, { color: "#9fbdd2", weight: 0.7, fillColor: "#dde8ef",
        fillOpacity: 1 });
      add("MultiLineString", base.rivers, { color: "#9fbdd2", weight: 1.1, opacity: 0.9 });
    }
    add("MultiLineString", base.admin1, { color: "#b5b0a5", weight: 0.6, opacity: 0.9,
      dashArray: "4 3" });
    add("MultiLineString", base.borders, { color: "#9a9a9a", weight: 0.8, opacity: 0.9 });
  }

  var LABEL_FAMILY = "system-ui, -apple-system, 'Segoe UI', sans-serif";

  function textWidth(text, font) {
    var c = textWidth.c || (textWidth.c = document.createElement("canvas").getContext("2d"));
    c.font = font;
    return Math.ceil(c.measureText(text).width);
  }

  /* Labels of the data's biggest figures, then countries at low zoom, then towns by
   * population: each is drawn only where it overlaps no label drawn before it. */
  var Labels = L.Layer.extend({
    initialize: function (st, base) { this.st = st; this.base = base || {}; },
    onAdd: function (map) {
      this._map = map;
      this._box = L.DomUtil.create("div", "geo-labels leaflet-zoom-hide");
      map.getPane("geoLabels").appendChild(this._box);
      map.on("moveend zoomend resize overlayadd overlayremove geoperiod", this.draw, this);
      this.draw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._box);
      map.off("moveend zoomend resize overlayadd overlayremove geoperiod", this.draw, this);
    },
    candidates: function () {
      var map = this._map, z = map.getZoom(), out = [];
      this.st.layers.forEach(function (l) {
        if (!map.hasLayer(l.layer) || !l.cfg.feats) return;
        (l.layer._geoShown || []).slice(0, 500).forEach(function (i) {
          var f = l.cfg.feats[i];
          // symbols are obstacles: no label is drawn over a figure
          if (f.ll && !f.line) out.push({ ll: f.ll, r: f.r || 4, obstacle: true, pri: 2000 });
          if (!f.lb) return;
          out.push({ text: f.lb, ll: f.ll, dx: (f.r || 4) + 3, cls: "geo-label-data",
            pri: 1000 + (f.r || 0) });
        });
      });
      if (z <= 5) {
        (this.base.countries || []).forEach(function (c, k) {
          out.push({ text: c[2], ll: [c[0], c[1]], center: true, cls: "geo-label-country",
            pri: 500 - k / 1000 });
        });
      }
      (this.base.towns || []).forEach(function (t, k) {
        if (t[3] <= z) out.push({ text: t[2], ll: [t[0], t[1]], dx: 5, dot: true,
          cls: "geo-label-town", pri: 100 - k / 1000 });
      });
      out.sort(function (a, b) { return b.pri - a.pri; });
      return out;
    },
    draw: function () {
      var map = this._map, size = map.getSize(), box = this._box;
      while (box.firstChild) box.removeChild(box.firstChild);
      var cands = this.candidates(), items = cands.map(function (c) {
        var p = map.latLngToContainerPoint(c.ll);
        if (c.obstacle) return { x: p.x - c.r, y: p.y - c.r, w: 2 * c.r, h: 2 * c.r, p: p,
          fixed: true };
        // measured in the font each kind of label is drawn in (see geo.css), plus padding
        var w, h = 16;
        if (c.cls === "geo-label-country") {
          w = textWidth(c.text.toUpperCase(), "11px " + LABEL_FAMILY) +
            Math.ceil(0.66 * c.text.length) + 8;
        } else {
          var weight = c.cls === "geo-label-data" ? "600 " : "";
          w = textWidth(c.text, weight + "12px " + LABEL_FAMILY) + 8;
        }
        return c.center ? { x: p.x - w / 2, y: p.y - h / 2, w: w, h: h, p: p } :
          { x: p.x + c.dx, y: p.y - h / 2, w: w, h: h, p: p };
      });
      // the controls (title, legend, layer control, slider) are obstacles too
      var origin = map.getContainer().getBoundingClientRect(), fixed = [];
      map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
        var r = c.getBoundingClientRect();
        if (r.width && r.height) fixed.push({ x: r.left - origin.left, y: r.top - origin.top,
          w: r.width, h: r.height, fixed: true });
      });
      var kept = placeLabels(fixed.concat(items), size.x, size.y).filter(function (k) {
        return k >= fixed.length; }).map(function (k) { return k - fixed.length; });
      var shown = [];
      kept.forEach(function (i) {
        var c = cands[i], b = items[i];
        if (c.obstacle) return;
        var node = el("div", "geo-label " + c.cls, c.text);
        L.DomUtil.setPosition(node, map.containerPointToLayerPoint([b.x, b.y]));
        box.appendChild(node);
        if (c.dot) {
          var dot = el("div", "geo-town-dot");
          L.DomUtil.setPosition(dot, map.containerPointToLayerPoint([b.p.x - 2, b.p.y - 2]));
          box.appendChild(dot);
        }
        shown.push(c.text);
      });
      this.shown = shown;
      if (window.geoMaps[map.getContainer().id]) {
        window.geoMaps[map.getContainer().id].labels = shown;
      }
    }
  });
