"""A six-place gazetteer shared by the join and build tests: enough to exercise joining and
building without the real index."""

from __future__ import annotations

from shapely.geometry import box

from geo.models import Place

PLACES = {
    "port-au-prince": Place("Port-au-Prince", True, "Port-au-Prince", 18.54, -72.34, "city", "HTI"),
    "cap-haïtien": Place("Cap-Haïtien", True, "Cap-Haïtien", 19.76, -72.2, "city", "HTI"),
    "haiti": Place(
        "Haiti",
        True,
        "Haiti",
        19.0,
        -72.7,
        "country",
        "HTI",
        geometry=box(-74.5, 18.0, -71.6, 20.1),
    ),
    "eastern drc": Place(
        "eastern DRC", True, "eastern DRC", -1.5, 28.5, "region", "COD", geometry=box(27, -5, 30, 3)
    ),
    "kenya": Place("Kenya", True, "Kenya", 0.5, 38.0, "country", "KEN"),
    "nairobi": Place("Nairobi", True, "Nairobi", -1.29, 36.82, "city", "KEN"),
}


class FakeGeocoder:
    """Answers from :data:`PLACES`; records every look-up in ``calls``."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def geocode(self, query: str, country: str | None = None) -> Place:
        self.calls.append((query, country))
        return PLACES.get(query.strip().lower(), Place.unresolved(query))
