"""The one table of forces and missions (geo/extract/forces.toml) and the demonym tables."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

from geo.extract import extract, forces, lang

from .conftest import FrenchPlaces

places_module = importlib.import_module("geo.extract.places")


def test_each_force_is_written_once() -> None:
    rows = tomllib.loads(Path(forces.__file__).with_name("forces.toml").read_text("utf-8"))
    names = [f["name"] for f in rows["force"]]
    assert len(names) == len(set(names))
    assert all(f.get("actor") or f.get("presence") or f.get("country") for f in rows["force"])


def test_a_mission_places_a_figure_when_the_sentence_names_no_place() -> None:
    assert places_module.mission_country("Since 2014, 213 MINUSCA personnel died.") == "CAF"
    assert forces.MISSIONS["MONUSCO"] == "COD"


def test_french_demonyms_are_read_with_french() -> None:
    with lang.using("fr"):
        assert places_module.demonyms()["népalais"] == "NPL"
    assert "népalais" not in places_module.demonyms()  # English reading: not a demonym


def test_a_french_demonym_is_an_actor_not_a_place(french_places: FrenchPlaces) -> None:
    frame = extract("370 casques bleus népalais sont déployés à Fataki.", geocoder=french_places)
    assert frame.place.tolist() == ["Fataki"]
