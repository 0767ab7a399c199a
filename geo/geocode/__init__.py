"""Geocoding: offline gazetteer by default, cache and opt-in online backend."""

from geo.geocode.base import Geocoder
from geo.geocode.chain import geocode, geocode_many

__all__ = ["Geocoder", "geocode", "geocode_many"]
