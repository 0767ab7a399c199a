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
