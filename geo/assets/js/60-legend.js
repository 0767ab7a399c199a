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
  function legendBox(map, st, folded) {
    var box = el("div", "geo-legend"), body = el("div", "geo-legend-body");
    var button = el("button", "geo-legend-toggle", "Legend");
    button.type = "button";
    if (folded) box.classList.add("geo-legend-closed");
    button.setAttribute("aria-expanded", String(!folded));
    button.title = folded ? "Show the legend" : "Hide the legend";
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
        // a layer with nothing to show at the chosen period says so
        var empty = st.period !== null && st.period !== undefined && l.rec.ready &&
          l.rec.drawn === 0;
        l.legend.classList.toggle("geo-legend-empty", empty);
        var mark = l.legend.querySelector(".geo-legend-nodata");
        if (empty && !mark) l.legend.appendChild(el("div", "geo-legend-nodata",
          "No data for this period"));
        if (!empty && mark) mark.remove();
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
