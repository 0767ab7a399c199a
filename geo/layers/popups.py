"""Reader-facing text of a layer's features: numbers, places, periods, popups and tooltips.
Everything here is plain text; the runtime inserts it with ``textContent``.

>>> format_number(3600.0), location_text({"name": "Goma", "precision": "city"})
('3,600', 'town or city')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from geo.models import (
    COL_DATE,
    COL_DETAILS,
    COL_GROUP,
    COL_NAME,
    COL_PERIOD,
    COL_PRECISION,
    COL_QUERY,
    COL_ROWS,
    COL_SOURCES,
    COL_VALUE,
)

APPROXIMATE = frozenset({"admin1", "region", "country"})
QUALIFIER_KEYS = ("qualifier",)
RANGE_KEYS = ("low", "best", "high")


# ---- formatting -------------------------------------------------------------------


def format_number(value: Any) -> str:
    """Format a figure for a reader: thousands separators, no spurious decimals.

    >>> format_number(3600.0), format_number(2.5), format_number("n/a")
    ('3,600', '2.5', 'n/a')
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
        if not math.isfinite(v):
            return "not reported"
        if abs(v - round(v)) < 1e-9:
            return f"{int(round(v)):,}"
        return f"{v:,.1f}"
    return "" if value is None else str(value)


def is_missing(value: Any) -> bool:
    """True for None, NaN and NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _details(row: dict[str, Any]) -> dict[str, Any]:
    details = row.get(COL_DETAILS)
    return dict(details) if isinstance(details, dict) else {}


def qualifier_of(row: dict[str, Any]) -> str:
    """The qualifier of a row's figure ("more than", "over", ...), from a ``qualifier``
    column or a ``qualifier`` entry of ``details``; "" when none."""
    q = row.get("qualifier")
    if is_missing(q) or not str(q).strip():
        q = next((v for k, v in _details(row).items() if str(k).lower() in QUALIFIER_KEYS), None)
    return "" if is_missing(q) or not str(q).strip() else str(q).strip() + " "


def period_of(row: dict[str, Any]) -> str:
    """The period label of a row, or its date as YYYY-MM-DD, or ""."""
    label = row.get(COL_PERIOD)
    if not is_missing(label) and str(label):
        return str(label)
    date = row.get(COL_DATE)
    return "" if is_missing(date) else pd.Timestamp(date).strftime("%Y-%m-%d")


def place_label(row: dict[str, Any]) -> str:
    """The display name of a row's place (resolved name, else the query)."""
    for col in (COL_NAME, COL_QUERY):
        if not is_missing(row.get(col)) and str(row.get(col)):
            return str(row[col])
    return "unnamed place"


# How a precision reads to a reader (the same words in geo/assets/js/10-pure.js).
PRECISION_WORDS = {
    "city": "town or city",
    "admin1": "province or state",
    "region": "region",
    "country": "country",
}


def location_row(row: dict[str, Any]) -> list[str]:
    """The popup's location row, for a reader: ``["Approximate location", "eastern DRC
    (region)"]`` for vague places, ``["Location", "town or city"]`` otherwise."""
    precision = "" if is_missing(row.get(COL_PRECISION)) else str(row[COL_PRECISION])
    if precision in APPROXIMATE:
        return ["Approximate location", f"{place_label(row)} ({PRECISION_WORDS[precision]})"]
    return ["Location", PRECISION_WORDS.get(precision, precision or "exact")]


def location_text(row: dict[str, Any]) -> str:
    """The text of :func:`location_row` ("eastern DRC (region)", "town or city")."""
    return location_row(row)[1]


def reader_label(column: str) -> str:
    """A column name as a popup label: "reported_by" -> "Reported by"."""
    text = re.sub(r"[_\s]+", " ", str(column)).strip()
    return text[:1].upper() + text[1:] if text else str(column)


def group_label(spec: Any) -> str | None:
    """The popup label of a layer's group column ("contributor" -> "Contributor",
    "event_type" -> "Event type"), or None when the layer has no group column."""
    name = getattr(spec, "group", None)
    if not name:
        return None
    text = re.sub(r"[_\s]+", " ", str(name)).strip()
    return text[:1].upper() + text[1:] if text else None


def popup_content(
    row: dict[str, Any],
    *,
    value_label: str,
    missing: str = "not reported",
    extra: Iterable[str] = (),
    group: str | None = None,
) -> dict[str, Any]:
    """The popup of one feature as ``{"t": title, "r": [[label, text], ...]}``.

    ``group`` labels the row's group (contributor, force, event type), shown after the
    figure. The runtime adds the layer's name and inserts every part with
    ``textContent``, so nothing here is HTML.

    >>> popup_content({"name": "Haiti", "value": 3600.0, "qualifier": "more than",
    ...                "precision": "country", "sources": "UN"}, value_label="Killed")["r"]
    [['Killed', 'more than 3,600'], ['Approximate location', 'Haiti (country)'], ['Source', 'UN']]
    """
    rows: list[list[str]] = []
    value = row.get(COL_VALUE)
    if is_missing(value):
        rows.append([value_label, missing])
    else:
        rows.append([value_label, qualifier_of(row) + format_number(value)])
    if group and not is_missing(row.get(COL_GROUP)) and str(row[COL_GROUP]):
        rows.append([group, str(row[COL_GROUP])])
    details = _details(row)
    ranges = {str(k).lower(): v for k, v in details.items() if str(k).lower() in RANGE_KEYS}
    if not is_missing(ranges.get("low")) and not is_missing(ranges.get("high")):
        text = f"{format_number(ranges['low'])}–{format_number(ranges['high'])}"
        if not is_missing(ranges.get("best")):
            text += f" (best estimate {format_number(ranges['best'])})"
        rows.append(["Range", text])
    for key, val in details.items():
        if str(key).lower() in RANGE_KEYS + QUALIFIER_KEYS or is_missing(val):
            continue
        rows.append([str(key), format_number(val)])
    when = period_of(row)
    if when:
        rows.append(["Period" if not is_missing(row.get(COL_PERIOD)) else "Date", when])
    if str(row.get(COL_QUERY) or "") not in ("", place_label(row)):
        rows.append(["Place in data", str(row[COL_QUERY])])
    rows.append(location_row(row))
    for col in extra:
        if col in row and not is_missing(row[col]):
            rows.append([reader_label(col), format_number(row[col])])
    n: Any = row.get(COL_ROWS)
    if not is_missing(n) and int(n) > 1:
        rows.append(["Rows", f"aggregated from {int(n):,} rows"])
    if not is_missing(row.get(COL_SOURCES)) and str(row[COL_SOURCES]):
        rows.append(["Source", str(row[COL_SOURCES])])
    return {"t": place_label(row), "r": rows}


def tooltip_text(row: dict[str, Any], *, unit: str, missing: str) -> str:
    """A one-line hover text: "Port-au-Prince: 800 personnel"."""
    value = row.get(COL_VALUE)
    if is_missing(value):
        return f"{place_label(row)}: {missing}"
    return f"{place_label(row)}: {qualifier_of(row)}{format_number(value)} {unit}".rstrip()
