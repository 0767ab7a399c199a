"""Layer kinds: one builder per kind, all on the shared machinery of ``layers/base.py``.

>>> sorted(KINDS)
['casualties', 'choropleth', 'deployment', 'displacement', 'events', 'flows']
>>> element = build_layer(layer_data)   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.errors import SpecError
from geo.kinds import KINDS as KIND_INFO
from geo.layers.base import GeoLayer, LayerKind, format_number, group_names, popup_content
from geo.layers.casualties import Casualties
from geo.layers.choropleth import Choropleth
from geo.layers.colors import assign
from geo.layers.deployment import Deployment
from geo.layers.displacement import Displacement
from geo.layers.events import Events
from geo.layers.flows import Flows
from geo.models import LayerData

# The builder of each kind in the registry (geo/kinds.py); tests/test_kinds.py checks that
# both name the same kinds.
KINDS: dict[str, type[LayerKind]] = {
    "casualties": Casualties,
    "choropleth": Choropleth,
    "deployment": Deployment,
    "displacement": Displacement,
    "events": Events,
    "flows": Flows,
}


def map_palettes(
    layers: Sequence[LayerData], fixed: dict[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Palette name -> {group: colour} over every layer of a map, so a group (Kenya) has
    one colour in all of them; ``fixed`` is the spec's ``[colors]`` table."""
    groups: dict[str, set[str]] = {}
    for data in layers:
        info = KIND_INFO.get(data.spec.kind)
        if info is not None:
            groups.setdefault(info.palette, set()).update(group_names(data.frame))
    return assign(groups, fixed)


def build_layer(
    data: LayerData, index: int = 0, palettes: dict[str, dict[str, str]] | None = None
) -> GeoLayer:
    """Build the map element of one layer; ``palettes`` from :func:`map_palettes` (None:
    the layer is coloured alone). Raises SpecError for an unknown kind and InputError for
    unusable rows (impossible coordinates, non-polygons in a choropleth)."""
    kind = KINDS.get(data.spec.kind)
    if kind is None:
        raise SpecError(
            f"layer {data.spec.name!r}, key kind: {data.spec.kind!r} is not a layer kind; "
            f"use one of {', '.join(sorted(KINDS))}"
        )
    builder = kind()
    palette = None if palettes is None else palettes.get(builder.info.palette, {})
    return builder.build(data, index, palette)


__all__ = [
    "KINDS",
    "GeoLayer",
    "build_layer",
    "format_number",
    "map_palettes",
    "popup_content",
]
