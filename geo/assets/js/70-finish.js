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
    var events = cfg.draw === "events";
    var rec = register(map, cfg, null, events ? cfg.n : cfg.feats.length);
    var layer = !events ? vectorLayer(map, cfg) :
      cfg.svg ? eventMarkers(map, cfg, rec) : eventLayer(map, cfg, rec);
    rec.layer = layer;
    state(map).layers[state(map).layers.length - 1].layer = layer;
    if (!events) {
      rec.drawn = layer._geoFilter(null);
      markReady(map, rec);
    }
    if (cfg.show) layer.addTo(map);
    return layer;
  };

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

  /* The period slider: "All periods", then each period; with time = "as of" a period
   * shows each place's latest figure up to it. A play button steps through the periods.
   * The map opens on the latest period when the spec asks (open = "latest"). */
  function periodSlider(map, st, cfg) {
    var periods = cfg.periods, asOf = cfg.time === "asof";
    var box = el("div", "geo-time leaflet-bar"), head = el("div", "geo-time-head");
    var label = el("div", "geo-time-label", "All periods");
    var play = el("button", "geo-time-play", "\u25B6");
    play.type = "button"; play.title = "Play through the periods";
    play.setAttribute("aria-label", "Play through the periods");
    var input = el("input");
    input.type = "range"; input.min = "0"; input.max = String(periods.length); input.value = "0";
    input.setAttribute("aria-label", "Period");
    function show(k) {
      var sel = k === 0 ? null : periods[k - 1];
      input.value = String(k);
      label.textContent = sel === null ? "All periods" : (asOf ? "As of " : "") + sel;
      st.period = sel;
      st.layers.forEach(function (l) { l.rec.drawn = l.layer._geoFilter(sel, asOf); });
      if (st.legend) st.legend._geoUpdate();
      restack(map);
      map.fire("geoperiod");
    }
    input.addEventListener("input", function () { show(Number(input.value)); });
    var timer = null;
    play.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25B6"; return; }
      play.textContent = "\u275A\u275A";
      var k = Number(input.value) >= periods.length ? 0 : Number(input.value);
      timer = setInterval(function () {
        k += 1;
        show(k);
        if (k >= periods.length) { clearInterval(timer); timer = null; play.textContent = "\u25B6"; }
      }, 1200);
    });
    head.appendChild(play); head.appendChild(label);
    box.appendChild(head); box.appendChild(input);
    control("bottomleft", box).addTo(map);
    st.showPeriod = show;
    if (cfg.open === "latest") show(periods.length);
  }

  var NARROW = 600;

  /* Put a panel outside the map (above or below it): the map's parent becomes a flex
   * column, so the map keeps the rest of its height. */
  function outside(map, node, above) {
    var box = map.getContainer(), host = box.parentNode;
    host.classList.add("geo-host");
    host.insertBefore(node, above ? box : box.nextSibling);
    map.invalidateSize({ animate: false });
  }

  function addTitle(map, cfg, narrow) {
    var t = el("div", "geo-title");
    t.appendChild(el("div", "geo-title-main", cfg.title));
    if (cfg.description) t.appendChild(el("div", "geo-title-sub", cfg.description));
    if (narrow) { t.classList.add("geo-outside"); outside(map, t, true); return; }
    control("topleft", t).addTo(map);
    map.getContainer().querySelector(".leaflet-top.leaflet-left").classList.add("geo-has-title");
  }

  function addFooter(map, cfg, narrow) {
    var foot = el("div", "geo-footer");
    if (cfg.footer) foot.appendChild(el("div", "geo-footer-note", cfg.footer));
    // What each layer leaves off the map (rows not placed, bad rows skipped).
    (cfg.notes || []).forEach(function (n) { foot.appendChild(el("div", "geo-notes", n)); });
    if (cfg.sources && cfg.sources.length) {
      // A few sources in view; the rest behind a toggle (all stay in the popups).
      var shown = cfg.sources.slice(0, 3), rest = cfg.sources.slice(3);
      foot.appendChild(el("div", "geo-sources", "Sources: " + shown.join("; ")));
      if (rest.length) {
        var more = el("details", "geo-more");
        more.appendChild(el("summary", null, "and " + rest.length + " more source" +
          (rest.length > 1 ? "s" : "")));
        more.appendChild(el("div", null, rest.join("; ")));
        foot.appendChild(more);
      }
    }
    if (narrow) { foot.classList.add("geo-outside"); outside(map, foot, false); return; }
    control("bottomleft", foot).addTo(map);
  }

  geo.finish = function (map, cfg) {
    var st = state(map);
    panes(map);
    if (cfg.base) {
      drawBase(map, cfg.base, cfg.tiles);
      // a constant string (Leaflet writes attributions as HTML)
      if (map.attributionControl) map.attributionControl.addAttribution("Natural Earth, GeoNames");
    }
    st.layers.forEach(function (l) { l.cfg.mapPeriods = cfg.periods || []; });
    // Below 600 px the title goes above the map, the footer below it, and the layer
    // control and the legend start folded, so the map keeps most of a phone's screen.
    var narrow = map.getSize().x < NARROW;
    if (narrow) map.getContainer().classList.add("geo-narrow");
    var layers = L.control.layers(null, null, { collapsed: narrow, position: "topright" });
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
      legend = legendBox(map, st, narrow);
      st.legend = legend;
      control("topright", legend).addTo(map);
      legend._geoUpdate();
      legend._geoFit();
      map.on("resize", legend._geoFit);
    }
    map.on("overlayadd overlayremove", function () {
      if (legend) legend._geoUpdate();
      restack(map);
    });
    if (cfg.title) addTitle(map, cfg, narrow);
    if (cfg.footer || (cfg.notes || []).length || (cfg.sources && cfg.sources.length)) {
      addFooter(map, cfg, narrow);
    }
    var labels = new Labels(st, cfg.base);
    if (cfg.periods && cfg.periods.length) periodSlider(map, st, cfg);
    // The first view is set without animation: the page is ready (geoReady) only once it
    // has settled, and a click right after lands where the reader aimed.
    if (cfg.view) map.setView([cfg.view[0], cfg.view[1]], cfg.view[2], { animate: false });
    else if (cfg.bounds) map.fitBounds(cfg.bounds, L.extend(fitOptions(map), { animate: false }));
    restack(map);
    labels.addTo(map);
    st.finished = true;
    var all = st.layers.every(function (l) { return l.rec.ready; });
    if (all) {
      map.getContainer().dataset.geoReady = "1";
      document.documentElement.dataset.geoReady = "1";
    }
  };
