"""Displacement layer: proportional squares in a purple ramp, so a reader never confuses
them with casualty circles.

>>> Displacement().build(layer_data)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

from geo.layers.base import Kind


class Displacement(Kind):
    """Proportional squares by people displaced."""

    kind: ClassVar[str] = "displacement"
    shape: ClassVar[str] = "square"
    color: ClassVar[str] = "#6a3d9a"
    value_label: ClassVar[str] = "Displaced"
    unit: ClassVar[str] = "people displaced"
    max_radius: ClassVar[float] = 24.0
