"""The figure rows `geo extract` emits: their schema (:data:`COLUMNS`), the row type, and
the report-level clean-up (one row per repeated figure, the local currency of a shared
currency word)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from geo.extract.attach import RANK
from geo.extract.numbers import Number
from geo.extract.places import Mention

# The figure schema `geo build` reads (plus the geocode of the place).
COLUMNS: tuple[str, ...] = (
    "place",
    "name",
    "lat",
    "lon",
    "precision",
    "country",
    "kind",
    "value",
    "currency",
    "qualifier",
    "group",
    "unit",
    "actor",
    "according_to",
    "period",
    "date",
    "date_start",
    "date_end",
    "evidence",
    "report",
    "source",
    "confidence",
)


@dataclass(frozen=True)
class FigureRow:
    """One candidate figure, ready for review (see COLUMNS for the table shape).

    ``group`` marks a row that is part of another row of the same sentence ("including
    over 100 children" -> ``children``) or, for funding, the stage of the money
    (``pledged``, ``disbursed``...): sum only rows whose group is empty. A ``deployed`` row
    whose ``value`` is None states presence without a count ("where EAC and SADC is jointly
    engaged").
    """

    place: str | None
    name: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    country: str | None
    kind: str
    value: float | None
    currency: str | None
    qualifier: str | None
    group: str | None
    unit: str | None
    actor: str | None
    according_to: str | None
    period: str | None
    date: str | None
    date_start: str | None
    date_end: str | None
    evidence: str
    report: str
    source: str
    confidence: float

    rule: str | None = None  # the rule that gave the kind (``--explain``), not a column

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Currency words several countries use, read in the report's country: "Rs 3 billion" in Sri
# Lanka, "pesos" in Mexico, "dinars" in Iraq, "shillings" in Uganda, "francs" in Mali.
_LOCAL_CURRENCY: dict[str, dict[str, str]] = {
    "PKR": {"LKA": "LKR", "IND": "INR", "NPL": "NPR"},
    "COP": {"MEX": "MXN", "PHL": "PHP", "ARG": "ARS", "CHL": "CLP", "CUB": "CUP", "DOM": "DOP"},
    "LYD": {"IRQ": "IQD", "JOR": "JOD", "DZA": "DZD", "TUN": "TND", "KWT": "KWD"},
    "KES": {"UGA": "UGX", "TZA": "TZS", "SOM": "SOS"},
    "XAF": {iso3: "XOF" for iso3 in "BFA MLI NER SEN CIV BEN TGO GNB".split()}
    | {"COD": "CDF", "BDI": "BIF", "RWA": "RWF", "GIN": "GNF", "DJI": "DJF"},
    "SAR": {"QAT": "QAR", "YEM": "YER", "OMN": "OMR"},
    "YER": {"IRN": "IRR", "OMN": "OMR"},
}


# ... and "pounds" (not "£") in the countries whose money is called so
_LOCAL_POUNDS = {"SDN": "SDG", "SSD": "SSP", "EGY": "EGP", "LBN": "LBP", "SYR": "SYP"}


def _local_currency(num: Number, main: Mention | None) -> str | None:
    """``num``'s currency, a shared currency word read in the report's main country."""
    if num.currency is None or main is None or not main.iso3:
        return num.currency
    if num.currency == "GBP" and "pound" in num.text.lower():
        return _LOCAL_POUNDS.get(main.iso3, "GBP")
    if re.search(r"[A-Z]{3}", num.text) and num.currency in num.text:
        return num.currency  # written as a code: "KES 1.2 billion"
    return _LOCAL_CURRENCY.get(num.currency, {}).get(main.iso3, num.currency)


def _dedupe(rows: list[FigureRow]) -> list[FigureRow]:
    """One row per figure repeated in a report (headline "kill 37 in western Niger", lead
    "killed 37 near Dargol"): the same kind, value and subgroup in one country is one figure,
    unless two towns part them ("two killed in Antananarivo", "two killed in Antsiranana");
    the more precise place found in its own sentence wins, then the more confident. A
    place the gazetteer lacks ("near Ngouboua") counts as a town of the report's country."""
    kept: list[FigureRow] = []

    def rank(row: FigureRow) -> tuple[bool, int, float]:
        precision = row.precision or ("city" if row.place else "")
        return (row.confidence >= 0.75, -RANK.get(precision, 4), row.confidence)

    def same(a: FigureRow, b: FigureRow) -> bool:
        if (a.report, a.kind, a.value, a.group, a.currency) != (
            b.report,
            b.kind,
            b.value,
            b.group,
            b.currency,
        ):
            return False
        if a.value is None:  # presence: one row per actor and place
            return (a.actor, a.country or a.place) == (b.actor, b.country or b.place)
        if a.country and b.country and a.country != b.country:
            return False
        towns = [r for r in (a, b) if r.place and r.precision in (None, "city")]
        return len(towns) < 2 or (a.name or a.place) == (b.name or b.place)

    # rows can only be the same within one (report, kind, value, group, currency): looking
    # only there keeps a long list of figures linear (issue 16)
    buckets: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        bucket = buckets.setdefault((row.report, row.kind, row.value, row.group, row.currency), [])
        i = next((k for k in bucket if same(kept[k], row)), None)
        if i is None:
            bucket.append(len(kept))
            kept.append(row)
        elif rank(row) > rank(kept[i]):
            kept[i] = row
    return kept
