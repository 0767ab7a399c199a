"""geo.countries: the one reader of country data (codes, names, dataset spellings,
demonyms, outlines), without the gazetteer index."""

from __future__ import annotations

import pytest

from geo import countries


@pytest.mark.parametrize(
    "text,iso3",
    [
        ("KEN", "KEN"),
        ("ke", "KEN"),
        ("Kenya", "KEN"),
        ("DRC", "COD"),
        ("DR Congo (Zaire)", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("Myanmar (Burma)", "MMR"),
        ("Yemen (North Yemen)", "YEM"),
        ("Cambodia (Kampuchea)", "KHM"),
        ("Kingdom of eSwatini (Swaziland)", "SWZ"),
        ("Macedonia, FYR", "MKD"),
        ("Bosnia-Herzegovina", "BIH"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Western Sahara", "ESH"),
        ("the Central African Republic", "CAF"),
        ("Kenya (British East Africa)", "KEN"),  # a part in parentheses
    ],
)
def test_iso3_understands_codes_names_and_dataset_spellings(text, iso3):
    assert countries.iso3(text) == iso3


@pytest.mark.parametrize("text", ["", None, "Atlantis", "Ethiopia/Eritrea", "XX", 42])
def test_iso3_of_no_country_or_two_is_none(text):
    assert countries.iso3(text) is None


def test_get_name_iso2_and_demonyms():
    hti = countries.get("HTI")
    assert hti is not None and (hti.name, hti.iso2) == ("Haiti", "HT")
    assert countries.get("ht") == hti and countries.name("COD").startswith("Democratic")
    assert countries.iso2("Haiti") == "HT" and countries.get("ZZZ") is None
    assert countries.demonyms()["kenyan"] == "KEN"
    assert len(countries.all_countries()) > 240


def test_outlines_are_a_feature_collection():
    fc = countries.outlines()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 200
    assert {"iso3", "name"} <= set(fc["features"][0]["properties"])
