"""Reading a map: the legend fits, folds and covers no symbol, the view keeps symbols
clear of the controls, popups name the group and the layer, and figures piled on one
spot all stay visible and clickable (smaller above larger)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import geo
from tests.browser.helpers import CLICK_POINT_JS, popup_texts, write_csv, write_spec

# Viewport centre of every symbol (point symbols and the dots of flows) of every shown
# layer, and the boxes of every control, in viewport pixels.
LAYOUT_JS = """
() => {
  const out = {symbols: [], controls: [], map: null};
  for (const [name, rec] of Object.entries(window.geoLayers)) {
    if (!rec.layer || !rec.layer._map || !rec.layer.eachLayer) continue;
    const map = rec.layer._map, box = map.getContainer().getBoundingClientRect();
    out.map = [box.left, box.top, box.right, box.bottom];
    const add = (c) => {
      if (c.getRadius && c.getLatLng) {
        const p = map.latLngToContainerPoint(c.getLatLng());
        out.symbols.push({layer: name, x: box.left + p.x, y: box.top + p.y, r: c.getRadius()});
      } else if (c.eachLayer) c.eachLayer(add);
    };
    rec.layer.eachLayer(add);
  }
  for (const c of document.querySelectorAll('.leaflet-control')) {
    const b = c.getBoundingClientRect();
    if (!b.width || !b.height) continue;
    out.controls.push({cls: c.className, box: [b.left, b.top, b.right, b.bottom]});
  }
  return out;
}
"""


def covered(layout: dict[str, Any]) -> list[tuple[str, str]]:
    """(layer, control class) for every symbol centre that lies under a control or off
    the map."""
    bad = []
    x0, y0, x1, y1 = layout["map"]
    for s in layout["symbols"]:
        if not (x0 <= s["x"] <= x1 and y0 <= s["y"] <= y1):
            bad.append((s["layer"], "off the map"))
        for c in layout["controls"]:
            left, top, right, bottom = c["box"]
            if left <= s["x"] <= right and top <= s["y"] <= bottom:
                bad.append((s["layer"], c["cls"]))
    return bad


def open_at(reader: Any, path: Path, width: int, height: int) -> Any:
    reader.page.set_viewport_size({"width": width, "height": height})
    return reader.open(path)


def assert_clean(reader: Any) -> None:
    assert reader.requests == [], f"the map tried to fetch {reader.requests}"
    assert reader.errors == [], f"console errors: {reader.errors}"
    assert reader.dialogs == [], f"dialogs fired: {reader.dialogs}"


@pytest.mark.parametrize(("width", "height"), [(1200, 800), (800, 560)])
def test_demo_legend_fits_and_no_symbol_is_under_a_control(reader, demo_map, width, height) -> None:
    open_at(reader, demo_map, width, height)
    page = reader.page
    legend = page.locator(".geo-legend")
    assert legend.count() == 1 and legend.is_visible()
    box = legend.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box  # not cut off
    assert box["width"] <= 0.3 * width, box
    if (width, height) == (1200, 800):  # the whole legend shows without scrolling
        body = page.evaluate(
            "() => { const b = document.querySelector('.geo-legend-body');"
            " return [b.scrollHeight, b.clientHeight]; }"
        )
        assert body[0] <= body[1], body
    layout = page.evaluate(LAYOUT_JS)
    assert len(layout["symbols"]) >= 4
    assert covered(layout) == []
    assert_clean(reader)


def test_figures_map_keeps_symbols_clear_of_controls(reader, figures_map) -> None:
    reader.open(figures_map)
    assert covered(reader.page.evaluate(LAYOUT_JS)) == []


def test_legend_folds_and_unfolds(reader, demo_map) -> None:
    reader.open(demo_map)
    page = reader.page
    button = page.locator(".geo-legend-toggle")
    sections = page.locator(".geo-legend-section")
    assert button.get_attribute("aria-expanded") == "true" and sections.first.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "false"
    assert not any(sections.nth(i).is_visible() for i in range(sections.count()))
    assert button.is_visible()  # still there to unfold it
    button.click()
    assert all(sections.nth(i).is_visible() for i in range(sections.count()))
    assert_clean(reader)


def test_a_note_shared_by_layers_shows_once_while_one_of_them_is_shown(reader, demo_map) -> None:
    reader.open(demo_map)
    note = reader.page.locator(".geo-legend-note", has_text="Symbol area is proportional")
    assert note.count() == 1 and note.is_visible()
    names = [n for n, e in reader.layers().items() if e["on"]]
    for name in names:
        reader.toggle(name)
    assert not note.is_visible()
    reader.toggle(names[0])
    assert note.is_visible()


def test_popups_name_the_group_and_the_layer(reader, figures_map) -> None:
    reader.open(figures_map)
    deployed = popup_texts(reader, "Deployed personnel")
    kenya = [t for t in deployed if "800" in t]
    assert kenya and "Contributor" in kenya[0] and "Kenya" in kenya[0], deployed
    assert all("Deployed personnel" in t for t in deployed), deployed
    killed = popup_texts(reader, "Killed")
    assert all("Killed" in t.splitlines()[1] for t in killed), killed  # the layer line
    assert_clean(reader)


def test_figures_on_one_spot_are_all_visible_and_clickable(reader, tmp_path: Path) -> None:
    """Haiti at world zoom: a deployment, its casualties and displacement on one point."""
    here = {"place": "Port-au-Prince", "lat": 18.54, "lon": -72.34, "source": "S"}
    write_csv(tmp_path / "d.csv", [{**here, "personnel": 800, "contributor": "Kenya"}])
    write_csv(tmp_path / "k.csv", [{**here, "killed": 40}])
    write_csv(tmp_path / "p.csv", [{**here, "displaced": 5000}])
    xy = {"place": "place", "lat": "lat", "lon": "lon", "source": "source"}
    spec = write_spec(tmp_path / "pile.toml", "Pile", [
        # the smallest symbol first: without restacking it would be buried
        {"name": "Killed", "kind": "casualties", "data": "k.csv", "value": "killed", **xy},
        {"name": "Deployed", "kind": "deployment", "data": "d.csv", "value": "personnel",
         "group": "contributor", **xy},
        {"name": "Displaced", "kind": "displacement", "data": "p.csv", "value": "displaced",
         **xy},
    ])  # fmt: skip
    reader.open(geo.build(spec, tmp_path / "pile.html").html)
    page = reader.page
    page.evaluate("() => { for (const r of Object.values(window.geoMaps)) r.map.setZoom(2); }")
    # Each layer's symbol has a spot where it is the topmost element: a reader can click it.
    for name in ("Killed", "Deployed", "Displaced"):
        assert page.evaluate(CLICK_POINT_JS, [name, 0]) is not None, name
    # Drawn largest first, so the smaller ones lie on top.
    radii = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-overlay-pane path')].map((p) =>"
        " p.getBoundingClientRect().width)"
    )
    assert radii == sorted(radii, reverse=True) and len(radii) == 3, radii
    # Fills are see-through, so the symbols below still show.
    fills = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-overlay-pane path')].map((p) =>"
        " Number(p.getAttribute('fill-opacity')))"
    )
    assert all(f < 0.6 for f in fills), fills
    assert_clean(reader)
