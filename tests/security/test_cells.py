"""Cells and workbooks: counts in other digit systems are read (never silently dropped),
and a workbook that unpacks to far more than its size is refused before it is read
(issue 16)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import InputError
from geo.figures import XLSX_RATIO_FROM, parse_numbers, read_table


@pytest.mark.parametrize(
    "cell, value",
    [
        ("٣٦٠٠", 3600.0),  # Arabic-Indic
        ("۳۶۰۰", 3600.0),  # Extended Arabic-Indic (Persian, Urdu)
        ("３６００", 3600.0),  # full-width
        ("٣٬٦٠٠", 3600.0),  # with the Arabic thousands separator
        ("३६००", 3600.0),  # Devanagari
        ("3,600", 3600.0),
    ],
)
def test_counts_in_other_digits_are_numbers(tmp_path: Path, cell: str, value: float) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f'place,killed\nGoma,"{cell}"\nBeni,12\n', encoding="utf-8")
    assert parse_numbers(read_table(path), "killed").tolist() == [value, 12.0]


def test_a_casualties_layer_keeps_the_arabic_indic_row(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("lat,lon,killed\n-1.67,29.22,٣٦٠٠\n", encoding="utf-8")
    (tmp_path / "m.toml").write_text(
        'title = "T"\n[[layers]]\nname = "K"\nkind = "casualties"\ndata = "rows.csv"\n'
        'lat = "lat"\nlon = "lon"\nvalue = "killed"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "m.toml")])
    assert result.exit_code == 0, result.output
    assert "1 feature from 1 row" in result.output


def _bomb(path: Path) -> None:
    frame = pd.DataFrame({"place": ["Goma"], "killed": [1]})
    frame.to_excel(path, index=False)
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    row = b'<row><c t="inlineStr"><is><t>Goma</t></is></c><c><v>1</v></c></row>'
    rows = row * (XLSX_RATIO_FROM // len(row) + 10)
    sheet = parts["xl/worksheets/sheet1.xml"]
    start, end = sheet.index(b"<sheetData>") + len(b"<sheetData>"), sheet.index(b"</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + rows + sheet[end:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_an_xlsx_decompression_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _bomb(path)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(InputError, match="bomb.xlsx: the workbook unpacks to .* MB"):
        read_table(path)


def test_an_ordinary_workbook_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    pd.DataFrame({"place": ["Goma"] * 1000, "killed": range(1000)}).to_excel(path, index=False)
    assert len(read_table(path)) == 1000
