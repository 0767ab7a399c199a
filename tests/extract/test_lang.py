"""The language folders of geo/extract/lang/: each lexicon once, detection, --lang."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import InputError
from geo.extract import extract, lang

LANG = Path(lang.__file__).parent
CODES = lang.available()
# Lists of one concept: an entry may stand in one list of the group only.
GROUPS = {
    "kinds": ("kind.killed", "kind.injured", "kind.displaced", "kind.deployed"),
    "nouns": ("people", "not_people"),
}


def _entries(path: Path) -> list[str]:
    return [
        line.split(" #", 1)[0].strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_english_and_french_are_available() -> None:
    assert {"en", "fr"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_no_entry_is_written_twice_in_a_list(code: str) -> None:
    for path in sorted((LANG / code).glob("*.txt")):
        entries = _entries(path)
        doubles = sorted({e for e in entries if entries.count(e) > 1})
        assert not doubles, f"{path.name}: {doubles}"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_entry_is_in_two_lists_of_one_concept(code: str, group: str) -> None:
    seen: dict[str, str] = {}
    for name in GROUPS[group]:
        path = LANG / code / f"{name}.txt"
        for entry in _entries(path) if path.exists() else []:
            assert entry not in seen, f"{code}: {entry!r} in {seen[entry]} and {name}"
            seen[entry] = name
    if group == "nouns":  # a noun with a kind is a counted noun, never a not-people noun
        kinds = tomllib.loads((LANG / code / "head_kind.toml").read_text(encoding="utf-8"))
        both = sorted(set(kinds) & {e for e, n in seen.items() if n == "not_people"})
        assert not both, f"{code}: {both}"


@pytest.mark.parametrize("code", CODES)
def test_every_table_parses_and_names_a_language(code: str) -> None:
    for path in sorted((LANG / code).glob("*.toml")):
        tomllib.loads(path.read_text(encoding="utf-8"))
    assert lang.get(code).setting("name")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Au moins 15 civils ont été tués dans le territoire de Djugu, selon OCHA.", "fr"),
        ("At least 15 civilians were killed in Djugu territory, OCHA said.", "en"),
        ("12 345", "en"),
    ],
)
def test_the_language_of_a_report_is_detected(text: str, code: str) -> None:
    assert lang.detect(text) == code


def test_an_unknown_language_is_an_input_error_naming_the_choices() -> None:
    with pytest.raises(InputError, match="unknown report language 'xx'.*en, fr"):
        extract("12 people were killed.", language="xx")


def test_cli_lang_option_reads_french_and_refuses_unknown(tmp_path: Path) -> None:
    report = tmp_path / "rapport.txt"
    report.write_text("Au moins 15 civils ont été tués mardi.\n", encoding="utf-8")
    ok = CliRunner().invoke(cli, ["extract", str(report), "--lang", "fr"])
    assert ok.exit_code == 0, ok.output
    assert "killed,15" in ok.output
    bad = CliRunner().invoke(cli, ["extract", str(report), "--lang", "xx"])
    assert bad.exit_code != 0
    assert "unknown report language 'xx'" in bad.output


def test_one_foreign_function_word_does_not_switch_a_sentence() -> None:
    assert lang.detect("One death, plus other injuries reported.", min_hits=2) == "en"
    assert lang.detect("Some 1,200 people fled Goma.", default="fr", min_hits=2) == "en"
