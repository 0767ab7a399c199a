"""Layer kinds: one builder per kind, all on the shared machinery of ``layers/base.py``.

>>> sorted(KINDS)
['casualties', 'choropleth', 'deployment', 'displacement', 'events', 'flows']
>>> element = build_layer(layer_data)   # doctest: +SKIP
"""

from __future__ import annotations

from geo.errors import SpecError
from geo.layers.base import GeoLayer, LayerKind, format_number, popup_content
from geo.layers.casualties import Casualties
from geo.layers.choropleth import Choropleth
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


def build_layer(data: LayerData, index: int = 0) -> GeoLayer:
    """Build the map element of one layer; raises SpecError for an unknown kind and
    InputError for unusable rows (impossible coordinates, non-polygons in a choropleth)."""
    kind = KINDS.get(data.spec.kind)
    if kind is None:
        raise SpecError(
            f"layer {data.spec.name!r}, key kind: {data.spec.kind!r} is not a layer kind; "
            f"use one of {', '.join(sorted(KINDS))}"
        )
    return kind().build(data, index)


__all__ = ["KINDS", "GeoLayer", "build_layer", "format_number", "popup_content"]
