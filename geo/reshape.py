"""A layer's table made ready to map: missing-value words, wide pairs, dates from columns.

:func:`prepare` runs after the ``where`` filter and before the columns are parsed:

- cells that are one of the layer's ``missing`` words (``unknown``, ``NA``, ``n/a``, ``-``,
  ``?`` by default; case-insensitive) read as empty, except in the country column (``NA``
  is Namibia there);
- repeated column pairs (``group = "name.of.TCC*"``, ``value = "No.troops.per.TCC*"``)
  become one row per pair with a filled cell: the row numbers read ``2933 (pair 2)``; a
  row with no filled pair stays one row (a presence);
- a date made of columns (``date = ["year", "month"]``) becomes one ``year-month`` column.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from geo.dates import combine
from geo.figures import find_column, text_values
from geo.models import LayerSpec
from geo.presets import wide_columns

log = logging.getLogger("geo")

WIDE_KEYS = ("value", "group", "origin", "injured", "low", "high", "children", "source")


def wide_keys(spec: LayerSpec) -> dict[str, str]:
    """The keys whose column is a ``*`` pattern of repeated columns."""
    return {k: str(getattr(spec, k)) for k in WIDE_KEYS if "*" in str(getattr(spec, k) or "")}


def used_columns(spec: LayerSpec, header: pd.DataFrame) -> list[str]:
    """The real columns behind the layer's patterns and date parts (for the reader)."""
    columns = [str(c) for c in header.columns]
    out: list[str] = []
    for pattern in wide_keys(spec).values():
        out += wide_columns(pattern, columns).values()
    out += [find_column(header, c, key="date") for c in spec.dates]
    return out


def prepare(spec: LayerSpec, table: pd.DataFrame) -> tuple[LayerSpec, pd.DataFrame]:
    """The layer and its table with missing words cleared, pairs melted, dates combined."""
    table = _clear_missing(spec, table)
    if spec.dates:
        name = "/".join(find_column(table, c, key="date") for c in spec.dates)
        table = table.assign(**{name: combine(table, spec.dates)})
        table.attrs = dict(table.attrs)
        spec = dataclasses.replace(spec, date=name, dates=())
    if wide_keys(spec):
        table = _melt(spec, table)
    return spec, table


def _clear_missing(spec: LayerSpec, table: pd.DataFrame) -> pd.DataFrame:
    words = {w.casefold() for w in spec.missing}
    if not words:
        return table
    country = spec.country.casefold() if spec.country else None
    out = None
    for column in table.columns:
        series = table[column]
        if str(column).casefold() == country or pd.api.types.is_numeric_dtype(series.dtype):
            continue
        text = series.astype("string[pyarrow]").str.strip().str.casefold()
        hit = text.isin(words).fillna(False).astype(bool)
        if hit.any():
            out = table.copy() if out is None else out
            out[column] = series.astype(object).where(~hit.to_numpy(), None)
            log.info(
                "%s, column %s: %d cells (%s) read as empty",
                table.attrs.get("file", "table"),
                column,
                int(hit.sum()),
                ", ".join(sorted({str(v) for v in series[hit.to_numpy()]})),
            )
    if out is None:
        return table
    out.attrs = dict(table.attrs)
    return out


def _melt(spec: LayerSpec, table: pd.DataFrame) -> pd.DataFrame:
    patterns = wide_keys(spec)
    columns = [str(c) for c in table.columns]
    numbered = {k: wide_columns(p, columns) for k, p in patterns.items()}
    numbers = sorted({n for found in numbered.values() for n in found}, key=int)
    paired = {c for found in numbered.values() for c in found.values()}
    fixed = [c for c in columns if c not in paired]
    pieces, filled = [], []
    for n in numbers:
        part = table[fixed].copy()
        any_cell = pd.Series(False, index=table.index)
        for key, pattern in patterns.items():
            column = numbered[key].get(n)
            part[pattern] = table[column] if column else None
            if column:
                any_cell |= text_values(table[column]).notna()
        part.index = [f"{row} (pair {n})" for row in table.index]
        pieces.append(part)
        filled.append(any_cell.to_numpy())
    if not pieces:
        return table
    has = np.vstack(filled)  # pairs x rows
    none = ~has.any(axis=0)
    keep = [p[has[i] | (none if i == 0 else False)] for i, p in enumerate(pieces)]
    first = pieces[0].index[none]
    long = pd.concat(keep)
    names = dict(zip(first, (str(r) for r in table.index[none]), strict=True))
    long.index = pd.Index([names.get(r, r) for r in long.index], dtype=object)
    order = {r: i for i, r in enumerate(table.index)}
    long = long.iloc[np.argsort([order.get(_row_of(r), 0) for r in long.index], kind="stable")]
    long.attrs = {k: v for k, v in table.attrs.items() if k != "unread"}
    long.attrs.setdefault("input_rows", len(table))
    log.info(
        "%s: %d rows with %d column pairs (%s) read as %d rows",
        table.attrs.get("file", "table"),
        len(table),
        len(numbers),
        ", ".join(patterns.values()),
        len(long),
    )
    return long


def _row_of(label: object) -> object:
    text = str(label)
    head = text.split(" (pair ", 1)[0]
    return int(head) if head.isdigit() else label
