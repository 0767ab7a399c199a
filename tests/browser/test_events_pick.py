"""Reading one event of a dense events layer: hover names the event under the cursor even
where bins aggregate the view, and clicking through the bins reaches any event's popup."""

from __future__ import annotations

from pathlib import Path

import pytest

N = 12_000  # well above the 4,000 visible events at which bins replace dots


def _dense_map(d: Path) -> Path:
    import geo
    from tests.browser.helpers import write_csv, write_spec

    write_csv(d / "ev.csv", [
        {"place": f"Site {i}", "lat": 10 + (i % 120) * 0.05, "lon": 20 + (i // 120) * 0.05,
         "event_type": ["Battles", "Riots", "Protests"][i % 3], "fatalities": i % 5,
         "date": f"2024-03-0{1 + i % 3}"}
        for i in range(N)
    ])  # fmt: skip
    spec = write_spec(d / "ev.toml", "Dense events", [
        {"name": "Events", "kind": "events", "data": "ev.csv", "place": "place", "lat": "lat",
         "lon": "lon", "value": "fatalities", "group": "event_type", "date": "date"},
    ])  # fmt: skip
    return geo.build(spec, d / "ev.html").html


STATE_JS = """(i) => {
  const r = window.geoLayers['Events'], L = r.layer, map = L._map;
  const lat = L.cols.lat[i] * 1e-5, lon = L.cols.lon[i] * 1e-5;
  const p = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  let bin = null, bd = Infinity;
  for (const h of L.hits || []) {
    if (!h.bin) continue;
    const d = (h.x - p.x) ** 2 + (h.y - p.y) ** 2;
    if (d < bd) { bd = d; bin = {x: h.x + box.left, y: h.y + box.top}; }
  }
  return {aggregated: L.aggregated, zoom: map.getZoom(),
          x: p.x + box.left, y: p.y + box.top, bin: bin};
}"""


def test_hover_over_a_bin_names_the_event_under_the_cursor(reader, tmp_path: Path) -> None:
    reader.open(_dense_map(tmp_path))
    page = reader.page
    state = page.evaluate(STATE_JS, 5000)
    assert state["aggregated"], "the first view should aggregate"
    page.mouse.move(state["bin"]["x"], state["bin"]["y"])
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    assert "Site " in text and "events here" in text, text
    assert any(t in text for t in ("Battles", "Riots", "Protests")), text


@pytest.mark.slow
@pytest.mark.parametrize("i", [0, 4321, N - 1])
def test_every_event_is_reachable_by_clicking(reader, tmp_path: Path, i: int) -> None:
    reader.open(_dense_map(tmp_path))
    page = reader.page
    for _ in range(12):
        state = page.evaluate(STATE_JS, i)
        if not state["aggregated"]:
            break
        page.mouse.click(state["bin"]["x"], state["bin"]["y"])  # drill down: zoom in by 2
        page.wait_for_function(
            f"() => window.geoLayers['Events'].layer._map.getZoom() > {state['zoom']}"
        )
        page.wait_for_timeout(300)
    state = page.evaluate(STATE_JS, i)
    page.mouse.click(state["x"], state["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    lines = popup.inner_text().splitlines()
    assert f"Site {i}" in lines, lines
