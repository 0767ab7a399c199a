"""Row filters: a layer's ``where`` selects its rows of a shared table.

``where = {kind = "killed", group = ""}`` keeps the rows whose ``kind`` is ``killed`` and
whose ``group`` is empty; a list of values keeps any of them. One rule, :func:`matches`,
decides whether a cell matches, for rows read in memory (:func:`filter_rows`) and for the
distinct values DuckDB reads out of core (:mod:`geo.largefile`).
"""

from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from geo.errors import SpecError
from geo.figures import find_column, text_values
from geo.models import LayerSpec

log = logging.getLogger("geo")


def where_items(spec: LayerSpec) -> list[tuple[Any, Any]]:
    """The (column, wanted) pairs of ``spec.where`` (a dict or a tuple of pairs)."""
    if not spec.where:
        return []
    return list(spec.where.items() if isinstance(spec.where, dict) else spec.where)


def wanted_texts(wanted: Any) -> list[str]:
    """One filter's wanted values as text: ``"killed"`` -> ``["killed"]``."""
    values = [wanted] if isinstance(wanted, str | int | float) else list(wanted)
    return [str(v) for v in values]


def matches(series: pd.Series, values: list[str]) -> pd.Series:
    """True where the cell equals one of ``values`` (text, case-insensitive; "" = empty).

    >>> matches(pd.Series(["Killed", "2024.0", None]), ["killed", "2024", ""]).tolist()
    [True, True, True]
    """
    text = text_values(series)
    folded = text.map(lambda v: None if v is None else str(v).casefold())
    wanted = {v.strip().casefold() for v in values if v.strip()}
    hit = folded.isin(wanted)
    numbers = [float(v) for v in wanted if re.fullmatch(r"[+-]?\d+(\.\d*)?", v)]
    if numbers:  # 2024 matches a cell read as 2024.0
        hit |= pd.to_numeric(text, errors="coerce").isin(numbers)
    if any(not v.strip() for v in values):
        hit |= text.isna()
    return hit.astype(bool)


def filter_rows(spec: LayerSpec, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` that ``spec.where`` selects (all rows without a filter).

    Cells compare as text, ignoring case and surrounding spaces; ``""`` matches an empty
    cell; a number matches its spelling in any form (``2024`` matches ``2024.0``). Row
    numbers (the index) and the table's attrs are kept, so later messages still count rows
    as the user does.

    Raises InputError when a filter column is missing (naming the closest column).

    >>> t = pd.DataFrame({"kind": ["killed", "deployed"], "value": [3, None]})
    >>> spec = LayerSpec("K", "casualties", "f.csv", where={"kind": "killed"})
    >>> filter_rows(spec, t).index.tolist()
    [0]
    """
    if not spec.where:
        return table
    keep = pd.Series(True, index=table.index)
    items = where_items(spec)
    for name, wanted in items:
        column = find_column(table, str(name), key="where")
        keep &= matches(table[column], wanted_texts(wanted))
    selected = table[keep.to_numpy()].copy()
    selected.attrs = dict(table.attrs)
    if selected.empty and len(table):
        shown = {
            name: sorted(
                {str(v) for v in text_values(table[find_column(table, str(name))]).dropna()}
            )[:8]
            for name, _ in items
        }
        log.warning(
            "layer %r: where %s selects none of the %d rows of %s (values found: %s)",
            spec.name,
            dict(items),
            len(table),
            table.attrs.get("file", "table"),
            "; ".join(f"{k}: {', '.join(v) or '(all empty)'}" for k, v in shown.items()),
        )
    else:
        log.info(
            "layer %r: where %s selects %d of %d rows",
            spec.name,
            dict(items),
            len(selected),
            len(table),
        )
    return selected


def check_where(layer: LayerSpec, table: pd.DataFrame, spec_file: str) -> None:
    """Raise SpecError when ``layer.where`` names a column ``table`` does not have.

    The message names the spec file, the layer, the column, the closest column and all the
    columns of the data file.
    """
    if not layer.where:
        return
    columns = [str(c) for c in table.columns]
    folded = {c.casefold() for c in columns}
    for column, _ in where_items(layer):
        if column in columns or column.casefold() in folded:
            continue
        close = difflib.get_close_matches(column, columns, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(
            f"{spec_file}: layer {layer.name!r}: where names column {column!r}, which "
            f"{table.attrs.get('file', Path(str(layer.data)).name)} does not have{hint} "
            f"(the columns are: {', '.join(columns) or '(none)'})"
        )
