"""Small helpers for the browser suite: write specs and tables, and read a map the way a
reader does (click a symbol, read its popup)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"');alert(1);//",
)


def toml_str(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_spec(path: Path, title: str, layers: list[dict[str, Any]]) -> Path:
    lines = [f"title = {toml_str(title)}", ""]
    for layer in layers:
        lines.append("[[layers]]")
        for key, value in layer.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, list):
                lines.append(f"{key} = [{', '.join(toml_str(v) for v in value)}]")
            else:
                lines.append(f"{key} = {toml_str(str(value))}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# For feature ``index`` of layer ``name`` (children of the layer group, areas excluded),
# find a viewport point where that feature's own SVG path or icon is the topmost element,
# so a real mouse click there reaches it. Returns [x, y] or null.
CLICK_POINT_JS = """
([name, index]) => {
  const rec = window.geoLayers[name];
  const kids = [];
  rec.layer.eachLayer((c) => {
    if (!(c.options && c.options.interactive === false)) kids.push(c);
  });
  const parts = [];
  const collect = (l) => {
    if (l._path) parts.push(l._path);
    else if (l._icon) parts.push(l._icon);
    else if (l.eachLayer) l.eachLayer(collect);
  };
  collect(kids[index]);
  // smallest part first: the end marker of a flow, not the whole curve's box
  const box = (p) => p.getBoundingClientRect();
  parts.sort((a, b) => box(a).width * box(a).height - box(b).width * box(b).height);
  for (const p of parts) {
    const b = box(p);
    for (let i = 0; i <= 8; i++) {
      for (let j = 0; j <= 8; j++) {
        const x = b.left + b.width * (0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) / 9);
        const y = b.top + b.height * (0.5 + (j % 2 ? 1 : -1) * Math.ceil(j / 2) / 9);
        const hit = document.elementFromPoint(x, y);
        if (hit === p || (hit && p.contains(hit))) return [x, y];
      }
    }
  }
  return null;
}
"""

PAN_TO_JS = """
([name, index]) => {
  const rec = window.geoLayers[name];
  const kids = [];
  rec.layer.eachLayer((c) => {
    if (!(c.options && c.options.interactive === false)) kids.push(c);
  });
  const f = kids[index];
  const map = window.geoMaps[rec.mapId].map;
  const at = f.getLatLng ? f.getLatLng() : f.getBounds().getCenter();
  map.setView(at, map.getZoom(), {animate: false});  // returns the map: do not return it
}
"""

FEATURES_JS = """
(name) => {
  let n = 0;
  window.geoLayers[name].layer.eachLayer((c) => {
    if (!(c.options && c.options.interactive === false)) n++;
  });
  return n;
}
"""


def popup_texts(reader: Any, name: str) -> list[str]:
    """Click every feature of layer ``name`` like a reader and return each popup's text."""
    page = reader.page
    texts = []
    for index in range(page.evaluate(FEATURES_JS, name)):
        point = page.evaluate(CLICK_POINT_JS, [name, index])
        if point is None:  # under a control (the legend): pan it to the middle, as a reader would
            page.evaluate(PAN_TO_JS, [name, index])
            point = page.evaluate(CLICK_POINT_JS, [name, index])
        assert point is not None, f"feature {index} of {name!r} cannot be clicked (hidden)"
        page.mouse.click(point[0], point[1])
        popup = page.locator(".leaflet-popup-content").first
        popup.wait_for(state="visible", timeout=3000)
        texts.append(popup.inner_text())
        # Close it through Leaflet: the close button may sit under the legend when the
        # symbol is near it, and closing is not what is under test.
        page.evaluate(
            "(name) => { window.geoMaps[window.geoLayers[name].mapId].map.closePopup(); }", name
        )
        popup.wait_for(state="detached", timeout=3000)
    return texts


def legend_visible(reader: Any, name: str) -> bool:
    """Is the legend section of layer ``name`` shown to the reader?"""
    section = reader.page.locator(".geo-legend-section").filter(
        has=reader.page.locator(".geo-legend-title")
    )
    for i in range(section.count()):
        s = section.nth(i)
        if s.get_attribute("data-geo-layer") == name:
            return s.is_visible()
    raise AssertionError(f"no legend section for layer {name!r}")


SOURCE = "Capital News, 20 Aug 2025"
# Features each layer of the figures map must draw.
FIGURES_COUNTS = {"Deployed personnel": 2, "Killed": 1, "Displaced": 1, "Events": 5}


def write_figures(d: Path, title: str = "Figures test map") -> Path:
    """Spec + tables for a map with deployment, casualties, displacement and events layers
    at known coordinates (no geocoding involved); returns the spec path."""
    write_csv(d / "deployment.csv", [
        {"place": "Port-au-Prince", "lat": 18.54, "lon": -72.34, "personnel": 800,
         "contributor": "Kenya", "source": SOURCE},
        {"place": "Cap-Haitien", "lat": 19.76, "lon": -72.20, "personnel": "",
         "contributor": "Jamaica", "source": "Second source"},
    ])  # fmt: skip
    write_csv(d / "casualties.csv", [
        {"place": "Croix-des-Bouquets", "lat": 18.58, "lon": -72.23, "killed": 3600,
         "source": "UN via " + SOURCE},
    ])  # fmt: skip
    write_csv(d / "displacement.csv", [
        {"place": "Gonaives", "lat": 19.45, "lon": -72.69, "displaced": 500000,
         "source": "UN via " + SOURCE},
    ])  # fmt: skip
    write_csv(d / "events.csv", [
        {"place": f"Site {i}", "lat": 18.2 + i * 0.1, "lon": -73.5 + i * 0.05,
         "event_type": "Violence", "fatalities": i, "source": "Event feed"}
        for i in range(5)
    ])  # fmt: skip
    xy = {"lat": "lat", "lon": "lon", "source": "source"}
    return write_spec(d / "figures.toml", title, [
        {"name": "Deployed personnel", "kind": "deployment", "data": "deployment.csv",
         "place": "place", "value": "personnel", "group": "contributor", **xy},
        {"name": "Killed", "kind": "casualties", "data": "casualties.csv", "place": "place",
         "value": "killed", **xy},
        {"name": "Displaced", "kind": "displacement", "data": "displacement.csv",
         "place": "place", "value": "displaced", **xy},
        {"name": "Events", "kind": "events", "data": "events.csv", "place": "place",
         "value": "fatalities", "group": "event_type", **xy},
    ])  # fmt: skip


def write_hostile(d: Path) -> Path:
    """Spec + table whose title, layer names, places, groups and sources all carry
    script-injection attempts; returns the spec path."""
    rows = [
        {"place": bad, "lat": 18.5 + i, "lon": -72.3 + i, "personnel": 100 * (i + 1),
         "group": bad, "source": bad}
        for i, bad in enumerate(HOSTILE)
    ]  # fmt: skip
    write_csv(d / "bad.csv", rows)
    layers = [
        {"name": f"{bad} layer {i}", "kind": "deployment", "data": "bad.csv", "place": "place",
         "lat": "lat", "lon": "lon", "value": "personnel", "group": "group", "source": "source"}
        for i, bad in enumerate(HOSTILE)
    ]  # fmt: skip
    return write_spec(d / "bad.toml", " ".join(HOSTILE), layers)
