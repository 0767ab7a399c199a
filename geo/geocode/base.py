"""The Geocoder protocol every backend (offline, online, cache, chain) follows."""

from __future__ import annotations

import unicodedata
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


MAX_QUERY_LENGTH = 1000


def query_problem(query: object) -> str | None:
    """Why ``query`` cannot be geocoded, or None when it is usable text.

    Every backend checks this first: empty, over-long, binary or control-character queries
    are left unresolved with a warning, never a traceback.

    >>> query_problem("Goma"), query_problem("   "), query_problem("Go\\x00ma")
    (None, 'it is empty', 'it contains control characters')
    """
    if not isinstance(query, str):
        return f"it is a {type(query).__name__}, not text"
    if not query.strip():
        return "it is empty"
    if len(query) > MAX_QUERY_LENGTH:
        return f"it is {len(query):,} characters long (the limit is {MAX_QUERY_LENGTH:,})"
    if "\ufffd" in query:  # what a decoder leaves for bytes that are not text
        return "it contains undecodable bytes (U+FFFD)"
    if query.isprintable():
        return None
    for ch in query:
        if ch.isprintable() or ch in " \t":
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc":
            return "it contains control characters"
        if cat == "Cs":
            return "it contains undecodable bytes"
        if cat in ("Co", "Cn"):
            return f"it contains an invalid character (U+{ord(ch):04X})"
    return None
