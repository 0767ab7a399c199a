"""The rules that turn the numbers of a sentence into figure rows: kind, subgroup, actor,
source of the figure, place and date.

Kinds: ``deployed`` (personnel), ``killed``, ``injured``, ``displaced`` and ``funding``
(an amount of money, with its currency: money is never people). A number becomes a row only
when it counts people (a head noun like "people", "officers", "refugees", or a kind word
right next to it: "12 killed", "killing 12") or is money in a funding sentence.

    >>> kind_of("gang violence that has killed more than ", "3,600", " people this year")
    ('killed', 'people', 0.9)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract import lang
from geo.extract.forces import ACTORS
from geo.extract.numbers import Number

KINDS: tuple[str, ...] = ("deployed", "killed", "injured", "displaced", "funding")

# "killing at least 12", "the death toll rose to 40": a kind word right before a bare number.
_NEAR_BEFORE = lang.Pattern("rules", "near_before")
_ORDER = ("killed", "injured", "displaced", "deployed")
# Between a verb and the count it governs, nothing else: "killing at least 6", "injury of"
_TIGHT = lang.Pattern("rules", "tight")
# "put the number forced from their homes at roughly 56,000": a kind phrase, then the number
_PHRASE_AT = lang.Pattern("rules", "phrase_at")
# Before a count of soldiers: held, not deployed ("residents held 28 soldiers")
_CAPTIVE = lang.Pattern("rules", "captive")
_ARMED = frozenset("fighters mercenaries militiamen combatants forces".split())
_SUBGROUP_AFTER = lang.Pattern("rules", "subgroup_after")
_ACCORDING = [
    re.compile(
        r"\baccording\s+to\s+(?:figures\s+from\s+|data\s+from\s+|estimates\s+by\s+)?"
        r"(?P<src>(?:the\s+|a\s+|an\s+)?[\w\u2019'&.-]+(?:\s+(?!and\b|who\b|which\b)"
        r"[\w\u2019'&.()-]+){0,7}?)(?=\s*(?:[,;.]|$|\s+(?:said|says|which|who|while|as|but)\b))",
        re.I,
    ),
    re.compile(
        r"(?:^|[,;]\s+|\band\s+)(?P<src>(?:the\s+)?(?:[A-Z][\w\u2019'&.-]*\s+){0,5}?"
        r"(?:[A-Z][\w&.-]*|(?:\w+\s+){0,2}(?:ministry|authorities|officials|agency|office|"
        r"government|organi[sz]ation|group|monitor|observatory|army|military|police)))\s+"
        r"(?:said|says|reported|reports|estimated|estimates|announced|stated|told|confirmed|"
        r"recorded|documented)\b"
    ),
    re.compile(
        r"\b(?:said|says|reported|estimated|announced|stated)\s+(?P<src>(?:the\s+)?"
        r"[A-Z][\w&.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w&.()-]*){0,6})"
    ),
]
# The actors of a figure, as written, in match order (forces.toml)
_ORG_ACTORS = re.compile(r"\b(?:" + "|".join(a.replace(" ", r"\s+") for a in ACTORS) + r")\b")
_FORCE_NOUNS = (
    r"(?:forces|troops|army|military|soldiers|strikes|shelling|drones?|airstrikes?|"
    r"fighters|militia|police|officers|jets|artillery)"
)


@dataclass(frozen=True)
class _Lexicon:
    """The word lists and patterns of :mod:`rules` for one language (see ``lang/``)."""

    kind_re: dict[str, re.Pattern[str]]
    aux: str
    head_kind: dict[str, str]
    people: frozenset[str]
    not_people: frozenset[str]
    singular: dict[str, str]
    fillers: frozenset[str]
    stop: frozenset[str]  # words that end the search for a number's noun
    not_a_figure: re.Pattern[str]


def _build(lg: lang.Language) -> _Lexicon:
    head_kind = {k: str(v) for k, v in lg.table("head_kind").items()}
    return _Lexicon(
        kind_re={k: re.compile(rf"\b(?:{lg.alt('kind.' + k)})\b", re.I) for k in KINDS[:4]},
        # "12 people were reportedly killed": words allowed between the noun and the kind word
        aux=rf"^[\s,]*(?-i:[A-Z][\w-]+\s+)?(?:(?:{lg.alt('aux')})\s+){{0,4}}",
        head_kind=head_kind,
        people=frozenset(head_kind) | lg.words("people"),
        not_people=lg.words("not_people"),
        singular={k: str(v) for k, v in lg.table("singular").items()},
        fillers=lg.words("fillers"),
        stop=lg.words("break"),
        # After a count: people who are not (or no longer) casualties or displaced
        not_a_figure=re.compile(
            rf"\s*(?:[\w-]+\s+){{0,5}}?(?:(?:{lg.alt('not_a_figure_aux')})\s+)*"
            rf"(?:{lg.alt('not_a_figure')})\b",
            re.I,
        ),
    )


def _rx(name: str) -> re.Pattern[str]:
    """The named pattern ``name`` of ``lang/<code>/rules.toml`` (never matching if absent)."""
    return lang.active().compiled(  # type: ignore[no-any-return]
        "rules:" + name, lambda lg: re.compile(lg.table("rules").get(name) or lang.NEVER, re.I)
    )


def _stage_re() -> re.Pattern[str]:
    """One pattern for the stages of money, a group ``s<i>`` per stage in table order."""

    def build(lg: lang.Language) -> re.Pattern[str]:
        stages = lg.table("rules").get("stages", {})
        alts = "|".join(f"(?P<s{i}>{p})" for i, p in enumerate(stages.values()))
        return re.compile(rf"\b(?:{alts or lang.NEVER})\b", re.I)

    return lang.active().compiled("rules:stages", build)  # type: ignore[no-any-return]


def _lex() -> _Lexicon:
    return lang.active().compiled("rules", _build)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Cue:
    """What the rules read around one number."""

    kind: str | None
    unit: str | None
    strength: float
    group: str | None = None


def head_noun(after: str) -> tuple[str | None, str, int]:
    """The noun a number counts: ``(noun or None, status, words used)``; status is
    ``people``, ``other`` (a non-people noun: hours, trucks) or ``none``.

    >>> head_noun(" Kenyan police officers on the ground")
    ('officers', 'people', 3)
    >>> head_noun(" hours at the palace")
    ('hours', 'other', 1)
    """
    lx = _lex()
    if re.match(r"^-strong\b", after):
        return "-strong", "people", 1
    of_its = re.match(
        r"^\s+of\s+(?:its|their|his|her|whom|the|our|my|your)\s+(?:own\s+)?(?=[a-z])", after
    )
    if of_its:  # "192 of its own servicemen", "20 of its personnel"
        noun, status, used = head_noun(" " + after[of_its.end() :])
        if status != "none":
            skipped = len(re.findall(r"[\w'-]+", of_its.group(0)))
            return noun, status, used + skipped
    words = re.findall(r"[\w'-]+|[,;:.()]", after[:80])
    for i, w in enumerate(words[:5]):
        low = w.lower()
        if low in (",", ";", ":", ".", "(", ")"):
            return None, "none", 0
        if (
            low in lx.fillers
            and i + 1 < len(words)
            and (
                words[i + 1].lower() in lx.not_people
                or words[i + 1].lower().rstrip("s") + "s" in lx.not_people
            )
        ):
            return words[i + 1].lower(), "other", i + 2  # "11 more villages"
        if low in lx.singular:
            low = lx.singular[low]
        elif low + "s" in lx.people and low not in lx.people:  # "crew member"
            low += "s"
        if low in lx.people or (
            w[:1].isupper() and low.endswith(("ians", "ese", "is", "ans")) and len(low) > 5
        ):
            if i + 1 < len(words) and words[i + 1].lower() in lx.not_people | {
                "carriers",
                "carrier",
            }:
                return words[i + 1].lower(), "other", i + 2  # "armored personnel carriers"
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            following = lx.singular.get(following, following)  # "police officer"
            if (
                following in lx.people - {"more", "others"}
                and lx.head_kind.get(low, "deployed") == "deployed"
                and lx.head_kind.get(following, "deployed") == "deployed"
            ):
                return following, "people", i + 2  # "police officers"
            return low, "people", i + 1
        if low in lx.not_people or low.rstrip("s") + "s" in lx.not_people:
            return low, "other", i + 1
        if low in lx.stop:
            return None, "none", 0
    return None, "none", 0


def coordinated(between: str) -> bool:
    """True for the words between two numbers that share one verb ("soldiers and")."""
    return bool(_rx("coordinated").fullmatch(simplify(between)))


def simplify(after: str) -> str:
    """Drop asides that separate a count from its verb: "(Volunteers for ...)",
    ", most of them Syrians,"."""
    after = re.sub(r"\s*\([^)]{0,80}\)", "", after)
    return re.sub(
        r"^(\s*[\w'-]+)?,\s+(?:most|many|mostly|mainly|the\s+majority|almost\s+all|"
        r"nearly\s+all|half|all|including|among\s+them|of\s+whom|[\w-]+\s+of\s+(?:them|whom))"
        r"\b[^,]{0,50},",
        r"\1",
        after,
    )


def kind_of(before: str, number: str, after: str) -> tuple[str | None, str | None, float]:
    """The kind of a count from the text around it: ``(kind, unit, strength)``; the named
    rules that decide it are :data:`geo.extract.kinds.KIND_RULES`."""
    from geo.extract.kinds import read_kind  # the rule table reads this module's words

    return read_kind(before, number, after)[:3]


_CEILING = lang.Pattern("rules", "ceiling")


def _tight_cue(before: str) -> str | None:
    """ "killed" or "injured" right before a count ("killing at least 6", "wounding 12")."""
    m = _rx("tight_cue").search(before)
    if m is None:
        return None
    return "killed" if m.group("k") else "injured"


def ceiling(before: str) -> bool:
    """True when a personnel count is an authorised ceiling ("authorized strength: 14,400
    military personnel", "an authorised ceiling of 11,826 personnel, including 680 police"),
    not a count of who is deployed."""
    return bool(_CEILING.search(before[-120:]))


_WITHDRAWN = lang.Pattern("rules", "withdrawn")


def withdrawn(after: str) -> bool:
    """True when the troops counted are leaving ("1,000 US troops left the country")."""
    return bool(_WITHDRAWN.match(after))


def future(before: str) -> bool:
    """True when a deployment is announced, not made ("will send 150 troops")."""
    return bool(_rx("future").search(before[-80:]))


def subgroup(before: str, after: str, noun: str | None) -> str | None:
    """The subgroup a count belongs to ("including over 100 children" -> ``children``)."""
    lx = _lex()
    if _rx("subgroup_before").search(before[-40:]):
        return noun or "people"
    m = _SUBGROUP_AFTER.match(after)
    if m and m.group("g").lower() in lx.people:
        return m.group("g").lower()
    return None


def funding_stage(sentence: str, num: Number, others: list[Number]) -> str | None:
    """pledged / disbursed / requested ... for an amount of money, from the words after
    it ("USD96.8 million pledged") or, past "of the <amount> <stage>", later in the
    sentence ("USD85.3 million of the USD96.8 million pledged has been disbursed")."""
    after = sentence[num.end :]
    m = re.match(r"^\s*(?:\w+\s+)?(\w+)", after)
    direct = _stage(m.group(0)) if m else None
    if direct:
        return direct
    nxt = next((o for o in others if o.start >= num.end and o.currency), None)
    between = sentence[num.end : nxt.start] if nxt else ""
    if nxt and re.fullmatch(r"\s*(?:out\s+)?of\s+(?:the\s+|a\s+|an\s+)?", between):
        tail = sentence[nxt.end :]
        first = re.match(r"^\s*\w+", tail)
        if first and _stage(first.group(0)):
            tail = tail[first.end() :]
        return _stage(tail) or None
    before = sentence[max(0, num.start - 60) : num.start]
    stages = list(_stage_re().finditer(before))
    if stages:
        return _stage(stages[-1].group(0))
    return _stage(re.split(r"[,;.]", after)[0])


def _stage(text: str) -> str | None:
    m = _stage_re().search(text)
    if not m:
        return None
    for i, name in enumerate(lang.active().table("rules").get("stages", {})):
        if m.group(f"s{i}"):
            return name
    return None


def is_funding_sentence(sentence: str) -> bool:
    return bool(_rx("funding_context").search(sentence))


def according_to(sentence: str) -> str | None:
    """The source a sentence gives for its figures ("according to the UN" -> ``UN``).

    >>> according_to("killed 3,600 people, including 100 children, according to the UN.")
    'UN'
    >>> according_to("OCHA said on Monday that 40,000 had fled.")
    'OCHA'
    """
    for rx in _ACCORDING:
        m = rx.search(sentence)
        if m:
            src = re.sub(r"^(?:the|a|an)\s+", "", m.group("src").strip(), flags=re.I)
            src = re.sub(r"\s+(?:on|in|last|this)\s+\w+$", "", src).strip(" ,.")
            if src and src.lower() not in ("it", "he", "she", "they", "we", "officials said"):
                return src
    return None


def org_actor(sentence: str) -> str | None:
    """A force or organisation named in the sentence (EAC, SADC, RSF, M23...), joined."""
    found: list[str] = []
    for m in _ORG_ACTORS.finditer(sentence):
        name = re.sub(r"\s+", " ", m.group(0))
        if name not in found:
            found.append(name)
    return "; ".join(found) or None


def perpetrator(sentence: str) -> str | None:
    """Who did the killing or displacing: "by the RSF", "Russian strikes" (text as written)."""
    for m in re.finditer(r"\bby\s+(?:the\s+)?(?P<a>(?:[A-Z][\w-]*\s?){1,4})", sentence):
        if _REPORTED_BY.search(sentence[: m.start()]) or _CALENDAR.match(m.group("a")):
            continue  # "figures received by the Mission", "by March"
        return m.group("a").strip()
    return None


_REPORTED_BY = lang.Pattern("rules", "reported_by")
_CALENDAR = lang.Pattern("rules", "calendar")


def force_demonym(sentence: str, demonym_spans: list[tuple[int, int, str]]) -> str | None:
    """The country of "Russian strikes", "Israeli forces" in a sentence, if any."""
    for _start, end, country in demonym_spans:
        if re.match(rf"\s+{_FORCE_NOUNS}\b", sentence[end:], re.I):
            return country
    return None


def not_a_figure(after: str) -> bool:
    """True when the people counted are missing, abducted, detained or back home ("14
    remain missing", "600,000 displaced people have since returned"), not casualties or
    displaced: unless a kind word comes first ("fled and later returned")."""
    lx = _lex()
    m = lx.not_a_figure.match(after)
    return bool(m) and not _rx("conjunction").search(m.group(0))


def captive(before: str) -> bool:
    """True when the soldiers counted are held by others ("held 28 soldiers")."""
    return bool(_CAPTIVE.search(before[-60:]))
