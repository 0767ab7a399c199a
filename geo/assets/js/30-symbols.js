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
    if (f.pop) {
      layer.bindPopup(function () { return stackedPopup(layer, f, name); },
        { maxWidth: 320, maxHeight: 360 });
    }
    if (f.tip) layer.bindTooltip(function () { return el("span", null, f.tip); }, { sticky: true });
  }

  /* The popup of a symbol, followed by the other figures drawn on the same spot (a
   * deployment, its casualties and displacement at one city), so a symbol hidden under
   * another is still reachable: one click lists them all. */
  function stackedPopup(sym, f, name) {
    var box = popupEl(f.pop, name), map = sym._map;
    if (!map || !f.ll || !map._geo) return box;
    var at = map.latLngToContainerPoint(f.ll), others = [];
    map._geo.layers.forEach(function (l) {
      if (!map.hasLayer(l.layer) || !l.cfg.feats) return;
      (l.layer._geoShown || []).forEach(function (i) {
        var g = l.cfg.feats[i];
        if (g === f || !g.ll || g.line || g.geom || !g.pop) return;
        var p = map.latLngToContainerPoint(g.ll);
        if (p.distanceTo(at) <= Math.max(g.r || 4, f.r || 4)) others.push([g, l.cfg.name]);
      });
    });
    if (!others.length) return box;
    var wrap = el("div", "geo-popup-stack");
    wrap.appendChild(box);
    wrap.appendChild(el("div", "geo-popup-also", "Also at this spot:"));
    others.slice(0, 8).forEach(function (o) { wrap.appendChild(popupEl(o[0].pop, o[1])); });
    return wrap;
  }

  /* Panes, bottom to top: outlines 250, areas and choropleths 350, heat 380, events 390,
   * symbols and flows (overlayPane) 400. */
  function panes(map) {
    if (map.getPane("geoAreas")) return;
    [["geoBase", 250], ["geoAreas", 350], ["geoHeat", 380], ["geoEvents", 390],
      ["geoLabels", 450]].forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
    ["geoBase", "geoHeat", "geoEvents", "geoLabels"].forEach(function (p) {
      map.getPane(p).style.pointerEvents = "none"; });
  }

  /* The label of this layer's period to show for the map's period ``label``: itself when
   * the layer has it, else (for "as of") the latest of the layer's periods before it in
   * the map's order; null when none. */
  function layerPeriod(cfg, label) {
    if (cfg.periods.indexOf(label) >= 0) return label;
    var order = cfg.mapPeriods || [], at = order.indexOf(label), best = null;
    cfg.periods.forEach(function (p) {
      var k = order.indexOf(p);
      if (k >= 0 && k <= at && (best === null || k > order.indexOf(best))) best = p;
    });
    return best;
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
    group._geoFilter = function (label, asOf) {
      group.clearLayers();
      // the map's periods may be more than this layer's: "as of" a period this layer lacks,
      // its latest earlier period is what counts
      var lp = label === null ? null : asOf ? (layerPeriod(cfg, label) || "") : label;
      var shown = periodFilter(cfg.feats, lp, cfg.periods, asOf);
      group._geoShown = shown;
      // areas first so symbols stay on top
      shown.forEach(function (i) { if (parts[i].length > 1) group.addLayer(parts[i][0]); });
      shown.forEach(function (i) { group.addLayer(parts[i][parts[i].length - 1]); });
      var drawn = shown.length;
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
