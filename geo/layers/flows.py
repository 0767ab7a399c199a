"""Flows layer: curved lines (a quadratic Bézier computed here, drawn as a polyline) from
each row's origin to its destination, width by value, with a dot at the destination.

>>> bezier((-1.29, 36.82), (18.54, -72.34), segments=4)[0]
[-1.29, 36.82]
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from geo.errors import InputError
from geo.layers.base import Kind, bounds_of, place_label
from geo.models import COL_ORIGIN_LAT, COL_ORIGIN_LON, COL_ORIGIN_NAME, LayerSpec


def bezier(a: tuple[float, float], b: tuple[float, float], segments: int = 32) -> list[list[float]]:
    """Points of a curve from ``a`` to ``b`` ((lat, lon) each), bent to the left by 20 %."""
    (y0, x0), (y1, x1) = a, b
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cx, cy = mx - (y1 - y0) * 0.2, my + (x1 - x0) * 0.2
    t = np.linspace(0.0, 1.0, segments + 1)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return [[round(float(y), 4), round(float(x), 4)] for y, x in zip(ys, xs, strict=True)]


class Flows(Kind):
    """Curved origin -> destination lines, width by value."""

    kind: ClassVar[str] = "flows"
    color: ClassVar[str] = "#dd6b20"
    value_label: ClassVar[str] = "Personnel"
    group_name: ClassVar[str] = "Contributor"
    unit: ClassVar[str] = "personnel"
    missing: ClassVar[str] = "present (no count)"

    def feature(self, f: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        olat: Any = row.get(COL_ORIGIN_LAT)
        olon: Any = row.get(COL_ORIGIN_LON)
        try:
            origin = (float(olat), float(olon))
        except (TypeError, ValueError):
            origin = (float("nan"), float("nan"))
        if not all(np.isfinite(origin)) or abs(origin[0]) > 90 or abs(origin[1]) > 180:
            raise InputError(
                f"flows to {place_label(row)!r}: origin has no usable coordinates "
                f"(lat {olat}, lon {olon})"
            )
        f["line"] = bezier(origin, (f["ll"][0], f["ll"][1]))
        f["w"] = round(1.5 + f["r"] / 4, 2)
        origin_name = str(row.get(COL_ORIGIN_NAME) or "origin")
        f["pop"]["t"] = f"{origin_name} → {f['pop']['t']}"
        f["tip"] = f"{origin_name} → {f['tip']}"
        f.pop("ai", None)  # a flow's end is a point; areas belong to the deployment layer
        return f

    def extend(self, cfg: dict[str, Any], frame: Any, lat: Any, lon: Any, spec: LayerSpec) -> None:
        for item in cfg["legend"]["items"]:
            if "size" in item:
                item["width"] = round(1.5 + item.pop("size") / 4, 1)
        cfg["legend"]["notes"] = ["Line width follows the figure; the dot marks the destination."]

    def points(self, frame: Any, lat: Any, lon: Any) -> tuple[Any, Any]:
        olat = frame[COL_ORIGIN_LAT].to_numpy(float)
        olon = frame[COL_ORIGIN_LON].to_numpy(float)
        return np.concatenate([lat, olat]), np.concatenate([lon, olon])

    def bounds(self, frame: Any, lat: Any, lon: Any) -> list[list[float]] | None:
        return bounds_of(*self.points(frame, lat, lon))
