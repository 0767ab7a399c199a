"""Assemble the folium map (layers, legends, layer control, title, sources footer, period
slider, offline country outlines) and write it as one self-contained HTML file.

>>> m = render_map(spec, layers)                         # doctest: +SKIP
>>> write_html(m, Path("maps/demo.html"))                # offline, byte-reproducible
>>> write_html(m, Path("report-map.html"), fragment=True)  # embeddable <div> + scripts

The page needs no network: Leaflet's CSS/JS are read from the installed ``xstatic-leaflet``
package and inlined with geo's own small runtime (``geo/assets/js/*.js``). Element ids are
derived from a hash of the map's content, so rebuilding the same spec on the same data
gives a byte-identical file and two different fragments on one page never clash; the
same fragment pasted twice renames its second copy at run time (``geo.claim``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import folium
import pandas as pd
from branca.element import Element, Figure

from geo.atomic import write_atomic
from geo.basemap import context
from geo.errors import OutputError, SpecError
from geo.escape import escape, script_json
from geo.layers import GeoLayer, build_layer, map_palettes
from geo.layers.base import ScriptCall
from geo.models import LayerData, MapSpec
from geo.notes import layer_notes

log = logging.getLogger("geo")

ASSETS = Path(__file__).parent / "assets"
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
TILES = {"osm": "OpenStreetMap", "openstreetmap": "OpenStreetMap",
         "positron": "CartoDB positron", "carto": "CartoDB positron"}  # fmt: skip
FRAGMENT_HEIGHT = "560px"


# ---- assets -----------------------------------------------------------------------------


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


@functools.lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's CSS with its control images inlined as data URIs."""
    base = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        path = base / match.group(1)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@functools.lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified JS (loaded once even when several fragments share a page)."""
    return (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4)
def asset(name: str) -> str:
    """A file of ``geo/assets`` as text."""
    return (ASSETS / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def runtime_js() -> str:
    """geo's runtime: the small modules of ``geo/assets/js`` concatenated in name order
    (``00-head.js`` opens the one function scope, ``99-tail.js`` closes it), so each
    concern is a short file and the pure helpers (``10-pure.js``) run under ``node --test``
    without Leaflet or a page."""
    files = sorted((ASSETS / "js").glob("*.js"))
    return "".join(f.read_text(encoding="utf-8") for f in files)


def _safe_script(js: str) -> str:
    """Make inline JS unable to close its <script> element early."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


class _Assets(Element):
    """Leaflet (inline or CDN links) and the geo runtime, in the page head."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoAssets"
        # Inline by default, so a notebook's _repr_html_ (an iframe srcdoc) draws offline
        # too; to_html(cdn=True) switches to links for one render.
        self.inline = True

    def render(self, **kwargs: Any) -> str:
        return self.html()

    def html(self) -> str:
        if self.inline:
            leaflet = (
                f"<style>{leaflet_css()}</style>\n"
                "<script>(function(){if(window.L&&window.L.version)return;\n"
                "window.geoLeafletCopies=(window.geoLeafletCopies||0)+1;\n"
                f"{_safe_script(leaflet_js())}\n}}).call(window);</script>"
            )
        else:
            leaflet = (
                f'<link rel="stylesheet" href="{LEAFLET_CDN}leaflet.css"/>\n'
                f'<script src="{LEAFLET_CDN}leaflet.js"></script>'
            )
        return (
            f"{leaflet}\n<style>{asset('geo.css')}</style>\n"
            f"<script>{_safe_script(runtime_js())}</script>\n"
        )


class _Finish(ScriptCall):
    """The call that draws the basemap and adds controls, legends, title, footer and
    slider, and fits the view (payload: geo/layers/payload.py FinishPayload)."""

    function = "geo.finish"

    def __init__(self, cfg: dict[str, Any]) -> None:
        super().__init__(script_json(cfg))
        self._name = "GeoFinish"


# ---- the map ------------------------------------------------------------------------------


def _bounds(layers: Sequence[GeoLayer]) -> list[list[float]] | None:
    """The extent of the layers shown at first (of all layers when none is shown): a
    hidden layer must not pull the first view away from what the reader sees."""
    shown = [layer for layer in layers if layer.show and layer.bounds]
    return _union_all([layer.bounds for layer in shown or layers])


def _union_all(boxes_in: Sequence[list[list[float]] | None]) -> list[list[float]] | None:
    boxes = [b for b in boxes_in if b]
    if not boxes:
        return None
    return [
        [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
        [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
    ]


def _periods(layers: Sequence[GeoLayer]) -> list[str]:
    first: dict[str, Any] = {}
    for layer in layers:
        for label, date in layer.periods.items():
            old = first.get(label, pd.NaT)
            if label not in first or (not pd.isna(date) and (pd.isna(old) or date < old)):
                first[label] = date
    return sorted(first, key=lambda k: (pd.isna(first[k]), str(first[k]), k))


def _tiles(m: folium.Map, tiles: str) -> None:
    name = TILES.get(tiles.lower(), tiles)
    try:
        if name.startswith(("http://", "https://")):
            folium.TileLayer(name, attr=escape(name), control=False).add_to(m)
        else:
            folium.TileLayer(name, control=False).add_to(m)
    except (ValueError, KeyError) as exc:
        raise SpecError(
            f"key tiles: {tiles!r} is not a known tile set or URL template; use 'osm' or a "
            f"URL with {{z}}/{{x}}/{{y}}"
        ) from exc


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _fix_ids(m: folium.Map, prefix: str) -> None:
    """Replace folium's random uuids by ``<prefix><counter>`` in tree order."""
    root = m.get_root()
    for i, element in enumerate(_walk(root)):
        element._id = f"{prefix}{i:03d}"


def render_map(spec: MapSpec, layers: Sequence[LayerData]) -> folium.Map:
    """Build the folium map of ``spec`` from joined layer tables.

    Returns the map: a notebook displays it inline with Leaflet and geo's runtime
    inlined, so it draws offline; :func:`write_html` writes the offline file. Raises
    SpecError for a bad tile set or colour, InputError for impossible coordinates.

    >>> m = render_map(MapSpec("Haiti", (spec,)), [LayerData(spec, frame)])  # doctest: +SKIP
    """
    palettes = map_palettes(layers, (spec.options or {}).get("colors"))
    elements = [build_layer(data, i, palettes) for i, data in enumerate(layers)]
    bounds = _bounds(elements)
    view = spec.view
    if view is not None:
        location, zoom = [view.lat, view.lon], view.zoom
    elif bounds:
        location = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
        zoom = 3
    else:
        location, zoom = [10.0, 0.0], 2
    m = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        world_copy_jump=False,
        font_size="13px",  # folium's default (1rem = 16px) makes the controls cover more
    )
    m.default_js, m.default_css = [], []
    fig = m.get_root()
    fig = cast(Figure, fig)  # folium.Map always makes its own Figure
    fig.title = escape(spec.title)
    assets = _Assets()
    fig.header.add_child(assets, name="geo_assets")
    m._geo_assets = assets  # type: ignore[attr-defined]
    if spec.tiles:
        _tiles(m, spec.tiles)
    for element in elements:
        element.add_to(m)
    extra = spec.options or {}
    sources = sorted({s for e in elements for s in e.sources} | set(extra.get("sources", ())))
    finish = {
        "title": spec.title,
        "description": spec.description,
        "footer": extra.get("footer"),
        "sources": sources,
        "notes": [f"{d.spec.name}: {n}" for d in layers for n in layer_notes(d)],
        "periods": _periods(elements),
        "bounds": bounds,
        "tiles": bool(spec.tiles),
        "view": [view.lat, view.lon, view.zoom] if view else None,
        "time": "exact" if extra.get("time", {}).get("mode") == "exact" else "asof",
        "open": extra.get("time", {}).get("open", "all"),
    }
    every = _union_all([e.bounds for e in elements])  # hidden layers too: the basemap
    places = [p for e in elements for p in e.places]
    finish["base"] = context(_union_all([bounds, every]), places, land=not spec.tiles)
    _Finish(finish).add_to(m)
    digest = hashlib.sha256(spec.title.encode("utf-8"))
    for element in elements:
        digest.update(element.payload.encode("utf-8"))
    digest.update(str(spec.tiles).encode("utf-8"))
    _fix_ids(m, "g" + digest.hexdigest()[:10])
    log.info(
        "rendered %d layers (%s features)",
        len(elements),
        ", ".join(f"{e.layer_name}: {e.count}" for e in elements),
    )
    return m


# ---- output -------------------------------------------------------------------------------


def _fragment(m: folium.Map) -> str:
    """An embeddable snippet. Its ids come from the map's content, so the same snippet
    pasted twice repeats them: its script runs in its own function scope and asks the
    runtime (``geo.claim``) for its container, which the second copy renames to a fresh
    id before Leaflet takes it. The CSS targets classes, never the ids."""
    fig: Any = m.get_root()  # a branca Figure (typed as Element)
    fig.render()  # fills fig.html / fig.script from the map's macros
    assets: _Assets = m._geo_assets  # type: ignore[attr-defined]
    wrap = f"geo-{m._id}"
    script, n = re.subn(
        r'(L\.map\(\s*)"' + re.escape(m.get_name()) + '"', r"\1geoEl", fig.script.render()
    )
    if n != 1:
        raise OutputError(f"cannot make a fragment: folium's map call changed ({n} found)")
    return (
        f'<div class="geo-fragment" id="{wrap}" '
        f'style="position:relative;width:100%;height:{FRAGMENT_HEIGHT}">\n'
        f"{assets.html()}"
        "<style>.geo-fragment>.folium-map{position:absolute;top:0;bottom:0;left:0;right:0}"
        "</style>\n"
        f"{fig.html.render()}\n</div>\n<script>\n(function () {{\n"
        f'var geoEl = geo.claim("{wrap}", "{m.get_name()}");\n'
        f"{script}\n}})();\n</script>\n"
    )


def to_html(m: folium.Map, *, fragment: bool = False, cdn: bool = False) -> str:
    """The HTML text of a map made by :func:`render_map` (see :func:`write_html`)."""
    assets = getattr(m, "_geo_assets", None)
    if assets is None:
        raise OutputError("this map was not made by geo.render.render_map; cannot write it")
    assets.inline = not cdn
    try:
        return _fragment(m) if fragment else m.get_root().render()
    finally:
        assets.inline = True


def write_html(m: folium.Map, out: Path, *, fragment: bool = False, cdn: bool = False) -> Path:
    """Write ``m`` as ONE HTML file, atomically, and return its path.

    Without ``cdn`` the file needs no network (Leaflet inlined); with ``cdn`` Leaflet is
    linked instead (smaller file). ``fragment`` writes an embeddable ``<div>`` with its
    styles and scripts. The text is rendered first and written to a temporary file in
    the same directory, then moved over ``out``: a failure leaves no partial file and
    keeps the previous map. Raises OutputError when the file cannot be written.

    >>> write_html(render_map(spec, layers), Path("maps/demo.html"))  # doctest: +SKIP
    PosixPath('maps/demo.html')
    """
    out = Path(out)
    text = to_html(m, fragment=fragment, cdn=cdn)
    write_atomic(out, text, what="the map")
    log.info("wrote %s (%d bytes)", out, len(text.encode("utf-8")))
    return out
