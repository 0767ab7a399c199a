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
