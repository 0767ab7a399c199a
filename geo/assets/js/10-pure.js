  // How a precision reads to a reader (the same words in geo/layers/base.py).
  var PRECISION_WORDS = { city: "town or city", admin1: "province or state", region: "region",
    country: "country" };

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
      var pr = d.pr[cols.pr[i]], words = PRECISION_WORDS[pr] || pr;
      rows.push(cols.a[i] ? ["Approximate location", title + " (" + words + ")"] :
        ["Location", words]);
    }
    (cfg.extra || []).forEach(function (x) { rows.push([x, d[x][cols[x][i]]]); });
    if (cols.s) rows.push(["Source", d.s[cols.s[i]]]);
    if (h.more) rows.push(["Also here", h.more + " more events at this approximate location"]);
    if (h.binMore) rows.push(["Also here", h.binMore.toLocaleString("en-US") + " more events in this bin"]);
    return { t: title, r: rows };
  }

  function tipText(c) { return c.t + (c.r.length ? ": " + c.r[0][1] : ""); }

  /* Label placement with collision handling. items: [{x, y, w, h, fixed?}] (top-left
   * corner and size in px, most important first; fixed: an obstacle such as a symbol);
   * returns the indices of the labels to draw: each inside the W x H view (with a margin)
   * and overlapping no obstacle and no label drawn before it. */
  function placeLabels(items, W, H, margin) {
    var m = margin === undefined ? 2 : margin, kept = [], boxes = [];
    for (var i = 0; i < items.length; i++) {
      var b = items[i];
      if (b.fixed) { boxes.push(b); continue; }  // an obstacle (a symbol), never drawn
      if (b.x < m || b.y < m || b.x + b.w > W - m || b.y + b.h > H - m) continue;
      var free = true;
      for (var k = 0; k < boxes.length && free; k++) {
        var o = boxes[k];
        free = b.x >= o.x + o.w || o.x >= b.x + b.w || b.y >= o.y + o.h || o.y >= b.y + b.h;
      }
      if (free) { kept.push(i); boxes.push(b); }
    }
    return kept;
  }

  /* The features of a layer to draw for a period: an exact period shows its own features;
   * "as of" a period shows, for each place, its latest feature up to that period. periods
   * are in time order; f.p is a period index (-1: undated, always shown); f.k groups the
   * features of one place and group. */
  function periodFilter(feats, label, periods, asOf) {
    if (label === null) return feats.map(function (_, i) { return i; });
    var at = periods.indexOf(label), out = [], best = {};
    feats.forEach(function (f, i) {
      if (f.p < 0) { out.push(i); return; }
      if (!asOf) { if (f.p === at) out.push(i); return; }
      if (f.p > at) return;
      var key = f.k === undefined ? i : f.k;
      if (!(key in best) || feats[best[key]].p < f.p) best[key] = i;
    });
    if (asOf) Object.keys(best).forEach(function (k) { out.push(best[k]); });
    return out.sort(function (a, b) { return a - b; });
  }

  /* Hover picking under bins: vis is [i, x, y, ...] (events in view, screen pixels); each
     PICK-pixel cell keeps one event, so the event under the cursor is found in O(1). */
  var PICK = 4;
  function pickGrid(vis, W, H) {
    var gw = Math.ceil((W + 40) / PICK) + 1, gh = Math.ceil((H + 40) / PICK) + 1;
    var grid = new Int32Array(gw * gh).fill(-1);
    for (var k = 0; k < vis.length; k += 3) {
      var cx = Math.floor((vis[k + 1] + 20) / PICK), cy = Math.floor((vis[k + 2] + 20) / PICK);
      if (cx >= 0 && cy >= 0 && cx < gw && cy < gh) grid[cx + cy * gw] = k;
    }
    return { grid: grid, gw: gw, gh: gh, vis: vis };
  }

  /* The event nearest (x, y) within `reach` cells (default 2), as {i, x, y}, or null: the
     rings of cells around the cursor are searched outwards and the first that holds an
     event decides (the nearest to within a cell). */
  function pickNearest(pick, x, y, reach) {
    var cx = Math.floor((x + 20) / PICK), cy = Math.floor((y + 20) / PICK);
    var best = null, bd = Infinity;
    for (var ring = 0; ring <= (reach || 2) && !best; ring++) {
      for (var dy = -ring; dy <= ring; dy++) {
        for (var dx = -ring; dx <= ring; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          var gx = cx + dx, gy = cy + dy;
          if (gx < 0 || gy < 0 || gx >= pick.gw || gy >= pick.gh) continue;
          var k = pick.grid[gx + gy * pick.gw];
          if (k < 0) continue;
          var ex = pick.vis[k + 1] - x, ey = pick.vis[k + 2] - y, d = ex * ex + ey * ey;
          if (d < bd) { bd = d; best = { i: pick.vis[k], x: pick.vis[k + 1], y: pick.vis[k + 2] }; }
        }
      }
    }
    return best;
  }
