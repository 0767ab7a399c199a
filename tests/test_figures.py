"""Reading and validating figure tables (geo/figures.py)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.figures import (
    check_places,
    find_column,
    parse_coordinates,
    parse_dates,
    parse_numbers,
    read_table,
    warn_duplicates,
)

DATA = Path(__file__).parent / "data"

FRAME = pd.DataFrame(
    {"place": ["Port-au-Prince", "Léogâne"], "killed": [1200, 3], "source": ["A", "B"]}
)


def _table(column: str, values: list[object], file: str = "figures.csv") -> pd.DataFrame:
    table = pd.DataFrame({column: values}, index=range(2, 2 + len(values)))
    table.attrs.update(file=file, row_word="row")
    return table


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    "content, encoding",
    [
        ("place,killed\nPort-au-Prince,1200\nLéogâne,3\n", "utf-8"),
        ("place,killed\nPort-au-Prince,1200\nLéogâne,3\n", "utf-8-sig"),  # Excel's BOM
        ("place;killed\nPort-au-Prince;1200\nLéogâne;3\n", "utf-8"),
        ("place\tkilled\nPort-au-Prince\t1200\nLéogâne\t3\n", "utf-8"),
        ("place,killed\r\nPort-au-Prince,1200\r\nLéogâne,3\r\n", "cp1252"),
        ("place,killed\nPort-au-Prince,1200\nLéogâne,3\n", "utf-16"),
    ],
    ids=["utf8", "bom", "semicolon", "tab", "cp1252-crlf", "utf16"],
)
def test_read_csv_variants(tmp_path: Path, content: str, encoding: str) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(content.encode(encoding))
    table = read_table(path)
    assert list(table.columns) == ["place", "killed"]
    assert table["place"].tolist() == ["Port-au-Prince", "Léogâne"]
    assert table.index.tolist() == [2, 3]  # the header is row 1
    assert table.attrs["file"] == "figures.csv"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b"\x00\x01\x02binary\xff\xfe\x00", "binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook", "rename it to .xlsx"),
    ],
    ids=["binary", "xlsx-named-csv"],
)
def test_a_csv_that_is_not_text_says_what_it_is(tmp_path: Path, raw: bytes, fragment: str):
    # Regression: a binary file was decoded as cp1252 and failed deep in the CSV parser.
    path = tmp_path / "figures.csv"
    path.write_bytes(raw)
    with pytest.raises(InputError, match=fragment) as err:
        read_table(path)
    assert "figures.csv" in str(err.value)


def test_read_csv_keeps_text_exact_and_row_numbers_after_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        'place,killed,note\n"Goma, North Kivu",007,"a, b"\n\nBunia,1,\n', encoding="utf-8"
    )
    table = read_table(path)
    assert table.loc[2, "place"] == "Goma, North Kivu"
    assert table.loc[2, "killed"] == "007"  # text, so errors can quote the cell as written
    assert table.index.tolist() == [2, 4]  # the blank line 3 is skipped but still counted


def test_read_latin1_semicolon_fixture() -> None:
    table = read_table(DATA / "latin1_semicolon.csv")
    assert table["place"].tolist() == ["Léogâne", "Cap-Haïtien"]
    assert table["source"].iloc[0] == "Rapport – mars"


def test_read_xlsx_with_sheet(tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        FRAME.to_excel(writer, sheet_name="Haiti", index=False)
    table = read_table(path, sheet="Haiti")
    assert table["place"].tolist() == ["Port-au-Prince", "Léogâne"]
    assert parse_numbers(table, "killed").tolist() == [1200.0, 3.0]
    assert table.index.tolist() == [2, 3]
    with pytest.raises(InputError, match=r"figures.xlsx: no sheet 'haiti' \(did you mean 'Haiti'"):
        read_table(path, sheet="haiti")


@pytest.mark.parametrize("suffix, layer", [(".geojson", None), (".gpkg", "points")])
def test_read_geo_formats_give_lat_lon(tmp_path: Path, suffix: str, layer: str | None) -> None:
    path = tmp_path / f"figures{suffix}"
    frame = gpd.GeoDataFrame(
        FRAME, geometry=[Point(-72.34, 18.54), Point(-72.63, 18.51)], crs="EPSG:4326"
    )
    frame.to_file(path, layer=layer, engine="pyogrio")
    table = read_table(path, sheet=layer)
    assert table["lat"].round(2).tolist() == [18.54, 18.51]
    assert table["lon"].round(2).tolist() == [-72.34, -72.63]
    assert table.attrs["row_word"] == "feature" and table.index.tolist() == [1, 2]
    if layer:
        with pytest.raises(InputError, match="no layer 'pointz'"):
            read_table(path, sheet="pointz")


def test_read_parquet(tmp_path: Path) -> None:
    path = tmp_path / "figures.parquet"
    FRAME.to_parquet(path)
    table = read_table(path)
    assert table["killed"].tolist() == [1200, 3]
    assert table.attrs["row_word"] == "record"


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("missing.csv", None, "missing.csv: data file not found"),
        ("figures.ods", b"x", "unsupported file type '.ods'"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5\n", "ragged.csv row 3: 3 cells where the header has 2"),
        ("dup.csv", b"place,place\n1,2\n", "column 'place' appears twice"),
        ("bad.xlsx", b"not a zip", "bad.xlsx: not a readable XLSX workbook"),
    ],
)
def test_read_errors(tmp_path: Path, name: str, content: bytes | None, fragment: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_table(path)
    assert fragment in str(err.value)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text, value",
    [
        ("1200", 1200.0),
        ("1,200", 1200.0),
        ("1 200", 1200.0),
        ("1\u00a0200", 1200.0),
        ("1,234,567", 1234567.0),
        ("12.5", 12.5),
        (" 800 ", 800.0),
        ("0", 0.0),
        ("", np.nan),
    ],
)
def test_parse_numbers_good(text: str, value: float) -> None:
    got = parse_numbers(_table("killed", [text]), "killed").iloc[0]
    assert (np.isnan(got) and np.isnan(value)) or got == value


@pytest.mark.parametrize(
    "values, fragment",
    [
        (
            ["1", "12O5"],
            "figures.csv row 3, column killed: '12O5' is not a number; use digits only, e.g. 1205",
        ),
        (
            ["about 800"],
            "row 2, column killed: 'about 800' is not a number; use digits only, "
            "e.g. 800 (put qualifiers such as 'more than' in a separate column)",
        ),
        (["1,2"], "'1,2' is not a number"),
        (["nan"], "'nan' is not a number"),
        (["-5"], "row 2, column killed: '-5' is negative; a count must be 0 or more"),
        (["x", "1", "y"], "(also row 4)"),
    ],
)
def test_parse_numbers_bad(values: list[str], fragment: str) -> None:
    with pytest.raises(InputError) as err:
        parse_numbers(_table("killed", values), "killed")
    assert fragment in str(err.value)


def test_parse_numbers_native_negative() -> None:
    with pytest.raises(InputError, match="row 3, column killed: -2 is negative"):
        parse_numbers(_table("killed", [1, -2]), "killed")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text, date, label",
    [
        ("2025-08-20", "2025-08-20", "2025-08-20"),
        ("2025-08", "2025-08-01", "2025-08"),
        ("2025", "2025-01-01", "2025"),
        ("2025-08-20T14:00:00", "2025-08-20", "2025-08-20"),
        ("20 August 2025", "2025-08-20", "2025-08-20"),
        ("2024-06/2025-08", "2024-06-01", "2024-06 – 2025-08"),
        ("2024-06 – 2025-08", "2024-06-01", "2024-06 – 2025-08"),
    ],
)
def test_parse_dates_good(text: str, date: str, label: str) -> None:
    dates, labels = parse_dates(_table("date", [text]), "date")
    assert dates.iloc[0] == pd.Timestamp(date)
    assert labels.iloc[0] == label


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("last week", "figures.csv row 2, column date: 'last week' is not a date; use YYYY-MM-DD"),
        ("08/06/2025", "'08/06/2025' is ambiguous (day/month or month/day?)"),
        ("2025-13-01", "'2025-13-01' is not a date"),
        ("2025-08/2024-01", "is not a date"),  # a period that ends before it starts
    ],
)
def test_parse_dates_bad(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        parse_dates(_table("date", ["2025-01-01", text]), "date")
    assert fragment.replace("row 2", "row 3") in str(err.value)


def test_parse_dates_empty_is_nat() -> None:
    dates, labels = parse_dates(_table("date", ["", "2025-01-01"]), "date")
    assert pd.isna(dates.iloc[0]) and labels.iloc[0] is None


# --------------------------------------------------------------------------- places, coords


def test_coordinates_ok_and_out_of_range() -> None:
    table = pd.DataFrame({"lat": ["18.5", "-1.68"], "lon": ["-72.3", "29.22"]}, index=[2, 3])
    table.attrs["file"] = "events.csv"
    lat, lon = parse_coordinates(table, "lat", "lon")
    assert lat.tolist() == [18.5, -1.68] and lon.tolist() == [-72.3, 29.22]
    table.loc[3, "lat"] = "95"
    with pytest.raises(
        InputError,
        match=r"events.csv row 3, column lat: '95' is out of range; "
        r"latitude must be between -90 and 90",
    ):
        parse_coordinates(table, "lat", "lon")
    table.loc[3, "lat"], table.loc[3, "lon"] = "1", "200"
    with pytest.raises(InputError, match="column lon: '200' is out of range"):
        parse_coordinates(table, "lat", "lon")
    table.loc[3, "lon"] = ""
    with pytest.raises(InputError, match="row 3, column lon: '' is empty; give both"):
        parse_coordinates(table, "lat", "lon")


def test_empty_place() -> None:
    table = _table("place", ["Goma", "  ", "Bunia"])
    with pytest.raises(
        InputError,
        match=r"figures.csv row 3, column place: '' is empty; "
        r"write a place name",
    ):
        check_places(table, "place")


def test_find_column_did_you_mean_and_case() -> None:
    table = _table("personnel", [1])
    table["Place"] = ["Goma"]
    assert find_column(table, "place") == "Place"
    with pytest.raises(InputError) as err:
        find_column(table, "personal", key="value")
    assert str(err.value) == (
        "figures.csv: no column 'personal' (value) (did you mean 'personnel'?); "
        "the columns are: personnel, Place"
    )


def test_duplicates_are_warned_not_dropped(caplog: pytest.LogCaptureFixture) -> None:
    table = read_table(DATA / "casualties.csv")
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert warn_duplicates(table) == 1
    assert "casualties.csv: 1 duplicated row (rows 5, 6); they are kept" in caplog.text
    assert len(table) == 6


def test_large_csv_is_read_and_validated_quickly(tmp_path: Path) -> None:
    n = 200_000
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "place": rng.choice(["Goma", "Bunia", "Beni"], n),
            "killed": rng.integers(0, 5000, n),
            "date": rng.choice(["2025-01-01", "2025-02-01", "2025-03-01"], n),
        }
    )
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    start = time.perf_counter()
    table = read_table(path)
    parse_numbers(table, "killed")
    parse_dates(table, "date")
    check_places(table, "place")
    assert len(table) == n
    assert time.perf_counter() - start < 10  # ~1 s on a shared 2-core machine


# --------------------------------------------------------------------------- projection

WIDE = (
    "place,notes,killed,junk\n"
    'Port-au-Prince,"a, quoted note",1200,"#N/A, =1/0 ""?"""\n'
    ",,,\n"  # blank: dropped
    ",only a note,,\n"  # blank where read, but not blank: kept
    "Léogâne,,3,99\n"
)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_read_table_columns_reads_only_those(tmp_path: Path, suffix: str) -> None:
    csv_path = tmp_path / "figures.csv"
    csv_path.write_text(WIDE, encoding="utf-8")
    path = tmp_path / f"figures{suffix}"
    if suffix == ".parquet":
        read_table(csv_path).to_parquet(path)
    elif suffix == ".xlsx":
        read_table(csv_path).to_excel(path, index=False)
    seen: list[list[str]] = []

    def pick(header: pd.DataFrame) -> list[str]:
        seen.append(list(header.columns))
        assert header.attrs["file"] == path.name
        return [find_column(header, "KILLED"), "place"]

    table = read_table(path, columns=pick)
    assert seen == [["place", "notes", "killed", "junk"]]
    assert list(table.columns) == ["place", "killed"]  # file order, only those read
    # rows keep their numbers; the row with only a note is not blank, so it stays
    expected = {".csv": [2, 4, 5], ".parquet": [1, 2, 3], ".xlsx": [2, 3, 4]}[suffix]
    assert table.index.tolist() == expected
    assert table.loc[expected[-1], "place"] == "Léogâne"


def test_read_table_columns_missing_column_lists_the_whole_header(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(WIDE, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path, columns=lambda h: [find_column(h, "kiled", key="value")])
    assert str(err.value) == (
        "figures.csv: no column 'kiled' (value) (did you mean "
        "'killed'?); the columns are: place, notes, killed, junk"
    )


def test_read_table_columns_still_checks_the_whole_header(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("place,killed,notes,notes\nHaiti,3,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="column 'notes' appears twice"):
        read_table(path, columns=lambda h: ["place", "killed"])


def test_read_table_columns_ragged_row_still_named(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("place,killed,notes\nHaiti,3,a\nHaiti,4,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="figures.csv row 3: 4 cells where the header has 3"):
        read_table(path, columns=lambda h: ["place"])


def test_warn_duplicates_compares_whole_rows_after_projection(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "id,place,killed,notes\n1,Haiti,3,a\n2,Haiti,3,a\n\n3,Gonaïves,1,\n3,Gonaïves,1,\n",
        encoding="utf-8",
    )
    table = read_table(path, columns=lambda h: ["place", "killed"])
    assert list(table.columns) == ["place", "killed"]
    with caplog.at_level(logging.WARNING, logger="geo"):
        # rows 2 and 3 differ in their id, which is not read: not copies; 5 and 6 are
        assert warn_duplicates(table) == 1
    assert "events.csv: 1 duplicated row (rows 5, 6)" in caplog.text
