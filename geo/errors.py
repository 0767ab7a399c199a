"""The one exception hierarchy of geo.

Every error a user can cause derives from :class:`GeoError` and also from the matching
builtin, so callers may catch either (``except ValueError`` keeps working)::

    try:
        geo.build("maps/demo.toml")
    except geo.GeoError as exc:
        print(exc)  # "figures.csv row 14, column killed: '12O5' is not a number ..."
"""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error geo raises on purpose."""


class InputError(GeoError, ValueError):
    """A data file or a query is unusable; the message names file, row, column and fix."""


class SpecError(GeoError, ValueError):
    """A map spec (TOML) is invalid; the message names the key and the fix."""


class UnresolvedPlaceError(GeoError, LookupError):
    """Raised only in strict mode: some place names could not be geocoded."""


class GeocoderUnavailable(GeoError, OSError):
    """An online geocoder could not be reached (network down, timeout, refused)."""


class CacheError(GeoError, OSError):
    """The persistent geocoding cache cannot be opened or written."""


class BrowserUnavailable(GeoError, RuntimeError):
    """No headless Chromium was found for PNG export or browser checks."""


class OutputError(GeoError, OSError):
    """An output file could not be written."""


def where(file: object, row: int | None = None, column: str | None = None) -> str:
    """Format the location part of a message: ``figures.csv row 14, column killed``.

    ``row`` is the row as the user counts it (the header is row 1 in a CSV).
    """
    text = str(file)
    if row is not None:
        text += f" row {row}"
    if column is not None:
        text += (", column " if row is not None else " column ") + str(column)
    return text
