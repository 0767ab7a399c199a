"""Choropleth layer: one value per country or province polygon, five quantile classes of a
sequential yellow-to-red scale, and a legend with the class ranges; "no data" is grey.

>>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
[2.8, 4.6, 6.4, 8.2]
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import shapely

from geo.errors import InputError
from geo.layers.base import (
    GeoLayer,
    WholeLayerKind,
    format_number,
    group_label,
    periods_of,
    popup_content,
    round_geojson,
    sources_of,
    tooltip_text,
)  # fmt: skip
from geo.models import COL_VALUE, LayerData

RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA = "#cccccc"


def class_breaks(values: Any, classes: int = len(RAMP)) -> list[float]:
    """Upper bounds of all classes but the last (quantiles of the finite values)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return []
    qs = np.quantile(v, np.linspace(0, 1, classes + 1)[1:-1])
    return sorted({round(float(q), 2) for q in qs if v.min() < q < v.max()} or set())


class Choropleth(WholeLayerKind):
    """Polygons coloured by value."""

    kind: ClassVar[str] = "choropleth"

    def build(
        self, data: LayerData, index: int = 0, palette: dict[str, str] | None = None
    ) -> GeoLayer:
        spec, frame = data.spec, data.frame
        types = shapely.get_type_id(frame.geometry.values) if len(frame) else np.zeros(0)
        if len(frame) and not np.isin(types, (3, 6)).all():
            raise InputError(f"layer {spec.name!r}: a choropleth needs polygon geometries")
        values = pd.to_numeric(frame[COL_VALUE], errors="coerce").to_numpy(float)
        breaks = class_breaks(values)
        cls = np.searchsorted(np.asarray(breaks), values, side="left")
        labels, first = periods_of(frame)
        periods = sorted(first, key=lambda k: (pd.isna(first[k]), str(first[k]), k))
        pindex = {p: i for i, p in enumerate(periods)}
        feats = []
        records = frame.drop(columns=frame.geometry.name).to_dict("records")
        for i, (row, geom) in enumerate(zip(records, frame.geometry.values, strict=True)):
            feats.append(
                {
                    "geom": round_geojson(geom, tolerance=0.005),
                    "c": RAMP[int(cls[i])] if np.isfinite(values[i]) else NO_DATA,
                    "p": pindex.get(labels[i], -1),
                    "pop": popup_content(
                        row,
                        value_label=spec.value or "Value",
                        extra=spec.popup,
                        group=group_label(spec) or "Group",
                    ),
                    "tip": tooltip_text(row, unit="", missing="no data"),
                }
            )
        edges = (
            [float(np.nanmin(values))] + breaks + [float(np.nanmax(values))]
            if np.isfinite(values).any()
            else []
        )
        items = [
            {
                "label": f"{format_number(lo)} – {format_number(hi)}",
                "color": RAMP[i],
                "shape": "square",
            }
            for i, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False))
        ]
        if not np.isfinite(values).all():
            items.append({"label": "no data", "color": NO_DATA, "shape": "square"})
        cfg = self.payload(
            spec,
            shape="square",
            periods=periods,
            areas=[],
            feats=feats,
            legend={"title": spec.name, "items": items, "notes": []},
        )
        minx, miny, maxx, maxy = frame.total_bounds if len(frame) else [np.nan] * 4
        bounds = [[float(miny), float(minx)], [float(maxy), float(maxx)]] if len(frame) else None
        return GeoLayer(
            cfg,
            count=len(feats),
            sources=sources_of(frame),
            periods={p: first[p] for p in periods},
            bounds=bounds,
        ).at(*self._centres(frame))

    @staticmethod
    def _centres(frame: Any) -> tuple[Any, Any]:
        if not len(frame):
            return np.zeros(0), np.zeros(0)
        pts = shapely.point_on_surface(frame.geometry.values)
        return shapely.get_y(pts), shapely.get_x(pts)
