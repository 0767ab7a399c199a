"""Deployment layer: circles whose AREA is proportional to personnel, coloured by
contributor (the group column); rows without a count are drawn as hollow dashed rings
and say "present (no count)" in their popup.

>>> Deployment().build(layer_data)   # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

from geo.layers.base import Kind


class Deployment(Kind):
    """Proportional circles by personnel; presence-only rows hollow."""

    kind: ClassVar[str] = "deployment"
    color: ClassVar[str] = "#2b6cb0"
    value_label: ClassVar[str] = "Personnel"
    group_name: ClassVar[str] = "Contributor"
    unit: ClassVar[str] = "personnel"
    missing: ClassVar[str] = "present (no count)"
    max_radius: ClassVar[float] = 30.0
    min_radius: ClassVar[float] = 6.0
