"""Fixtures for the browser suite: one headless system Chromium for the whole session, and
per-test pages that block every request leaving the machine and record what went wrong.

Every test here is marked ``browser``; run just this suite with ``pytest -m browser`` (or
skip it with ``-m 'not browser'``). Without Chromium the tests skip and say how to install
it (``apt-get install -y chromium``); geo never downloads a browser.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from geo.errors import BrowserUnavailable
from geo.snapshot import DRAWN_JS, READY_JS, find_chromium, launch

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The system Chromium, headless, shared by the session; skips when it is missing."""
    try:
        find_chromium()
        from playwright.sync_api import sync_playwright
    except (BrowserUnavailable, ImportError) as exc:
        pytest.skip(f"browser tests need Chromium: {exc}")
    with sync_playwright() as p:
        try:
            browser = launch(p)
        except BrowserUnavailable as exc:
            pytest.skip(f"browser tests need a working Chromium: {exc}")
        yield browser
        browser.close()


@dataclass
class Reader:
    """A page as a reader sees it, plus what the page tried and failed to do."""

    page: Any
    requests: list[str] = field(default_factory=list)  # attempted non-file requests (blocked)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt that fired

    def open(self, path: Path, *, wait: bool = True) -> Reader:
        """Load a local file; wait until the map's layers are drawn (as render_png does)."""
        self.page.goto(Path(path).resolve().as_uri(), wait_until="load")
        if wait:
            self.page.wait_for_function(READY_JS, timeout=15_000, polling=50)
        return self

    def layers(self, frame: Any = None) -> dict[str, dict[str, Any]]:
        """``{layer name: {"count": N in the data, "drawn": symbols on screen, "on": bool}}``."""
        target = frame or self.page
        return target.evaluate(
            "(drawn) => { drawn = eval(drawn); const out = {};"
            " for (const [k, e] of Object.entries(window.geoLayers || {}))"
            "  out[k] = {count: e.count, drawn: drawn(e), on: !!(e.layer && e.layer._map)};"
            " return out; }",
            DRAWN_JS,
        )

    def toggle(self, name: str) -> None:
        """Click the checkbox of the overlay ``name`` in the layer control."""
        control = self.page.locator(".leaflet-control-layers").first
        control.hover()  # a collapsed control opens on hover, as for a reader
        label = control.locator("label", has_text=name).first
        label.locator("input").click()
        control.page.mouse.move(0, 0)

    def png_stats(self, png: Path) -> dict[str, Any]:
        """Decode a PNG in the browser: size, distinct colours, share of non-background px."""
        b64 = base64.b64encode(Path(png).read_bytes()).decode()
        return self.page.evaluate(PNG_STATS_JS, b64)


PNG_STATS_JS = """
async (b64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  const hist = new Map();
  for (let i = 0; i < d.length; i += 4) {
    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    hist.set(k, (hist.get(k) || 0) + 1);
  }
  let top = 0;
  for (const v of hist.values()) top = Math.max(top, v);
  const total = c.width * c.height;
  return {width: c.width, height: c.height, colours: hist.size,
          foreground: 1 - top / total};
}
"""


@pytest.fixture
def reader(chromium: Any) -> Iterator[Reader]:
    """A fresh page (1000x700) that allows only file:, data:, blob: and about: URLs."""
    context = chromium.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    r = Reader(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.split(":", 1)[0] in ("file", "data", "blob", "about"):
            request_route.continue_()
        else:
            r.requests.append(url)
            request_route.abort()

    context.route("**/*", route)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            r.errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: r.errors.append(f"uncaught: {exc}"))

    def on_dialog(dialog: Any) -> None:
        r.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.set_default_timeout(10_000)
    yield r
    context.close()


# --- maps built once per session through the public API ------------------------------------


@pytest.fixture(scope="session")
def figures_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The figures map (see helpers.write_figures), built as a full page."""
    import geo
    from tests.browser.helpers import write_figures

    d = tmp_path_factory.mktemp("figures")
    return geo.build(write_figures(d), d / "figures.html").html


@pytest.fixture(scope="session")
def hostile_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import geo
    from tests.browser.helpers import write_hostile

    d = tmp_path_factory.mktemp("hostile")
    return geo.build(write_hostile(d), d / "bad.html").html


@pytest.fixture(scope="session")
def demo_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import geo

    out = tmp_path_factory.mktemp("demo") / "demo.html"
    return geo.build(ROOT / "maps" / "demo.toml", out).html
