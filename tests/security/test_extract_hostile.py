"""``geo extract`` on hostile text: bounded sentences (linear time) and spreadsheet-safe CSV.

Speed itself is measured by ``bench/bench_extract_hostile.py`` (no timed tests); these tests
pin the mechanism that keeps it linear: no segment of text the rules read is unbounded.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.extract.reader import MAX_RUN, MAX_SENTENCE, report_from_text


def _sentences(text: str) -> list[str]:
    return [s for para in report_from_text(text).paragraphs for s in para]


@pytest.mark.parametrize(
    "line",
    [
        "{i} killed in Goma\n",  # one incident per line, no full stop (chat, tables)
        "{i} killed in Goma,\n",
        "killed {i} people in goma\n",
        "{i} killed in Goma\r",  # old Mac line ends
        "{i} killed in Goma ",  # one endless line
        "{i} killed in Goma, ",
        "Gen. Dr. {i} ",  # abbreviations are no sentence end
    ],
)
def test_no_sentence_grows_with_the_input(line: str) -> None:
    text = "".join(line.format(i=i) for i in range(1, 3000))
    longest = max(len(s) for s in _sentences(text))
    assert longest <= MAX_SENTENCE
    assert longest <= MAX_RUN + 40 or "\n" not in line  # cut at a line break


def test_wrapped_sentences_are_still_joined() -> None:
    text = (
        "Fighting between the army and rebels in the hills above Goma displaced\n"
        "about 2,000 people on Monday, the local authorities said in a statement\n"
        "issued late on Tuesday.\n"
    )
    assert _sentences(text) == [" ".join(text.split())]


def test_unpunctuated_lines_give_one_row_each_with_their_own_evidence(tmp_path: Path) -> None:
    report = tmp_path / "chat.txt"
    report.write_text("".join(f"{i} killed in Goma\n" for i in range(1, 400)))
    out = tmp_path / "figures.csv"
    result = CliRunner().invoke(cli, ["extract", str(report), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(float(r["value"]) for r in rows) == [float(i) for i in range(1, 400)]
    # the evidence is the few lines around the figure, not the whole file
    assert max(len(r["evidence"]) for r in rows) <= MAX_RUN + 40


HOSTILE_LINES = [
    '=HYPERLINK("http://127.0.0.1:9/x","details") 5 people were killed in Goma.',
    "+1+cmd|' /C calc'!A0 and 7 people were killed in Goma.",
    "@SUM(1+1) 9 people were killed in Goma.",
    "\t=1+1 11 people were killed in Goma.",
]


def _extract(tmp_path: Path, name: str, fmt: str) -> str:
    report = tmp_path / name
    report.write_text("\n\n".join(HOSTILE_LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(report), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_cells_never_start_like_a_formula(tmp_path: Path) -> None:
    text = _extract(tmp_path, "=1+1.txt", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row.values() if cell and not _number(cell)]
    assert not [c for c in cells if c[0] in "=+-@\t\r"]
    assert {r["lat"] for r in rows} == {"-1.67409"}  # numbers stay numbers
    evidence = sorted(r["evidence"] for r in rows)
    assert evidence[0].startswith("'") and "HYPERLINK" in "".join(evidence)
    assert {r["report"] for r in rows} == {"'=1+1.txt"}
    assert {float(r["value"]) for r in rows} >= {5.0, 7.0, 9.0, 11.0}


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_json_keeps_the_text_as_written(tmp_path: Path) -> None:
    text = _extract(tmp_path, "=1+1.txt", "json")
    rows = [json.loads(line) for line in text.splitlines()]
    assert {r["report"] for r in rows} == {"=1+1.txt"}
    assert any(r["evidence"].startswith("=HYPERLINK") for r in rows)


def test_places_csv_is_spreadsheet_safe_too(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("=Goma saw fighting in Goma on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--places", str(report)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    cells = [c for r in rows for c in r.values() if c and not _number(c)]
    assert cells and not [c for c in cells if c[0] in "=+-@"]
