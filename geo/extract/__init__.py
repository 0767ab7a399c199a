"""From news reports to candidate figure rows (``geo extract``).

Offline gazetteer matching plus rules, no model: numbers as reporters write them, their
kind (deployed, killed, injured, displaced, funding), qualifier, subgroup, actor, source,
date phrase and place, each with the sentence it came from and a confidence. The table's
columns are :data:`COLUMNS`, the figure schema ``geo build`` reads::

    import geo
    frame = geo.extract(["report.txt"], report_date="2025-08-20")
    killed = frame[(frame.kind == "killed") & frame.group.isna()]

Rows with a ``group`` are parts of another row (``children`` among the killed) or, for
funding, the stage of the money (``pledged``, ``disbursed``); sum only rows without one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo._callable import make_callable
from geo.atomic import write_atomic
from geo.extract.core import COLUMNS, PLACE_COLUMNS, FigureRow, Lookup, extract_rows
from geo.extract.core import extract_places as _extract_places
from geo.models import Place

if TYPE_CHECKING:  # pandas is imported where a frame is made: `geo geocode` starts faster
    import pandas as pd

__all__ = [
    "COLUMNS",
    "PLACE_COLUMNS",
    "FigureRow",
    "extract",
    "extract_rows",
    "places",
    "spreadsheet_safe",
    "to_frame",
    "write_rows",
]


def extract(
    texts_or_paths: Iterable[str | Path] | str | Path,
    *,
    report_date: date | str | None = None,
    geocoder: Any = None,
    language: str | None = None,
    explain: bool = False,
) -> pd.DataFrame:
    """Candidate figure rows of one or more reports, as a DataFrame with :data:`COLUMNS`.

    Each item is a path (``.txt``, ``.html``...), ``"-"`` for stdin, or the text of a
    report itself. ``report_date`` (``YYYY-MM-DD``) resolves "this year", "last week";
    without it the date a page or dateline states is used, if any. ``geocoder`` is any
    object with ``geocode(query, country=None) -> Place`` (default: the project's offline
    geocoder). ``language`` (``"en"``, ``"fr"``: a folder of ``geo/extract/lang/``) reads
    every report with that language's lexicons; by default each report's language is
    detected from its function words. ``explain=True`` adds a ``rule`` column: the named
    rule that gave each row its kind (see :data:`geo.extract.kinds.KIND_RULES`).

    Raises :class:`~geo.errors.InputError` naming the file for a missing, empty, binary
    or undecodable report, or for an unknown ``language``. A report without figures
    gives no rows (not an error).

    >>> extract("Fighting displaced 2,000 people on Monday.", geocoder=_NoPlaces()).value.tolist()
    [2000.0]
    """
    lookup: Lookup | None = None
    if geocoder is not None:
        lookup = _as_lookup(geocoder)
    rows = extract_rows(texts_or_paths, report_date=report_date, lookup=lookup, language=language)
    return to_frame(rows, explain=explain)


def places(
    texts_or_paths: Iterable[str | Path] | str | Path,
    *,
    geocoder: Any = None,
) -> pd.DataFrame:
    """Every place mention of one or more reports, one row per distinct mention (as
    written) and report, with :data:`PLACE_COLUMNS`: the place as written, its geocode
    (name, lat, lon, precision, country), how many times it is mentioned and the first
    sentence that mentions it. ``geocoder`` as for :func:`extract`.

    Raises :class:`~geo.errors.InputError` naming the file, as :func:`extract` does.

    >>> places("Fighting displaced 2,000 people on Monday.", geocoder=_NoPlaces()).empty
    True
    """
    lookup = _as_lookup(geocoder) if geocoder is not None else None
    import pandas as pd

    frame = pd.DataFrame(
        _extract_places(texts_or_paths, lookup=lookup), columns=list(PLACE_COLUMNS)
    )
    for col in ("lat", "lon"):
        frame[col] = pd.to_numeric(frame[col])
    frame["count"] = frame["count"].astype(int)
    return frame


def _as_lookup(geocoder: Any) -> Lookup:
    if hasattr(geocoder, "geocode"):
        return lambda q: geocoder.geocode(q)
    return geocoder  # type: ignore[no-any-return]


class _NoPlaces:
    """A geocoder that knows no place (for examples)."""

    name = "none"

    def geocode(self, query: str, country: str | None = None) -> Place:
        return Place.unresolved(query)


def to_frame(rows: Sequence[FigureRow], explain: bool = False) -> pd.DataFrame:
    """The rows as a DataFrame with exactly :data:`COLUMNS` (empty rows -> header only),
    plus ``rule`` (the rule that gave each row its kind) when ``explain``."""
    import pandas as pd

    columns = [*COLUMNS, "rule"] if explain else list(COLUMNS)
    frame = pd.DataFrame([r.to_dict() for r in rows], columns=columns)
    frame["value"] = frame["value"].astype(float)
    for col in ("lat", "lon", "confidence"):
        frame[col] = pd.to_numeric(frame[col])
    return frame


def write_rows(frame: pd.DataFrame, out: str | Path | None, fmt: str = "csv") -> str:
    """Format the table as CSV or JSON lines (one object per row), write it atomically to
    ``out`` when given, and return the text. In CSV a text cell that a spreadsheet would
    run as a formula is prefixed with ``'`` (:func:`spreadsheet_safe`); JSON keeps the text.

    Raises OutputError when the file cannot be written.
    """
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        text = "".join(json.dumps(_plain(r), ensure_ascii=False) + "\n" for r in records)
    else:
        text = spreadsheet_safe(frame).to_csv(index=False, float_format="%.10g")
    if out is not None:
        write_atomic(Path(out), text, what="the figures")
    return text


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): report text such as
# "=HYPERLINK(...)" or "@SUM(...)" must stay text when an analyst opens figures.csv.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that starts like a formula (``= + - @``, tab, CR)
    prefixed with a single quote, as OWASP advises for CSV meant for spreadsheets. Numbers
    are left alone (a negative value stays a number).

    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"a": ["=1+1", "Goma"], "v": [-1.0, 2.0]})).a.tolist()
    ["'=1+1", 'Goma']
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (float(v) if hasattr(v, "item") and not isinstance(v, str) else v)
        for k, v in record.items()
    }


make_callable(__name__, extract)  # geo.extract([...]) calls extract (see geo/_callable.py)
