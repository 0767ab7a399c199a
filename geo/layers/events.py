"""Events layer: many points (ACLED/UCDP rows) as ONE columnar blob drawn on a canvas.

Every column is a typed array (coordinates as int32 of 1e-5 degrees, fatalities as
float32, text as dictionary codes) packed into one buffer, deflated when large and
base64-encoded. The runtime draws it on a single canvas with one style rule (colour by
event type, radius by fatalities), aggregates dense views into counted bins that drill
down on click or zoom, and builds popups from the columns with ``textContent``. Events at
admin1/region/country precision are drawn as dashed rings and never aggregated.

A small layer (at most ``Events.svg_max`` rows, and never aggregated) is drawn instead as
one SVG circle per event from the same blob: each is a clickable element of the page.
When the period labels are just the dates, the date column is stored once (``pd``).

Python work is vectorised (no per-row objects): 1M rows encode in about a second.

>>> encode_columns({"v": np.array([1.5, 2.0], dtype="<f4")})["cols"]
[{'name': 'v', 'type': 'f4', 'offset': 0}]
"""

from __future__ import annotations

import base64
import zlib
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from geo.layers.base import (
    APPROXIMATE,
    GeoLayer,
    WholeLayerKind,
    bounds_of,
    check_color,
    check_points,
    group_label,
    sources_of,
)  # fmt: skip
from geo.layers.colors import EVENTS, assign, color_of
from geo.models import (
    COL_DATE,
    COL_GROUP,
    COL_NAME,
    COL_PERIOD,
    COL_PRECISION,
    COL_SOURCES,
    COL_VALUE,
    LayerData,
)  # fmt: skip

COMPRESS_ABOVE = 20_000  # rows; smaller blobs stay plain so they decode synchronously fast
_CODES = {1: ("u1", "<u1"), 2: ("u2", "<u2"), 4: ("u4", "<u4")}


def encode_columns(arrays: dict[str, np.ndarray], *, compress: bool = False) -> dict[str, Any]:
    """Pack typed arrays into one base64 buffer (8-byte aligned) with a layout."""
    parts, cols, offset = [], [], 0
    for name, arr in arrays.items():
        data = np.ascontiguousarray(arr).tobytes()
        cols.append(
            {"name": name, "type": f"{arr.dtype.kind}{arr.dtype.itemsize}", "offset": offset}
        )
        pad = (-len(data)) % 8
        parts.append(data + b"\0" * pad)
        offset += len(data) + pad
    raw = b"".join(parts)
    if compress:
        raw = zlib.compress(raw, 1)  # level 6 takes 4x longer for 4 % less
    return {"cols": cols, "buf": base64.b64encode(raw).decode("ascii"), "z": 1 if compress else 0}


def dictionary(values: pd.Series, fill: str = "") -> tuple[np.ndarray, list[str]]:
    """Codes and labels of a text column (vectorised); missing -> ``fill``."""
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), fill), sort=True)
    labels = [str(u) for u in uniques]
    size = 1 if len(labels) < 256 else 2 if len(labels) < 65536 else 4
    return codes.astype(_CODES[size][1]), labels


def date_dictionary(frame: Any, fmt: str = "%Y-%m-%d") -> tuple[np.ndarray, list[str]] | None:
    """Dates as ``fmt`` labels formatted once per distinct day (vectorised), or None."""
    if COL_DATE in frame and frame[COL_DATE].notna().any():
        days = pd.to_datetime(frame[COL_DATE]).dt.floor("D")
        if fmt == "%Y-%m":
            days = days.dt.to_period("M").dt.to_timestamp()
        codes, uniques = pd.factorize(days, sort=True)
        labels = [str(u) for u in pd.DatetimeIndex(uniques).strftime(fmt)]
        if (codes < 0).any():
            labels.append("")
            codes = np.where(codes < 0, len(labels) - 1, codes)
        size = 1 if len(labels) < 256 else 2 if len(labels) < 65536 else 4
        return codes.astype(_CODES[size][1]), labels
    return None


class Events(WholeLayerKind):
    """Canvas-drawn events; see the module docstring."""

    kind: ClassVar[str] = "events"
    aggregate_default: ClassVar[int] = 4000  # visible points before bins replace dots
    svg_max: ClassVar[int] = 3000  # events drawn as SVG paths up to this many rows

    def build(
        self, data: LayerData, index: int = 0, palette: dict[str, str] | None = None
    ) -> GeoLayer:
        spec, frame = data.spec, data.frame
        lat, lon = check_points(frame, spec.name)
        n = len(frame)
        arrays: dict[str, np.ndarray] = {
            "lat": np.round(lat * 1e5).astype("<i4"),
            "lon": np.round(lon * 1e5).astype("<i4"),
            "v": pd.to_numeric(frame[COL_VALUE], errors="coerce").to_numpy("<f4")
            if COL_VALUE in frame
            else np.full(n, np.nan, "<f4"),
        }
        precision = frame[COL_PRECISION].astype(str) if COL_PRECISION in frame else None
        arrays["a"] = (
            precision.isin(APPROXIMATE).to_numpy().astype("<u1")
            if precision is not None
            else np.zeros(n, "<u1")
        )
        dicts: dict[str, list[str]] = {}
        color = check_color(spec.color, spec.name) or EVENTS[0]
        if COL_GROUP in frame and frame[COL_GROUP].notna().any():
            arrays["g"], dicts["g"] = dictionary(frame[COL_GROUP], fill="unspecified")
            table = palette if palette is not None else assign({"events": dicts["g"]})["events"]
            colors = [table.get(g) or color_of(g, "events") for g in dicts["g"]]
        else:
            arrays["g"], colors = np.zeros(n, "<u1"), [color]
        dated = date_dictionary(frame)
        if dated is not None:
            arrays["d"], dicts["d"] = dated
        periods_are_dates = False
        if COL_PERIOD in frame and frame[COL_PERIOD].notna().any():
            codes, labels = dictionary(frame[COL_PERIOD])
            # Plain dates make period labels equal to the date labels: store them once.
            periods_are_dates = (
                dated is not None and labels == dated[1] and np.array_equal(codes, dated[0])
            )
            if not periods_are_dates:
                arrays["p"], dicts["p"] = codes, labels
        elif dated is not None:  # the slider steps by month when only dates are given
            arrays["p"], dicts["p"] = date_dictionary(frame, "%Y-%m")  # type: ignore[misc]
        for key, col in (("n", COL_NAME), ("s", COL_SOURCES), ("pr", COL_PRECISION)):
            if col in frame and frame[col].notna().any():
                arrays[key], dicts[key] = dictionary(frame[col])
        extra = [c for c in spec.popup if c in frame and c not in arrays]
        for c in extra:
            arrays[c], dicts[c] = dictionary(frame[c].astype(object))
        aggregate = {None: self.aggregate_default, True: 300, False: -1}[spec.cluster]
        # A small layer that can never aggregate is drawn as SVG paths: one clickable
        # element per event, visible in the page's DOM.
        svg = n <= self.svg_max and (aggregate < 0 or n <= aggregate)
        cfg: dict[str, Any] = self.payload(spec)
        cfg |= {
            "n": n,
            "svg": 1 if svg else 0,
            "pd": 1 if periods_are_dates else 0,
            "colors": colors,
            "dicts": dicts,
            "extra": extra,
            "aggregate": aggregate,
            "groupLabel": group_label(spec) or "Event type",
            "valueLabel": "Fatalities",
            "legend": self.legend(
                spec, dicts.get("g"), colors, bool(arrays["a"].any()), -1 if svg else aggregate
            ),
        }
        cfg.update(encode_columns(arrays, compress=n > COMPRESS_ABOVE))
        periods = self.periods(frame, dicts.get("d" if periods_are_dates else "p"))
        return GeoLayer(
            cfg, count=n, sources=sources_of(frame), periods=periods, bounds=bounds_of(lat, lon)
        ).at(lat, lon)

    def periods(self, frame: Any, labels: list[str] | None) -> dict[str, Any]:
        """Label -> first date, for the map's period slider."""
        if not labels:
            return {}
        if COL_PERIOD in frame and frame[COL_PERIOD].notna().any():
            if COL_DATE not in frame:
                return {k: pd.NaT for k in labels if k}
            first = pd.to_datetime(frame[COL_DATE]).groupby(frame[COL_PERIOD]).min().to_dict()
            return {str(k): first.get(k, pd.NaT) for k in labels if k}
        return {k: pd.Timestamp(k + "-01") for k in labels if k}

    def legend(
        self, spec: Any, groups: list[str] | None, colors: list[str], approx: bool, aggregate: int
    ) -> dict[str, Any]:
        items: list[dict[str, Any]] = [
            {"label": g, "color": colors[i % len(colors)]} for i, g in enumerate(groups or [])
        ]
        items += [
            {"label": f"{v} fatalities", "color": "#777", "size": min(14, 3 + 1.5 * v**0.5)}
            for v in (0, 10, 50)
        ]
        notes = []
        if aggregate >= 0:
            notes.append(
                "Where points are dense they are aggregated into purple bins; a bin's "
                "number counts events (not fatalities: its popup gives their sum); "
                "zoom in or click a bin to see the events."
            )
        if approx:
            items.append({"label": "approximate location", "color": "#555", "hollow": True})
            notes.append(
                "Dashed rings: events located only to a province, region or "
                "country; never aggregated."
            )
        return {"title": spec.name, "items": items, "notes": notes}
