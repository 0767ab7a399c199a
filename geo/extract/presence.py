"""Presence without a count: "eastern DRC, where EAC and SADC is jointly engaged".

A sentence gives a ``deployed`` row with an empty value only when it has all three of

- an explicit presence verb: deployed, stationed, engaged, operating, present, based,
  garrisoned (not "will deploy", "plans to", "withdrew", "not deployed", "engaged in talks");
- a recognised actor: a force or mission (EAC, SADC, AU, MONUSCO, UNIFIL, ...), or a
  country as the subject ("Kenya has deployed"), as a demonym before a force noun
  ("Rwandan troops") or after "troops from" / "forces of";
- a place: right after the verb ("deployed in Ituri") or before ", where" ("in eastern
  DRC, where ... is engaged").

Rules stay conservative because every false row costs the reviewer: a sentence about
violence (killed, displaced...) or with any counted figure gives no presence row, and
:func:`drop_covered` removes presence rows in a country where the report counts a
deployment.

    >>> find_actor("East African Community (EAC) and Southern African Development "
    ...            "Community (SADC) is")
    'EAC and SADC'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from geo.extract import lang
from geo.extract.forces import FORCES, LONG_NAMES
from geo.extract.places import Mention

# Forces and missions whose presence is a deployment (armed groups are not on this list).
# Acronyms match as written ("AU", never the "au" of Port-au-Prince); long names in any case.
_FORCE_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(f).replace(r"\ ", r"\s+") for f in FORCES), key=len, reverse=True))
    + r")\b"
    + r"|(?i:\b(?:"
    + "|".join(sorted(LONG_NAMES, key=len, reverse=True)).replace(" ", r"\s+")
    + r")\b)"
)
_VERB = lang.Pattern("presence", "verb")
_FORCE_NOUNS = (
    r"(?:troops|forces|soldiers|army|military|police(?:\s+officers)?|officers|"
    r"instructors|advis[eo]rs|mercenaries|"
    r"peacekeepers|contingents?|personnel|special\s+forces|marines|gendarmes|"
    r"paratroopers|units|battalions?|mission)"
)
# Where the verb is followed by its place: "deployed in", "operating across the", ...
_TO_PLACE = re.compile(
    r"\s+(?:(?:jointly|currently|still|also|now|there|permanently|on\s+the\s+ground)\s+){0,2}"
    rf"(?:(?:[\w-]+\s+)?{_FORCE_NOUNS}\s+)?"  # "has deployed police officers to Haiti"
    r"(?:in|to|across|throughout|inside|into|at|along|around)\s+(?:the\s+)?$",
    re.I,
)
_WHERE = lang.Pattern("presence", "where")
# Words that make a sentence something other than a present deployment.
_NOT_NOW = lang.Pattern("presence", "not_now")
_ENGAGED_OTHER = lang.Pattern("presence", "engaged_other")


@dataclass(frozen=True)
class Presence:
    """A presence statement: who, where (the mention), and the verb as written."""

    actor: str
    place: Mention
    verb: str


def find_presence(
    sentence: str, mentions: Sequence[Mention], country_label: Callable[[Mention], str | None]
) -> Presence | None:
    """The presence a sentence states, or None (see the module docstring for the rules)."""
    if _NOT_NOW.search(sentence):
        return None
    places = [m for m in mentions if m.role == "place"]
    for verb in _VERB.finditer(sentence):
        word = verb.group("verb").lower()
        if word == "engaged" and _ENGAGED_OTHER.match(sentence[verb.end() :]):
            continue
        if word == "present" and re.search(r"\bat\s+$", sentence[: verb.start()], re.I):
            continue  # "at present"
        place = _place_after(sentence, verb.end(), places)
        clause_start = _clause_start(sentence, verb.start())
        if place is None:
            place, clause_start = _place_before_where(sentence, verb.start(), places)
        if place is None:
            continue
        actor = _actor(sentence, clause_start, verb.start(), mentions, country_label)
        if actor is None:
            continue
        if place.place.precision == "country" and country_label(place) == actor:
            continue  # "Kenyan police based in Kenya" is home, not a deployment
        return Presence(actor=actor, place=place, verb=word)
    return None


def _place_after(sentence: str, end: int, places: Sequence[Mention]) -> Mention | None:
    for m in places:
        if m.start >= end and m.start - end <= 45 and _TO_PLACE.fullmatch(sentence[end : m.start]):
            return m
    return None


def _place_before_where(
    sentence: str, verb_start: int, places: Sequence[Mention]
) -> tuple[Mention | None, int]:
    """ "... in eastern DRC (DRC), where EAC and SADC is jointly engaged" -> (place, where)."""
    if not re.match(r"\s*(?:[.,;:]|$)", sentence[_verb_end(sentence, verb_start) :]):
        return None, 0
    for m in places:
        w = _WHERE.match(sentence[m.end :])
        if m.locative and w and m.end + w.end() <= verb_start:
            return m, m.end + w.end()
    return None, 0


def _verb_end(sentence: str, start: int) -> int:
    m = _VERB.match(sentence, start)
    return m.end() if m else start


def _clause_start(sentence: str, verb_start: int) -> int:
    before = sentence[:verb_start]
    cuts = [
        m.end()
        for m in re.finditer(
            r"[;:]|\bwhere\b|\bwhile\b|\bbut\b|\bwhereas\b|"
            r"\bwhich\b|\bwho\b",
            before,
            re.I,
        )
    ]
    return max(cuts, default=0)


def find_actor(text: str) -> str | None:
    """Forces and missions named in ``text``, acronyms preferred, joined with "and"."""
    found: list[str] = []
    for m in _FORCE_RE.finditer(text):
        name = re.sub(r"\s+", " ", m.group(0))
        name = LONG_NAMES.get(name.lower(), name)
        canonical = next((f for f in FORCES if f.lower() == name.lower()), name)
        if canonical not in found:
            found.append(canonical)
    return " and ".join(found) or None


def _actor(
    sentence: str,
    start: int,
    verb_start: int,
    mentions: Sequence[Mention],
    country_label: Callable[[Mention], str | None],
) -> str | None:
    span = sentence[start:verb_start]
    if len(span) > 160:
        return None  # the subject is too far from its verb to be sure
    forces = find_actor(span)
    if forces:
        return forces
    for m in mentions:
        if not start <= m.start < verb_start:
            continue
        after = sentence[m.end : verb_start]
        before = sentence[start : m.start]
        if m.role == "demonym" and re.match(rf"\s+(?:\w+\s+)?{_FORCE_NOUNS}\b", after, re.I):
            return country_label(m)  # "Rwandan troops are operating in"
        if m.role in ("place", "demonym") and m.place.precision == "country":
            if re.search(rf"\b{_FORCE_NOUNS}\s+(?:from|of)\s+(?:the\s+)?$", before, re.I):
                return country_label(m)  # "troops from Burundi are stationed in"
            if not m.locative and _SUBJECT.fullmatch(after) and not before.strip(' ,"\u201c'):
                return country_label(m)  # "Kenya has deployed", "Chad's army is present"
    return None


# What may stand between a subject country and its verb: "Kenya has", "Chad's army is".
_SUBJECT = re.compile(
    rf"(?:['\u2019]s?\s+{_FORCE_NOUNS})?\s+(?:(?:has|have|had|is|are|was|"
    r"were|been|still|also|now|currently|already|remains?)\s+)+",
    re.I,
)


def drop_covered(rows: Sequence[Any]) -> list[Any]:
    """Drop presence rows (value None) that a counted deployment of the report covers (the
    same actor in the same country, or a count without an actor there), and repeats of
    one actor's presence in one country."""
    counted = {
        (r.actor, r.country or r.place)
        for r in rows
        if r.kind == "deployed" and r.value is not None
    }
    seen: set[tuple[str | None, str | None]] = set()
    out = []
    for row in rows:
        if row.kind == "deployed" and row.value is None:
            key = (row.actor, row.country or row.place)
            if key in counted or (None, key[1]) in counted or key in seen:
                continue
            seen.add(key)
        out.append(row)
    return out
