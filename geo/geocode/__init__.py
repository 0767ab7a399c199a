"""Geocoding: offline gazetteer by default, cache and opt-in online backend."""

from geo._callable import make_callable
from geo.geocode.base import Geocoder
from geo.geocode.chain import geocode, geocode_many

__all__ = ["Geocoder", "geocode", "geocode_many"]

make_callable(__name__, geocode)  # geo.geocode("Goma") calls geocode (see geo/_callable.py)
