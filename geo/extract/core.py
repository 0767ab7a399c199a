"""Reports in, candidate figure rows out: the orchestration behind :func:`geo.extract`.

For each sentence: find the numbers, keep those that count people or money, read their
kind, subgroup, actor and source, pick the place (the sentence's place, else the
paragraph's, the section heading's, then the report's main place with less confidence) and
the date phrase, and geocode the place with the project's geocoder.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from geo.extract import clause, lang, rules
from geo.extract.anaphora import ORIGIN, Anaphora
from geo.extract.attach import (
    actor_of,
    country_label,
    framing,
    innermost,
    next_number,
    place_of,
)
from geo.extract.dates import (
    DatePhrase,
    find_dates,
    find_report_date,
    historical,
    latest_year,
    parse_report_date,
)
from geo.extract.kinds import read_kind
from geo.extract.mentions import (
    PLACE_COLUMNS,
    Lookup,
    _in_main_country,
    _main_place,
    _plausible_mentions,
    report_places,
)
from geo.extract.numbers import Number, find_numbers, unbracket
from geo.extract.places import Mention, PlaceFinder
from geo.extract.presence import drop_covered, find_presence
from geo.extract.reader import Report, read_report
from geo.extract.relations import ROUTE, TAKEN_TO
from geo.extract.rows import COLUMNS, FigureRow, _dedupe, _local_currency
from geo.models import Place

log = logging.getLogger("geo")

__all__ = ["COLUMNS", "PLACE_COLUMNS", "FigureRow", "Lookup", "extract_places", "extract_rows"]


# How much a row's confidence keeps when its place is not in its own sentence.
_PLACE_TRUST = {
    "sentence": 1.0,
    "paragraph": 0.9,
    "previous": 0.85,
    "section": 0.85,
    "report": 0.75,
    "none": 0.5,
}


@dataclass
class _Context:
    """What one report's rules share: the place finder, the report date, main places."""

    report: Report
    finder: PlaceFinder
    ref: date | None
    main: Mention | None
    section: Mention | None = None
    ref_year: int | None = None  # the report's year, or the latest year it names
    carried: Mention | None = None  # the place the previous paragraph ended on
    last_kind: str | None = None  # the kind of the last figure, for "of them", "the victims"
    # the place (and paragraph) of the last figure of each kind and of any ("*"), for
    # "Of them", "Of the injured", "the same attack"
    last_where: dict[str, tuple[Mention, int]] = field(default_factory=dict)
    para: int = 0  # the paragraph being read
    section_kind: str | None = None  # "FLOW COUNT", "Displacement": the kind a section counts


def default_lookup() -> Lookup:
    """Geocode with the project's geocoder (offline gazetteer, cache; never online)."""
    from geo.geocode import geocode

    def lookup(query: str) -> Place | None:
        return geocode(query)

    return lookup


def extract_places(
    sources: Iterable[str | Path] | str | Path,
    *,
    lookup: Lookup | None = None,
) -> list[dict[str, Any]]:
    """Every place the reports mention (dicts with :data:`PLACE_COLUMNS`): see
    :func:`geo.extract.mentions.report_places`; ``lookup`` defaults to the project's
    geocoder."""
    return report_places(sources, lookup=lookup or default_lookup())


def extract_rows(
    sources: Iterable[str | Path] | str | Path,
    *,
    report_date: date | str | None = None,
    lookup: Lookup | None = None,
    language: str | None = None,
) -> list[FigureRow]:
    """Candidate figure rows of every report, in reading order. Each report is read with
    the lexicons of ``language`` (a folder of ``geo/extract/lang/``), or of the language
    detected in it; an unknown code raises InputError."""
    if isinstance(sources, (str, Path)):
        sources = [sources]
    if language is not None:
        lang.get(language)
    lookup = lookup or default_lookup()
    rows: list[FigureRow] = []
    for src in sources:
        report = read_report(src)
        code = language or lang.detect(report.text)
        with lang.using(code):
            found = _extract_report(report, lookup, parse_report_date(report_date))
        log.info("extract: %s (%s): %d candidate figures", report.name, code, len(found))
        rows.extend(found)
    return rows


def _extract_report(report: Report, lookup: Lookup, report_date: date | None) -> list[FigureRow]:
    finder = PlaceFinder(lookup)
    finder.learn(s for para in report.paragraphs for s in para)
    mentions = _plausible_mentions([[finder.find(s) for s in para] for para in report.paragraphs])
    ref = report_date or parse_report_date(report.published)
    if ref is None:
        ref = find_report_date("\n".join(" ".join(p) for p in report.paragraphs[:3])[:600])
    main = _main_place(mentions)
    mentions = _in_main_country(mentions, main)
    ctx = _Context(report, finder, ref, main)
    ctx.ref_year = ref.year if ref else latest_year(report.text)
    rows: list[FigureRow] = []
    last_place: Mention | None = None
    refer = Anaphora(finder, ctx.main)  # "into the province", "in the capital"
    for para, para_mentions in zip(report.paragraphs, mentions, strict=True):
        ctx.para += 1
        if (
            _CAPTION.match(para[0]) or (len(para) == 1 and para[0].rstrip().endswith(":"))
        ) and _heading_kind(para[0]):
            # "Table 1. New displacement by ...", "Displacement by municipality (registry):"
            ctx.section_kind = _heading_kind(para[0])
        if _is_heading(para):
            places = [m for m in para_mentions[0] if m.role == "place"]
            # a heading without a place ("Peacekeeping") ends the previous place's section
            ctx.section = places[0] if places else None
            ctx.section_kind = _heading_kind(para[0])
            refer.enter(ctx.section)
            ctx.last_kind = None
            last_place = None
        # wire copy runs a story over one-sentence paragraphs: the last place carries over
        ctx.carried, last_place = last_place, None
        for sentence, sent_mentions in zip(para, para_mentions, strict=True):
            sent_mentions = refer.resolve(sentence, sent_mentions)
            refer.see(sentence, sent_mentions)
            text = unbracket(sentence)  # "the killing of (7) terrorists"
            # a sentence quoted in another language is read in its own ("Some 1,200 fled")
            # (two function words at least: "One death, plus other injuries" stays English)
            with lang.using(lang.detect(sentence, default=lang.active().code, min_hits=2)):
                new = _sentence_rows(ctx, text, sent_mentions, last_place)
                if not new:
                    new = _presence_rows(ctx, text, sent_mentions)
            if text != sentence:
                new = [replace(r, evidence=sentence) for r in new]
            rows.extend(new)
            counts = [r.kind for r in new if r.value is not None and r.kind != "funding"]
            ctx.last_kind = counts[-1] if counts else ctx.last_kind
            if any(
                m.role == "place" and (m.locative or m.place.precision != "country")
                for m in sent_mentions
            ):
                ctx.carried = None  # the paragraph has moved on to places of its own
                #                     (not "nine DRC police officers")
            located = [
                m
                for m in sent_mentions
                if m.role == "place"
                and m.locative
                and not TAKEN_TO.search(sentence[max(0, m.start - 40) : m.start])
                and not ROUTE.match(sentence[m.end :])
                and not ORIGIN.search(sentence[max(0, m.start - 30) : m.start])
            ]
            opening = framing(sentence, sent_mentions)
            if opening or located:
                last_place = opening or innermost(sentence, located)
            elif new and new[-1].name and new[-1].confidence >= 0.8:
                last_place = _row_mention(new[-1], last_place, sent_mentions)
        if (
            last_place is None
            and _THE_TOWN.search(" ".join(para))
            and not any(m.role == "place" for sent in para_mentions for m in sent)
        ):
            # a paragraph that names no place but points back to it ("the town's main
            # hospital") keeps the story in that town for the next paragraph ("The army
            # said it killed 40 militants")
            last_place = ctx.carried
    return drop_covered(_dedupe(rows))


def _presence_rows(ctx: _Context, sentence: str, mentions: list[Mention]) -> list[FigureRow]:
    """One ``deployed`` row without a value when the sentence states presence only."""
    if any(
        n.vague
        or (
            not n.yearlike
            and rules.head_noun(sentence[n.end :])[1] == "people"
            and rules.kind_of(sentence[: n.start], n.text, sentence[n.end :])[0]
        )
        for n in find_numbers(sentence)
    ):
        return []  # "hundreds of troops are deployed" gives a count, if a vague one
    found = find_presence(sentence, mentions, country_label)
    if found is None:
        return []
    p = found.place.place
    dates = find_dates(sentence, ctx.ref)
    phrase = dates[0] if dates else None
    ref = ctx.ref.isoformat() if ctx.ref else None
    return [
        FigureRow(
            place=found.place.text,
            name=p.name,
            lat=p.lat,
            lon=p.lon,
            precision=p.precision,
            country=p.country,
            kind="deployed",
            value=None,
            currency=None,
            qualifier=None,
            group=None,
            unit=None,
            actor=found.actor,
            according_to=rules.according_to(sentence),
            period=phrase.text if phrase else None,
            date=(phrase.end_date or phrase.start_date) if phrase else ref,
            date_start=phrase.start_date if phrase else None,
            date_end=phrase.end_date if phrase else None,
            evidence=sentence,
            report=ctx.report.name,
            source=ctx.report.title or ctx.report.name,
            confidence=0.6,
            rule="presence",
        )
    ]


def _row_mention(
    row: FigureRow, fallback: Mention | None, mentions: list[Mention]
) -> Mention | None:
    for m in mentions:
        if m.place.name == row.name:
            return m
    return fallback


def _is_heading(para: tuple[str, ...]) -> bool:
    text = _NUMBERING.sub("", para[0])  # "Goma", "South Kivu:", "2. DISPLACEMENT"
    words = re.findall(r"[^\W_][\w'-]*", text)  # "MINUSCA – Central African Republic": 4
    if len(para) == 1 and text.endswith("?") and len(words) <= 8 and not re.search(r"\d", text):
        return True  # an explainer's question: "What happened in Gondar?"
    return (
        len(para) == 1
        and len(words) <= 4
        and not re.search(r"[.!?]$", text)
        and not re.search(r"\d", text)
    )


def _sentence_rows(
    ctx: _Context, sentence: str, mentions: list[Mention], last_place: Mention | None
) -> list[FigureRow]:
    numbers = find_numbers(sentence)
    if not numbers:
        return []
    dates = find_dates(sentence, ctx.ref)
    source = rules.according_to(sentence)
    funding_ok = rules.is_funding_sentence(sentence)
    rows: list[FigureRow] = []
    previous: FigureRow | None = None
    last: tuple[Number, FigureRow] | None = None
    prev_end = 0
    # the counts a cue word may belong to (households next to a head count share its verb)
    heads = {n.start: rules.head_noun(sentence[n.end :])[:2] for n in numbers}  # (noun, status)
    spans = tuple((n.start, n.end) for n in numbers if heads[n.start][0] not in _HOUSEHOLDS)
    for num in numbers:
        # the words before a number are read back to the previous number only
        before, after = sentence[prev_end : num.start], sentence[num.end :]
        prev_end = num.end
        if num.vague or _inside_date(num, dates):
            continue
        if num.currency:
            if not funding_ok or _PRICE.search(sentence[max(0, num.start - 50) : num.start]):
                continue  # "a sack of rice that sold for 18,000 CFA francs": a price
            kind, unit, strength = "funding", num.currency, 0.85
            group = rules.funding_stage(sentence, num, numbers)
            why = "funding-amount"
        else:
            kind, unit, strength, why = read_kind(before, num.text, after)
            nxt = next_number(numbers, num)
            if (
                strength < 0.9
                and nxt is not None
                and rules.coordinated(sentence[num.end : nxt.start])
            ):
                # "27 soldiers and 13 volunteers were killed": one verb for both
                k2 = rules.kind_of("", nxt.text, sentence[nxt.end :])
                if k2[2] >= 0.9:
                    kind, strength, why = k2[0], 0.85, "verb-shared-with-next"
            if num.yearlike and (
                unit is None or re.search(r"\b(?:since|in|from|until|by|before|after)\s+$", before)
            ):
                continue  # "deployed in Cabo Delgado since 2021"
            if (
                strength < 0.9
                and last is not None
                and last[1].kind != "funding"
                and rules.coordinated(sentence[last[0].end : num.start])
            ):
                # "killed 45 civilians and 73 soldiers": the verb before both counts
                kind, strength, why = last[1].kind, 0.8, "verb-shared-with-previous"
            own_clause = sentence[slice(*clause.clause_bounds(sentence, num.start, num.end))]
            if kind in _EVENTS and historical(sentence, ctx.ref_year, own_clause):
                continue  # "the 1994 war killed 30,000": background, not this report's
            if (
                kind is None
                and unit is None
                and last is not None
                and _continues(sentence[last[0].end : num.start])
                and not _RATIO.match(after)
            ):
                # "contingents of 24 and 2", "13 million people: 8.6 million inside Sudan"
                kind, unit, strength, why = last[1].kind, last[1].unit, 0.75, "list-continues"
            if (
                kind is None
                and unit is None
                and last is not None
                and _ELLIPSIS_BEFORE.search(before)
                and _ELLIPSIS_AFTER.match(after)
            ):
                # "640 people were killed in Latakia ..., and 210 in Tartus governorate"
                kind, unit, strength, why = last[1].kind, last[1].unit, 0.75, "ellipsis"
            if unit in _HOUSEHOLDS and any(
                n is not num
                and (
                    abs(n.start - num.start) < 60
                    or re.search(r"\(\s*(?:about|some|around|~)?\s*$", before)
                )
                and heads[n.start][1] == "people"
                and heads[n.start][0] not in _HOUSEHOLDS
                for n in numbers
            ):
                continue  # "4,500 people, from roughly 900 households": the same people
            if kind != "deployed" and _CAPTURED.search(
                sentence[max(0, num.start - 40) : num.start]
            ):
                continue  # "We have also captured around 150 of them"
            if rules.not_a_figure(after):
                continue  # "14 remain missing", "600,000 ... have since returned"
            if kind == "deployed" and (
                rules.ceiling(sentence[: num.start])
                or rules.withdrawn(after)
                or rules.captive(before)
            ):
                continue  # "authorised ceiling of 11,826 personnel": not who is there
            if kind == "deployed" and rules.future(sentence[: num.start]):
                strength = min(strength, 0.6)  # "will send 150 troops": announced, not there
            group = rules.subgroup(before, after, unit)
            if group and previous is not None and previous.kind != "funding":
                own, _, own_strength = rules.kind_of("", num.text, after)
                if own_strength < 0.9:  # "killed 8 people, including 3 soldiers": killed
                    own = None
                kind, strength = own or previous.kind, max(strength, 0.8)
                why = "subgroup-of-previous"
            if rules.head_noun(rules.simplify(after))[1] == "other":
                continue  # "60 homes", "two companies": not a count of people
            was = kind
            kind, strength = clause.resolve(
                sentence,
                num.start,
                num.end,
                spans,
                kind,
                unit,
                strength,
                previous.kind if previous else ctx.last_kind,
            )
            why = why if kind == was else "clause-kind"
            if kind is None and ctx.section_kind and unit in _GENERIC_PEOPLE:
                kind, strength = ctx.section_kind, 0.7  # "Bunia: 6,200 individuals"
                why = "section-heading-kind"
            if kind is None or (
                (kind in _EVENTS or group) and historical(sentence, ctx.ref_year, own_clause)
            ):
                continue  # (a subgroup of a background figure: "among them three children")
            if num.value == 1 and re.match(r"\s+of\s+(?:them|whom)\s+(?:aged|a|an)\b", after):
                continue  # "two civilians, one of them aged 67, were hurt": a description
            if _SUPERSEDED.search(sentence[max(0, num.start - 60) : num.start]):
                continue  # "Local officials initially put the toll at 40": revised since
            if _GROUPS_OF.search(sentence[max(0, num.start - 60) : num.start]):
                continue  # "in small groups of two or three soldiers"
        actor = actor_of(sentence, kind, num, mentions, after)
        where, trust = place_of(ctx, sentence, kind, num, numbers, mentions, actor, last_place)
        if where is not None and kind != "funding":
            ctx.last_where[kind] = ctx.last_where["*"] = (where, ctx.para)
        phrase = _nearest_date(dates, num)
        row = _row(
            ctx, sentence, num, kind, unit, group, actor, source, where, trust, phrase, strength
        )
        row = replace(row, rule=why)
        rows.append(row)
        last = (num, row)
        if not group:
            previous = row
    return rows


_PRICE = lang.Pattern("core", "price")
_CAPTURED = lang.Pattern("core", "captured")
_SUPERSEDED = lang.Pattern("core", "superseded")
_GROUPS_OF = lang.Pattern("core", "groups_of")
_NUMBERING = lang.Pattern("core", "numbering")
_CAPTION = lang.Pattern("core", "caption")
_GENERIC_PEOPLE = frozenset({"people", "persons", "individuals", "ppl", "pax"})
_HOUSEHOLDS = frozenset({"households", "families", "hhs", "hh"})
_SECTION_KINDS = (
    (
        "displaced",
        re.compile(
            r"\b(?:displace\w*|flows?|movements?|arrivals|idps|refugees|"
            r"new\s+arrivals)\b",
            re.I,
        ),
    ),
    ("killed", re.compile(r"\b(?:deaths|fatalities|killed|dead)\b", re.I)),
    ("injured", re.compile(r"\b(?:injured|wounded|injuries)\b", re.I)),
)


def _heading_kind(heading: str) -> str | None:
    """The kind of count a section heading announces ("FLOW COUNT BY LOCATION")."""
    return next((kind for kind, rx in _SECTION_KINDS if rx.search(heading)), None)


_THE_TOWN = lang.Pattern("core", "the_town")
_EVENTS = frozenset({"killed", "injured", "displaced"})
_CONTINUES = lang.Pattern("core", "continues")


_ELLIPSIS_BEFORE = lang.Pattern("core", "ellipsis_before")
_ELLIPSIS_AFTER = lang.Pattern("core", "ellipsis_after")
_RATIO = lang.Pattern("core", "ratio")


def _continues(between: str) -> bool:
    """The words between two numbers where the second continues the first's count:
    "24 and 2 respectively", "13 million people: 8.6 million inside Sudan"."""
    return bool(_CONTINUES.fullmatch(between))


def _inside_date(num: Number, dates: list[DatePhrase]) -> bool:
    return any(d.start <= num.start and num.end <= d.end for d in dates)


def _nearest_date(dates: list[DatePhrase], num: Number) -> DatePhrase | None:
    if not dates:
        return None
    return min(
        dates, key=lambda d: d.start - num.end if d.start >= num.end else (num.start - d.end) + 10
    )


def _row(
    ctx: _Context,
    sentence: str,
    num: Number,
    kind: str,
    unit: str | None,
    group: str | None,
    actor: str | None,
    source: str | None,
    where: Mention | None,
    trust: str,
    phrase: DatePhrase | None,
    strength: float,
) -> FigureRow:
    p = where.place if where else None
    ref = ctx.ref.isoformat() if ctx.ref else None
    when = (phrase.end_date or phrase.start_date) if phrase else ref
    return FigureRow(
        place=where.text if where else None,
        name=p.name if p else None,
        lat=p.lat if p else None,
        lon=p.lon if p else None,
        precision=p.precision if p else None,
        country=p.country if p else None,
        kind=kind,
        value=num.value,
        currency=_local_currency(num, ctx.main),
        qualifier=num.qualifier,
        group=group,
        unit=None if kind == "funding" else unit,
        actor=actor,
        according_to=source,
        period=phrase.text if phrase else None,
        date=when,
        date_start=phrase.start_date if phrase else None,
        date_end=phrase.end_date if phrase else None,
        evidence=sentence,
        report=ctx.report.name,
        source=ctx.report.title or ctx.report.name,
        confidence=round(strength * _PLACE_TRUST[trust], 2),
    )
