"""Chain of geocoders (cache -> offline -> online) and the public geocode functions.

PLACEHOLDER: replaced by the full implementation.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.models import Place


def geocode(query: str, country: str | None = None, *, online: bool = False) -> Place:
    return Place.unresolved(query)


def geocode_many(
    queries: Iterable[str | tuple[str, str | None]],
    country: str | None = None,
    *,
    online: bool = False,
    progress: bool = False,
) -> list[Place]:
    out = []
    for q in queries:
        text, hint = (q, country) if isinstance(q, str) else (q[0], q[1] or country)
        out.append(geocode(text, hint, online=online))
    return out
