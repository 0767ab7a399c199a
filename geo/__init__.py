"""geo: geocode the place names of crisis reporting and draw layered offline maps.

Public API (everything else is private)::

    import geo
    place = geo.geocode("eastern DRC")      # Place(precision='region', ...)
    places = geo.geocode_many(["Goma", "Bunia"], country="COD")
"""

from geo import geocode
from geo.errors import (
    GeocoderUnavailable,
    GeoError,
    InputError,
    SpecError,
    UnresolvedPlaceError,
)
from geo.geocode import geocode_many
from geo.models import Alternative, LayerSpec, Place

__all__ = [
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

# Loaded on first use: the map builder pulls in pandas, geopandas and folium, the
# extractor its rules and lexicons; `import geo` (and so `geo --help`, `geo geocode`)
# stays fast. ``geo.geocode`` and ``geo.extract`` are their packages, callable as the
# function they are named after (see geo/_callable.py), so their submodules import.
_LAZY = {
    "BuildResult": "geo.builder",
    "build": "geo.builder",
    "load_spec": "geo.spec",
}


def __getattr__(name: str) -> object:
    import importlib

    if name == "extract":
        return importlib.import_module("geo.extract")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
