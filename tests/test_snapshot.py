"""geo.snapshot: finding the system Chromium, clear errors without it, and PNG export.

The tests that start Chromium are marked ``browser``; each ``render_png`` call starts its
own browser (~1.5 s), so there are only a few of them.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from geo import snapshot
from geo.atomic import write_atomic
from geo.errors import BrowserUnavailable, GeoError, OutputError
from geo.snapshot import find_chromium, render_png

INSTALL = "apt-get install -y chromium"


def _has_chromium() -> bool:
    try:
        find_chromium()
    except BrowserUnavailable:
        return False
    return True


needs_chromium = pytest.mark.skipif(
    not _has_chromium(), reason=f"needs the system Chromium: {INSTALL}"
)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (and proof that it is a PNG)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


LEAFLET_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>{css}</style><style>html,body,#m{{height:100%;margin:0}}</style>
<script>{js}</script></head><body><div id="m"></div><script>
var map = L.map('m').setView([18.5, -72.3], 7);
var g = L.featureGroup([L.circleMarker([18.54, -72.34], {{radius: 30, color: '#c00'}})]);
g.addTo(map);
window.geoLayers = {{"Deployed personnel": {{count: 1, layer: g}}}};
document.documentElement.dataset.geoReady = "1";
</script></body></html>"""


@pytest.fixture
def leaflet_page(tmp_path: Path) -> Path:
    """A minimal offline Leaflet map (packaged Leaflet inlined) with one drawn symbol."""
    import xstatic.pkg.leaflet as xl

    base = Path(xl.BASE_DIR)
    page = tmp_path / "map.html"
    page.write_text(
        LEAFLET_PAGE.format(
            css=(base / "leaflet.css").read_text(encoding="utf-8"),
            js=(base / "leaflet.js").read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    return page


# --- finding the browser -----------------------------------------------------------------


def test_env_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GEO_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)


def test_env_variable_pointing_nowhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(BrowserUnavailable, match="GEO_CHROMIUM") as info:
        find_chromium()
    assert INSTALL in str(info.value)


def test_no_browser_anywhere_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GEO_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: nothing on PATH
    monkeypatch.setattr(snapshot, "_FALLBACK", str(tmp_path / "no-chromium"))
    with pytest.raises(BrowserUnavailable) as info:
        find_chromium()
    assert INSTALL in str(info.value)
    # Callers may catch the geo base class or the builtin.
    assert isinstance(info.value, GeoError) and isinstance(info.value, RuntimeError)


def test_render_png_without_browser_raises_and_writes_nothing(
    leaflet_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEO_CHROMIUM", "/nonexistent/chromium")
    out = tmp_path / "map.png"
    with pytest.raises(BrowserUnavailable, match=INSTALL):
        render_png(leaflet_page, out)
    assert not out.exists()


def test_render_png_missing_html(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no such HTML file"):
        render_png(tmp_path / "absent.html", tmp_path / "x.png")


@pytest.mark.parametrize("size", [(0, 800), (1200, 50), (20000, 800)])
def test_render_png_rejects_silly_sizes(leaflet_page: Path, tmp_path: Path, size) -> None:
    with pytest.raises(OutputError, match="width/--height"):
        render_png(leaflet_page, tmp_path / "x.png", width=size[0], height=size[1])


# --- real renders --------------------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_render_png_writes_a_png_of_the_requested_size(leaflet_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "map.png"
    assert render_png(leaflet_page, out, width=640, height=400) == out
    assert png_size(out) == (640, 400)
    assert [p.name for p in out.parent.iterdir()] == ["map.png"]  # no temp file left
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.browser
@needs_chromium
def test_failed_render_keeps_the_previous_png(tmp_path: Path) -> None:
    page = tmp_path / "nomap.html"
    page.write_text("<!doctype html><p>no map here</p>", encoding="utf-8")
    out = tmp_path / "map.png"
    out.write_bytes(b"previous")
    with pytest.raises(OutputError, match="did not finish drawing"):
        render_png(page, out, timeout=2)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "nomap.html"]


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write the PNG"):
        write_atomic(blocker / "map.png", b"data", what="the PNG")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_is_an_output_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            snapshot._write_atomic(ro / "map.png", b"data")
    finally:
        ro.chmod(0o700)


def test_cli_png_without_browser_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from geo.cli import cli
    from tests.browser.helpers import write_figures

    monkeypatch.setenv("GEO_CHROMIUM", "/nonexistent/chromium")
    spec = write_figures(tmp_path)
    png = tmp_path / "map.png"
    result = CliRunner().invoke(
        cli, ["build", str(spec), "-o", str(tmp_path / "map.html"), "--png", str(png)]
    )
    assert result.exit_code == 1
    assert INSTALL in result.output and "Traceback" not in result.output
    assert not png.exists()
