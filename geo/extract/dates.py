"""Date phrases of a sentence and the date ranges they name, given the report's date.

>>> from datetime import date
>>> [(p.text, p.start_date, p.end_date) for p in find_dates(
...     "killed this year, on the ground since June 2024", date(2025, 8, 20))]
[('this year', '2025-01-01', '2025-08-20'), ('since June 2024', '2024-06-01', '2025-08-20')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from geo.extract import lang
from geo.extract.numbers import months

_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}


@dataclass(frozen=True)
class _Lexicon:
    """The date patterns of one language, built from ``lang/<code>/dates.toml``."""

    absolute: list[re.Pattern[str]]  # most specific first (each names the span it covers)
    prefix: re.Pattern[str]
    relative: re.Pattern[str]
    since: re.Pattern[str]
    weekdays: tuple[str, ...]
    small: dict[str, int]
    meaning: dict[str, str]  # a relative phrase -> its canonical form ("last week")
    units: dict[str, str]  # a unit word -> day, week, month, year, hour
    kw: dict[str, str]  # a prefix word -> its canonical form ("since", "from", "by")
    ongoing: re.Pattern[str]  # before a year that starts something still going on
    perfect: re.Pattern[str]  # a figure still standing ("have been killed")


def _build(lg: lang.Language) -> _Lexicon:
    d = lg.table("dates")
    m = r"(?P<month>" + "|".join(sorted(months(), key=len, reverse=True)) + r")\.?"
    y = r"(?P<year>(?:19|20)\d{2})"
    day = r"(?P<day>[0-3]?\d)" + d.get("ordinal", "")
    absolute = [
        re.compile(rf"\b{day}\s+{m}(?:,?\s+{y})?\b", re.I),
        re.compile(rf"\b{m}\s+{day}(?:,?\s+{y})?\b(?!\s*(?:,\d|\d))", re.I),
        re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
        re.compile(rf"\b{m}\s+{y}\b", re.I),
        re.compile(r"(?<![\d,.$])\b(?P<year>(?:19|20)\d{2})\b(?![\d,%-])"),
        # a bare month counts only after "in", "since"...: "since April"
        re.compile(d.get("bare_month", lang.NEVER)),
    ]
    return _Lexicon(
        absolute=absolute,
        prefix=re.compile(d.get("prefix", lang.NEVER), re.I),
        relative=re.compile(d.get("relative", lang.NEVER), re.I),
        since=re.compile(d.get("since", lang.NEVER), re.I),
        weekdays=tuple(d.get("weekdays", ())),
        small={k: int(v) for k, v in d.get("small", {}).items()},
        meaning={k: str(v) for k, v in d.get("meaning", {}).items()},
        units={k: str(v) for k, v in d.get("units", {}).items()},
        kw={k: str(v) for k, v in d.get("keywords", {}).items()},
        ongoing=re.compile(d.get("ongoing", lang.NEVER), re.I),
        perfect=re.compile(d.get("perfect", lang.NEVER), re.I),
    )


def _lex() -> _Lexicon:
    return lang.active().compiled("dates", _build)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class DatePhrase:
    """A date phrase as written, its position, and its ISO range (None if unresolved)."""

    start: int
    end: int
    text: str
    start_date: str | None
    end_date: str | None


def parse_report_date(value: object) -> date | None:
    """A report date from ``date``, ``datetime`` or an ISO-like string; None if unknown.

    >>> parse_report_date("2025-08-20T10:00:00+03:00")
    datetime.date(2025, 8, 20)
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    phrases = find_dates(str(value), None)
    for p in phrases:
        if p.start_date and p.start_date == p.end_date:
            return date.fromisoformat(p.start_date)
    return None


def find_report_date(header: str) -> date | None:
    """The publication date stated in a report's first lines: "NAIROBI, 20 August 2025 -",
    "Published: Aug 20, 2025", "Situation Report No. 4 | 12 March 2025".

    >>> find_report_date("GOMA, Feb 3, 2025 (Wire) - Rebels")
    datetime.date(2025, 2, 3)
    """
    for rx in _lex().absolute[:3]:
        for m in rx.finditer(header):
            if not m.groupdict().get("year"):
                continue
            before = header[max(0, m.start() - 12) : m.start()].lower()
            if re.search(r"\b(?:since|from|until|in|between|before|after|on)\s*$", before):
                continue
            span = _span(m, None)
            if span and span[0] == span[1]:
                return date.fromisoformat(span[0])
    return None


def find_dates(sentence: str, ref: date | None) -> list[DatePhrase]:
    """All date phrases of a sentence; relative ones resolve only when ``ref`` is known."""
    lx = _lex()
    out: list[DatePhrase] = []
    taken: list[tuple[int, int]] = []
    for rx in lx.absolute:
        for m in rx.finditer(sentence):
            if any(m.start() < e and m.end() > s for s, e in taken):
                continue
            span = _span(m, ref)
            if span is None:
                continue
            start = m.start()
            kw_match = lx.prefix.search(sentence[max(0, start - 25) : start])
            kw = kw_match.group("kw").lower() if kw_match else ""
            kw = lx.kw.get(kw, kw)
            if rx is lx.absolute[-1] and not kw:
                continue
            if kw_match:
                start -= len(kw_match.group(0))
            elif lx.since.search(sentence[max(0, start - 45) : start]):
                kw = "since"
            lo, hi = span
            if kw.startswith("since") or kw == "from":
                hi = ref.isoformat() if ref else None
            elif kw in ("as of", "as at", "by", "until"):
                lo = None
                hi = span[1]
            taken.append((m.start(), m.end()))
            out.append(DatePhrase(start, m.end(), sentence[start : m.end()], lo, hi))
    for m in lx.relative.finditer(sentence):
        if any(m.start() < e and m.end() > s for s, e in taken):
            continue
        lo, hi = _relative(m, ref)
        out.append(DatePhrase(m.start(), m.end(), m.group(0), lo, hi))
    out.sort(key=lambda p: p.start)
    return out


def _span(m: re.Match[str], ref: date | None) -> tuple[str, str] | None:
    g = m.groupdict()
    month = months().get((g.get("month") or "").lower().rstrip(".")) or (
        int(g["mnum"]) if g.get("mnum") else None
    )
    year = int(g["year"]) if g.get("year") else None
    day = int(g["day"]) if g.get("day") else None
    if year is None:
        if ref is None or month is None:
            return None
        year = ref.year if (month, day or 1) <= (ref.month, ref.day) else ref.year - 1
    try:
        if month is None:
            return f"{year}-01-01", f"{year}-12-31"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1).isoformat(), date(year, month, last).isoformat()
        d = date(year, month, day).isoformat()
        return d, d
    except ValueError:
        return None


def _relative(m: re.Match[str], ref: date | None) -> tuple[str | None, str | None]:
    if ref is None:
        return None, None
    lx = _lex()
    rel = m.group("rel").lower()
    rel = lx.meaning.get(" ".join(rel.split()), rel)
    iso = date.isoformat
    if "this year" in rel or "of the year" in rel or "of this year" in rel or rel == "year to date":
        return iso(date(ref.year, 1, 1)), iso(ref)
    if rel == "last year":
        return iso(date(ref.year - 1, 1, 1)), iso(date(ref.year - 1, 12, 31))
    if rel == "this month":
        return iso(ref.replace(day=1)), iso(ref)
    if rel == "last month":
        end = ref.replace(day=1) - timedelta(days=1)
        return iso(end.replace(day=1)), iso(end)
    if rel == "this week":
        return iso(ref - timedelta(days=ref.weekday())), iso(ref)
    if rel == "last week":
        monday = ref - timedelta(days=ref.weekday() + 7)
        return iso(monday), iso(monday + timedelta(days=6))
    if "weekend" in rel:
        sat = ref - timedelta(days=(ref.weekday() - 5) % 7 or 7)
        return iso(sat), iso(sat + timedelta(days=1))
    if rel == "yesterday":
        return iso(ref - timedelta(days=1)), iso(ref - timedelta(days=1))
    if rel == "today":
        return iso(ref), iso(ref)
    if m.group("unit"):
        n_text = (m.group("n") or "1").lower()
        n = int(n_text) if n_text.isdigit() else lx.small.get(n_text, 1)
        unit = m.group("unit").lower()
        days = max(1, round(n * _UNIT_DAYS[lx.units.get(unit, unit)]))
        return iso(ref - timedelta(days=days)), iso(ref)
    wd = m.group("wd")
    if wd:
        back = (ref.weekday() - lx.weekdays.index(wd.lower())) % 7
        if rel.startswith("last") and back == 0:
            back = 7
        day = ref - timedelta(days=back)
        return iso(day), iso(day)
    return None, None


_YEAR = re.compile(r"(?<![\d,.])(?:19[0-9]{2}|20[0-9]{2})(?!\d|[,.]\d)")


def latest_year(text: str) -> int | None:
    """The latest year a report names (its probable year when it states no date)."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def historical(sentence: str, ref_year: int | None, clause: str | None = None) -> bool:
    """True when a sentence's figures belong to the past the report recalls: every year it
    names is two or more years before the report's, none of them the start of something
    still going on ("since 2017"). "The first war, which ended in 1994, killed 30,000" and
    "the 44-day war of 2020 killed 6,500" (in a 2023 report) are background figures.

    >>> historical("The 2006 Lebanon War killed about 1,200 Lebanese.", 2024)
    True
    >>> historical("Fighting since 2017 has displaced 580,000 people.", 2024)
    False
    """
    if ref_year is None:
        return False
    years = list(_YEAR.finditer(sentence))
    if not years or _lex().perfect.search(sentence if clause is None else clause):
        return False  # (the present perfect of the figure's own clause, when given)
    for m in years:
        if int(m.group(0)) > ref_year - 2 or _lex().ongoing.search(
            sentence[max(0, m.start() - 70) : m.start()]
        ):
            return False
    return True
