"""The place mentions of a report (``geo extract --places``) and the report-level choices
made on them: lone towns of countries the report never brings up are dropped, names the
gazetteer ranks abroad take their namesake in the report's country, the main place."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.extract import lang
from geo.extract.places import Mention, PlaceFinder, weak_town
from geo.extract.reader import Report, read_report
from geo.models import Place

log = logging.getLogger("geo")

Lookup = Callable[[str], "Place | None"]


# Columns of :func:`extract_places`: one row per distinct place mention of a report.
PLACE_COLUMNS: tuple[str, ...] = (
    "place",
    "name",
    "lat",
    "lon",
    "precision",
    "country",
    "count",
    "evidence",
    "report",
)


def report_places(
    sources: Iterable[str | Path] | str | Path,
    *,
    lookup: Lookup,
) -> list[dict[str, Any]]:
    """Every place the reports mention, as written, geocoded, with how often and the first
    sentence it appears in (dicts with :data:`PLACE_COLUMNS`), in order of first mention.

    The same rules as for figures decide what a place is: people's names ("Rubio"), common
    words ("Capital") and organisations are not places; demonyms ("Kenyan") are actors.
    """
    if isinstance(sources, (str, Path)):
        sources = [sources]
    out: list[dict[str, Any]] = []
    for src in sources:
        report = read_report(src)
        rows: dict[str, dict[str, Any]] = {}
        with lang.using(lang.detect(report.text)):
            mentions = _report_mentions(report, lookup)
        for para, para_mentions in zip(report.paragraphs, mentions, strict=True):
            for sentence, mentions in zip(para, para_mentions, strict=True):
                for m in mentions:
                    if m.role != "place":
                        continue
                    key = m.text.casefold()
                    if key in rows:
                        rows[key]["count"] += 1
                        continue
                    p = m.place
                    rows[key] = {
                        "place": m.text,
                        "name": p.name,
                        "lat": p.lat,
                        "lon": p.lon,
                        "precision": p.precision,
                        "country": p.country,
                        "count": 1,
                        "evidence": sentence,
                        "report": report.name,
                    }
        log.info("extract: %s: %d distinct places", report.name, len(rows))
        out.extend(rows.values())
    return out


def _report_mentions(report: Report, lookup: Lookup) -> list[list[list[Mention]]]:
    finder = PlaceFinder(lookup)
    finder.learn(s for para in report.paragraphs for s in para)
    return _plausible_mentions([[finder.find(s) for s in para] for para in report.paragraphs])


def _plausible_mentions(mentions: list[list[list[Mention]]]) -> list[list[list[Mention]]]:
    """Drop lone town names from countries the report never otherwise brings up: a
    gazetteer of towns holds "Obama" (Japan) and "Rescuers"-like words that are not the
    report's places. A town after "in", "to", "near"... is kept."""
    evidence: set[str] = set()
    for para in mentions:
        for sent in para:
            for m in sent:
                if (
                    m.iso3
                    and not weak_town(m)
                    and (
                        m.role != "place"
                        or m.locative
                        or m.place.precision != "city"
                        or " " in m.text
                        or "-" in m.text
                    )
                ):
                    evidence.add(m.iso3)

    def keep(m: Mention) -> bool:
        if m.role == "place" and weak_town(m):
            # "in Kyaukphyu town" in a report on Myanmar, not "Jimmy" in one that names China
            return m.locative and m.iso3 in evidence
        return (
            m.role != "place"
            or m.locative
            or m.place.precision != "city"
            or m.iso3 in evidence
            or " " in m.text
            or "-" in m.text
        )

    return [[[m for m in sent if keep(m)] for sent in para] for para in mentions]


def _in_main_country(
    mentions: list[list[list[Mention]]], main: Mention | None
) -> list[list[list[Mention]]]:
    """A name the gazetteer ranks abroad, with a namesake in the report's country, is the
    namesake: "Central Province" in a report on Sri Lanka, "Concordia" in one on Mexico."""
    if main is None or not main.iso3:
        return mentions

    def local(m: Mention) -> Mention:
        p = m.place
        if m.role != "place" or not p.resolved or m.iso3 == main.iso3 or p.precision == "country":
            return m
        alt = next(
            (a for a in p.alternatives if a.country == main.iso3 and a.precision != "country"), None
        )
        if alt is None:
            return m
        return replace(
            m,
            place=Place(
                query=p.query,
                resolved=True,
                name=alt.name,
                lat=alt.lat,
                lon=alt.lon,
                precision=alt.precision,
                country=alt.country,
                source=p.source,
                score=round(p.score * 0.9, 3),
            ),
        )

    return [[[local(m) for m in sent] for sent in para] for para in mentions]


def _main_place(mentions: list[list[list[Mention]]]) -> Mention | None:
    """The report's main place: its most mentioned country (locative mentions count
    double), as its country-level mention when there is one."""
    weights: Counter[str] = Counter()
    best: dict[str, Mention] = {}
    for para in mentions:
        for sent in para:
            for m in sent:
                if m.role != "place" or not m.iso3:
                    continue
                weights[m.iso3] += 2 if m.locative else 1
                held = best.get(m.iso3)
                if held is None or (
                    m.place.precision == "country" and held.place.precision != "country"
                ):
                    best[m.iso3] = m
    if not weights:
        return None
    return best[weights.most_common(1)[0][0]]
