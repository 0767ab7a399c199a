"""Fixtures of the extractor's tests: a fake gazetteer of French-speaking places."""

from __future__ import annotations

import pytest

from tests.extract_fakes import FakeGeocoder

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


class FrenchPlaces(FakeGeocoder):
    """Resolves exactly the names of FRENCH_PLACES."""

    known = FRENCH_PLACES


@pytest.fixture
def french_places() -> FrenchPlaces:
    return FrenchPlaces()
