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


def __getattr__(name: str) -> object:
    # The map builder pulls in pandas, geopandas and folium; loading it only when asked
    # keeps `import geo` (and so `geo geocode`) fast. Same names, resolved on first use.
    if name in ("BuildResult", "build", "load_spec"):
        import importlib

        module = importlib.import_module("geo.spec" if name == "load_spec" else "geo.builder")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
