"""Date columns as the datasets write them.

On top of the forms :func:`geo.figures.parse_dates` reads (ISO dates, months, years,
written dates, periods), a layer reads:

- ACLED's ``16-Feb-21`` (day, month name, two-digit year) and ``14/08/2020 00:00:00``;
- UCDP's ``1/27/2014 12:00:00 AM`` (and the same without the time);
- any form given as ``date_format`` (Python strptime codes, tried first).

Numeric day/month forms (``05/02/2014``) are read in the column's order: the layer's
``date_order`` (``"dmy"``/``"mdy"``, which presets set), else what the column itself shows
(a first number above 12 means day first, a second one month first; such dates outrank a
stated order, with a warning). A column that shows neither and has no order is an error
naming the fix.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from geo.figures import _bad_rows_error, _parse_date_texts, text_values

log = logging.getLogger("geo")

_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?$"
)
_SHORT_YEAR = re.compile(r"^(\d{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s](\d{2})$")
FIX = (
    'set date_order = "dmy" (14/08/2020) or "mdy" (8/14/2020) on the layer, or '
    'date_format = "%d/%m/%Y"; or write dates as YYYY-MM-DD'
)


def parse_dates(
    table: pd.DataFrame,
    column: str,
    *,
    date_format: str | None = None,
    order: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse a date column into (Timestamp or NaT, period label or None) per row.

    Raises InputError for the first bad cell (file, row, column, value, fix); ambiguous
    day/month forms name ``date_order`` and ``date_format``.

    >>> t = pd.DataFrame({"d": ["16-Feb-21", "1/27/2014 12:00:00 AM"]}, index=[2, 3])
    >>> parse_dates(t, "d", order="mdy")[1].tolist()
    ['2021-02-16', '2014-01-27']
    """
    series = table[column]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        from geo.figures import parse_dates as parse_native

        return parse_native(table, column)
    raw = text_values(series)
    codes, uniques = pd.factorize(raw)
    texts = [str(u) for u in uniques]
    stamps = np.full(len(texts), np.datetime64("NaT", "ns"))
    labels: list[str | None] = [None] * len(texts)
    if date_format:
        parsed = pd.to_datetime(pd.Series(texts, dtype=object), format=date_format, errors="coerce")
        for i, stamp in enumerate(parsed):
            if pd.notna(stamp):
                stamps[i], labels[i] = stamp.to_datetime64(), _label(date_format, stamp)
    slashed = _slashed(texts, stamps, labels, order)
    _short_years(texts, stamps, labels)
    _day_month_year(texts, stamps, labels)
    rest = [i for i in range(len(texts)) if np.isnat(stamps[i])]
    if rest:
        found, found_labels = _parse_date_texts(pd.Series([texts[i] for i in rest], dtype="string"))
        values = pd.to_datetime(found).to_numpy("datetime64[ns]")  # not .iloc per date
        for j, i in enumerate(rest):
            if not np.isnat(values[j]):
                stamps[i], labels[i] = values[j], found_labels[j]
    bad = np.isnat(stamps)
    if bad.any():
        rows = pd.Series(np.isin(codes, np.flatnonzero(bad)), index=raw.index)
        first = str(raw[rows].iloc[0])
        ambiguous = slashed == "ambiguous" and _SLASHED.match(first) is not None
        raise _bad_rows_error(
            table,
            column,
            rows,
            raw,
            "is ambiguous (day/month or month/day?)" if ambiguous else "is not a date",
            FIX
            if ambiguous
            else "use YYYY-MM-DD (e.g. 2025-08-20), YYYY-MM, YYYY, a period like "
            '2024-06/2025-08, or give the form as date_format = "%d/%m/%Y"',
        )
    stamp_of = np.append(stamps, np.datetime64("NaT", "ns"))
    label_of = np.array([*labels, None], dtype=object)
    dates = pd.Series(stamp_of[codes], index=raw.index, name=raw.name)
    return dates, pd.Series(label_of[codes], index=raw.index, name=raw.name, dtype=object)


def _label(fmt: str, stamp: pd.Timestamp) -> str:
    if "%d" in fmt or "%j" in fmt:
        return f"{stamp:%Y-%m-%d}"
    return f"{stamp:%Y-%m}" if ("%m" in fmt or "%b" in fmt or "%B" in fmt) else f"{stamp:%Y}"


def _slashed(
    texts: list[str], stamps: np.ndarray, labels: list[str | None], order: str | None
) -> str | None:
    """Read the d/m/Y (or m/d/Y) texts in place; return the order used, or "ambiguous"."""
    found = [
        (i, m) for i, t in enumerate(texts) if np.isnat(stamps[i]) and (m := _SLASHED.match(t))
    ]
    if not found:
        return None
    day_first = any(int(m.group(1)) > 12 for _, m in found)
    month_first = any(int(m.group(2)) > 12 for _, m in found)
    shown = None if day_first == month_first else ("dmy" if day_first else "mdy")
    if order is None:
        if shown is None:
            return "ambiguous"  # neither shows, or both do: the user must say
        order = shown
    elif shown is not None and shown != order:
        # 27/01/2014 cannot be month first: the column's own dates outrank a preset's order
        log.warning(
            "dates such as %r are %s, not %s as the layer says: read as %s",
            next(m.group(0) for _, m in found if int(m.group(1 if shown == "dmy" else 2)) > 12),
            "day first" if shown == "dmy" else "month first",
            order,
            shown,
        )
        order = shown
    for i, m in found:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if order == "dmy" else (b, a)
        try:
            stamp = pd.Timestamp(year=year, month=month, day=day)
        except ValueError:
            continue
        stamps[i], labels[i] = stamp.to_datetime64(), f"{stamp:%Y-%m-%d}"
    return order


def _short_years(texts: list[str], stamps: np.ndarray, labels: list[str | None]) -> None:
    """``16-Feb-21`` -> 2021-02-16 (two-digit years: 69-99 are 19xx, 00-68 20xx, as strptime)."""
    for i, text in enumerate(texts):
        if not np.isnat(stamps[i]) or not (m := _SHORT_YEAR.match(text)):
            continue
        stamp = pd.to_datetime(
            f"{m.group(1)} {m.group(2)[:3]} {m.group(3)}", format="%d %b %y", errors="coerce"
        )
        if pd.notna(stamp):
            stamps[i], labels[i] = stamp.to_datetime64(), f"{stamp:%Y-%m-%d}"


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


def _day_month_year(texts: list[str], stamps: np.ndarray, labels: list[str | None]) -> None:
    """``16 October 2006`` / ``5 Feb 2021`` (ACLED's usual form) read without dateutil: a
    strptime per text is ~100 times faster than the general parser on 10,000 dates."""
    import datetime as dt

    for i, text in enumerate(texts):
        if not np.isnat(stamps[i]) or not (m := _DAY_MONTH_YEAR.match(text)):
            continue
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                day = dt.datetime.strptime(f"{m.group(1)} {m.group(2)} {m.group(3)}", fmt)
            except ValueError:
                continue
            stamps[i], labels[i] = np.datetime64(day, "ns"), f"{day:%Y-%m-%d}"
            break


def combine(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """``year`` and ``month`` (and ``day``) columns as one date text per row:
    ("2018", "3") -> "2018-03"; a month name reads too ("2018", "March" -> "March 2018").
    An empty year leaves the date empty."""
    parts = [text_values(table[c]).map(_whole) for c in columns]
    year = parts[0]
    out = year.copy()
    if len(parts) > 1:
        month = parts[1]
        numeric = month.map(lambda v: v is not None and str(v).isdigit())
        out = pd.Series(
            [
                None
                if y is None
                else (f"{y}-{int(m):02d}" if n else (f"{m} {y}" if m is not None else y))
                for y, m, n in zip(year, month, numeric, strict=True)
            ],
            index=table.index,
            dtype=object,
        )
    if len(parts) > 2:
        day = parts[2]
        out = pd.Series(
            [
                o
                if d is None or o is None
                else (f"{o}-{int(d):02d}" if d.isdigit() else f"{d} {o}")
                for o, d in zip(out, day, strict=True)
            ],
            index=table.index,
            dtype=object,
        )
    return out


def _with_day(date: str, day: str) -> str:
    return f"{date}-{int(day):02d}" if day.isdigit() else f"{day} {date}"


def _whole(value: object) -> object:
    """'2018.0' -> '2018' (a spreadsheet's number), other texts unchanged."""
    if value is None:
        return None
    text = str(value)
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text
