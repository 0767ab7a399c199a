"""A layer's columns: which columns of its table it reads, and their cells parsed.

:func:`map_columns` finds the columns a :class:`~geo.models.LayerSpec` names (and a default
``source`` column); :func:`columns_used` lists every column a layer reads (a header is
enough, so only those are loaded); :func:`parse_columns` turns them into one parsed column
per key (numbers, coordinates, dates, texts, precision labels, popup texts), indexed by
the user's row numbers; :func:`select_rows` says which rows carry this layer's figures.
The cell validators themselves live in :mod:`geo.figures`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import pandas as pd

from geo.dates import parse_dates
from geo.errors import InputError
from geo.figures import (
    bad_rows,
    check_places,
    find_column,
    parse_coordinates,
    parse_numbers,
    rows_text,
    text_values,
    warn_duplicates,
)
from geo.kinds import KINDS
from geo.largefile import ROWS_COLUMN
from geo.models import COL_DATE, COL_PERIOD, COLUMN_KEYS, LayerSpec
from geo.reshape import used_columns, wide_keys
from geo.where import where_items

log = logging.getLogger("geo")

FIGURE_KEYS = ("injured", "low", "high", "children")
PRESENCE_KINDS = tuple(k.name for k in KINDS.values() if k.presence)

# Numeric columns that are not figures (ids, coordinates, calendar parts, codes).
_NOT_FIGURE = re.compile(
    r"(^|[_\s])(id|lat|latitude|lon|lng|long|longitude|x|y|year|month|day|iso|iso3|code|"
    r"zoom|prec|precision|geo_precision|where_prec|timestamp|time|date|inter\d*|"
    r"interaction|confidence|score)($|[_\s])",
    re.IGNORECASE,
)
# ACLED geo_precision: 1 the named town, 2 near a town / part of a region, 3 a province.
ACLED_PRECISION = {1: "exact", 2: "region", 3: "admin1"}
# UCDP where_prec: 1 exact, 2 within 25 km, 3 district, 4 province, 5 linear feature or
# between places, 6 country, 7 international waters or airspace.
UCDP_PRECISION = {
    1: "exact",
    2: "city",
    3: "region",
    4: "admin1",
    5: "region",
    6: "country",
    7: "region",
}
_PRECISION_WORDS = ("exact", "city", "admin1", "region", "country")


def columns_used(spec: LayerSpec, table: pd.DataFrame) -> list[str]:
    """The columns of ``table`` that :func:`join_layer` reads for ``spec`` (a header is enough).

    Filter columns, every mapped column, a default ``source`` column and, for presence
    layers whose empty counts are judged by the table's other figure columns, every column
    that could be one. Raises the same InputError as :func:`join_layer` for a missing column.

    >>> spec = LayerSpec("K", "casualties", "f.csv", place="town", value="killed")
    >>> columns_used(spec, pd.DataFrame(columns=["id", "town", "killed", "notes"]))
    ['town', 'killed']
    """
    used = [find_column(table, str(name), key="where") for name, _ in where_items(spec)]
    used += map_columns(spec, table).values()
    used += used_columns(spec, table)
    if spec.value and spec.kind in PRESENCE_KINDS and not spec.where:  # see select_rows
        used += [str(c) for c in table.columns if not _NOT_FIGURE.search(str(c))]
    return list(dict.fromkeys(used))


def map_columns(spec: LayerSpec, table: pd.DataFrame) -> dict[str, str]:
    """The table's column for each key the layer maps (key -> column name)."""
    cols: dict[str, str] = {}
    wide = wide_keys(spec)
    for key in COLUMN_KEYS:
        name = getattr(spec, key)
        if name and key in wide and name not in table.columns:
            continue  # a header not melted yet: used_columns lists the pairs
        if name:
            cols[key] = find_column(table, name, key=key)
    if spec.no_source:
        cols.pop("source", None)
    elif "source" not in cols:  # a column called "source" is used without being mapped
        found = [c for c in table.columns if str(c).casefold() in ("source", "sources")]
        if found:
            cols["source"] = str(found[0])
    for i, name in enumerate(spec.popup):
        cols[f"popup:{i}"] = find_column(table, name, key="popup")
    if "place" not in cols and not ("lat" in cols and "lon" in cols) and not spec.dates:
        raise InputError(f"layer {spec.name!r}: map a place column, or both lat and lon")
    return cols


def parse_columns(spec: LayerSpec, table: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    """One parsed column per mapped key, indexed by the user's row numbers."""
    what = {"value": "value" if KINDS[spec.kind].geometry == "polygon" else "count"}
    work = pd.DataFrame(index=table.index)
    for key in ("value", *FIGURE_KEYS):
        if key in cols:
            work[key] = parse_numbers(table, cols[key], what=what.get(key, "count"))
    _check_range(table, cols, work)
    if "lat" in cols and "lon" in cols:
        work["lat"], work["lon"] = parse_coordinates(table, cols["lat"], cols["lon"])
    if "date" in cols:
        work[COL_DATE], work[COL_PERIOD] = parse_dates(
            table, cols["date"], date_format=spec.date_format, order=spec.date_order
        )
    for key in ("place", "country", "origin", "group", "source"):
        if key in cols:
            work[key] = text_values(table[cols[key]])
    if "group" in work and spec.labels:
        work["group"] = _labelled(work["group"], spec.labels)
    if "precision" in cols:
        work["precision_label"] = _precision_labels(table, cols["precision"])
    for key, name in cols.items():
        if key.startswith("popup:"):
            work[key] = _popup_text(table[name])
    if ROWS_COLUMN in table:  # rows pre-aggregated out of core (geo.largefile)
        work["_n"] = table[ROWS_COLUMN].astype(int)
    else:
        warn_duplicates(table)
    return work


def _check_range(table: pd.DataFrame, cols: dict[str, str], work: pd.DataFrame) -> None:
    pairs = [("low", "high"), ("low", "value"), ("value", "high")]
    for a, b in pairs:
        if a in work and b in work:
            bad = work[a] > work[b]
            if bad.any():
                rows = list(work.index[np.asarray(bad)])
                row = rows[0]
                error = InputError(
                    f"{table.attrs.get('file', 'table')} {table.attrs.get('row_word', 'row')} "
                    f"{row}, columns {cols[a]}/{cols[b]}: {cols[a]} {work.at[row, a]:,g} is "
                    f"above {cols[b]} {work.at[row, b]:,g}; expected low <= best <= high"
                )
                shown = work[a].map("{:,g}".format) + " > " + work[b].map("{:,g}".format)
                raise bad_rows(
                    error, rows, f"{cols[a]}/{cols[b]}", shown, f"{cols[a]} is above {cols[b]}"
                )


SKIP_HINT = (
    'to leave such rows out (counted and listed), set on_bad_rows = "skip" on the layer '
    "or run geo build --skip-bad-rows"
)


def parse_checked(
    spec: LayerSpec, table: pd.DataFrame, cols: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[Any, str, str, str]]]:
    """:func:`parse_columns` of the rows :func:`select_rows` keeps, their places checked,
    leaving bad rows out when ``spec.on_bad_rows == "skip"``.

    Returns (the table without the bad rows, the parsed columns, the bad rows as
    (row, column, value, why)). In the default mode the first bad cell's InputError is
    raised, and its message says how to skip such rows.
    """
    skipped: list[tuple[Any, str, str, str]] = []
    while True:
        try:
            work = parse_columns(spec, table, cols)
            work = work[select_rows(spec, table, cols, work)]
            _check_located(table, cols, work)
        except InputError as exc:
            bad = getattr(exc, "bad", None)
            if not bad:
                raise
            if spec.on_bad_rows != "skip":
                raise InputError(f"{exc}; {SKIP_HINT}") from exc
            skipped += bad
            attrs = dict(table.attrs)
            table = table.drop(index=[b[0] for b in bad])
            table.attrs = attrs
            continue
        if skipped:
            word = table.attrs.get("row_word", "row")
            log.warning(
                'layer %r: skipped %d bad %s%s (on_bad_rows = "skip"): %s',
                spec.name,
                len(skipped),
                word,
                "" if len(skipped) == 1 else "s",
                "; ".join(sorted({f"{b[1]}: {b[3]}" for b in skipped})),
            )
        return table, work, skipped


def _check_located(table: pd.DataFrame, cols: dict[str, str], work: pd.DataFrame) -> None:
    """The rows drawn without coordinates need a place (InputError naming the first)."""
    xy = work["lat"].notna() if "lat" in work else pd.Series(False, index=work.index)
    if "place" in cols:
        check_places(table.loc[work.index], cols["place"], ~xy)
    elif (~xy).any():
        rows = list(work.index[np.asarray(~xy)])
        error = InputError(
            f"{table.attrs.get('file', 'table')} {table.attrs.get('row_word', 'row')} "
            f"{rows[0]}, column {cols['lat']}: the coordinates are empty; give lat and lon "
            "(decimal degrees) or map a place column"
        )
        empty = pd.Series("", index=work.index)
        raise bad_rows(error, rows, cols["lat"], empty, "the coordinates are empty")


def _labelled(groups: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Codes -> their labels ("1" and "1.0" both read "State-based conflict")."""
    by_code = {_code(code): label for code, label in labels.items()}
    return pd.Series(
        [None if g is None else by_code.get(_code(g), g) for g in groups],
        index=groups.index,
        dtype=object,
    )


def _code(value: object) -> str:
    text = str(value).strip()
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def _popup_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        return series.map(lambda v: None if pd.isna(v) else format_number(v)).astype(object)
    return text_values(series)


def _precision_labels(table: pd.DataFrame, column: str) -> pd.Series:
    """ACLED geo_precision (1-3), UCDP where_prec (1-7) or words -> precision labels."""
    text = text_values(table[column])
    words = text.str.lower() if text.notna().any() else text
    numbers = pd.to_numeric(text, errors="coerce")
    is_word = words.isin(_PRECISION_WORDS)
    bad = text.notna() & ~is_word & ~numbers.isin(range(1, 8))
    if bad.any():
        row = text.index[np.asarray(bad)][0]
        raise InputError(
            f"{table.attrs.get('file', 'table')} {table.attrs.get('row_word', 'row')} {row}, "
            f"column {column}: {text[row]!r} is not a precision code; use ACLED geo_precision "
            f"1-3, UCDP where_prec 1-7, or one of {', '.join(_PRECISION_WORDS)}"
        )
    ucdp = "where" in column.lower() or "ucdp" in column.lower() or numbers.max() > 3
    codes = UCDP_PRECISION if ucdp else ACLED_PRECISION
    labels = numbers.map(codes).astype(object)
    labels = labels.where(~is_word, words)
    return labels.where(labels.notna(), None)


def select_rows(
    spec: LayerSpec, table: pd.DataFrame, cols: dict[str, str], work: pd.DataFrame
) -> pd.Series:
    if "value" not in work or not KINDS[spec.kind].aggregated:
        return pd.Series(True, index=work.index)
    figures = [k for k in ("value", *FIGURE_KEYS) if k in work]
    has_figure = work[figures].notna().any(axis=1)
    if spec.kind not in PRESENCE_KINDS:
        keep = has_figure
    elif spec.where or spec.preset or wide_keys(spec):
        # rows chosen by the spec, or a dataset's own table: an empty count is presence
        keep = pd.Series(True, index=work.index)
    else:
        keep = has_figure | ~_other_figures(table, cols, ~has_figure)
    dropped = int((~keep).sum())
    if dropped:
        log.info(
            "layer %r: %d rows without a %s figure are left out (rows %s)",
            spec.name,
            dropped,
            cols["value"],
            rows_text(list(work.index[np.asarray(~keep)])),
        )
    return keep


def _other_figures(table: pd.DataFrame, cols: dict[str, str], rows: pd.Series) -> pd.Series:
    """True for the ``rows`` that carry a number in a figure column this layer does not map."""
    mapped = set(cols.values())
    found = pd.Series(False, index=table.index)
    if not rows.any():
        return found
    for column in table.columns:
        if column in mapped or column == ROWS_COLUMN or _NOT_FIGURE.search(str(column)):
            continue
        series = table[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            continue
        if pd.api.types.is_numeric_dtype(series.dtype):
            found |= series.notna() & rows
            continue
        text = text_values(series).astype("string[pyarrow]")
        filled = text.notna()
        if not filled.any():
            continue
        cleaned = text.str.replace("[, \u00a0\u202f'_]", "", regex=True)
        numeric = cleaned.str.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)").fillna(False).astype(bool)
        if numeric[filled].all():  # a column of numbers only: a figure column
            found |= filled.astype(bool) & rows
    return found


def format_number(value: Any) -> str:
    """``1234.0`` -> ``'1,234'``; ``2.5`` -> ``'2.5'``; NaN -> ``''``.

    >>> format_number(3600.0), format_number(0.125)
    ('3,600', '0.125')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")
