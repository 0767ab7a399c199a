  /* ---- print: title above the map, the whole legend and the sources below it ------ */
  /* geo.printLayout() (called by `geo build --png/--pdf` before the shutter, and by the
   * browser's beforeprint) moves each map's title, legend and footer out of the map, so
   * no class of the legend is cut off and no control covers the data; the view (centre
   * and zoom) stays the same. Interactive controls are hidden by the print style. */
  geo.printLayout = function () {
    document.documentElement.classList.add("geo-printing");
    Object.keys(window.geoMaps).forEach(function (id) {
      var map = window.geoMaps[id].map, st = map._geo, box = map.getContainer();
      if (!st || st.printed) return;
      st.printed = true;
      var centre = map.getCenter(), zoom = map.getZoom();
      var title = box.querySelector(".geo-title");
      if (title) { title.classList.add("geo-outside"); outside(map, title, true); }
      var below = el("div", "geo-print-below");
      if (st.legend) {
        st.legend.classList.remove("geo-legend-closed");
        below.appendChild(st.legend);
      }
      var foot = box.querySelector(".geo-footer") ||
        (box.parentNode && box.parentNode.querySelector(".geo-footer.geo-outside"));
      if (foot) below.appendChild(foot);
      below.querySelectorAll("details").forEach(function (d) { d.open = true; });
      outside(map, below, false);
      map.setView(centre, zoom, { animate: false });
      map.fire("moveend");
    });
  };
  window.addEventListener("beforeprint", geo.printLayout);
