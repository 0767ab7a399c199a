"""The Geocoder protocol every backend (offline, online, cache, chain) follows."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from geo.models import Place


@runtime_checkable
class Geocoder(Protocol):
    """Turns one place name into a :class:`~geo.models.Place`.

    An unknown name is not an error: return ``Place.unresolved(query)``.
    ``country`` is an optional ISO2/ISO3 code or country name that restricts or ranks
    candidates.
    """

    name: str

    def geocode(self, query: str, country: str | None = None) -> Place: ...
