"""The registry of layer kinds: what each kind IS, as data, so the modules that read,
join, aggregate, export and draw layers ask the registry instead of testing kind names.

This module is plain data (no pandas, no folium), low in the import order, so the spec
loader, the join, the out-of-core reader and the layer builders can all read it. The
builder of each kind lives in ``geo/layers/<kind>.py`` and is registered in
``geo/layers/__init__.py`` under the same name (a test checks both lists agree).

>>> KINDS["flows"].origin, KINDS["events"].aggregated, KINDS["choropleth"].geometry
(True, False, 'polygon')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class KindInfo:
    """What a layer kind declares.

    ``aggregated``: rows are summed per place, group, origin and date (False: every row is
    drawn, as events are); ``presence``: an empty value means "present, no count";
    ``stock``: a figure is a level at a date (people deployed or displaced), not a count
    that adds up over time; ``origin``: the layer needs an ``origin`` column (flows);
    ``geometry``: what it exports and draws, a point per place or a polygon per area;
    ``drawer``: the runtime function family that draws it (``vector``: one SVG element
    per feature; ``events``: one columnar blob on a canvas); ``palette``: the colour
    family of its groups, so different meanings never share colours (geo/layers/colors.py).
    """

    name: str
    aggregated: bool = True
    presence: bool = False
    stock: bool = False
    origin: bool = False
    geometry: Literal["point", "polygon"] = "point"
    drawer: Literal["vector", "events"] = "vector"
    palette: str = "groups"


KINDS: dict[str, KindInfo] = {
    k.name: k
    for k in (
        KindInfo("deployment", presence=True, stock=True),
        KindInfo("flows", presence=True, stock=True, origin=True),
        KindInfo("casualties"),
        KindInfo("displacement", stock=True),
        KindInfo("events", aggregated=False, drawer="events", palette="events"),
        KindInfo("choropleth", geometry="polygon"),
    )
}


def kind_info(name: str) -> KindInfo:
    """The registry entry of ``name``; KeyError for an unknown kind (the spec loader
    reports unknown kinds to the user before anything asks here)."""
    return KINDS[name]
