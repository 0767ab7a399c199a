"""Pre-aggregate a data file larger than the memory budget in DuckDB (out of core).

When a CSV or Parquet file is larger on disk than :func:`memory_budget`, a layer of an
aggregated kind does not read the file into pandas. DuckDB (an in-memory database that
spills to the system temp folder) reads only the columns the layer uses and returns:

- one row per distinct combination of every used text column (place, country, group,
  origin, date, source, popup columns, ...) and of which figure columns are empty, with the
  figure columns summed, the number of rows in ``ROWS_COLUMN`` and the first row number as
  the index: :func:`geo.join.join_layer` then aggregates these rows as it does raw rows;
- every row that could fail validation (a figure that is not a plain number, a negative
  figure, low above high, an empty place, a date the in-memory parser refuses, any row of a
  presence layer without a figure) as it is, with its own row number, so that validation
  raises the same InputError (file, row, column, value, fix) for the same first row.

Events layers are not aggregated and keep the pyarrow path.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.errors import InputError
from geo.figures import (
    _NUMBER,
    _THOUSANDS,
    CSV_SUFFIXES,
    PARQUET_SUFFIXES,
    _parse_date_texts,
    _sniff_delimiter,
    text_values,
)
from geo.kinds import KINDS
from geo.where import matches

log = logging.getLogger("geo")

ROWS_COLUMN = "__geo_rows"  # how many input rows a pre-aggregated row stands for
AGGREGATED_KINDS = tuple(k.name for k in KINDS.values() if k.aggregated)
_SPACE = r"[\s\p{Z}\x{feff}]"


def memory_budget() -> int:
    """Bytes: ``GEO_MEMORY_BUDGET_MB`` or a quarter of physical memory."""
    raw = os.environ.get("GEO_MEMORY_BUDGET_MB", "").strip()
    if raw:
        try:
            value = float(raw)
            if value == float("inf"):
                return sys.maxsize  # no budget: never out of core
            return max(0, int(value * 2**20))
        except (ValueError, OverflowError) as exc:  # "nan", "-inf", "lots"
            raise InputError(
                f"GEO_MEMORY_BUDGET_MB={raw!r} is not a number of megabytes; "
                "use e.g. GEO_MEMORY_BUDGET_MB=2000"
            ) from exc
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4


def out_of_core(path: str | Path) -> bool:
    """True when ``path`` is a CSV or Parquet file larger than the memory budget (and has
    no empty line, which DuckDB would skip, shifting the row numbers)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + PARQUET_SUFFIXES or not path.is_file():
        return False
    if path.stat().st_size <= memory_budget():
        return False
    if suffix in CSV_SUFFIXES and _has_empty_line(path):
        log.warning(
            "%s is larger than the memory budget but has empty lines; it is read in memory",
            path.name,
        )
        return False
    return True


def _has_empty_line(path: Path, chunk: int = 1 << 24) -> bool:
    with path.open("rb") as f:
        head = f.read(3)
        if head.startswith(b"\xef\xbb\xbf") is False and b"\x00" in head:
            return True  # UTF-16: leave it to the in-memory reader
        tail = b""
        while block := f.read(chunk):
            text = tail + block
            if b"\n\n" in text or b"\n\r\n" in text:
                return True
            tail = text[-2:]
    return False


def header(path: Path) -> dict[str, str]:
    """The file's column names (and DuckDB types), read by DuckDB."""
    con = _connect()
    try:
        return {
            str(r[0]): str(r[1])
            for r in con.sql(f"DESCRIBE SELECT * FROM {_source(path)}").fetchall()
            if r[0] != "file_row_number"
        }
    finally:
        con.close()


def pre_aggregate(
    path: str | Path,
    *,
    used: Sequence[str],
    figures: Sequence[str],
    places: Sequence[str] = (),
    dates: Sequence[str] = (),
    ranges: Sequence[tuple[str, str]] = (),
    where: Sequence[tuple[str, Sequence[str]]] = (),
    raw_when_empty: bool = False,
) -> pd.DataFrame:
    """Aggregate ``path`` in DuckDB: see the module docstring.

    ``used`` are the columns to keep, ``figures`` those summed, ``places`` those that must
    not be empty, ``dates`` date columns, ``ranges`` (low, high) pairs, ``where`` (column,
    wanted values) filters matched by :func:`geo.where.matches` on each distinct value,
    ``raw_when_empty`` keeps rows without any figure as they are.
    """
    path = Path(path)
    con = _connect()
    try:
        types = header(path)
        blank = " AND ".join(_empty(_text(c, t)) for c, t in types.items()) or "FALSE"
        read = ", ".join(
            f"{_text(c, types.get(c, ''))} AS {_q(c)}"
            for c in dict.fromkeys([*used, *(w for w, _ in where)])
        )
        con.execute(
            f'CREATE TEMP VIEW t AS SELECT * EXCLUDE ("__geo_blank") FROM ('
            f'SELECT {_rownum(path)} AS "__geo_r", {read}, {blank} AS "__geo_blank" '
            f'FROM {_source(path)}) WHERE NOT "__geo_blank"'
        )
        conds = ["TRUE"]
        for i, (column, wanted) in enumerate(where):
            values = pd.Series(
                [v for (v,) in con.execute(f"SELECT DISTINCT {_q(column)} FROM t").fetchall()],
                dtype=object,
            )
            keep = values[matches(values, list(wanted)).to_numpy()]
            con.register(f"w{i}", pd.DataFrame({"v": keep.astype(object)}))
            hit = f"{_q(column)} IN (SELECT v FROM w{i})"
            conds.append(f"({hit} OR {_q(column)} IS NULL)" if keep.isna().any() else hit)
        con.execute("CREATE TEMP VIEW s AS SELECT * FROM t WHERE " + " AND ".join(conds))
        suspect = [f"NOT {_clean_number(_q(c))}" for c in figures]
        suspect += [_empty(_q(c)) for c in places]
        suspect += [f"{_number(a)} > {_number(b)}" for a, b in ranges]
        for i, column in enumerate(dates):
            con.register(f"d{i}", pd.DataFrame({"v": _bad_dates(con, column)}, dtype=object))
            suspect.append(f"{_q(column)} IN (SELECT v FROM d{i})")
        if raw_when_empty and figures:
            suspect.append(" AND ".join(f"{_q(c)} IS NULL" for c in figures))
        bad = (
            "(" + " OR ".join(f"COALESCE({s}, FALSE)" for s in suspect) + ")"
            if suspect
            else "FALSE"
        )
        keys = [c for c in dict.fromkeys(used) if c not in figures]
        mask = " + ".join(f"({_q(c)} IS NULL)::INT * {2**i}" for i, c in enumerate(figures))
        agg = ", ".join(
            [
                *(_q(c) for c in keys),
                *(f"CAST(SUM({_number(c)}) AS VARCHAR) AS {_q(c)}" for c in figures),
            ]
        )
        group = ", ".join([*(_q(c) for c in keys), mask or "1"])
        raw = ", ".join(_q(c) for c in [*keys, *figures])  # UNION ALL matches by position
        r = '"__geo_r"'
        sql = (
            f"SELECT MIN({r}) AS {r}, COUNT(*) AS {_q(ROWS_COLUMN)}, {agg} FROM s "
            f"WHERE NOT {bad} GROUP BY {group} UNION ALL "
            f"SELECT {r}, 1 AS {_q(ROWS_COLUMN)}, {raw} FROM s WHERE {bad}"
        )
        frame = con.execute(f"SELECT * FROM ({sql}) ORDER BY {r}").df()
        total = con.execute("SELECT COUNT(*) FROM s").fetchone()[0]
    except Exception as exc:  # duckdb.Error subclasses (parse, I/O, out of memory)
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{path.name}: cannot read the file out of core: {exc}") from exc
    finally:
        con.close()
    frame.index = pd.Index(frame.pop("__geo_r").astype(int).to_numpy())
    frame = frame[[*dict.fromkeys(used), ROWS_COLUMN]]
    for c in dict.fromkeys(used):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    frame.attrs.update(
        file=path.name,
        path=str(path),
        aggregated=True,
        input_rows=int(total),
        row_word="record" if path.suffix.lower() in PARQUET_SUFFIXES else "row",
    )
    log.info(
        "%s is larger than the memory budget (%d MB): aggregated out of core in DuckDB, "
        "%d rows -> %d",
        path.name,
        memory_budget() // 2**20,
        total,
        len(frame),
    )
    return frame


def _connect():  # noqa: ANN202 - duckdb is imported here, where it is used
    try:
        import duckdb
    except ImportError as exc:
        raise InputError(
            "reading a file larger than the memory budget needs DuckDB: "
            "pip install duckdb (or raise GEO_MEMORY_BUDGET_MB)"
        ) from exc
    con = duckdb.connect()
    budget = max(memory_budget() // 2**20, 256)
    con.execute(f"SET memory_limit = '{budget}MB'")
    con.execute(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'geo-duckdb'}'")
    con.execute("SET preserve_insertion_order = true")
    return con


def _source(path: Path) -> str:
    # DuckDB reads a name with * ? [ as a glob pattern: "rows [v2].csv" also matched
    # "rows v.csv" (issue 16). Each such character becomes a class holding only itself.
    name = re.sub(r"([*?\[])", r"[\1]", str(path)).replace("'", "''")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return f"read_parquet('{name}', file_row_number = true)"
    with path.open("rb") as f:
        sample = f.read(65536).decode("utf-8", errors="ignore")
    delim = _sniff_delimiter(sample).replace("'", "''")
    return (
        f"read_csv('{name}', all_varchar = true, header = true, delim = '{delim}', "
        "quote = '\"', escape = '\"', parallel = false)"
    )


def _rownum(path: Path) -> str:
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return "file_row_number + 1"
    return "row_number() OVER () + 1"  # single-threaded read: the file's order


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(name: str, kind: str) -> str:
    """A column as text; NaN in a Parquet float column counts as empty."""
    col = _q(name)
    if kind.upper() in ("DOUBLE", "FLOAT", "REAL"):
        return f"CASE WHEN isnan({col}) THEN NULL ELSE CAST({col} AS VARCHAR) END"
    return f"CAST({col} AS VARCHAR)"


def _empty(expr: str) -> str:
    return f"({expr} IS NULL OR regexp_full_match({expr}, '{_SPACE}*'))"


def _clean_number(col: str) -> str:
    """Empty, or a plain number figures.parse_numbers reads the same (no sign, no exponent,
    no thousands groups other than its own)."""
    trimmed = f"regexp_replace({col}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"
    number = _NUMBER.replace("[+-]?", "").replace("'", "''")
    groups = _THOUSANDS.pattern.replace("[+-]?", "").replace("'", "''")
    return (
        f"({_empty(col)} OR ((regexp_full_match({trimmed}, '{number}') OR "
        f"regexp_full_match({trimmed}, '{groups}')) AND length({trimmed}) < 300 "
        f"AND {trimmed} NOT SIMILAR TO '.*[eE].*'))"
    )


def _number(name: str) -> str:
    col = _q(name)
    return f"TRY_CAST(regexp_replace({col}, '{_SPACE}|[,''_]', '', 'g') AS DOUBLE)"


def _bad_dates(con: object, column: str) -> list[str]:
    """The distinct texts of a date column that figures.parse_dates refuses."""
    texts = pd.Series(
        [
            v
            for (v,) in con.execute(  # type: ignore[attr-defined]
                f"SELECT DISTINCT {_q(column)} FROM s WHERE {_q(column)} IS NOT NULL"
            ).fetchall()
        ],
        dtype=object,
    )
    if texts.empty:
        return []
    stripped = text_values(texts)
    filled = stripped.notna()
    stamps, _labels = _parse_date_texts(stripped[filled].astype("string").reset_index(drop=True))
    bad = texts[filled].to_numpy()[stamps.isna().to_numpy()]
    return [str(v) for v in bad]
