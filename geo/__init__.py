"""geo: geocode the place names of crisis reporting and draw layered offline maps.

Public API (everything else is private)::

    import geo
    place = geo.geocode("eastern DRC")      # Place(precision='region', ...)
    places = geo.geocode_many(["Goma", "Bunia"], country="COD")
"""

from geo.errors import (
    GeocoderUnavailable,
    GeoError,
    InputError,
    SpecError,
    UnresolvedPlaceError,
)
from geo.geocode import geocode, geocode_many
from geo.models import Alternative, LayerSpec, Place

__all__ = sorted(
    [
        "Alternative",
        "GeoError",
        "GeocoderUnavailable",
        "InputError",
        "LayerSpec",
        "Place",
        "SpecError",
        "UnresolvedPlaceError",
        "geocode",
        "geocode_many",
    ]
)
