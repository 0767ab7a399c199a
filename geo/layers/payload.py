"""The JSON that Python hands to the runtime (``geo/assets/js/``), as typed dictionaries.

The keys are short because a map can carry 100,000 features. The same schema is written
in the header comment of ``geo/assets/js/00-head.js``; ``tests/test_payload.py`` checks
that every key here appears there, so the two cannot drift apart silently.

>>> sorted(Feature.__annotations__)[:4]
['a', 'ai', 'c', 'geom']
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Popup(TypedDict):
    """``t``: title (the place); ``r``: ``[[label, text], ...]`` rows, inserted as text."""

    t: str
    r: list[list[str]]


class Feature(TypedDict):
    """One symbol, flow line or polygon of a vector layer."""

    ll: list[float]  # [lat, lon] of the symbol (or the flow's destination)
    r: float  # symbol radius in px (area proportional to the figure)
    c: str  # colour
    p: int  # index into the layer's periods, -1 when undated
    pop: Popup
    tip: str  # one-line hover text
    lb: NotRequired[str]  # the label drawn next to the symbol ("" or absent: none)
    k: NotRequired[int]  # the place and group it belongs to ("as of" shows each one's latest)
    a: NotRequired[int]  # 1: approximate place (dashed symbol)
    ai: NotRequired[int]  # index into the layer's areas (shaded under the symbol)
    h: NotRequired[int]  # 1: hollow (presence without a count)
    line: NotRequired[list[list[float]]]  # flows: the curve, [[lat, lon], ...]
    w: NotRequired[float]  # flows: line width in px
    geom: NotRequired[dict[str, Any]]  # choropleth: the polygon (GeoJSON geometry)


class LegendItem(TypedDict):
    label: str
    color: str
    shape: NotRequired[str]  # circle | square | diamond
    size: NotRequired[float]  # a size swatch (radius in px)
    width: NotRequired[float]  # a line swatch (width in px)
    hollow: NotRequired[bool]  # a dashed ring (presence, approximate)


class Legend(TypedDict):
    title: str
    items: list[LegendItem]
    notes: list[str]


class LayerPayload(TypedDict):
    """The payload of ``geo.layer(map, cfg)``; ``kind`` picks the JS drawer."""

    name: str
    kind: str
    draw: str  # the JS drawer: "vector" or "events" (from the kind's registry entry)
    show: bool
    legend: Legend
    # vector layers (draw = "vector")
    shape: NotRequired[str]
    periods: NotRequired[list[str]]
    areas: NotRequired[list[dict[str, Any] | None]]
    feats: NotRequired[list[Feature]]
    heat: NotRequired[list[list[float]]]  # casualties: [[lat, lon, weight], ...]
    # events (draw = "events"): one columnar blob
    n: NotRequired[int]  # rows
    svg: NotRequired[int]  # 1: one SVG circle per event; 0: one canvas
    pd: NotRequired[int]  # 1: the period labels are the dates (stored once)
    colors: NotRequired[list[str]]  # colour per group code
    dicts: NotRequired[dict[str, list[str]]]  # labels per text column
    extra: NotRequired[list[str]]  # popup columns
    aggregate: NotRequired[int]  # visible points before bins (-1: never)
    groupLabel: NotRequired[str]
    valueLabel: NotRequired[str]
    cols: NotRequired[list[dict[str, Any]]]  # [{name, type, offset}]
    buf: NotRequired[str]  # base64 of the packed columns
    z: NotRequired[int]  # 1: buf is deflated


class FinishPayload(TypedDict):
    """The payload of ``geo.finish(map, cfg)``: everything that is not a layer."""

    title: str
    description: str | None
    footer: str | None
    sources: list[str]  # the footer shows three, the rest behind a toggle
    notes: list[str]  # per layer, what it leaves off the map ("Killed: 12 rows not mapped")
    periods: list[str]
    bounds: list[list[float]] | None  # [[south, west], [north, east]] of the shown layers
    tiles: bool
    view: list[float] | None  # [lat, lon, zoom] from the spec
    time: str  # "asof": a period shows each place's latest figure; "exact": its own only
    open: str  # "latest": the map opens on the last period; "all": on all periods
    base: Base | None  # the offline context basemap (geo/basemap.py)


class Base(TypedDict):
    """Coordinates as in GeoJSON ([lon, lat]): land and lakes as polygons, rivers and
    borders as lines; towns ``[[lat, lon, name, min zoom]]``; countries ``[[lat, lon,
    name]]``; extent ``[[s, w], [n, e]]`` of the detailed part."""

    extent: list[list[float]]
    land: list[Any]
    lakes: NotRequired[list[Any]]
    rivers: NotRequired[list[Any]]
    borders: list[Any]
    admin1: NotRequired[list[Any]]  # borders between provinces (lines)
    towns: list[list[Any]]
    countries: list[list[Any]]
