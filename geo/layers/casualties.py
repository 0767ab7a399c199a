"""Casualties layer: red circles sized by killed (by the best estimate when low/best/high
are given, with the range in the popup); injured and other sub-counts come through the
``details`` column. With ``heatmap = true`` exact points also feed a heat surface, but
province-, region- and country-level figures never do: they stay dashed symbols.

>>> Casualties().build(layer_data)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from geo.layers.base import APPROXIMATE, Kind, _details
from geo.models import COL_DETAILS, COL_PRECISION, COL_VALUE, LayerSpec


class Casualties(Kind):
    """Circles by killed; heat surface of exact points on request."""

    kind: ClassVar[str] = "casualties"
    color: ClassVar[str] = "#c53030"
    value_label: ClassVar[str] = "Killed"
    unit: ClassVar[str] = "killed"
    max_radius: ClassVar[float] = 28.0

    def sizes(self, frame: Any) -> np.ndarray:
        """Size by the best estimate when the details carry one, else by killed."""
        values = super().sizes(frame)
        if COL_DETAILS not in frame:
            return values
        best = [
            next(
                (v for k, v in _details({COL_DETAILS: d}).items() if str(k).lower() == "best"), None
            )
            for d in frame[COL_DETAILS]
        ]
        best_arr = pd.to_numeric(pd.Series(best, dtype=object), errors="coerce").to_numpy(float)
        return np.where(np.isfinite(best_arr), best_arr, values)

    def extend(self, cfg: dict[str, Any], frame: Any, lat: Any, lon: Any, spec: LayerSpec) -> None:
        if not spec.heatmap:
            return
        exact = ~frame[COL_PRECISION].astype(str).isin(APPROXIMATE).to_numpy()
        weight = pd.to_numeric(frame[COL_VALUE], errors="coerce").fillna(1.0).to_numpy(float)
        cfg["heat"] = [
            [round(float(a), 5), round(float(o), 5), float(w)]
            for a, o, w, ok in zip(lat, lon, weight, exact, strict=True)
            if ok
        ]
        cfg["legend"]["notes"].append(
            "Heat surface: exact locations only; approximate figures are not included."
        )
