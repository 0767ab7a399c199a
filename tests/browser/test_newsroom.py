"""A map a newsroom can publish (issue 15), as a reader sees it in real Chromium with the
network blocked: context when zoomed in, phones, labels, colours, size."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import geo
from geo.cli import cli
from tests.browser.helpers import write_csv, write_spec

WATER = (0xDD, 0xE8, 0xEF)
LAND = (0xF4, 0xF1, 0xEA)

# The colour of the basemap at a (lat, lon), as [r, g, b].
BASE_PIXEL_JS = """
([lat, lon]) => {
  const m = Object.values(window.geoMaps)[0].map;
  const p = m.latLngToContainerPoint([lat, lon]);
  const canvas = m.getPane('geoBase').querySelector('canvas');
  const box = canvas.getBoundingClientRect(), mapBox = m.getContainer().getBoundingClientRect();
  const k = canvas.width / box.width;
  const x = (p.x + mapBox.left - box.left) * k, y = (p.y + mapBox.top - box.top) * k;
  const d = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
  // the sea is the map's background, seen through the canvas
  return d[3] === 0 ? [0xdd, 0xe8, 0xef] : Array.from(d.slice(0, 3));
}
"""
SET_VIEW_JS = """
([lat, lon, z]) => { const m = Object.values(window.geoMaps)[0].map;
  m.setView([lat, lon], z, {animate: false}); m.fire('moveend'); return m.getZoom(); }
"""


def labels(reader: Any) -> list[str]:
    return reader.page.evaluate("() => Object.values(window.geoMaps)[0].labels || []")


def close(rgb: list[int], ref: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(rgb, ref, strict=True))


def one_country_map(d: Path, title: str, rows: list[dict[str, Any]]) -> Path:
    write_csv(d / "f.csv", rows)
    spec = write_spec(
        d / "map.toml",
        title,
        [
            {
                "name": "Killed",
                "kind": "casualties",
                "data": "f.csv",
                "place": "place",
                "country": "country",
                "value": "killed",
            }
        ],  # fmt: skip
    )
    return geo.build(spec, d / "map.html").html


@pytest.fixture(scope="module")
def haiti(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        {"place": "Port-au-Prince", "country": "HTI", "killed": 120, "source": "Test desk"},
        {"place": "Gonaives", "country": "HTI", "killed": 15, "source": "Test desk"},
    ]
    return one_country_map(tmp_path_factory.mktemp("haiti"), "Haiti", rows)


@pytest.fixture(scope="module")
def kivu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        {"place": "Goma", "country": "COD", "killed": 40, "source": "Test desk"},
        {"place": "Bukavu", "country": "COD", "killed": 9, "source": "Test desk"},
    ]
    return one_country_map(tmp_path_factory.mktemp("kivu"), "Kivu", rows)


def test_zoomed_in_on_port_au_prince_the_coast_and_towns_are_drawn_offline(reader, haiti):
    reader.open(haiti)
    assert reader.page.evaluate(SET_VIEW_JS, [18.54, -72.34, 10]) == 10
    reader.page.wait_for_timeout(300)
    shown = labels(reader)
    assert len(shown) >= 5, shown
    assert {"Carrefour", "Pétion-Ville", "Delmas", "Léogâne", "Kenscoff"} & set(shown)
    # the bay of Port-au-Prince is water, the town's hills are land: a real coastline
    assert close(reader.page.evaluate(BASE_PIXEL_JS, [18.62, -72.45]), WATER)
    assert close(reader.page.evaluate(BASE_PIXEL_JS, [18.50, -72.28]), LAND)
    assert reader.requests == [] and reader.errors == []


def test_zoomed_in_on_goma_lake_kivu_and_the_towns_are_drawn_offline(reader, kivu):
    reader.open(kivu)
    reader.page.evaluate(SET_VIEW_JS, [-1.75, 29.2, 10])
    reader.page.wait_for_timeout(300)
    assert len(labels(reader)) >= 5
    assert close(reader.page.evaluate(BASE_PIXEL_JS, [-1.85, 29.15]), WATER)  # Lake Kivu
    assert close(reader.page.evaluate(BASE_PIXEL_JS, [-1.60, 29.35]), LAND)
    assert reader.requests == [] and reader.errors == []


def test_a_one_country_map_is_much_smaller_than_a_world_basemap(haiti, kivu):
    for html in (haiti, kivu):
        assert html.stat().st_size < 500_000, html.stat().st_size


def test_the_demo_is_smaller_than_before_with_one_colour_for_kenya(reader, demo_map):
    assert demo_map.stat().st_size < 1_090_000
    reader.open(demo_map)
    swatches = reader.page.evaluate(
        "() => [...document.querySelectorAll('.geo-legend-item')]"
        ".filter((r) => r.textContent.trim() === 'Kenya')"
        ".map((r) => getComputedStyle(r.querySelector('.geo-swatch')).backgroundColor)"
    )
    assert len(swatches) == 2 and len(set(swatches)) == 1  # deployment and flows


def test_the_biggest_figures_and_countries_are_labelled(reader, demo_map):
    reader.open(demo_map)
    shown = labels(reader)
    assert "Port-au-Prince" in shown
    assert any(c.isupper() for c in "".join(shown))  # country labels at world zoom
    # no two labels overlap
    boxes = reader.page.evaluate(
        "() => [...document.querySelectorAll('.geo-label')].map((e) => {"
        " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


# Share of the viewport where the map itself is visible: the map's box within the viewport
# minus the controls drawn over it.
MAP_SHARE_JS = """
() => {
  const W = innerWidth, H = innerHeight;
  const clip = (r) => Math.max(0, Math.min(r.right, W) - Math.max(r.left, 0)) *
    Math.max(0, Math.min(r.bottom, H) - Math.max(r.top, 0));
  const map = document.querySelector('.leaflet-container');
  let area = clip(map.getBoundingClientRect());
  map.querySelectorAll('.leaflet-control')
    .forEach((c) => { area -= clip(c.getBoundingClientRect()); });
  return area / (W * H);
}
"""


@pytest.fixture
def phone(chromium: Any):
    context = chromium.new_context(viewport={"width": 400, "height": 750})
    requests: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.split(":", 1)[0] in ("file", "data", "blob", "about"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.requests = requests
    yield page
    context.close()


def test_on_a_phone_the_map_keeps_most_of_the_screen(phone, demo_map):
    phone.goto(demo_map.resolve().as_uri())
    phone.wait_for_function("document.documentElement.dataset.geoReady === '1'")
    assert phone.evaluate(MAP_SHARE_JS) >= 0.6
    # the title is above the map, the sources below it, the legend folded
    title = phone.locator(".geo-title").bounding_box()
    map_box = phone.locator(".leaflet-container").bounding_box()
    foot = phone.locator(".geo-footer").bounding_box()
    assert title["y"] + title["height"] <= map_box["y"] + 1
    assert foot["y"] >= map_box["y"] + map_box["height"] - 1
    assert phone.locator(".geo-legend-body").is_hidden()
    phone.locator(".geo-legend-toggle").click()
    assert phone.locator(".geo-legend-body").is_visible()
    assert phone.requests == []


def test_two_fragments_on_a_phone_both_draw_with_one_leaflet(phone, tmp_path: Path, demo_map):
    runner = CliRunner()
    root = Path(__file__).resolve().parents[2]
    snippets = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.html"
        spec = root / "maps" / "demo.toml"
        result = runner.invoke(cli, ["build", str(spec), "--fragment", "-o", str(out)])
        assert result.exit_code == 0, result.output
        snippets.append(out.read_text(encoding="utf-8"))
    page = tmp_path / "article.html"
    page.write_text(
        "<!doctype html><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width'><h1>Article</h1><p>Intro.</p>"
        f"{snippets[0]}<p>Between the maps.</p>{snippets[1]}<p>End.</p>",
        encoding="utf-8",
    )
    phone.goto(page.resolve().as_uri())
    phone.wait_for_function(
        "() => Object.values(window.geoMaps || {}).length === 2 && "
        "[...document.querySelectorAll('.leaflet-container')].every((m) => m.dataset.geoReady)"
    )
    sizes = phone.evaluate(
        "() => [...document.querySelectorAll('.leaflet-container')].map((m) => "
        "[m.clientWidth, m.clientHeight, m.querySelectorAll('path').length])"
    )
    assert len(sizes) == 2
    for width, height, paths in sizes:
        assert width >= 380 and height >= 300 and paths > 0
    assert phone.evaluate("window.geoLeafletCopies") == 1
    assert phone.requests == []


def time_map(tmp_path: Path, time: str) -> Path:
    write_csv(tmp_path / "dep.csv", [
        {"place": "Port-au-Prince", "country": "HTI", "n": 400, "date": "2024-07-01"},
        {"place": "Port-au-Prince", "country": "HTI", "n": 800, "date": "2024-09-01"},
        {"place": "Gonaives", "country": "HTI", "n": 50, "date": "2024-07-01"},
    ])  # fmt: skip
    write_csv(tmp_path / "kil.csv", [
        {"place": "Cap-Haitien", "country": "HTI", "n": 12, "date": "2024-07-01"},
    ])  # fmt: skip
    common = {"place": "place", "country": "country", "value": "n", "date": "date"}
    spec = write_spec(tmp_path / "t.toml", "Time", [
        {"name": "Deployed", "kind": "deployment", "data": "dep.csv", **common},
        {"name": "Killed", "kind": "casualties", "data": "kil.csv", **common},
    ])  # fmt: skip
    spec.write_text(
        spec.read_text(encoding="utf-8").replace('title = "Time"', f'title = "Time"\n{time}'),
        encoding="utf-8",
    )
    return geo.build(spec, tmp_path / "t.html").html


def test_time_as_of_carries_figures_forward_opens_on_the_latest_and_plays(reader, tmp_path):
    reader.open(time_map(tmp_path, '[time]\nopen = "latest"'))
    page = reader.page
    assert page.locator(".geo-time-label").inner_text().startswith("As of 2024-09")
    drawn = reader.layers()
    # Port-au-Prince's September figure and Gonaives' July one; July's killed carried over
    assert drawn["Deployed"]["drawn"] == 2 and drawn["Killed"]["drawn"] == 1
    page.locator(".geo-time input[type=range]").fill("1")
    assert page.locator(".geo-time-label").inner_text().startswith("As of 2024-07")
    assert reader.layers()["Deployed"]["drawn"] == 2
    # exact mode is not the default; "as of" July has the killed figure, nothing is empty
    assert page.locator(".geo-legend-nodata").count() == 0
    page.locator(".geo-time-play").click()
    page.wait_for_function(
        "document.querySelector('.geo-time-label').textContent.startsWith('As of 2024-09')",
        timeout=5000,
    )
    assert reader.errors == [] and reader.requests == []


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[16:24]
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")


def test_png_scale_2_is_the_same_view_with_twice_the_pixels_and_a_one_page_pdf(
    chromium, tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parents[2]
    runner = CliRunner()
    one, two, pdf = tmp_path / "one.png", tmp_path / "two.png", tmp_path / "map.pdf"
    args = ["build", str(root / "maps" / "demo.toml"), "-o", str(tmp_path / "demo.html")]
    for extra in (["--png", str(one), "--pdf", str(pdf)], ["--png", str(two), "--scale", "2"]):
        result = runner.invoke(cli, [*args, *extra, "--width", "900", "--height", "700"])
        assert result.exit_code == 0, result.output
    assert png_size(one) == (900, 700) and png_size(two) == (1800, 1400)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) == 1


def test_the_print_layout_shows_the_whole_legend_and_no_controls(reader, demo_map):
    reader.page.set_viewport_size({"width": 900, "height": 700})
    reader.open(demo_map)
    view = reader.page.evaluate(
        "() => { const m = Object.values(window.geoMaps)[0].map;"
        " return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }"
    )
    reader.page.emulate_media(media="print")
    reader.page.evaluate("() => geo.printLayout()")
    after = reader.page.evaluate(
        "() => { const m = Object.values(window.geoMaps)[0].map;"
        " return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }"
    )
    pixel = 360 / (256 * 2 ** view[2])  # the same view, to a pixel
    assert (
        after[2] == view[2]
        and abs(after[0] - view[0]) <= pixel
        and abs(after[1] - view[1]) <= pixel
    )
    for control in (".leaflet-control-zoom", ".leaflet-control-layers", ".geo-legend-toggle"):
        assert reader.page.locator(control).first.is_hidden(), control
    items = reader.page.locator(".geo-legend-item")
    assert items.count() >= 10
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 700, i
    assert reader.page.locator(".geo-print-below .geo-footer").is_visible()


def test_figures_drawn_on_one_spot_are_all_reachable_from_one_click(reader, demo_map):
    from tests.browser.helpers import popup_texts

    reader.open(demo_map)
    # the smallest symbol on Haiti is on top; its popup lists the figures under it
    texts = popup_texts(reader, "Killed in Haiti this year (UN)")
    assert "Also at this spot:" in texts[0]
    assert "Displaced in Haiti (UN)" in texts[0]


def test_popups_speak_to_readers(reader, demo_map):
    from tests.browser.helpers import popup_texts

    reader.open(demo_map)
    text = popup_texts(reader, "Deployed personnel")
    joined = "\n".join(text)
    assert "Approximate location" in joined and "eastern DR Congo (region)" in joined.replace(
        "Eastern", "eastern"
    )
    assert "\nnote\t" not in joined and "Note" in joined  # column names read as labels


def test_in_exact_mode_the_legend_marks_a_layer_without_data_at_that_period(reader, tmp_path):
    reader.open(time_map(tmp_path, '[time]\nmode = "exact"\nopen = "latest"'), wait=False)
    page = reader.page
    page.wait_for_function("document.documentElement.dataset.geoReady === '1'")
    assert reader.layers()["Killed"]["drawn"] == 0
    section = page.locator(".geo-legend-section", has_text="Killed")
    assert "No data for this period" in section.inner_text()
    page.locator(".geo-time input[type=range]").fill("0")  # all periods
    assert page.locator(".geo-legend-nodata").count() == 0
