"""The kind of a count read from its whole clause, when the words right around it do not
say it (:func:`geo.extract.rules.kind_of` reads only those).

Three general steps, not phrases:

* **cue words in either order** -- a broad lexicon of casualty, displacement and deployment
  verbs and nouns with their inflections; a count takes the cue right before it ("killing
  12", "uprooted some 5,000") or else the first cue after it in its clause ("one soldier was
  killed and 12 members of the forces were injured");
* **a precision guard** -- a count becomes a row only when it counts people: the word after
  it is a people noun, a verb or an auxiliary, never another noun ("300 water connections",
  "two companies"); beneficiaries ("food to 85,000 people") are never deployed personnel;
* **carry-over** -- a clause that refers back to the previous figures ("Of the injured,
  27 ...", "the victims included 18 children", "about 130,000 of them in Kachin") takes the
  kind it names, else the kind of the previous figure.

    >>> clause_kind("Another 80 or so were wounded, the committee said.", 8, 10)
    ('injured', 0.75)
    >>> clause_kind("Fighting burnt 60 homes and wounded 3 people.", 15, 17)
    (None, 0.0)
"""

from __future__ import annotations

import re

from geo.extract import lang

# The lexicon: stems with their inflections, in the order they are tried.
LEXICON: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"\b(?:kill(?:s|ed|ing|ings)?|dead|deaths?|died|dies|dying|fatalit(?:y|ies)|"
        r"massacr\w+|execut(?:ed|ions?)|slain|slaughter\w*|murder\w*|perish\w*|"
        r"shot\s+dead|gunned\s+down|lost\s+their\s+lives|(?:claimed|cost|took)\s+the\s+lives|"
        r"lives\s+(?:were\s+)?lost|bodies|corpses|neutrali[sz]ed|death\s+toll|toll(?!-free)|"
        r"martyr\w*)\b",
        re.I,
    ),
    "injured": re.compile(r"\b(?:injur\w*|wound(?:s|ed|ing)?|hurt|maimed)\b", re.I),
    "displaced": re.compile(
        r"\b(?:displac\w*|fled|flee(?:s|ing)?|uproot\w*|refugees?|idps?|evacuat\w+|"
        r"homeless|shelter(?:ing|ed)|relocat\w+|(?:crossed|crossing)\s+(?:into|from|over)|"
        r"(?:has|have|had)\s+(?:already\s+)?received|welcomed|taken\s+in|absorbed|"
        r"(?:forced|driven|chased|made)\s+(?:to\s+)?(?:leave|abandon|flee|from|out\s+of)|"
        r"(?:left|leave|leaving|abandon(?:ed|ing)?)\s+(?:(?:their|his|her)\s+)?(?:homes?|houses|"
        r"villages?|land|farms)|arriv(?:ed|als?)|moved\s+(?:towards?|to|into|out\s+of|away)|"
        r"(?:sought|seeking|seek)\s+(?:refuge|shelter|safety)|"
        r"population\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}?(?:camps?|sites?|settlements?)|"
        r"(?:(?:remain\w*|living|live|lives|staying|housed|sheltering)\s+)?in\s+(?:[\d,]+\s+)?"
        r"(?:relief|displacement|idp|evacuation|transit|safety|welfare|collective|temporary|"
        r"emergency)\s+(?:camps|centres|centers|shelters|sites))\b",
        re.I,
    ),
    "deployed": re.compile(
        r"\b(?:deploy\w*|stationed|dispatch\w*|contingents?|posted|mobili[sz]ed|"
        r"reinforc\w+|(?:total\s+)?strength|on\s+the\s+ground|boots|airlifted|flown)\b",
        re.I,
    ),
}
_PEOPLE_KIND = {  # the kind a back-reference names: "Of the injured", "among the dead"
    "dead": "killed",
    "killed": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "injured": "injured",
    "wounded": "injured",
    "casualties": "injured",
    "displaced": "displaced",
    "refugees": "displaced",
    "idps": "displaced",
    "evacuees": "displaced",
}
# A clause ends at these (an appositive ", including six children," does not end one).
_BREAK = lang.Pattern("clause", "break")
# Between a cue and the count it governs: "killing 12", "total strength ... to 6,000".
_GAP = lang.Pattern("clause", "gap")
_TOLL = lang.Pattern("clause", "toll")
# "the number of <cue> ... stands at": a tally named before its verb, however far
_TALLY = lang.Pattern("clause", "tally")
_TALLY_VERB = lang.Pattern("clause", "tally_verb")
# Words that may sit between a count and its verb: "80 or so were", "45,000 have been".
_LINK = lang.Pattern("clause", "link")
# After a count: its noun or its verb. Anything else ("water connections") is not people.
_COUNT_NEXT = lang.Pattern("clause", "count_next")
_BACKREF = lang.Pattern("clause", "backref")
_BENEFICIARY = lang.Pattern("clause", "beneficiary")
# The state of victims already counted: "... are in serious condition", "remain in hospital".
_CONDITION = lang.Pattern("clause", "condition")
_CIVILIAN = frozenset(
    """people persons civilians residents children women men families households villagers
    patients beneficiaries inhabitants individuals pupils students""".split()
)


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of the clause around ``sentence[start:end]``."""
    left = 0
    for m in _BREAK.finditer(sentence, 0, start):
        left = m.end()
    m = _BREAK.search(sentence, end)
    return left, (m.start() if m else len(sentence))


def clause_kind(
    sentence: str,
    start: int,
    end: int,
    others: tuple[tuple[int, int], ...] = (),
    noun: str | None = None,
) -> tuple[str | None, float]:
    """The kind of the count at ``sentence[start:end]`` from the cues of its clause: the
    cue right before it ("killing 12", "strength engaged in the north to 6,000"), else the
    first cue after it (counts in between share it). ``noun`` is the people noun the count
    has, if any ("5,000 residents of border villages have been relocated")."""
    left, right = clause_bounds(sentence, start, end)
    before = sentence[left:start]
    best: tuple[str, int] | None = None
    for kind, rx in LEXICON.items():
        for m in rx.finditer(before):
            if (
                _GAP.fullmatch(before[m.end() :])
                and not any(left + m.end() <= o[0] < start for o in others)
                and (best is None or m.end() > best[1])
            ):
                best = (kind, m.end())
    if best is None:  # "the death toll from an attack on the town of Pibor has risen to 31"
        toll = _TOLL.search(before)
        if (
            toll
            and _TALLY_VERB.search(before[toll.end() :])
            and not any(left + toll.end() <= o[0] < start for o in others)
        ):
            best = ("killed", toll.end())
    if best is None:  # "the number of displaced persons still in the camps ... stands at"
        for kind, rx in LEXICON.items():
            for m in rx.finditer(before):
                if (
                    _TALLY.search(before[: m.start()])
                    and _TALLY_VERB.search(before[m.end() :])
                    and not any(left + m.end() <= o[0] < start for o in others)
                ):
                    best = (kind, m.end())
    if best is not None:
        return best[0], 0.75
    after = sentence[end:right]
    if noun:  # skip the noun and its complement: "members of Israeli forces were"
        m = re.match(
            rf"\s*(?:[\w'-]+\s+){{0,3}}?{re.escape(noun)}\b"
            r"(?:\s+(?:of|from)\s+(?:[\w'-]+\s+){0,4}?(?=(?:have|has|had|were|was|are|is)\b))?",
            after,
            re.I,
        )
        after = after[m.end() :] if m else after
    offset = right - len(after)  # where ``after`` starts in the sentence
    first: tuple[str, int] | None = None
    for kind, rx in LEXICON.items():
        found = rx.search(after)
        if found and any(end <= o[0] < offset + found.start() for o in others):
            continue  # the cue belongs to a nearer count: "..., doctors said 12 had died"
        if found and (first is None or found.start() < first[1]):
            first = (kind, found.start())
    if first is None:
        return None, 0.0
    if _LINK.fullmatch(after[: first[1]]):
        return first[0], 0.75  # "80 or so were wounded", "residents ... have been relocated"
    if noun is None:
        return None, 0.0
    return first[0], 0.65


def counts_people(after: str, noun: str | None) -> bool:
    """True when the words after a count leave it a count of people: a people noun (the
    caller's ``noun``), or a verb, auxiliary or back-reference rather than another noun."""
    return noun is not None or bool(_COUNT_NEXT.match(after))


def back_reference(sentence: str, start: int) -> tuple[bool, str | None]:
    """Whether the count at ``start`` refers back to figures already given, and the kind
    the back-reference names: "Of the injured, 27" -> ``(True, 'injured')``; "the victims
    included 18 children" -> ``(True, None)`` (the previous figure's kind)."""
    left, _ = clause_bounds(sentence, start, start)
    text = sentence[left : start + 40]
    m = _BACKREF.search(text)
    if m and m.start() >= start - left:
        m = None  # "... at 27 and said several of the wounded were ...": a later clause's
    if not m:
        m = re.match(
            r"\s*\S+\s+(?:[a-z-]+\s+)?of\s+(?:them|whom|these|those|the\s+(?P<n>dead|"
            r"injured|wounded|victims|displaced|casualties))\b",
            sentence[start : start + 40],
            re.I,
        )  # "27 of them", "five of the injured"
        if not m:
            return False, None
        return True, _PEOPLE_KIND.get((m.group("n") or "").lower())
    word = (m.group("n") or m.group("v") or "").lower()
    if word not in _PEOPLE_KIND:  # "Of the 80 people killed, at least five ..."
        phrase = re.match(r"[\d,.]*\s*(?:[\w-]+\s+){0,2}?(?P<k>[\w-]+)\s*,", text[m.end() :])
        if phrase and phrase.group("k").lower() in _PEOPLE_KIND:
            word = phrase.group("k").lower()
    return True, _PEOPLE_KIND.get(word)


def beneficiaries(sentence: str, start: int, noun: str | None, treated: bool = True) -> bool:
    """True when a count of civilians is who aid reached ("food to 85,000 people", "water
    systems serving 120,000 residents"): never deployed personnel. With ``treated`` false,
    patients treated ("treated 23 people with gunshot wounds") are not beneficiaries."""
    if noun not in _CIVILIAN:
        return False
    left, _ = clause_bounds(sentence, start, start)
    found = [m.group(0).lower() for m in _BENEFICIARY.finditer(sentence[left:start])]
    return any(treated or not w.startswith("treat") for w in found)


def resolve(
    sentence: str,
    start: int,
    end: int,
    others: tuple[tuple[int, int], ...],
    kind: str | None,
    unit: str | None,
    strength: float,
    last_kind: str | None,
) -> tuple[str | None, float]:
    """The kind of one count after the near-context rules gave ``kind`` (or None): a
    back-reference's kind first, then the clause's cues, then the previous figure's kind;
    ``(None, 0.0)`` when the count is not a row (not people, or aid beneficiaries)."""
    after = sentence[end:]
    back, named = back_reference(sentence, start)
    if back and _CONDITION.match(after):
        return None, 0.0  # "Two of the injured are in serious condition": not a new count
    if named == "injured" and re.match(
        r"\s*(?:[\w-]+\s+){0,3}?(?:later\s+|subsequently\s+)?"
        r"(?:died|succumbed)\b",
        after,
    ):
        return None, 0.0  # "the toll rose to 11 after two of the wounded died": counted
    if named:  # "Of the injured, 27 were evacuated": injured, whatever the verb
        return named, max(strength, 0.8)
    if kind is None and counts_people(after, unit):
        kind, strength = clause_kind(sentence, start, end, others, unit)
        if kind is None and back and last_kind:
            kind, strength = last_kind, 0.75  # "the victims included 18 children"
    if (kind == "deployed" and beneficiaries(sentence, start, unit)) or (
        kind is not None and strength < 0.9 and beneficiaries(sentence, start, unit, treated=False)
    ):
        return None, 0.0  # "distributed food to 85,000 people", "..., with food for 100,000"
    return kind, strength
