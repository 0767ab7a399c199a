"""Built maps in headless Chromium with every external request blocked: what a reader sees.

Maps are built once per session through the public API (``geo.build``): a figures map
with one layer per kind (coordinates given, so no geocoding is involved), a map whose
data and spec carry hostile strings, and the demo map (``maps/demo.toml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import FIGURES_COUNTS, HOSTILE, SOURCE, legend_visible, popup_texts


def assert_clean(reader: Any) -> None:
    """No request left the machine, nothing logged an error, no dialog fired."""
    assert reader.requests == [], f"the map tried to fetch {reader.requests}"
    assert reader.errors == [], f"console errors: {reader.errors}"
    assert reader.dialogs == [], f"dialogs fired: {reader.dialogs}"


def assert_all_drawn(reader: Any, expected: dict[str, int] | None = None) -> dict[str, Any]:
    assert reader.page.locator(".leaflet-container").count() >= 1
    layers = reader.layers()
    assert layers, "the page has no geo layers (window.geoLayers is empty)"
    for name, info in layers.items():
        if expected is not None:
            assert info["count"] == expected[name], (name, info)
        assert info["on"], f"layer {name!r} is not on the map"
        assert info["count"] > 0, f"layer {name!r} has no features"
        assert info["drawn"] == info["count"], f"layer {name!r}: {info}"
    if expected is not None:
        assert set(layers) == set(expected)
    return layers


# --- the figures map -----------------------------------------------------------------------


def test_every_layer_drawn_offline_without_errors(reader, figures_map) -> None:
    expected = FIGURES_COUNTS
    reader.open(figures_map)
    assert_all_drawn(reader, expected)
    assert_clean(reader)


def test_toggling_a_layer_hides_and_shows_it_and_its_legend(reader, figures_map) -> None:
    expected = FIGURES_COUNTS
    reader.open(figures_map)
    for name, count in expected.items():
        assert legend_visible(reader, name)
        reader.toggle(name)
        layers = reader.layers()
        assert layers[name]["drawn"] == 0 and not layers[name]["on"], layers[name]
        assert not legend_visible(reader, name), f"legend of hidden {name!r} still shown"
        others = {k: v["drawn"] for k, v in layers.items() if k != name}
        assert others == {k: v for k, v in expected.items() if k != name}
        reader.toggle(name)
        assert reader.layers()[name]["drawn"] == count
        assert legend_visible(reader, name)
    assert_clean(reader)


def test_popups_show_figures_and_sources(reader, figures_map) -> None:
    reader.open(figures_map)
    deployed = popup_texts(reader, "Deployed personnel")
    assert any("800" in t and SOURCE in t for t in deployed), deployed
    assert any("Second source" in t and "present" in t.lower() for t in deployed), deployed
    killed = popup_texts(reader, "Killed")
    assert any("3,600" in t and SOURCE in t for t in killed), killed
    displaced = popup_texts(reader, "Displaced")
    assert any("500,000" in t and SOURCE in t for t in displaced), displaced
    assert_clean(reader)


def test_event_dots_are_drawn_and_clickable(reader, figures_map) -> None:
    reader.open(figures_map)
    page = reader.page
    # The events layer paints on a canvas: click where event "Site 3" lies.
    point = page.evaluate(
        """() => {
          const rec = window.geoLayers["Events"];
          const map = window.geoMaps[rec.mapId].map;
          const p = map.latLngToContainerPoint([18.5, -73.35]);
          const r = map.getContainer().getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    popup = page.locator(".leaflet-popup-content").first
    popup.wait_for(state="visible", timeout=3000)
    text = popup.inner_text()
    assert "Site 3" in text and "Event feed" in text, text
    assert_clean(reader)


# --- hostile strings -----------------------------------------------------------------------


def test_hostile_strings_show_as_text_and_never_run(reader, hostile_map) -> None:
    reader.open(hostile_map)
    page = reader.page
    names = list(reader.layers())
    assert len(names) == len(HOSTILE)
    assert_all_drawn(reader)
    # No element came out of the data: no <img src=x>, no extra <script> from a breakout.
    assert page.locator("img[src='x'], [onerror]").count() == 0
    scripts = page.evaluate("() => [...document.scripts].map((s) => s.text)")
    assert not any(s.strip() == "alert(1)" for s in scripts), "a script element was injected"
    # The reader sees the strings literally: in the title, the layer control, the legend...
    body = page.locator("body").inner_text()
    for bad in HOSTILE:
        assert bad in body, f"{bad!r} is not shown as text"
    control = page.locator(".leaflet-control-layers").inner_text()
    for i, bad in enumerate(HOSTILE):
        assert f"{bad} layer {i}" in control
    # ... and in popups (place, group and source); the last layer is drawn on top.
    texts = popup_texts(reader, names[-1])
    for bad in HOSTILE:
        assert any(bad in t for t in texts), (bad, texts)
    assert_clean(reader)


# --- the demo map --------------------------------------------------------------------------


def test_demo_map_draws_every_layer_offline(reader, demo_map) -> None:
    reader.open(demo_map)
    layers = assert_all_drawn(reader)
    assert len(layers) >= 4
    for name in layers:
        assert legend_visible(reader, name)
    assert_clean(reader)


def test_demo_popups_cite_the_article(reader, demo_map) -> None:
    reader.open(demo_map)
    texts = {name: popup_texts(reader, name) for name in reader.layers()}
    flat = [t for ts in texts.values() for t in ts]
    assert any("800" in t for t in flat), texts
    assert any("3,600" in t for t in flat), texts
    assert all("Capital News" in t for t in flat), texts
    assert_clean(reader)


# --- geocoded layers: choropleth polygons and flows -----------------------------------------


@pytest.fixture(scope="module")
def polygons_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Countries as choropleth polygons and flows from contributor capitals (geocoded)."""
    import geo
    from tests.browser.helpers import write_csv, write_spec

    d = tmp_path_factory.mktemp("polygons")
    write_csv(d / "killed.csv", [
        {"country": "Haiti", "killed": 3600, "source": SOURCE},
        {"country": "Kenya", "killed": 12, "source": "Second source"},
        {"country": "Democratic Republic of the Congo", "killed": 900, "source": "Third"},
    ])  # fmt: skip
    write_csv(d / "flows.csv", [
        {"place": "Port-au-Prince", "origin": "Nairobi", "personnel": 800, "source": SOURCE},
        {"place": "Port-au-Prince", "origin": "Kingston", "personnel": 20, "source": "JDF"},
    ])  # fmt: skip
    spec = write_spec(d / "poly.toml", "Polygons and flows", [
        {"name": "Killed by country", "kind": "choropleth", "data": "killed.csv",
         "place": "country", "value": "killed", "source": "source"},
        {"name": "Flows", "kind": "flows", "data": "flows.csv", "place": "place",
         "origin": "origin", "value": "personnel", "source": "source"},
    ])  # fmt: skip
    return geo.build(spec, d / "poly.html").html


def test_choropleth_and_flows_drawn_and_clickable(reader, polygons_map) -> None:
    reader.open(polygons_map)
    assert_all_drawn(reader, {"Killed by country": 3, "Flows": 2})
    killed = popup_texts(reader, "Killed by country")
    assert any("3,600" in t and SOURCE in t for t in killed), killed
    flows = popup_texts(reader, "Flows")
    assert any("800" in t and SOURCE in t for t in flows), flows
    reader.toggle("Killed by country")
    assert reader.layers()["Killed by country"]["drawn"] == 0
    assert not legend_visible(reader, "Killed by country")
    assert_clean(reader)


# --- events: SVG paths when few, canvas when many -------------------------------------------


def _events_map(d: Path, n: int) -> Path:
    """An events-only map of ``n`` rows: every 7th row has no place name, every 5th is
    approximate (geo_precision 3), dates over three days."""
    import geo
    from tests.browser.helpers import write_csv, write_spec

    write_csv(d / "ev.csv", [
        {"place": "" if i % 7 == 0 else f"Site {i}", "lat": 18.2 + (i % 50) * 0.01,
         "lon": -73.0 + (i // 50) * 0.01, "event_type": ["Battles", "Riots"][i % 2],
         "fatalities": i % 4, "precision": 3 if i % 5 == 0 else 1,
         "date": f"2024-03-0{1 + i % 3}", "source": "Event feed"}
        for i in range(n)
    ])  # fmt: skip
    spec = write_spec(d / "ev.toml", "Events", [
        {"name": "Events", "kind": "events", "data": "ev.csv", "place": "place", "lat": "lat",
         "lon": "lon", "value": "fatalities", "group": "event_type", "precision": "precision",
         "date": "date", "source": "source"},
    ])  # fmt: skip
    return geo.build(spec, d / "ev.html").html


PATHS_JS = "() => document.querySelectorAll('.leaflet-overlay-pane path').length"


def test_small_events_layer_is_one_svg_path_per_row(reader, tmp_path: Path) -> None:
    reader.open(_events_map(tmp_path, 40))
    page = reader.page
    assert page.evaluate(PATHS_JS) == 40
    assert page.locator(".leaflet-pane canvas.geo-events").count() == 0
    rec = page.evaluate(
        "() => { const r = window.geoLayers['Events']; "
        "return {count: r.count, drawn: r.drawn, ready: r.ready}; }"
    )
    assert rec == {"count": 40, "drawn": 40, "ready": True}
    assert_all_drawn(reader, {"Events": 40})
    texts = popup_texts(reader, "Events")
    assert len(texts) == 40 and all("Event feed" in t for t in texts), texts[:3]
    assert any("Site 3" in t and "2024-03-01" in t for t in texts), texts[:3]
    # a row without a place name is titled by its coordinates
    assert any(t.startswith("18.2, -73") for t in texts), [t.splitlines()[0] for t in texts]
    assert any("Approximate location" in t for t in texts)
    # the period slider keeps the DOM and the registry in step
    slider = page.locator(".geo-time input[type=range]")
    slider.fill("1")
    shown = page.evaluate(PATHS_JS)
    assert shown == len([i for i in range(40) if i % 3 == 0])
    assert page.evaluate("() => window.geoLayers['Events'].drawn") == shown
    reader.toggle("Events")
    assert page.evaluate(PATHS_JS) == 0
    assert_clean(reader)


def test_large_events_layer_stays_on_the_canvas(reader, tmp_path: Path) -> None:
    reader.open(_events_map(tmp_path, 3500))
    page = reader.page
    assert page.evaluate(PATHS_JS) == 0
    assert page.locator(".leaflet-pane canvas.geo-events").count() == 1
    rec = page.evaluate(
        "() => { const r = window.geoLayers['Events']; "
        "return {count: r.count, drawn: r.drawn, ready: r.ready}; }"
    )
    assert rec["count"] == 3500 and rec["ready"] and rec["drawn"] > 0, rec
    assert_clean(reader)


def test_first_view_is_settled_when_the_page_says_ready(reader, figures_map) -> None:
    """Regression: the first fitBounds animated, so clicks right after the page said it was
    ready sometimes missed a small polygon (flaky choropleth popups)."""
    reader.open(figures_map)
    page = reader.page
    view = (
        "() => Object.values(window.geoMaps).map((r) => [r.map.getCenter().lat,"
        " r.map.getCenter().lng, r.map.getZoom(), !!r.map._animatingZoom])"
    )
    first = page.evaluate(view)
    page.wait_for_timeout(500)
    assert page.evaluate(view) == first and not any(v[3] for v in first), first
