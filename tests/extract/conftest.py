"""Fixtures of the extractor's tests: a fake gazetteer of French-speaking places."""

from __future__ import annotations

import pytest

from geo.models import Place

# Real places, approximate coordinates (written for these tests).
FRENCH_PLACES = {
    "Djugu": (1.92, 30.5, "admin2", "COD"),
    "Ituri": (1.6, 29.4, "admin1", "COD"),
    "Fataki": (1.98, 30.53, "city", "COD"),
    "Oicha": (0.7, 29.52, "city", "COD"),
    "Beni": (0.49, 29.47, "city", "COD"),
    "Nord-Kivu": (-0.8, 29.0, "admin1", "COD"),
    "Goma": (-1.68, 29.22, "city", "COD"),
    "Bunia": (1.56, 30.25, "city", "COD"),
    "RDC": (-2.9, 23.6, "country", "COD"),
    "Mali": (17.6, -4.0, "country", "MLI"),
    "Mopti": (14.5, -4.2, "city", "MLI"),
    "Haïti": (19.0, -72.7, "country", "HTI"),
    "Port-au-Prince": (18.54, -72.34, "city", "HTI"),
}


class FrenchPlaces:
    """Resolves exactly the names of FRENCH_PLACES."""

    name = "fake"

    def geocode(self, query: str, country: str | None = None) -> Place:
        hit = FRENCH_PLACES.get(query)
        if hit is None:
            return Place.unresolved(query, source=self.name)
        lat, lon, precision, iso3 = hit
        return Place(
            query=query,
            resolved=True,
            name=query,
            lat=lat,
            lon=lon,
            precision=precision,
            country=iso3,
            source=self.name,
            score=1.0,
        )


@pytest.fixture
def french_places() -> FrenchPlaces:
    return FrenchPlaces()
