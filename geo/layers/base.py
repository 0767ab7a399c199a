"""The shared layer builder: coordinate checks, sizes, colours, areas, labels and the
legend (popup and tooltip text: geo/layers/popups.py); each layer kind (one small module
each) declares only what differs.

A layer becomes one :class:`GeoLayer` element on the folium map: a JSON payload (made safe
for ``<script>`` by :func:`geo.escape.script_json`) and a call into the offline runtime
``geo/assets/js/``, which builds popups and labels with ``textContent`` only.

>>> from geo.layers import build_layer           # doctest: +SKIP
>>> element = build_layer(layer_data, index=0)   # doctest: +SKIP
>>> element.add_to(folium_map)                   # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from branca.element import Element, MacroElement

from geo.errors import InputError, SpecError
from geo.escape import script_json
from geo.kinds import KindInfo, kind_info
from geo.layers.colors import assign, color_of
from geo.layers.popups import (  # noqa: F401  (re-exported: the layer kinds import them here)
    APPROXIMATE,
    PRECISION_WORDS,
    QUALIFIER_KEYS,
    RANGE_KEYS,
    _details,
    format_number,
    group_label,
    is_missing,
    location_row,
    location_text,
    period_of,
    place_label,
    popup_content,
    qualifier_of,
    reader_label,
    tooltip_text,
)
from geo.models import (
    COL_AREA,
    COL_DATE,
    COL_GROUP,
    COL_NAME,
    COL_PERIOD,
    COL_PRECISION,
    COL_QUERY,
    COL_SOURCES,
    COL_VALUE,
    LayerData,
    LayerSpec,
)
from geo.pointframe import point_arrays

log = logging.getLogger("geo")

# Tableau 10: distinct, colour-blind-tolerant categories.
CATEGORICAL = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
_COLOR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")


class _Raw(Element):
    """Script text added to the page as it is: never parsed as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "GeoScript"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class ScriptCall(MacroElement):
    """A call ``<function>(<map>, <payload>);`` in the page's script.

    folium's MacroElement would wrap the rendered call in a new Jinja *template*, so data
    holding ``{{ ... }}`` or ``{% ... %}`` would be evaluated or break the build, and a
    multi-megabyte payload would be tokenised (0.8 s at 1M events): the call is added as
    raw text instead. ``payload`` must already be safe for ``<script>`` (script_json).
    """

    function: ClassVar[str] = ""

    def __init__(self, payload: str) -> None:
        super().__init__()
        self.payload = payload

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as branca's macros
        parent: Any = self._parent  # the folium Map or layer this call was added to
        root: Any = self.get_root()  # a branca Figure: it has a script section
        call = f"{self.function}({parent.get_name()}, {self.payload});"
        root.script.add_child(_Raw(call), name=self.get_name())


class GeoLayer(ScriptCall):
    """One data layer: its payload and a call to the runtime's ``geo.layer``.

    Attributes used by :mod:`geo.render`: ``layer_name``, ``kind``, ``count`` (features),
    ``sources`` (distinct source strings), ``periods`` (label -> first date) and
    ``bounds`` ([[south, west], [north, east]] or None).
    """

    function = "geo.layer"

    def __init__(
        self,
        cfg: dict[str, Any],
        *,
        count: int,
        sources: Sequence[str],
        periods: dict[str, Any],
        bounds: list[list[float]] | None,
    ) -> None:
        super().__init__(script_json(cfg))
        self._name = "GeoLayer"
        self.layer_name = str(cfg["name"])
        self.kind = str(cfg["kind"])
        self.count = count
        self.sources = list(sources)
        self.periods = periods
        self.bounds = bounds
        self.show = bool(cfg.get("show", True))
        self.places: list[tuple[float, float]] = []

    def at(self, lat: Any, lon: Any) -> GeoLayer:
        """Record where the layer's places are (for the basemap's detail), one per 0.25
        degree cell, and return self."""
        cells = {
            (round(float(a) * 4) / 4, round(float(o) * 4) / 4)
            for a, o in zip(np.asarray(lat, float), np.asarray(lon, float), strict=True)
            if math.isfinite(a) and math.isfinite(o)
        }
        self.places = sorted(cells)[:2000]
        return self


# ---- checks, colours, sizes ----------------------------------------------------------


def check_points(frame: Any, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (lat, lon) arrays of a point layer; raise InputError for impossible ones."""
    given = point_arrays(frame)  # a PointFrame's columns: no shapely points to make
    if given is not None:
        lat, lon = given
    else:
        import shapely

        geom = frame.geometry
        if len(frame) and not bool(np.all(shapely.get_type_id(geom.values) == 0)):
            raise InputError(f"layer {layer!r}: every feature must be a point (lon, lat)")
        lon = shapely.get_x(geom.values).astype(float) if len(frame) else np.zeros(0)
        lat = shapely.get_y(geom.values).astype(float) if len(frame) else np.zeros(0)
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        name = frame.iloc[i].get(COL_NAME, "?") if hasattr(frame.iloc[i], "get") else "?"
        raise InputError(
            f"layer {layer!r}: place {name!r} has impossible coordinates "
            f"(lat {lat[i]}, lon {lon[i]}); expected -90..90 and -180..180"
        )
    return lat, lon


def check_color(color: str | None, layer: str) -> str | None:
    """Validate a spec colour (it ends up in CSS): ``#rgb``, ``#rrggbb`` or a CSS name."""
    if color is None:
        return None
    if not _COLOR.match(str(color)):
        raise SpecError(
            f"layer {layer!r}, key color: {color!r} is not a colour; use #rrggbb or a CSS name"
        )
    return str(color)


def group_names(frame: Any) -> list[str]:
    """The distinct groups of a layer table, sorted."""
    if COL_GROUP not in frame:
        return []
    return sorted({str(g) for g in frame[COL_GROUP].dropna()})


def group_colors(
    frame: Any, spec: LayerSpec, default: str, palette: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """Colour per row by group, or the layer's one colour. ``palette`` is the map-wide
    group -> colour table (geo/layers/colors.py); without it the layer's own groups are
    coloured the same stable way."""
    color = check_color(spec.color, spec.name) or default
    names = group_names(frame)
    if not names:
        return [color] * len(frame), {}
    table = palette if palette is not None else assign({"groups": names})["groups"]
    mapping = {g: table.get(g) or color_of(g) for g in names}
    groups = frame[COL_GROUP].astype(object).where(frame[COL_GROUP].notna(), None)
    return [mapping.get(str(g), color) if g is not None else color for g in groups], mapping


def sqrt_radii(values: np.ndarray, *, max_radius: float, min_radius: float) -> np.ndarray:
    """Radii with circle AREA proportional to value (radius ∝ sqrt); NaN -> min_radius."""
    v = np.where(np.isfinite(values) & (values > 0), values, 0.0)
    top = float(v.max()) if v.size else 0.0
    if top <= 0:
        return np.full(values.shape, float(min_radius))
    r = max_radius * np.sqrt(v / top)
    return np.round(np.maximum(r, min_radius), 2)


def nice_values(top: float, count: int = 3) -> list[float]:
    """Round legend values below ``top``: 800 -> [800, 200, 50]."""
    if not (top > 0 and math.isfinite(top)):
        return []
    out: list[float] = []
    v = top
    for _ in range(count):
        mag = 10 ** math.floor(math.log10(v))
        nice = math.floor(v / mag) * mag
        if top >= 1 and nice < 1:
            break
        if nice > 0 and nice not in out:
            out.append(float(nice))
        v = top / (4 ** (len(out)))
    return out


def round_geojson(geom: Any, tolerance: float = 0.01, digits: int = 4) -> dict[str, Any] | None:
    """A shapely geometry as simplified GeoJSON with rounded coordinates, or None."""
    if geom is None or is_missing(geom) or getattr(geom, "is_empty", True):
        return None
    import shapely  # on demand: an events-only map never loads it

    simple = shapely.simplify(geom, tolerance, preserve_topology=True)
    data = json.loads(shapely.to_geojson(simple))

    def rnd(c: Any) -> Any:
        if isinstance(c, (int, float)):
            return round(c, digits)
        return [rnd(x) for x in c]

    if "coordinates" in data:
        data["coordinates"] = rnd(data["coordinates"])
    return data


def sources_of(frame: Any) -> list[str]:
    """Distinct sources of a layer, split on "; " and sorted."""
    if COL_SOURCES not in frame:
        return []
    found: set[str] = set()
    for s in frame[COL_SOURCES].dropna().astype(str).unique():
        found.update(p.strip() for p in s.split("; ") if p.strip())
    return sorted(found)


def periods_of(frame: Any) -> tuple[list[str], dict[str, Any]]:
    """Per-row period labels ("" when undated; the month of the date when there is no
    period column) and label -> first date, for ordering the slider."""
    has_period = COL_PERIOD in frame and frame[COL_PERIOD].notna().any()
    has_date = COL_DATE in frame and frame[COL_DATE].notna().any()
    if not (has_period or has_date):
        return [""] * len(frame), {}
    dates = (
        pd.to_datetime(frame[COL_DATE])
        if COL_DATE in frame
        else pd.Series(pd.NaT, index=frame.index)
    )
    if has_period:
        labels = frame[COL_PERIOD].astype(object).where(frame[COL_PERIOD].notna(), "")
        labels = labels.astype(str)
    else:  # dates without period labels: the slider steps by month
        labels = dates.dt.strftime("%Y-%m").fillna("")
    first: dict[str, Any] = {}
    for label, date in zip(labels, dates, strict=True):
        if label and (
            label not in first
            or (not is_missing(date) and (is_missing(first[label]) or date < first[label]))
        ):
            first[label] = date
    return list(labels), first


def bounds_of(lat: np.ndarray, lon: np.ndarray) -> list[list[float]] | None:
    """[[south, west], [north, east]] of finite points, or None."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return None
    return [
        [float(lat[ok].min()), float(lon[ok].min())],
        [float(lat[ok].max()), float(lon[ok].max())],
    ]


# ---- the shared builder ---------------------------------------------------------------


class LayerKind:
    """The base of every layer kind: its registry entry (geo/kinds.py) and the common
    keys of its payload. Symbol kinds derive from :class:`Kind`; kinds drawn as a whole
    (the events canvas, choropleth polygons) derive from :class:`WholeLayerKind`."""

    kind: ClassVar[str] = "points"

    @property
    def info(self) -> KindInfo:
        """This kind's registry entry."""
        return kind_info(self.kind)

    def payload(self, spec: LayerSpec, **rest: Any) -> dict[str, Any]:
        """The keys every layer payload has (see geo/layers/payload.py), then ``rest``."""
        head = {"name": spec.name, "kind": self.kind, "draw": self.info.drawer}
        return {**head, "show": bool(spec.show), **rest}

    def build(
        self, data: LayerData, index: int = 0, palette: dict[str, str] | None = None
    ) -> GeoLayer:
        """Turn a joined layer table into a :class:`GeoLayer`; ``palette``: the map-wide
        group -> colour table of this kind's palette (None: colour this layer alone)."""
        raise NotImplementedError


class WholeLayerKind(LayerKind):
    """A kind drawn as a whole rather than one symbol per row: it writes its own payload
    (the events blob, the choropleth's polygons) in :meth:`build` and shares only the
    common keys, the registry entry and the helpers of this module."""


class Kind(LayerKind):
    """A layer kind drawn as one symbol per row. Subclasses override class attributes
    (``kind``, ``shape``, ``color``, labels) and, when needed, :meth:`feature`."""

    shape: ClassVar[str] = "circle"  # circle | square | diamond
    color: ClassVar[str] = "#4e79a7"
    value_label: ClassVar[str] = "Value"
    group_name: ClassVar[str] = "Group"  # popup label when the group column has no name
    unit: ClassVar[str] = ""
    missing: ClassVar[str] = "not reported"
    max_radius: ClassVar[float] = 26.0
    min_radius: ClassVar[float] = 4.0

    def build(
        self, data: LayerData, index: int = 0, palette: dict[str, str] | None = None
    ) -> GeoLayer:
        """Turn a joined layer table into a :class:`GeoLayer`; ``palette``: the map-wide
        group colours (geo/layers/colors.py)."""
        spec, frame = data.spec, data.frame
        lat, lon = check_points(frame, spec.name)
        values = self.sizes(frame)
        radii = sqrt_radii(values, max_radius=self.max_radius, min_radius=self.min_radius)
        colors, mapping = group_colors(frame, spec, self.color, palette)
        labels, first = periods_of(frame)
        periods = sorted(
            first,
            key=lambda k: (is_missing(first[k]), first[k] if not is_missing(first[k]) else 0, k),
        )
        pindex = {p: i for i, p in enumerate(periods)}
        areas: list[Any] = []
        area_index: dict[bytes, int] = {}
        feats = []
        records = frame.drop(columns=frame.geometry.name).to_dict("records")
        glabel = group_label(spec) or self.group_name
        for i, row in enumerate(records):
            if all(is_missing(row.get(c)) or not str(row.get(c)) for c in (COL_NAME, COL_QUERY)):
                # a row given by coordinates only: its popup and tooltip name them
                row[COL_NAME] = f"{round(float(lat[i]), 4)}, {round(float(lon[i]), 4)}"
            f: dict[str, Any] = {
                "ll": [round(float(lat[i]), 5), round(float(lon[i]), 5)],
                "r": float(radii[i]),
                "c": colors[i],
                "p": pindex.get(labels[i], -1),
                "pop": popup_content(
                    row,
                    value_label=self.value_label,
                    missing=self.missing,
                    extra=spec.popup,
                    group=glabel,
                ),
                "tip": tooltip_text(row, unit=self.unit, missing=self.missing),
            }
            if str(row.get(COL_PRECISION)) in APPROXIMATE:
                f["a"] = 1
                area = row.get(COL_AREA)
                if (
                    area is not None
                    and not is_missing(area)
                    and not getattr(area, "is_empty", True)
                ):
                    key = area.wkb
                    if key not in area_index:
                        area_index[key] = len(areas)
                        areas.append(round_geojson(area))
                    f["ai"] = area_index[key]
            if is_missing(row.get(COL_VALUE)):
                f["h"] = 1
            feats.append(self.feature(f, row))
        if periods:  # the features of one place and group: "as of" shows the latest
            keys: dict[tuple[str, str], int] = {}
            for f, row in zip(feats, records, strict=True):
                k = (place_label(row), str(row.get(COL_GROUP)))
                f["k"] = keys.setdefault(k, len(keys))
        self.label(feats, values, records, spec)
        cfg = self.payload(
            spec,
            shape=self.shape,
            periods=periods,
            areas=areas,
            feats=feats,
            legend=self.legend(values, mapping, spec, feats),
        )
        self.extend(cfg, frame, lat, lon, spec)
        return GeoLayer(
            cfg,
            count=len(feats),
            sources=sources_of(frame),
            periods={p: first[p] for p in periods},
            bounds=self.bounds(frame, lat, lon),
        ).at(*self.points(frame, lat, lon))

    labels: ClassVar[int] = 5  # the biggest figures labelled by default

    def label(
        self,
        feats: list[dict[str, Any]],
        values: np.ndarray,
        records: list[dict[str, Any]],
        spec: LayerSpec,
    ) -> None:
        """Set ``lb`` on the features to label: the spec's ``label`` (true, false, a
        number N of the biggest figures, or a template over name, value, unit, group and
        period), by default the ``labels`` biggest. Several figures at one place get one
        label, the biggest's."""
        want = (spec.options or {}).get("label", self.labels)
        if want is False or want == 0:
            return
        order = sorted(
            range(len(feats)),
            key=lambda i: -(values[i] if math.isfinite(values[i]) else -1.0),
        )
        count = len(order) if want is True or isinstance(want, str) else int(want)
        seen: set[str] = set()
        for i in order:
            if len(seen) >= count:
                break
            place = place_label(records[i])
            if place in seen:
                continue
            seen.add(place)
            try:
                feats[i]["lb"] = self.label_text(want, records[i])
            except (KeyError, ValueError, IndexError) as exc:
                raise SpecError(
                    f"layer {spec.name!r}, key label: {want!r} is not a usable template "
                    f"({exc}); use the fields {{name}}, {{value}}, {{unit}}, {{group}} and "
                    "{period}"
                ) from exc

    def label_text(self, want: Any, row: dict[str, Any]) -> str:
        """The text of one label: the place, or the spec's template filled in."""
        if not isinstance(want, str):
            return place_label(row)
        fields = {
            "name": place_label(row),
            "value": "" if is_missing(row.get(COL_VALUE)) else format_number(row[COL_VALUE]),
            "unit": self.unit,
            "group": "" if is_missing(row.get(COL_GROUP)) else str(row[COL_GROUP]),
            "period": period_of(row),
        }
        return want.format_map(fields).strip()

    def points(self, frame: Any, lat: np.ndarray, lon: np.ndarray) -> tuple[Any, Any]:
        """Hook: (lat, lon) of the places the layer draws (default: the symbols)."""
        return lat, lon

    def sizes(self, frame: Any) -> np.ndarray:
        """The numbers symbol sizes follow (the value column by default)."""
        if COL_VALUE not in frame:
            return np.full(len(frame), np.nan)
        return pd.to_numeric(frame[COL_VALUE], errors="coerce").to_numpy(dtype=float)

    def bounds(self, frame: Any, lat: np.ndarray, lon: np.ndarray) -> list[list[float]] | None:
        """Hook: the extent the map fits (default: the symbols)."""
        return bounds_of(lat, lon)

    def feature(self, f: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        """Hook: adjust one serialised feature (default: unchanged)."""
        return f

    def extend(self, cfg: dict[str, Any], frame: Any, lat: Any, lon: Any, spec: LayerSpec) -> None:
        """Hook: add kind-specific entries to the payload (default: nothing)."""

    def legend(
        self,
        values: np.ndarray,
        mapping: dict[str, str],
        spec: LayerSpec,
        feats: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """Legend: colour per group, a few sizes, and notes on hollow/approximate symbols."""
        color = "#555" if mapping else (check_color(spec.color, spec.name) or self.color)
        items: list[dict[str, Any]] = [
            {"label": g, "color": c, "shape": self.shape} for g, c in mapping.items()
        ]
        finite = values[np.isfinite(values)]
        top = float(finite.max()) if finite.size else 0.0
        for v in nice_values(top):
            r = float(
                sqrt_radii(
                    np.array([v, top]), max_radius=self.max_radius, min_radius=self.min_radius
                )[0]
            )
            items.append(
                {
                    "label": f"{format_number(v)} {self.unit}".rstrip(),
                    "color": color,
                    "shape": self.shape,
                    "size": min(r, 18),
                }
            )
        notes = []
        if any(f.get("h") for f in feats):
            items.append(
                {"label": self.missing, "color": color, "shape": self.shape, "hollow": True}
            )
        if any(f.get("a") for f in feats):
            notes.append(
                "Dashed symbols and shaded areas: approximate locations "
                "(province, region or country), not exact points."
            )
        notes.append("Symbol area is proportional to the figure.")
        return {"title": spec.name, "items": items, "notes": notes}
