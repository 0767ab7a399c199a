"""Read and validate figure tables: all file I/O of input data lives here.

:func:`read_table` reads CSV, XLSX, GeoJSON, GeoPackage and Parquet into a DataFrame whose
index is the row *as the user counts it*:

- CSV and XLSX: the header is row 1, so the first data row is row 2 (what a spreadsheet
  shows next to the row);
- GeoJSON / GeoPackage: feature 1 is the first feature;
- Parquet: record 1 is the first record.

The validators (:func:`find_column`, :func:`parse_numbers`, :func:`parse_dates`,
:func:`parse_coordinates`, :func:`check_places`) are vectorised (a million rows take
seconds, not minutes) and raise :class:`~geo.errors.InputError` with a message that names
the file, the row, the column, the bad value and the fix::

    figures.csv row 14, column killed: '12O5' is not a number; use digits only, e.g. 1205
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.errors import GeoError, InputError

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger("geo")

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
GEO_SUFFIXES = (".geojson", ".json", ".gpkg")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + GEO_SUFFIXES + PARQUET_SUFFIXES

_DELIMITERS = (",", ";", "\t", "|")
# "1,200", "1 200", "1 200" (no-break / narrow spaces), "1'200", "1_200": thousands groups.
_SEPARATORS = ", \u00a0\u202f'_"
# One separator used consistently; no backreference so pyarrow's RE2 can run it.
_THOUSANDS = re.compile(
    r"^[+-]?\d{1,3}(?:"
    + "|".join(f"(?:{sep}\\d{{3}})+" for sep in _SEPARATORS)  # none is a regex operator
    + r")(?:\.\d+)?$"
)
_TEXT = "string[pyarrow]"  # vectorised string kernels (no Python call per cell)
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_ISO_DATE = (
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_RANGE = re.compile(r"^\s*(.+?)\s*(?:/|–|—|\s-\s|\sto\s|\suntil\s)\s*(.+?)\s*$")


# --------------------------------------------------------------------------- reading


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    columns: Callable[[pd.DataFrame], Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Read a figure table; the index holds each row's number as the user counts it.

    Takes a CSV (UTF-8 with or without BOM, other encodings detected; ``,`` ``;`` tab or
    ``|`` delimited), XLSX (``sheet`` names the sheet, default the first), GeoJSON or
    GeoPackage (``sheet`` names the layer; point geometries become ``lat``/``lon``
    columns) or Parquet file. CSV cells are read as text so that validation can quote
    them exactly; other formats keep their native types.

    ``columns`` projects the table: it is called with an empty frame holding the file's
    whole header (and the ``file`` attrs, so :func:`find_column` errors name the file and
    list every column) and returns the names to keep. CSV and Parquet then read only those
    columns; XLSX, GeoJSON and GeoPackage are read whole and cut after. A row counts as
    blank (and is dropped) only when every cell of the file's row is empty, read or not,
    and :func:`warn_duplicates` still compares whole rows (the unread cells are looked at
    again only for rows equal in the columns read).

    Raises InputError when the file is missing, empty, unreadable or malformed.

    >>> t = read_table("data/demo/deployment.csv")  # doctest: +SKIP
    >>> t.index[0], t.attrs["file"]  # doctest: +SKIP
    (2, 'deployment.csv')
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: data file not found")
    suffix = path.suffix.lower()
    word, first = (
        ("feature", 1)
        if suffix in GEO_SUFFIXES
        else (("record", 1) if suffix in PARQUET_SUFFIXES else ("row", 2))
    )
    picked: list[int] | None = None
    width = 0

    def choose(header: Sequence[object]) -> list[int] | None:
        """Check the whole header; return the positions of the columns to read."""
        nonlocal picked, width
        names = _clean_names(header)
        _check_header(names, path.name)
        width = len(names)
        if columns is None:
            return None
        probe = pd.DataFrame(columns=names)
        probe.attrs.update(file=path.name, path=str(path), row_word=word)
        wanted = {str(c) for c in columns(probe)}
        picked = [i for i, name in enumerate(names) if name in wanted]
        return picked

    try:
        table = _read_any(path, suffix, sheet, choose)
    except GeoError:  # InputError, or a SpecError from ``columns``
        raise
    except (OSError, ValueError, ImportError) as exc:  # pyarrow/openpyxl/pyogrio errors
        raise InputError(f"{path.name}: cannot read the file: {exc}") from exc
    table.columns = _clean_names(table.columns)
    table.index = pd.RangeIndex(first, first + len(table))
    table.attrs["file"] = path.name
    table.attrs["path"] = str(path)
    table.attrs["row_word"] = word
    # Lines left blank (every cell empty) are layout, not data.
    blank = _blank_rows(table)
    rest = [] if picked is None else [i for i in range(width) if i not in set(picked)]
    if rest and blank.any():
        # A row blank in the columns read may hold something in the others: look (rarely).
        blank &= _blank_rows(_read_any(path, suffix, sheet, lambda _header: rest))
    if rest:  # warn_duplicates compares whole rows, the unread cells included
        table.attrs.update(unread=rest, sheet=sheet, first=first)
    if blank.any():
        table = table[~blank]
    log.info("read %s: %d rows, columns %s", path.name, len(table), ", ".join(table.columns))
    return table


def _read_any(
    path: Path,
    suffix: str,
    sheet: str | None,
    choose: Callable[[Sequence[object]], list[int] | None],
) -> pd.DataFrame:
    """Read the file; CSV and Parquet read only the columns ``choose(header)`` picks."""
    if suffix in EXCEL_SUFFIXES:
        table = _read_excel(path, sheet)
    elif suffix in GEO_SUFFIXES:
        table = _read_geo(path, sheet)
    elif suffix in PARQUET_SUFFIXES:
        return _read_parquet(path, choose)
    elif suffix in CSV_SUFFIXES or not suffix:
        return _read_csv(path, choose)
    else:
        raise InputError(
            f"{path.name}: unsupported file type {suffix!r}; use one of {', '.join(SUFFIXES)}"
        )
    picked = choose(list(table.columns))  # small files: read whole, cut after
    return table if picked is None else table.iloc[:, picked]


def _clean_names(header: Iterable[object]) -> list[str]:
    return [str(c).strip().lstrip("\ufeff") for c in header]


def _decode(path: Path) -> bytes:
    """Return the file's bytes as UTF-8 (BOM removed), detecting other encodings."""
    with path.open("rb") as fh:
        _refuse_binary(path, fh.read(65536))  # before reading a 2 GB file of zeros whole
    raw = path.read_bytes()
    _refuse_binary(path, raw[:65536])  # (the file may have changed meanwhile)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    bad = _utf8_error_at(raw)
    if bad is None:
        return raw
    bad_line = raw[:bad].count(b"\n") + 1
    utf8_error = f"not UTF-8 (line {bad_line}, byte 0x{raw[bad]:02x})"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16").encode("utf-8")
    encoding, text = _detect_encoding(raw)
    if text is None:
        raise InputError(
            f"{path.name}: the file is {utf8_error} and its encoding could not be detected; "
            "save it as UTF-8 (in Excel: Save As > CSV UTF-8)"
        )
    log.warning("%s is not UTF-8; read it as %s (save it as UTF-8 to be sure)", path.name, encoding)
    return text.encode("utf-8")


def _refuse_binary(path: Path, head: bytes) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise InputError(
            f"{path.name}: this is a zip file (an Excel workbook?), not CSV text; "
            "rename it to .xlsx if it is a workbook, or export it as CSV UTF-8"
        )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path.name}: this is a binary file (it contains NUL bytes), not CSV "
            "text; export the table as CSV UTF-8 (or XLSX, Parquet, GeoJSON)"
        )


def _utf8_error_at(raw: bytes, chunk: int = 1 << 23) -> int | None:
    """The offset of the first byte that is not UTF-8, or None; checked in slices, so no
    decoded copy of a large file is ever held whole."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    for start in range(0, len(raw), chunk):
        try:
            decoder.decode(view[start : start + chunk], final=start + chunk >= len(raw))
        except UnicodeDecodeError as exc:
            # exc.start counts from the bytes the decoder held back plus this slice
            held = len(exc.object) - len(view[start : start + chunk])
            return start - held + exc.start
    return None


# Legacy encodings of spreadsheets exported on Windows/Mac, most common first.
_LEGACY = ("cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1256", "cp1255", "mac_roman")


def _detect_encoding(raw: bytes) -> tuple[str, str | None]:
    """charset-normalizer's candidates and common legacy code pages, ranked by how
    plausible the decoded words are (charset-normalizer alone guesses CJK encodings for
    short Latin-1 files)."""
    from charset_normalizer import from_bytes

    sample = raw[:1_000_000]
    found = [m.encoding for m in from_bytes(sample)][:5]
    best, best_score, best_text = "", float("-inf"), None
    for encoding in dict.fromkeys([*_LEGACY, *found]):
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if score > best_score:
            best, best_score, best_text = encoding, score, text
    if best_text is None:
        return "", None
    try:
        return best, raw.decode(best)
    except UnicodeDecodeError:
        return best, None


def _plausibility(text: str) -> float:
    """Words in one script each, Latin words mostly ASCII, few symbols or controls."""
    import unicodedata

    score, words = 0.0, 0
    for word in re.findall(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*", text):
        words += 1
        letters = [c for c in word if c.isalpha()]
        scripts = {unicodedata.name(c, "?").split()[0] for c in letters}
        if len(scripts) > 1:
            score -= 3
        elif scripts == {"LATIN"} and len(letters) >= 3 and all(ord(c) > 127 for c in letters):
            score -= 1  # 'îáñòð' is Cyrillic read as Latin-1
        elif scripts & {"CJK", "HANGUL", "HIRAGANA", "KATAKANA"}:
            score += 0.5  # plausible, but a frequent false reading of Latin bytes
        else:
            score += 1
    bad = sum(
        unicodedata.category(c) in ("Cc", "Co", "Cn", "So") and c not in "\t\r\n" for c in text
    )
    return (score - 2 * bad) / max(words, 1)


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most, equally long, fields."""
    lines = sample.splitlines()[:20]
    if len(lines) > 1 and not sample.endswith("\n"):
        lines = lines[:-1]  # the sample may cut the last line short
    best, best_score = ",", 0
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = counts[0] * 10 + sum(c == counts[0] for c in counts)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(path: Path, choose: Callable[[Sequence[object]], list[int] | None]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    raw = _decode(path)
    if not raw.strip():
        raise InputError(f"{path.name}: the file is empty; expected a header row and data rows")
    first = raw.find(b"\n")
    if first < 0 and b"\r" in raw:  # old Mac / Excel line ends (CR only)
        raw = raw.replace(b"\r", b"\n")
        first = raw.find(b"\n")
    # the sample holds the whole header line and some rows, however long the header
    sample = raw[: 65536 + max(first, 0)].decode("utf-8", errors="ignore")
    delim = _sniff_delimiter(sample)
    header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delim))
    names = [f"c{i}" for i in range(len(header))]
    picked = choose(header)
    keep = list(range(len(header))) if picked is None else picked
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, ignore_empty_lines=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={names[i]: pa.string() for i in keep},
                strings_can_be_null=False,
                include_columns=[names[i] for i in keep],
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputError(_csv_shape_error(path, raw, delim, len(header), exc)) from exc
    del raw
    frame = table.to_pandas()
    frame.columns = [header[i] for i in keep]
    return frame


def _csv_shape_error(path: Path, raw: bytes, delim: str, width: int, exc: Exception) -> str:
    """Find the first ragged row (only on the error path, so a loop is fine)."""
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), delimiter=delim)
    for number, row in enumerate(reader, start=1):
        if row and len(row) != width:
            return (
                f"{path.name} row {number}: {len(row)} cells where the header has {width}; "
                f"check for an unquoted {delim!r} inside a value (wrap such values in quotes)"
            )
    return f"{path.name}: cannot parse the CSV: {exc}"


# A workbook's XML is zipped ~5-20x; a "zip bomb" (a 687 KB file holding a 201 MB sheet)
# would take minutes and gigabytes to read. Refuse one before openpyxl unzips it.
XLSX_MAX_RATIO, XLSX_RATIO_FROM = 100, 50 << 20  # ratio above 100 once over 50 MB
XLSX_MAX_BYTES = 2 << 30  # and never more than 2 GB of XML


def _check_zip_sizes(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong with it
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if total > XLSX_MAX_BYTES or (total > XLSX_RATIO_FROM and total > XLSX_MAX_RATIO * packed):
        raise InputError(
            f"{path.name}: the workbook unpacks to {total / 1e6:,.0f} MB from "
            f"{packed / 1e6:,.1f} MB (a decompression bomb?); geo reads at most "
            f"{XLSX_MAX_RATIO}x its size; save the sheet as CSV or Parquet if it is genuine"
        )


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    from openpyxl import load_workbook

    _check_zip_sizes(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zipfile, KeyError, ...)
        raise InputError(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(
                f"{path.name}: no sheet {sheet!r}{_did_you_mean(sheet, names)}; "
                f"sheets: {', '.join(names)}"
            )
        rows = book[sheet or names[0]].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError(f"{path.name}: sheet {sheet or names[0]!r} is empty")
        data = list(rows)
    finally:
        book.close()
    width = len(header)
    while width and header[width - 1] is None:  # trailing unused columns
        width -= 1
    columns = [("" if h is None else str(h)) for h in header[:width]]
    return pd.DataFrame([r[:width] for r in data], columns=columns, dtype=object)


def _read_geo(path: Path, layer: str | None) -> pd.DataFrame:
    # GeoJSON is parsed without GDAL, and a GeoPackage is checked before GDAL opens it:
    # a data file must not choose a driver that reads URLs or other files (geo/geofiles.py)
    from geo.geofiles import read_geojson, read_gpkg

    if path.suffix.lower() == ".gpkg":
        return read_gpkg(path, layer)
    return read_geojson(path, layer)


def _read_parquet(
    path: Path, choose: Callable[[Sequence[object]], list[int] | None]
) -> pd.DataFrame:
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    index = {
        c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)
    }  # a saved pandas index is no column of the table
    header = [name for name in schema.names if name not in index]
    picked = choose(header)
    table = pq.read_table(path, columns=None if picked is None else [header[i] for i in picked])
    return _binary_as_text(table, path.name).to_pandas()


def _binary_as_text(table: pa.Table, name: str) -> pa.Table:
    """Binary columns as UTF-8 text; a value that is not UTF-8 is an error naming it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, fld in enumerate(table.schema):
        if not (pa.types.is_binary(fld.type) or pa.types.is_large_binary(fld.type)):
            continue
        column = table.column(i)
        try:
            text = pc.cast(column, pa.string())
        except pa.ArrowInvalid:
            values = column.to_pylist()
            for record, value in enumerate(values, start=1):
                try:
                    value is None or value.decode("utf-8")
                except UnicodeDecodeError:
                    raise InputError(
                        f"{name} record {record}, column {fld.name}: {value[:20]!r} is not "
                        "UTF-8 text; write the column as UTF-8 strings"
                    ) from None
            raise
        table = table.set_column(i, pa.field(fld.name, pa.string()), text)
    return table


def _check_header(names: Sequence[str], file: str) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name in seen:
            raise InputError(
                f"{file}: column {name!r} appears twice in the header "
                f"(columns {seen[name]} and {i}); give each column its own name"
            )
        seen[name] = i


def _blank_rows(table: pd.DataFrame) -> np.ndarray:
    """True for the rows whose every cell is empty."""
    blank = np.ones(len(table), dtype=bool)
    if table.empty or not len(table.columns):
        return blank & False
    for i in range(len(table.columns)):
        blank &= np.asarray(_is_empty(table.iloc[:, i]))
        if not blank.any():
            break
    return blank


# --------------------------------------------------------------------------- messages


def location(table: pd.DataFrame, row: object, column: str | None = None) -> str:
    """``figures.csv row 14, column killed`` for a row label of ``table``."""
    text = f"{table.attrs.get('file', 'table')} {table.attrs.get('row_word', 'row')} {row}"
    return text + (f", column {column}" if column is not None else "")


def rows_text(rows: Sequence[object], limit: int = 8) -> str:
    """``4, 9`` / ``2, 3, 4, ... (12 rows)`` — a short list of row numbers."""
    shown = ", ".join(str(r) for r in list(rows)[:limit])
    return shown + (f", ... ({len(rows)} rows)" if len(rows) > limit else "")


def _bad_rows_error(
    table: pd.DataFrame, column: str, bad: pd.Series, values: pd.Series, problem: str, fix: str
) -> InputError:
    rows = list(values.index[np.asarray(bad)])
    first = rows[0]
    msg = f"{location(table, first, column)}: {_show(values.loc[first])} {problem}; {fix}"
    if len(rows) > 1:
        word = table.attrs.get("row_word", "row")
        msg += f" (also {word}{'s' if len(rows) > 2 else ''} {rows_text(rows[1:])})"
    return bad_rows(InputError(msg), rows, column, values, problem)


def bad_rows(
    error: InputError, rows: Sequence[object], column: str, values: pd.Series, problem: str
) -> InputError:
    """``error`` carrying its bad rows, so a layer with ``on_bad_rows = "skip"`` can leave
    them out and list them: ``error.bad = [(row, column, value, problem), ...]``."""
    error.bad = [  # type: ignore[attr-defined]
        (r, column, v if isinstance(v := values.loc[r], str) else _show(v), problem) for r in rows
    ]
    return error


def _show(value: object) -> str:
    """A cell as the user wrote it: text quoted, numbers plain (not ``np.int64(-2)``)."""
    if isinstance(value, str) or value is None:
        return repr(value or "")
    item = value.item() if isinstance(value, np.generic) else value
    if isinstance(item, float) and item.is_integer():
        item = int(item)
    return str(item)


def _did_you_mean(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------- validation


def find_column(table: pd.DataFrame, name: str, *, key: str | None = None) -> str:
    """Return the table's column called ``name`` (exact, else the one case-insensitive match).

    ``key`` is the spec key that named the column, quoted in the error.

    >>> find_column(pd.DataFrame(columns=["place", "personnel"]), "personnel")
    'personnel'

    Raises InputError naming the column, the closest existing one and all columns::

        figures.csv: no column 'personal' (value); did you mean 'personnel'?
        the columns are: place, contributor, personnel
    """
    columns = [str(c) for c in table.columns]
    if name in columns:
        return name
    folded = [c for c in columns if c.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    what = f" ({key})" if key else ""
    raise InputError(
        f"{table.attrs.get('file', 'table')}: no column {name!r}{what}"
        f"{_did_you_mean(name, columns)}; the columns are: {', '.join(columns) or '(none)'}"
    )


def _is_empty(series: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(
        series.dtype
    ):
        return series.isna()
    text = series.astype(_TEXT).str.strip()
    return (text.isna() | (text == "")).astype(bool)


def text_values(series: pd.Series) -> pd.Series:
    """The column as stripped text (object dtype), None where the cell is empty."""
    if series.dtype == object and series.map(type).eq(float).any():
        # XLSX numbers: 800.0 -> "800", keep 12.5 as is
        series = series.map(lambda v: f"{v:g}" if isinstance(v, float) and v.is_integer() else v)
    text = series.astype(_TEXT).str.strip()
    # Codes of the distinct values, then one Python string per distinct value: a column
    # of a million cells naming a few thousand places holds a few thousand str objects
    # (8 bytes a cell), not a million of them (~60 bytes a cell).
    codes, uniques = pd.factorize(text.mask(text == ""))
    out = np.full(len(text), None, dtype=object)
    known = codes >= 0
    out[known] = np.asarray(uniques, dtype=object)[codes[known]]
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


_DMS = re.compile(
    r"^\s*(\d{1,3})\s*[°º:d ]\s*(\d{1,2}(?:\.\d+)?)?\s*['′m]?\s*"
    r"(\d{1,2}(?:\.\d+)?)?\s*(?:\"|″|'')?\s*([NSEWnsew])?\s*$"
)


def _number_fix(value: str, what: str) -> str:
    """The fix a "not a number" message suggests, fitted to what the column holds."""
    if what in ("latitude", "longitude"):
        dms = _DMS.match(value)
        if dms and any(dms.groups()[1:]):
            deg, minutes, seconds, hemi = dms.groups()
            decimal = int(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
            sign = "-" if (hemi or "").upper() in ("S", "W") else ""
            return f"use decimal degrees, e.g. {sign}{decimal:.4f} for {value.strip()!r}"
        return "use decimal degrees, e.g. -1.6789 (south and west are negative)"
    return f"use digits only, e.g. {_example_digits(value)}"


def _example_digits(value: str) -> str:
    # '12O5' is a typo for 1205, but 'about 800' is a qualifier: only fix lone letters.
    guess = (
        value
        if re.search(r"[A-Za-z]{2,}", value)
        else value.translate(str.maketrans("OoIl", "0011"))
    )
    digits = re.sub(r"[^\d.]", "", guess).strip(".")
    if digits.count(".") > 1:  # '1.234.567': dots between thousands
        digits = digits.replace(".", "")
    return digits or "1205"


def parse_numbers(
    table: pd.DataFrame, column: str, *, negative: bool = False, what: str = "count"
) -> pd.Series:
    """Parse a numeric column to float (NaN where empty), accepting thousands separators.

    ``"1,200"``, ``"1 200"`` and ``"1200"`` all give 1200.0. ``negative=False`` (counts)
    rejects values below zero.

    Raises InputError for the first bad cell (and lists the other bad rows)::

        figures.csv row 14, column killed: '12O5' is not a number; use digits only, e.g. 1205
    """
    series = table[column]
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype(object)
    fast = None if pd.api.types.is_numeric_dtype(series.dtype) else _plain_numbers(series)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.astype(float)
        raw = series
    elif fast is not None:
        values, raw = fast, series
    else:
        raw = text_values(series)
        text = _ascii_digits(raw.astype(_TEXT))
        grouped = text.str.fullmatch(_THOUSANDS.pattern).fillna(False).astype(bool)
        if grouped.any():
            text = text.mask(grouped, text.str.replace(f"[{_SEPARATORS}]", "", regex=True))
        ok = text.str.fullmatch(_NUMBER).fillna(False).astype(bool)
        bad = text.notna() & ~ok
        if bad.any():
            first = raw[bad].iloc[0]
            hint = (
                " (put qualifiers such as 'more than' in a separate column)"
                if re.search(r"[A-Za-z]{3,}", str(first)) and re.search(r"\d", str(first))
                else ""
            )
            raise _bad_rows_error(
                table, column, bad, raw, "is not a number", _number_fix(str(first), what) + hint
            )
        values = pd.to_numeric(text.where(ok), errors="coerce").astype(float)
        lost = ok & text.notna() & np.isnan(np.asarray(values, dtype=float))
        if lost.any():  # matched but not parsed: never drop a figure silently
            raise _bad_rows_error(table, column, lost, raw, "is not a number", "use digits 0-9")
    values = pd.Series(np.asarray(values, dtype=float), index=table.index, name=column)
    if what == "count" and not pd.api.types.is_numeric_dtype(series.dtype):
        _warn_dotted_thousands(table, column, series)
    if np.isinf(values).any():
        raise _bad_rows_error(
            table, column, np.isinf(values), raw, "is not a finite number", "use digits only"
        )
    if not negative and (values < 0).any():
        if fast is not None:
            raw = text_values(series)
        raise _bad_rows_error(
            table,
            column,
            values < 0,
            raw,
            "is negative",
            f"a {what} must be 0 or more (leave the cell empty when unknown)",
        )
    return values


# Digits other than 0-9 that spreadsheets hold: Arabic-Indic (٣٦٠٠), Persian (۳۶۰۰),
# full-width (３６００), Devanagari...; and their separators and signs.
_DIGIT_SIGNS = {"\u066c": ",", "\u066b": ".", "\uff0c": ",", "\uff0e": ".", "\uff0b": "+"}
_DIGIT_SIGNS |= {"\uff0d": "-", "\u2212": "-"}


def _ascii_digits(text: pd.Series) -> pd.Series:
    """The cells with every Unicode decimal digit as its ASCII digit (only cells with
    non-ASCII characters are touched, so the common case stays vectorised)."""
    other = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).astype(bool)
    if not other.any():
        return text
    table = _digit_table()
    return text.mask(other, text[other].map(lambda v: v.translate(table)).astype(_TEXT))


@functools.lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    import unicodedata

    table = {ord(k): v for k, v in _DIGIT_SIGNS.items()}
    for code in range(0x80, 0x20000):
        char = chr(code)
        if unicodedata.category(char) == "Nd":
            table[code] = str(unicodedata.decimal(char))
    return table


def _warn_dotted_thousands(table: pd.DataFrame, column: str, series: pd.Series) -> None:
    """Warn about counts such as '3.600': a decimal to geo, 3600 to a German or Spanish
    desk. Not an error (3.600 may mean 3.6), but never a silent guess."""
    text = series.astype(_TEXT)
    dotted = text.str.contains(".", regex=False).fillna(False).astype(bool)
    if not dotted.any():
        return
    dotted &= text.str.fullmatch(r"\s*\d{1,3}(?:\.\d{3})+\s*").fillna(False).astype(bool)
    if dotted.any():
        rows = list(table.index[np.asarray(dotted)])
        first = str(text[dotted].iloc[0]).strip()
        log.warning(
            "%s: %r read as %s, a decimal (rows %s); if the dot separates thousands, write %s",
            location(table, rows[0], column),
            first,
            first if first.count(".") > 1 else f"{float(first):g}",
            rows_text(rows),
            first.replace(".", ""),
        )


def _plain_numbers(series: pd.Series) -> np.ndarray | None:
    """The column as floats when every filled cell is a plain number ("12", "-3.5",
    "1e3"), parsed in Arrow without a regex per cell; None when any cell needs the careful
    path (thousands separators, text, "nan"/"inf", non-string cells)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(series, from_pandas=True)  # zero-copy for Arrow-backed strings
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return None
        text = pc.utf8_trim_whitespace(arr)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    values = numbers.to_numpy(zero_copy_only=False)
    filled = ~np.asarray(text.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if not np.isfinite(values[filled]).all():
        return None
    return np.asarray(values, dtype=float)


def parse_coordinates(table: pd.DataFrame, lat: str, lon: str) -> tuple[pd.Series, pd.Series]:
    """Parse latitude/longitude columns (decimal degrees, WGS84); NaN where empty.

    Raises InputError for text, or values outside -90..90 / -180..180 (with a hint when
    the columns look swapped).
    """
    lats = parse_numbers(table, lat, negative=True, what="latitude")
    lons = parse_numbers(table, lon, negative=True, what="longitude")
    swapped = " (are lat and lon swapped?)" if lons.abs().le(90).all() else ""
    for col, values, limit in ((lat, lats, 90), (lon, lons, 180)):
        bad = values.abs() > limit
        if bad.any():
            raw = (
                table[col] if pd.api.types.is_numeric_dtype(table[col]) else text_values(table[col])
            )
            raise _bad_rows_error(
                table,
                col,
                bad,
                raw,
                "is out of range",
                f"{'latitude' if limit == 90 else 'longitude'} must be between "
                f"-{limit} and {limit} decimal degrees{swapped}",
            )
    half = lats.isna() != lons.isna()
    if half.any():
        col = lat if lats[half].isna().iloc[0] else lon
        raise _bad_rows_error(
            table,
            col,
            half,
            text_values(table[col]).fillna(""),
            "is empty",
            "give both latitude and longitude, or neither",
        )
    return lats, lons


def check_places(table: pd.DataFrame, column: str, rows: pd.Series | None = None) -> pd.Series:
    """Return the place column as stripped text; raise InputError if any needed cell is empty.

    ``rows`` (a boolean Series) limits the check to the rows that need a place (those
    without coordinates, or those drawn in this layer).
    """
    text = text_values(table[column])
    empty = text.isna()
    if rows is not None:
        empty &= rows
    if empty.any():
        raise _bad_rows_error(
            table,
            column,
            empty,
            text.fillna(""),
            "is empty",
            "write a place name (e.g. 'Port-au-Prince, Haiti') or give lat/lon columns",
        )
    return text


def parse_dates(table: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """Parse a date column into (Timestamp or NaT, human period label or None).

    Accepts ISO dates ``2025-08-20``, months ``2025-08``, years ``2025``, date-times,
    written dates with a month name (``20 August 2025``) and periods
    ``2024-06/2025-08`` or ``2024-06 – 2025-08`` (dated by their start). Ambiguous forms
    such as ``08/06/2025`` are refused.

    >>> t = pd.DataFrame({"d": ["2025-08-20", "2024-06/2025-08", ""]}, index=[2, 3, 4])
    >>> parse_dates(t, "d")[1].tolist()
    ['2025-08-20', '2024-06 – 2025-08', None]
    """
    series = table[column]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        dates = (
            pd.to_datetime(series).dt.tz_localize(None)
            if getattr(series.dt, "tz", None)
            else pd.to_datetime(series)
        )
        text = dates.dt.strftime("%Y-%m-%d").astype(object)
        return dates, text.where(dates.notna(), None)
    raw = text_values(series)
    # Parse each distinct text once, then hand every row its answer by code (vectorised).
    codes, uniques = pd.factorize(raw)
    stamps = pd.Series([], dtype="datetime64[ns]")
    labels: list[str | None] = []
    if len(uniques):
        stamps, labels = _parse_date_texts(pd.Series(uniques, dtype="string"))
        bad = stamps.isna().to_numpy()
        if bad.any():
            rows = pd.Series(np.isin(codes, np.flatnonzero(bad)), index=raw.index)
            first = str(raw[rows].iloc[0])
            ambiguous = re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", first) is not None
            raise _bad_rows_error(
                table,
                column,
                rows,
                raw,
                "is ambiguous (day/month or month/day?)" if ambiguous else "is not a date",
                "use YYYY-MM-DD (e.g. 2025-08-20), YYYY-MM, YYYY, or a period like 2024-06/2025-08",
            )
    # code -1 (an empty cell) takes the appended NaT / None
    stamp_of = np.append(stamps.to_numpy("datetime64[ns]"), np.datetime64("NaT", "ns"))
    label_of = np.array([*labels, None], dtype=object)
    dates = pd.Series(stamp_of[codes], index=raw.index, name=raw.name)
    return dates, pd.Series(label_of[codes], index=raw.index, name=raw.name, dtype=object)


def _parse_date_texts(texts: pd.Series) -> tuple[pd.Series, list[str | None]]:
    """Parse distinct date texts; NaT marks a text that is no date."""
    iso_stamps, labels = _parse_iso(texts)
    found = iso_stamps.to_numpy(dtype="datetime64[ns]", copy=True)
    for i in np.flatnonzero(np.isnat(found)):  # the few texts that are not ISO dates
        text = texts.iloc[i]
        range_match = _RANGE.match(text)
        if range_match:  # a period: date it by its start, label it start – end
            ends = pd.Series(list(range_match.groups()), dtype="string")
            (start, end), (l1, l2) = _parse_iso(ends)
            if pd.isna(start) or pd.isna(end):
                (start, end), (l1, l2) = _parse_written(ends)
            if pd.notna(start) and pd.notna(end) and start <= end:
                found[i], labels[i] = pd.Timestamp(start).to_datetime64(), f"{l1} – {l2}"
            continue
        (stamp,), (label,) = _parse_written(pd.Series([text], dtype="string"))
        if pd.notna(stamp):
            found[i], labels[i] = pd.Timestamp(stamp).to_datetime64(), label
    return pd.Series(found, index=texts.index, dtype="datetime64[ns]"), labels


def _parse_iso(texts: pd.Series) -> tuple[pd.Series, list[str | None]]:
    parts = texts.str.extract(_ISO_DATE)
    year = pd.to_numeric(parts["y"], errors="coerce")
    month = pd.to_numeric(parts["m"], errors="coerce")
    day = pd.to_numeric(parts["d"], errors="coerce")
    normal = (
        parts["y"]
        + "-"
        + month.fillna(1).astype("Int64").astype("string").str.zfill(2)
        + "-"
        + day.fillna(1).astype("Int64").astype("string").str.zfill(2)
    )
    stamps = pd.to_datetime(normal.where(year.notna()), format="%Y-%m-%d", errors="coerce")
    # The label keeps the precision written (a day, a month or a year): a prefix of the
    # normalised text, cut per column rather than formatted per date.
    width = np.where(day.notna(), 10, np.where(month.notna(), 7, 4))
    labels: list[str | None] = [None] * len(texts)
    ok = stamps.notna().to_numpy()
    for w in (10, 7, 4):
        pick = ok & (width == w)
        if pick.any():
            cut = normal[pick].str.slice(0, w).astype(object).tolist()
            for i, text in zip(np.flatnonzero(pick), cut, strict=True):
                labels[i] = text
    return stamps, labels


def _parse_written(texts: pd.Series) -> tuple[list[pd.Timestamp], list[str | None]]:
    """'20 August 2025', 'Aug 2025': only with a month name, so never ambiguous."""
    stamps: list[pd.Timestamp] = []
    labels: list[str | None] = []
    for text in texts:
        stamp = pd.NaT
        if isinstance(text, str) and re.search(r"[A-Za-z]{3,}", text) and re.search(r"\d{4}", text):
            try:
                stamp = pd.Timestamp(pd.to_datetime(text, format="mixed"))
            except (ValueError, OverflowError):
                stamp = pd.NaT
        if pd.isna(stamp):
            stamps.append(pd.NaT)
            labels.append(None)
            continue
        has_day = re.search(r"(?<!\d)\d{1,2}(?!\d)", text) is not None
        stamps.append(stamp.tz_localize(None) if stamp.tzinfo else stamp)
        labels.append(f"{stamp:%Y-%m-%d}" if has_day else f"{stamp:%Y-%m}")
    return stamps, labels


def _whole_row_duplicates(table: pd.DataFrame, dup: pd.Series) -> tuple[pd.Series, int]:
    """Of the rows ``dup`` marks (equal in the columns read), those equal in every column:
    the file's unread columns are read again, only when some rows look duplicated."""
    attrs = table.attrs
    path = Path(attrs["path"])
    rest = list(attrs["unread"])
    others = _read_any(path, path.suffix.lower(), attrs.get("sheet"), lambda _header: rest)
    rows = table[np.asarray(dup)]
    positions = np.asarray(rows.index) - int(attrs.get("first", 1))
    extra = (
        others.iloc[positions]
        .set_axis(rows.index)
        .set_axis([f"\x00{i}" for i in range(len(others.columns))], axis=1)
    )
    del others
    whole = pd.concat([rows.astype(str), extra.astype(str)], axis=1)
    found = whole.duplicated(keep=False).reindex(table.index, fill_value=False)
    return found, int(whole.duplicated().sum())


def warn_duplicates(table: pd.DataFrame, columns: Sequence[str] | None = None) -> int:
    """Log a warning naming duplicated rows (they are kept and counted); return how many."""
    subset = list(columns) if columns else list(table.columns)
    if table.empty or not subset:
        return 0
    try:
        dup = table.duplicated(subset=subset, keep=False)
    except TypeError:  # unhashable cells (lists in GeoJSON properties)
        dup = table[subset].astype(str).duplicated(keep=False)
    count = int(table.duplicated(subset=subset).sum()) if dup.any() else 0
    if count and columns is None and table.attrs.get("unread"):
        dup, count = _whole_row_duplicates(table, dup)
    if count:
        word = table.attrs.get("row_word", "row")
        log.warning(
            "%s: %d duplicated %s%s (%ss %s); they are kept and counted, delete them if "
            "they are copies",
            table.attrs.get("file", "table"),
            count,
            word,
            "" if count == 1 else "s",
            word,
            rows_text(list(table.index[np.asarray(dup)])),
        )
    return count
