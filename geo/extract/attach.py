"""Attach a figure to its place and actor: the place in the figure's own clause, then the
sentence's, the paragraph's, the section heading's, then the report's main place; the
actor from the figure's noun phrase ("800 Kenyan officers"), "from Kenya", "Kenya-led" or
the sentence's subject country.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from geo.extract import clause, lang, rules
from geo.extract.numbers import Number
from geo.extract.places import Mention, country_name
from geo.extract.relations import (
    FACILITY,
    NESTED,
    OTHER_CLAUSE,
    RIGHT_AFTER,
    SPEAKING_IN,
    TAKEN_TO,
    WHERE,
)


def framing(sentence: str, mentions: list[Mention]) -> Mention | None:
    """The place a sentence opens with: "In Aleppo city, ...", "Across Sudan, ...", or the
    label of a list line: "Bunia, Ituri (Kigonze site): 6,200 individuals"."""
    if (
        mentions
        and mentions[0].role == "place"
        and not sentence[: mentions[0].start].strip()
        and _LABEL.match(sentence[mentions[0].end :])
    ):
        return mentions[0]
    if (
        mentions
        and mentions[0].role == "place"
        and mentions[0].place.precision != "country"
        and not sentence[: mentions[0].start].strip(" \"'\u201c")
        and _SUBJECT.match(sentence[mentions[0].end :])
    ):
        return mentions[0]  # "Monywa, the regional capital, has been reinforced with 3,000"
    for m in mentions:
        if (
            m.role == "place"
            and re.fullmatch(
                r"\W*(?:in|across|throughout|inside|within|at|near|around|outside)\s+(?:the\s+)?"
                r"(?:(?:north|south|east|west|central)\w*\s+)?",
                sentence[: m.start],
                re.I,
            )
            and re.match(
                r"(?:\s+(?:city|town|province|state|region|district|county|"
                r"camp|governorate|village|area))?(?:\s+alone)?\s*,",
                sentence[m.end :],
                re.I,
            )
        ):
            return m
    return None


_SUBJECT = lang.Pattern("attach", "subject")
_LABEL = lang.Pattern("attach", "label")


def next_number(numbers: list[Number], num: Number) -> Number | None:
    return next((n for n in numbers if n.start >= num.end), None)


def actor_of(
    sentence: str, kind: str, num: Number, mentions: list[Mention], after: str
) -> str | None:
    """Who deployed, contributed or acted: a demonym in the figure's noun phrase ("800
    Kenyan officers"), "officers from Kenya", "Kenya-led", the sentence's subject country,
    or a named force (EAC, SADC, RSF...)."""
    np_end = num.end + len(
        re.split(r"[,;.]|\b(?:in|to|on|at|since|who|were|have)\b", after, maxsplit=1)[0]
    )
    for m in mentions:
        if m.role == "demonym" and num.end <= m.start < np_end:
            return country_label(m)
    if kind == "funding":
        return None
    if kind == "deployed":
        m_from = re.match(r"^[^,;.]{0,40}?\bfrom\s+(?:the\s+)?", after)
        if m_from:
            for m in mentions:
                if m.start == num.end + m_from.end() and m.place.precision == "country":
                    return country_label(m)
        for m in mentions:
            if m.role == "led":
                return country_label(m)
        for m in mentions:
            if (
                m.role in ("place", "demonym")
                and m.start < num.start
                and not m.locative
                and m.place.precision == "country"
            ):
                return country_label(m)
        return rules.org_actor(sentence)
    demonyms = [(m.start, m.end, country_label(m) or "") for m in mentions if m.role == "demonym"]
    return rules.force_demonym(sentence, demonyms) or rules.perpetrator(sentence)


def country_label(m: Mention) -> str | None:
    if m.role == "demonym" or m.place.precision == "country":
        return (country_name(m.iso3) if m.iso3 else None) or m.place.name or m.text
    return m.place.name or m.text


def place_of(
    ctx: Any,
    sentence: str,
    kind: str,
    num: Number,
    numbers: list[Number],
    mentions: list[Mention],
    actor: str | None,
    last_place: Mention | None,
) -> tuple[Mention | None, str]:
    """The figure's place and where it came from (sentence, paragraph, section, report):
    the places of its own sentence that can be its place, then the rules that pick one of
    them, else the place the story is in. ``numbers`` are all the numbers of ``sentence``."""

    def usable(m: Mention | None) -> bool:
        if m is None or m.role != "place":
            return False
        return not (
            kind == "deployed"
            and actor
            and country_label(m) == actor
            and m.place.precision == "country"
        )

    own = _sentence_candidates(sentence, kind, actor, mentions, usable)
    if (
        _NATIONWIDE.match(sentence)
        and usable(ctx.main)
        and ctx.main is not None
        and ctx.main.place.precision == "country"
    ):
        return ctx.main, "sentence"  # "Nationwide, 455,000 people remain displaced"
    found = _in_sentence(ctx, sentence, kind, num, numbers, own, actor, usable)
    if found is not None:
        return found, "sentence"
    return _inherited(ctx, sentence, kind, num, mentions, last_place, usable)


# The candidates of the last sentence read: they do not depend on the number, and a
# sentence may hold hundreds of numbers (a pasted table; issue 16)
_LAST_CANDIDATES: dict[str, Any] = {}


def _sentence_candidates(
    sentence: str,
    kind: str,
    actor: str | None,
    mentions: list[Mention],
    usable: Callable[[Mention | None], bool],
) -> list[Mention]:
    key = (sentence, kind, actor)
    last = _LAST_CANDIDATES
    if last.get("mentions") is mentions and last.get("key") == key:
        return list(last["own"])
    own = _candidates(sentence, mentions, usable)
    last.update(mentions=mentions, key=key, own=own)
    return list(own)


def _candidates(
    sentence: str, mentions: list[Mention], usable: Callable[[Mention | None], bool]
) -> list[Mention]:
    """The places of the sentence that can be a figure's place at all."""
    own = [
        m
        for m in mentions
        if usable(m)
        and not _BROAD.fullmatch(m.place.name or "")
        and not _COMPARED.search(sentence[max(0, m.start - 20) : m.start])
        and not _ATTACKERS_FROM.search(sentence[max(0, m.start - 60) : m.start])
        and not SPEAKING_IN.search(sentence[max(0, m.start - 40) : m.start])
    ]
    # "At Al-Thawra hospital in the city": a facility's name, when the sentence has a place
    own = [m for m in own if not FACILITY.match(sentence[m.end :])] or own
    # "nine Kosovo police officers were injured": a country naming an institution
    own = [
        m
        for m in own
        if not (
            m.place.precision == "country"
            and not m.locative
            and _INSTITUTION.match(sentence[m.end :])
        )
    ]
    return own


def _in_sentence(
    ctx: Any,
    sentence: str,
    kind: str,
    num: Number,
    numbers: list[Number],
    own: list[Mention],
    actor: str | None,
    usable: Callable[[Mention | None], bool],
) -> Mention | None:
    """The place the sentence gives the figure, by rules tried in order."""
    # a place in another clause after the figure is not its place ("deploy 1,100 soldiers
    # to the mission, a move that has angered Addis Ababa", "..., while Kenya's 1,400
    # soldiers are stationed in Jubaland")
    own = [
        m
        for m in own
        if not (m.start >= num.end and OTHER_CLAUSE.search(sentence[num.end : m.start]))
    ]
    for m in own:  # "towards Kaya, where IDP sites already host 270,000 people"
        if m.end <= num.start and (
            WHERE.fullmatch(sentence[m.end : num.start])
            or _WITH.fullmatch(sentence[m.end : num.start])
        ):
            return m  # (or "Kandy district, with 88 deaths")
    if kind == "displaced":  # "8,000 civilians have fled Nasir, many crossing into ..."
        fled = [
            m
            for m in own
            if m.start >= num.end and _FLED_FROM.fullmatch(sentence[num.end : m.start])
        ]
        if fled:
            return fled[0]
    after_np = [
        m
        for m in own
        if m.locative and m.start >= num.end and RIGHT_AFTER.fullmatch(sentence[num.end : m.start])
    ]
    if after_np:  # "the massacre of 400 people at Zamzam camp" (whatever the framing)
        return after_np[0]
    if kind in ("killed", "injured"):  # "A relief group in Hakha said eight civilians were
        for m in own:  # killed when an airstrike hit a market in Thantlang"
            if m.start >= num.end and _STRUCK.search(
                sentence[max(num.end, m.start - 50) : m.start]
            ):
                return m
    if kind == "funding":  # "In Brussels, the EU announced €10 million for ... in Lebanon"
        for m in own:
            if (
                (m.locative or re.match(r"[\u2019']s\b", sentence[m.end : m.end + 2]))
                and m.start >= num.end
                and not _DONOR.search(sentence[max(0, m.start - 60) : m.start])
                and not any(num.end <= n.start < m.start for n in numbers)
            ):
                return m  # not "..., of which US$400 million for the West Bank"
    opener = framing(sentence, own)
    if (
        opener is not None
        and re.match(r"\W*(?:outside|beyond|away\s+from)\b", sentence, re.I)
        and any(m is not opener for m in own)
    ):
        opener = None  # "Outside the city, fighting in Maqbanah district displaced 2,350"
    if (
        opener is not None
        and opener.place.precision == "country"
        and any(
            m.iso3 in (opener.iso3, None)
            and m.place.precision != "country"
            and m.start > opener.end
            and not OTHER_CLAUSE.search(sentence[opener.end : m.start])
            for m in own
        )
    ):
        opener = None  # "In Yemen, strikes on the port of Hodeidah killed nine": Hodeidah
    if opener is not None and opener.start < num.start:
        return opener  # "In Aleppo city, 30,000 people fled towards Raqqa"
    nxt = next_number(numbers, num)
    if nxt is not None and rules.subgroup(sentence[num.end : nxt.start], "", None):
        # "63,000 displaced, including 10,000 who crossed into Ethiopia": not our place
        clause_end = nxt.end + len(re.split(r"[,;]", sentence[nxt.end :], maxsplit=1)[0])
        own = [m for m in own if not nxt.start <= m.start < clause_end]
    if kind == "deployed":  # "personnel drawn from Burundi, Djibouti and Kenya" contribute
        own = [
            m
            for m in own
            if not _FROM_LIST.search(sentence[: m.start])
            and not _FROM_BASE.search(sentence[max(0, m.start - 40) : m.start])
        ]
    if kind == "displaced":  # "6,800 refugees from the Est Region had crossed into Togo"
        origin = [
            m
            for m in own
            if m.start >= num.end and _DISPLACED_FROM.fullmatch(sentence[num.end : m.start])
        ]
        if origin:
            inner = [
                m
                for m in own
                if m.start > origin[0].end
                and re.fullmatch(r"['\u2019]s\s+", sentence[origin[0].end : m.start])
            ]
            return (inner or origin)[0]  # "from Nigeria's Borno State": Borno
    # "three peacekeepers from Zambia were injured": where the victims come from;
    # "56,000, most of whom have sought refuge in Cucuta": where some of them went
    # but "16,000 are from Jenin camp" is where the displaced were displaced from
    own = [
        m
        for m in own
        if not (
            m.start >= num.end
            and _ASIDE_PLACE.search(sentence[num.end : m.start])
            and not (kind == "displaced" and _ARE_FROM.fullmatch(sentence[num.end : m.start]))
        )
    ]
    if re.search(
        r"\b(?:bringing|brings|raising|raises|taking|takes|pushing|pushes)\s+the\s+"
        r"(?:overall\s+|total\s+|cumulative\s+)?(?:death\s+)?(?:toll|total|number)",
        sentence[: num.start],
    ):
        # a cumulative toll covers the whole area, not the city of today's strike
        wide = [m for m in own if RANK.get(m.place.precision or "", 0) >= 2]
        if usable(ctx.main) and own:  # without a place of its own: the story's place
            wide.append(ctx.main)  # type: ignore[arg-type]
        if wide:
            return max(wide, key=lambda m: RANK.get(m.place.precision or "", 0))
    if kind == "funding":  # donors are not places: "$1.1 billion for Sudan"
        own = [m for m in own if m.locative]
    if kind == "deployed" and actor:
        own = [
            m
            for m in own
            if not (m.start < num.start and not m.locative and m.place.precision == "country")
        ]
    if kind != "displaced":  # "11 wounded soldiers were evacuated to Niamey"
        own = [
            m
            for m in own
            if not (
                m.start >= num.end
                and TAKEN_TO.search(sentence[max(num.end, m.start - 90) : m.start])
            )
        ]
    # a place in the figure's own clause before one in the clause before it
    own = [
        m
        for m in own
        if not (m.end <= num.start and OTHER_CLAUSE.search(sentence[m.end : num.start]))
    ] or own
    if own:
        located = [m for m in own if m.locative] or own
        # "in Ituri province in eastern DRC": the inner place
        located = [
            m
            for m in located
            if not any(o.end <= m.start and _inside(sentence, o, m) for o in located)
        ] or located
        if kind in _EVENT_KINDS:  # "at the hospital in Mirebalais, one of the best in the
            located = [
                m
                for m in located
                if not (  # country, treated 23": the town
                    m.place.precision == "country"
                    and any(o.iso3 == m.iso3 and o.place.precision != "country" for o in located)
                )
            ] or located
        return min(located, key=lambda m: _distance(m, num))
    return None


def _inherited(
    ctx: Any,
    sentence: str,
    kind: str,
    num: Number,
    mentions: list[Mention],
    last_place: Mention | None,
    usable: Callable[[Mention | None], bool],
) -> tuple[Mention | None, str]:
    """The place of a figure whose sentence gives none: its nationals' country, the figures
    it refers back to, the paragraph's, the previous paragraph's, the section's, the
    report's."""
    if kind == "displaced":  # "3.5 million Somalis internally displaced": their country
        rest = sentence[num.end : clause.clause_bounds(sentence, num.start, num.end)[1]]
        nationals = [
            m
            for m in mentions
            if m.role == "demonym"
            and num.end <= m.start
            and re.fullmatch(r"\s*(?:[a-z'-]+\s+){0,2}", sentence[num.end : m.start])
            and not _POINTS_BACK.search(rest)
        ]  # "displaced from the three camps"
        if nationals:
            m = nationals[0]
            return replace(m, text=country_label(m) or m.text, role="place"), "sentence"
    # "Of the injured, 27": where the injured were; "Eleven of them": the last figure's
    named = clause.back_reference(sentence, num.start)[1]
    referred, para = ctx.last_where.get(named or "*", (None, -9))
    if (
        referred is not None
        and ctx.para - para <= (0 if named else 1)
        and (
            _REFERS_BACK.search(sentence[: num.start])
            or _OF_THEM.match(sentence[num.end :])
            or _SAME_EVENT.search(sentence)
        )
    ):
        # "Eleven of them died of their injuries", "the toll from the same attack at 65":
        # where the figures referred to are
        return referred, "previous"
    if last_place and ctx.section and last_place.iso3 != ctx.section.iso3:
        last_place = None  # "crossed into Burundi" does not carry over to a Kivu section
    wide = _WIDE.search(sentence)  # "the death toll across the south": not one town's
    if wide and last_place is not None and last_place.place.precision == "city":
        last_place = None
    if usable(last_place):
        return last_place, "paragraph"
    carried = None if wide else _carried(ctx, kind)
    mission = ctx.finder.mission_mention(sentence, ctx.main)
    if mission is not None and not (usable(carried) and carried.iso3 == mission.iso3):
        # "213 MINUSCA personnel": the mission's country, unless the story is in one of
        # its towns ("One UNMISS crew member was killed" after a paragraph on Nasir)
        return mission, "sentence"
    for inherited, level in ((carried, "previous"), (ctx.section, "section"), (ctx.main, "report")):
        if usable(inherited):
            return inherited, level
    return None, "none"


def _carried(ctx: Any, kind: str) -> Mention | None:
    """The town or province the previous paragraph ended on, for the casualties and
    displacement of a story told over one-sentence paragraphs ("More than 30 others were
    hurt"); never for troops or money, nor for a town abroad."""
    m = ctx.carried
    if m is None or kind not in ("killed", "injured", "displaced") or ctx.main is None:
        return None
    if m.place.precision == "country" or m.iso3 != ctx.main.iso3:
        return None
    if ctx.section is not None and m.iso3 != ctx.section.iso3:
        return None
    return m


RANK = {"city": 1, "admin1": 2, "region": 2, "country": 3}
_ASIDE_PLACE = lang.Pattern("attach", "aside_place")
_DISPLACED_FROM = lang.Pattern("attach", "displaced_from")
_ARE_FROM = lang.Pattern("attach", "are_from")
_NATIONWIDE = lang.Pattern("attach", "nationwide")
_WIDE = lang.Pattern("attach", "wide")
# "deployed 150 peacekeepers from its base in Bor", "sent from Kananga": where they come from
_FROM_BASE = lang.Pattern("attach", "from_base")
# "a country bigger than France": a comparison, not a place
# "armed youth reportedly from Twic County attacked Rumamer": where the attackers came from
_ATTACKERS_FROM = lang.Pattern("attach", "attackers_from")
_COMPARED = lang.Pattern("attach", "compared")
_STRUCK = lang.Pattern("attach", "struck")
_WITH = lang.Pattern("attach", "with")
_INSTITUTION = lang.Pattern("attach", "institution")
# Regions too broad to place a figure ("the UN agency for Palestinian refugees in the
# Middle East"); narrower macro regions (Sahel, Darfur, Donbas) stay places.
_BROAD = lang.Pattern("attach", "broad")
_EVENT_KINDS = frozenset({"killed", "injured", "displaced"})
_DONOR = lang.Pattern("attach", "donor")
_REFERS_BACK = lang.Pattern("attach", "refers_back")
_OF_THEM = lang.Pattern("attach", "of_them")
_SAME_EVENT = lang.Pattern("attach", "same_event")
_POINTS_BACK = lang.Pattern("attach", "points_back")
_FLED_FROM = lang.Pattern("attach", "fled_from")
_FROM_LIST = lang.Pattern("attach", "from_list")


def _distance(m: Mention, num: Number) -> int:
    # a place after the number ("deployed 1,300 soldiers around Goma") is read first
    return m.start - num.end if m.start >= num.end else (num.start - m.end) + 30


def innermost(sentence: str, located: list[Mention]) -> Mention:
    """The place a sentence leaves the story in: its last located place, or the place
    nested inside it ("outside Beledweyne in central Somalia" -> Beledweyne), so that the
    next paragraph's "the town's main hospital" stays in the town."""
    last = located[-1]
    for prev in reversed(located[:-1]):
        if not _inside(sentence, prev, last, strict=True):
            break
        last = prev
    return last


def _inside(sentence: str, inner: Mention, outer: Mention, strict: bool = False) -> bool:
    """True when ``outer`` only locates ``inner`` before it: "in Ituri province in eastern
    DRC", "in Adré, eastern Chad" (a list, "in Goma, Bukavu", is not nested)."""
    gap = sentence[inner.end : outer.start]
    a, b = RANK.get(inner.place.precision or "", 0), RANK.get(outer.place.precision or "", 0)
    if not NESTED.fullmatch(gap):
        return False
    return a < b or (a == b and not strict and "," not in gap)
