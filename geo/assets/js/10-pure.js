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
      return { t: cfg.name, r: [["Events (the bin's number)", h.count.toLocaleString("en-US")],
        [(cfg.valueLabel || "Fatalities") + " (sum)", Math.round(h.fat).toLocaleString("en-US")],
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
