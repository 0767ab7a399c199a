"""Render a built map to a PNG in the system's headless Chromium.

geo never downloads a browser: it drives the Chromium that the operating system provides
(Debian: ``apt-get install -y chromium``) through Playwright's Python API, with
``executable_path`` pointing at it. The browser is looked up in this order:

1. the ``GEO_CHROMIUM`` environment variable (a path or a command name);
2. ``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``;
3. ``/usr/bin/chromium``.

Example::

    from pathlib import Path
    from geo.snapshot import render_png
    render_png(Path("maps/demo.html"), Path("docs/demo.png"), width=1200, height=800)

The same from the command line: ``geo build maps/demo.toml --png docs/demo.png``.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.atomic import write_atomic
from geo.errors import BrowserUnavailable, OutputError

log = logging.getLogger("geo")

INSTALL_HINT = "install it with `apt-get install -y chromium` (Debian/Ubuntu), or set GEO_CHROMIUM"

# Flags for a quiet, sandbox-free headless run that makes no background requests.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
_FALLBACK = "/usr/bin/chromium"

# Counts the features of one ``window.geoLayers`` record that are on screen now. A geo
# vector layer is a group whose direct children are features (a symbol, a flow line with
# its end points, a choropleth shape); a child counts when it puts an SVG path or a marker
# icon into the document. Non-interactive children (the light area shading drawn under a
# vague place) and canvas overlays (heatmap) are not features. The canvas-drawn events
# layer reports what it drew itself (``drawn``: dots, or bins when aggregated). Shared by
# render_png's wait and by the browser tests, so both mean the same thing by "drawn".
DRAWN_JS = """
(rec) => {
  const layer = rec && rec.layer;
  if (!layer || !layer._map) return 0;
  if (!layer.eachLayer) return layer._c && layer._c.isConnected ? (+rec.drawn || 0) : 0;
  const shown = (l) => {
    if (l._path) return l._path.isConnected;
    if (l._icon) return l._icon.isConnected;
    let any = false;
    if (l.eachLayer) l.eachLayer((c) => { any = any || shown(c); });
    return any;
  };
  let n = 0;
  layer.eachLayer((c) => {
    if (c.options && c.options.interactive === false) return;
    if (shown(c)) n++;
  });
  return n;
}
"""

# True once the page shows a Leaflet map whose overlays are drawn and whose tiles (if any)
# have finished loading or failed. With the ``window.geoLayers`` registry of geo's maps,
# the page must say it is ready (``<html data-geo-ready="1">``) and every layer that is on
# the map and has features must show some; without the registry (any other Leaflet map),
# anything in the overlay or marker pane counts.
READY_JS = (
    """
() => {
  const drawn = """
    + DRAWN_JS
    + """;
  const c = document.querySelector('.leaflet-container');
  if (!c) return false;
  const reg = window.geoLayers;
  if (reg && typeof reg === 'object' && Object.keys(reg).length) {
    if (document.documentElement.dataset.geoReady !== '1') return false;
    for (const e of Object.values(reg)) {
      if (e && +e.count > 0 && e.layer && e.layer._map && drawn(e) === 0) return false;
    }
  } else {
    const any = c.querySelector('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas,'
      + ' .leaflet-marker-pane > *');
    if (!any) return false;
  }
  for (const img of c.querySelectorAll('img.leaflet-tile')) {
    if (!img.complete) return false;
  }
  return true;
}
"""
)


def find_chromium() -> str:
    """Return the path of the system Chromium, or raise :class:`BrowserUnavailable`.

    Example::

        >>> find_chromium()  # doctest: +SKIP
        '/usr/bin/chromium'

    Raises:
        BrowserUnavailable: no browser found; the message gives the install command.
    """
    env = os.environ.get("GEO_CHROMIUM")
    if env:
        found = shutil.which(env) or (env if Path(env).is_file() else None)
        if found:
            return found
        raise BrowserUnavailable(
            f"GEO_CHROMIUM={env!r} is not an executable browser; point it at Chromium or "
            f"unset it. To get Chromium, {INSTALL_HINT}"
        )
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    if Path(_FALLBACK).is_file():
        return _FALLBACK
    raise BrowserUnavailable(
        f"headless Chromium is needed for this but was not found; {INSTALL_HINT}"
    )


def launch(playwright: Any, *, timeout: float = 30) -> Any:
    """Launch the system Chromium headless through a started Playwright; return the Browser.

    Example::

        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = launch(p)

    Raises:
        BrowserUnavailable: no browser, or it would not start.
    """
    exe = find_chromium()
    try:
        return playwright.chromium.launch(
            executable_path=exe,
            headless=True,
            args=list(CHROMIUM_ARGS),
            timeout=timeout * 1000,
        )
    except Exception as exc:  # Playwright raises its own Error types; keep the cause
        raise BrowserUnavailable(
            f"could not start {exe} headless: {str(exc).splitlines()[0]}; "
            f"if it is missing or broken, {INSTALL_HINT}"
        ) from exc


@contextmanager
def browser(*, timeout: float = 30) -> Iterator[Any]:
    """Context manager yielding a headless system-Chromium Browser (Playwright's API).

    Example::

        with browser() as b:
            page = b.new_page()
            page.goto(Path("maps/demo.html").resolve().as_uri())

    Raises:
        BrowserUnavailable: Playwright is not installed, or no browser is found.
    """
    find_chromium()  # fail with the install hint before starting Playwright
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailable(
            "the Python package playwright is needed for PNG export; install it with "
            "`pip install playwright` (no browser download needed: geo uses the system "
            "Chromium)"
        ) from exc
    with sync_playwright() as p:
        # Starting the browser is not drawing: on a busy machine it alone can take seconds,
        # so a short drawing timeout must not fail the launch (seen as a flaky test).
        b = launch(p, timeout=max(timeout, 30))
        try:
            yield b
        finally:
            b.close()


def render_png(
    html: Path,
    out: Path,
    *,
    width: int = 1200,
    height: int = 800,
    timeout: float = 30,
    scale: float = 1.0,
) -> Path:
    """Screenshot the map in ``html`` to the PNG ``out`` once its layers are drawn.

    The page is opened in headless Chromium at ``width`` x ``height`` CSS pixels with
    ``scale`` device pixels per CSS pixel (``scale=2``: the same view, twice the pixels
    each way), in its print layout: title above the map, the whole legend and the sources
    below, no interactive controls (``geo.printLayout``). The
    screenshot is taken when every data layer shows its symbols and the tiles (when the
    map uses online tiles and the machine is online) have loaded or failed. The PNG is
    written atomically: on failure any previous ``out`` is left as it was.

    Example::

        >>> render_png(Path("maps/demo.html"), Path("docs/demo.png"))  # doctest: +SKIP
        PosixPath('docs/demo.png')

    Raises:
        BrowserUnavailable: no system Chromium (the message has the install command).
        OutputError: ``html`` is missing, the map did not draw within ``timeout`` seconds,
            or ``out`` cannot be written.
    """
    html = Path(html)
    out = Path(out)
    if not html.is_file():
        raise OutputError(f"{html}: no such HTML file to render")
    _check_size(width, height, scale)
    started = time.monotonic()
    # Playwright's sync API refuses to run where an asyncio loop is running (Jupyter, or a
    # caller that already drives a browser): take the screenshot on a worker thread.
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="geo-png") as pool:
        job = pool.submit(_screenshot, html, width, height, timeout, scale, "png")
        data, errors = job.result()
    for e in errors:
        log.warning("%s: browser console error: %s", html, e)
    write_atomic(out, data, what="the PNG")
    log.info("wrote %s (%dx%d) in %.1f s", out, width, height, time.monotonic() - started)
    return out


def _check_size(width: int, height: int, scale: float) -> None:
    if width < 100 or height < 100 or width > 10000 or height > 10000:
        raise OutputError(f"--width/--height {width}x{height}: expected 100 to 10000 pixels")
    if not 0.5 <= scale <= 4 or width * height * scale * scale > 10000 * 10000:
        raise OutputError(f"--scale {scale:g}: expected 0.5 to 4 (and at most 10,000 px a side)")


def render_pdf(
    html: Path, out: Path, *, width: int = 1200, height: int = 800, timeout: float = 30
) -> Path:
    """Print the map in ``html`` to a one-page PDF ``out`` of ``width`` x ``height`` CSS
    pixels, in the print layout of :func:`render_png` (the whole legend below the map).

    Raises BrowserUnavailable (no Chromium) and OutputError as :func:`render_png` does.

        >>> render_pdf(Path("maps/demo.html"), Path("demo.pdf"))  # doctest: +SKIP
    """
    html, out = Path(html), Path(out)
    if not html.is_file():
        raise OutputError(f"{html}: no such HTML file to render")
    _check_size(width, height, 1.0)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="geo-pdf") as pool:
        data, errors = pool.submit(_screenshot, html, width, height, timeout, 1.0, "pdf").result()
    for e in errors:
        log.warning("%s: browser console error: %s", html, e)
    write_atomic(out, data, what="the PDF")
    log.info("wrote %s (one page, %dx%d px)", out, width, height)
    return out


def _screenshot(
    html: Path, width: int, height: int, timeout: float, scale: float = 1.0, kind: str = "png"
) -> tuple[bytes, list[str]]:
    """Open ``html`` in a fresh headless Chromium, wait until drawn, switch to the print
    layout, return PNG (or PDF) bytes and the console errors seen."""
    errors: list[str] = []
    with browser(timeout=timeout) as b:
        page = b.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: dialog.dismiss())
        try:
            page.goto(html.resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
            page.wait_for_function(READY_JS, timeout=timeout * 1000, polling=100)
            page.emulate_media(media="print")
            page.evaluate("() => window.geo && window.geo.printLayout && geo.printLayout()")
            # Let Leaflet finish its zoom/fade animations before the shutter.
            page.wait_for_timeout(300)
            if kind == "pdf":
                size = {"width": f"{width}px", "height": f"{height}px"}
                return page.pdf(**size, print_background=True, page_ranges="1"), errors
            return page.screenshot(type="png", timeout=timeout * 1000), errors
        except Exception as exc:  # Playwright's TimeoutError/Error: report as an output error
            detail = f" (page errors: {'; '.join(errors[:3])})" if errors else ""
            raise OutputError(
                f"{html}: the map did not finish drawing in headless Chromium within "
                f"{timeout:g} s{detail}: {str(exc).splitlines()[0]}"
            ) from exc
