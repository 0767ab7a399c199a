"""Each named kind rule decides its own example sentence, and rows say which rule fired."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.extract import extract
from geo.extract.kinds import KIND_RULES, read_kind
from geo.extract.numbers import find_numbers

from .conftest import FrenchPlaces


def test_rule_names_are_unique_and_each_has_an_example() -> None:
    names = [r.name for r in KIND_RULES]
    assert len(names) == len(set(names))
    assert all(r.example and find_numbers(r.example) for r in KIND_RULES)


@pytest.mark.parametrize("rule", KIND_RULES, ids=lambda r: r.name)
def test_each_rule_decides_its_example(rule) -> None:  # type: ignore[no-untyped-def]
    num = find_numbers(rule.example)[0]
    found = read_kind(rule.example[: num.start], num.text, rule.example[num.end :])
    assert found[3] == rule.name, found


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Au moins 15 civils ont été tués à Beni.", "noun-then-kind-word"),
        ("Les ADF ont tué 23 civils à Oicha.", "verb-before-count"),
        ("Le bilan est de 26 morts à Beni.", "noun-names-kind"),
        ("Plus de 3 300 militaires sont déployés en Ituri.", "noun-then-kind-word"),
        ("Le plan pour le Mali sollicite 563 millions de dollars.", "funding-amount"),
    ],
)
def test_rows_name_the_rule_that_gave_their_kind(
    french_places: FrenchPlaces, text: str, rule: str
) -> None:
    frame = extract(text, geocoder=french_places, explain=True)
    assert frame.rule.tolist() == [rule]


def test_rule_column_only_when_asked(french_places: FrenchPlaces) -> None:
    assert "rule" not in extract("12 people were killed in Beni.", geocoder=french_places)


def test_cli_explain_adds_the_rule_column(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("Fighting killed 14 soldiers on Monday.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", str(report), "--explain"])
    assert out.exit_code == 0, out.output
    header, row = out.output.splitlines()[:2]
    assert header.endswith(",rule") and row.endswith(",verb-before-count")
