"""The recipes of docs/embedding.md, each run as written in headless Chromium with every
external request blocked: HTML report (fragments), iframe, notebook, PDF via the PNG."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import geo
from geo.cli import cli
from geo.snapshot import CHROMIUM_ARGS, DRAWN_JS, READY_JS, find_chromium
from tests.browser.helpers import FIGURES_COUNTS, write_figures, write_hostile

DOC = Path(__file__).resolve().parents[2] / "docs" / "embedding.md"

# Every map on the page, by container id: {layer name: {count, drawn}}. Uses window.geoMaps
# because two maps on one page may share layer names.
MAPS_JS = (
    "() => { const drawn = " + DRAWN_JS + "; const out = {};"
    " for (const [id, m] of Object.entries(window.geoMaps || {})) { out[id] = {};"
    "  for (const [k, e] of Object.entries(m.layers))"
    "   out[id][k] = {count: e.count, drawn: drawn(e)}; }"
    " return out; }"
)

REPORT = """<!doctype html>
<html><head><meta charset="utf-8"><title>Weekly report</title></head>
<body>
<h1>Weekly report</h1>
<p>First map:</p>
{first}
<p>Second map:</p>
{second}
<p>End of report.</p>
</body></html>
"""


def assert_clean(reader: Any) -> None:
    assert reader.requests == [], f"the page tried to fetch {reader.requests}"
    assert reader.errors == [], f"console errors: {reader.errors}"
    assert reader.dialogs == [], f"dialogs fired: {reader.dialogs}"


def all_maps_drawn(target: Any, n_maps: int) -> dict[str, Any]:
    """Wait until ``n_maps`` geo maps have every layer drawn; return their layers."""
    target.wait_for_function(
        "([js, n]) => { const maps = eval(js)(); const ids = Object.keys(maps);"
        " return ids.length === n && ids.every((id) => Object.values(maps[id]).every("
        "  (l) => l.count > 0 && l.drawn === l.count)); }",
        arg=[MAPS_JS, n_maps],
        timeout=6_000,
    )
    return target.evaluate(MAPS_JS)


@pytest.fixture(scope="module")
def fragments(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """Two different `--fragment` snippets, made with the CLI as the recipe says."""
    d = tmp_path_factory.mktemp("fragments")
    (d / "a").mkdir()
    (d / "b").mkdir()
    runner = CliRunner()
    snippets = []
    for spec, out in (
        (write_figures(d / "a", "First map"), d / "a" / "map-a.html"),
        (write_hostile(d / "b"), d / "b" / "map-b.html"),
    ):
        result = runner.invoke(cli, ["build", str(spec), "--fragment", "-o", str(out)])
        assert result.exit_code == 0, result.output
        snippets.append(out.read_text(encoding="utf-8"))
    return snippets[0], snippets[1]


def test_the_doc_exists_and_names_every_recipe() -> None:
    text = DOC.read_text(encoding="utf-8")
    for heading in ("HTML report", "iframe", "notebook", "PDF"):
        assert heading.lower() in text.lower()
    for command in ("--fragment", "--png", "_repr_html_", "--print-to-pdf"):
        assert command in text


def test_two_fragments_in_one_report(reader, fragments, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(REPORT.format(first=fragments[0], second=fragments[1]), encoding="utf-8")
    reader.open(page, wait=False)
    maps = all_maps_drawn(reader.page, 2)
    assert reader.page.locator(".leaflet-container").count() == 2
    ids = reader.page.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert [i for i, n in Counter(ids).items() if n > 1] == [], "duplicate element ids"
    # Each map kept its own layers; the figures map drew what its data holds.
    by_layers = sorted(maps.values(), key=len, reverse=True)
    assert {k: v["count"] for k, v in by_layers[0].items()} == FIGURES_COUNTS
    # The report's own text is intact around both maps.
    body = reader.page.locator("body").inner_text()
    assert body.index("Weekly report") < body.index("Second map:") < body.index("End of report")
    assert_clean(reader)


def test_the_same_fragment_pasted_twice(reader, fragments, tmp_path: Path) -> None:
    page = tmp_path / "twice.html"
    page.write_text(REPORT.format(first=fragments[0], second=fragments[0]), encoding="utf-8")
    reader.open(page, wait=False)
    ids = reader.page.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert [i for i, n in Counter(ids).items() if n > 1] == [], "duplicate element ids"
    all_maps_drawn(reader.page, 2)
    assert_clean(reader)


def test_iframe_recipe(reader, figures_map: Path) -> None:
    page = figures_map.parent / "report-iframe.html"
    page.write_text(
        '<!doctype html><meta charset="utf-8"><h1>Report</h1>\n'
        f'<iframe src="{figures_map.name}" title="Map" width="100%" height="520"'
        ' style="border:0" loading="lazy"></iframe>\n',
        encoding="utf-8",
    )
    reader.open(page, wait=False)
    frame = reader.page.query_selector("iframe").content_frame()
    frame.wait_for_function(READY_JS, timeout=6_000)
    layers = reader.layers(frame)
    assert {k: v["drawn"] for k, v in layers.items()} == FIGURES_COUNTS
    assert_clean(reader)


def test_notebook_recipe(reader, tmp_path: Path) -> None:
    """What Jupyter shows for ``geo.build(...).map``: folium's _repr_html_ (an iframe
    srcdoc); it must draw with the network blocked, like the HTML file."""
    result = geo.build(write_figures(tmp_path), tmp_path / "nb.html")
    cell = result.map._repr_html_()
    page = tmp_path / "notebook.html"
    page.write_text(f'<!doctype html><meta charset="utf-8"><div>{cell}</div>', encoding="utf-8")
    reader.open(page, wait=False)  # "load" waits for the iframe and what it fetches
    assert reader.requests == [], f"the notebook view fetches {reader.requests}"
    frame = reader.page.query_selector("iframe").content_frame()
    frame.wait_for_function(READY_JS, timeout=6_000)
    layers = reader.layers(frame)
    assert {k: v["drawn"] for k, v in layers.items()} == FIGURES_COUNTS
    assert_clean(reader)


def test_pdf_via_png_recipe(reader, tmp_path: Path) -> None:
    spec = write_figures(tmp_path)
    png = tmp_path / "map.png"
    result = CliRunner().invoke(
        cli,
        ["build", str(spec), "-o", str(tmp_path / "map.html"), "--png", str(png),
         "--width", "800", "--height", "500"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stats = reader.png_stats(png)
    assert (stats["width"], stats["height"]) == (800, 500)
    # A drawn map: many colours (symbols, outlines, legend text), not one flat background.
    assert stats["colours"] > 50 and stats["foreground"] > 0.02, stats
    # The report page of the recipe shows the PNG, and Chromium prints it to PDF.
    report = tmp_path / "report.html"
    report.write_text(
        '<!doctype html><meta charset="utf-8"><h1>Report</h1>'
        '<img src="map.png" alt="Map" style="width:100%">',
        encoding="utf-8",
    )
    reader.open(report, wait=False)
    assert reader.page.evaluate("() => document.images[0].naturalWidth") == 800
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [find_chromium(), *CHROMIUM_ARGS, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
         report.as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
    assert_clean(reader)
