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
from geo.extract import extract
from geo.geocode import geocode, geocode_many
from geo.models import Alternative, LayerSpec, Place
from geo.spec import BuildResult, build, load_spec

__all__ = sorted(
    [
        "Alternative",
        "BuildResult",
        "GeoError",
        "GeocoderUnavailable",
        "InputError",
        "LayerSpec",
        "Place",
        "SpecError",
        "UnresolvedPlaceError",
        "build",
        "extract",
        "geocode",
        "geocode_many",
        "load_spec",
    ]
)
