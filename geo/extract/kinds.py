"""Which kind a count is: an ordered table of named rules, the first that decides wins.

Each :class:`Rule` has a name, an example sentence and a decision read from what stands
around the number (:class:`Reading`); :func:`read_kind` returns the decision and the name
of the rule that made it, so a row can say why it has its kind (``geo extract --explain``)
and tests can name the rule they test. The words come from the active language
(``lang/<code>/``), never from here.

    >>> read_kind("gang violence that has killed more than ", "3,600", " people this year")
    ('killed', 'people', 0.9, 'verb-before-count')
    >>> [r.name for r in KIND_RULES][:3]
    ['not-people-noun', 'verb-before-count', 'noun-then-kind-word']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from geo.extract import rules

Decision = tuple[str | None, str | None, float]  # (kind, unit, strength)


@dataclass
class Reading:
    """What the kind rules read around one number: the words before and after it, the noun
    it counts and the last kind word before it."""

    before: str
    after: str

    def __post_init__(self) -> None:
        self.lx = rules._lex()
        self.after = rules.simplify(self.after)
        self.noun, self.status, self.used = rules.head_noun(self.after)

    @cached_property
    def rest(self) -> str:
        """The words after the counted noun."""
        rest = self.after
        if self.used:
            words = list(re.finditer(r"[\w'-]+|[,;:.()]", self.after))
            rest = self.after[words[self.used - 1].end() :] if len(words) >= self.used else ""
        # "three peacekeepers from Zambia were injured": the origin does not part noun and verb
        rest = re.sub(r"^\s+from\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}(?=\s)", "", rest)
        # "12 members of Israeli forces were injured": the noun's complement neither
        return re.sub(
            r"^\s+of\s+(?:[\w'-]+\s+){1,4}?(?=(?:have|has|had|were|was|are|is)\s)", " ", rest
        )

    @cached_property
    def hinted(self) -> str | None:
        """The kind the counted noun names ("deaths" -> killed), if any."""
        return self.lx.head_kind.get(self.noun or "")

    @cached_property
    def window(self) -> str:
        """The last nine words before the number, not past a quotation's end ('... found
        them dead," one woman said')."""
        return " ".join(re.split(r"[;:]|[,.?!][\"\u201d]", self.before)[-1].split()[-9:])

    @cached_property
    def last_cue(self) -> tuple[str | None, int, int]:
        """The last kind word of the window: (kind, start, end)."""
        best, pos, end = None, -1, -1
        for kind in rules._ORDER:
            for m in self.lx.kind_re[kind].finditer(self.window):
                if m.start() > pos:
                    best, pos, end = kind, m.start(), m.end()
        return best, pos, end


@dataclass(frozen=True)
class Rule:
    """A named rule: ``decide`` returns a :data:`Decision`, or None to pass."""

    name: str
    example: str
    decide: Callable[[Reading], Decision | None]


def _not_people(r: Reading) -> Decision | None:
    return (None, r.noun, 0.0) if r.status == "other" else None


def _verb_before(r: Reading) -> Decision | None:
    tight = rules._tight_cue(r.before)
    return (tight, r.noun, 0.9) if tight and r.noun else None


def _noun_then_kind(r: Reading) -> Decision | None:
    for kind in rules._ORDER:
        if kind == "displaced" and r.hinted in ("killed", "injured"):
            continue  # "35 wounded were evacuated to the hospital": still the wounded
        if re.match(r.lx.aux + r.lx.kind_re[kind].pattern, r.rest, re.I):
            return kind, r.noun or "people", 0.9
    return None


def _key_figure(r: Reading) -> Decision | None:
    label = re.search(r"(?:^|[.;\n])\s*(?P<l>[^:.;\n]{3,120}):\s*$", r.before)
    if not (
        label
        and r.noun in (None, "people", "persons", "individuals")
        and re.match(r"\s*(?:\(|people\b|persons\b|individuals\b|$|[.;])", r.after, re.I)
    ):
        return None
    text = label.group("l")
    cues = [(m.start(), k) for k in rules._ORDER for m in r.lx.kind_re[k].finditer(text)]
    if cues and not re.search(r"\bneed\w*|\brequir\w*", text, re.I):
        return max(cues)[1], "people", 0.8
    return None


def _verb_on_other_noun(r: Reading) -> Decision | None:
    best, _, end = r.last_cue
    if (
        best in ("killed", "injured")
        and r.hinted
        and r.hinted != best
        and rules._TIGHT.fullmatch(r.window[end:])
    ):
        return best, r.noun, 0.9
    return None


def _noun_names_kind(r: Reading) -> Decision | None:
    return (r.hinted, r.noun, 0.9) if r.hinted and r.hinted != "deployed" else None


def _kind_word_before(r: Reading) -> Decision | None:
    best, pos, end = r.last_cue
    if best and (
        r.noun
        or rules._NEAR_BEFORE.search(r.window[pos:])
        or rules._PHRASE_AT.fullmatch(r.window[end:])
    ):
        return best, r.noun or "people", 0.8
    return None


def _forces_noun(r: Reading) -> Decision | None:
    return ("deployed", r.noun, 0.8) if r.hinted == "deployed" else None


def _armed_strength(r: Reading) -> Decision | None:
    if r.noun in rules._ARMED and re.search(
        r"\b(?:has|have|had|with|numbering|deployed|sent|of)\s+(?:\w+\s+){0,2}$", r.before
    ):
        return "deployed", r.noun, 0.7
    return None


def _no_noun(r: Reading) -> Decision | None:
    return (None, None, 0.0) if r.noun is None else None


def _kind_in_clause(r: Reading) -> Decision | None:
    clause = re.split(r"[,;:.]", r.rest)[0]
    for kind in rules._ORDER:
        if r.lx.kind_re[kind].search(clause):
            return kind, r.noun, 0.65
    return None


KIND_RULES: tuple[Rule, ...] = (
    Rule("not-people-noun", "Gunmen burned 60 homes in the village.", _not_people),
    Rule(
        "verb-before-count", "Fighting killed 14 soldiers serving with the mission.", _verb_before
    ),
    Rule("noun-then-kind-word", "12 people were reportedly killed.", _noun_then_kind),
    Rule("key-figure-line", "Internally displaced in Tillabéri: 310,000", _key_figure),
    Rule(
        "kill-verb-on-other-noun",
        "It led to the injury of 6 displaced persons.",
        _verb_on_other_noun,
    ),
    Rule("noun-names-kind", "The clashes left 40 deaths.", _noun_names_kind),
    Rule("kind-word-before", "The death toll rose to 40.", _kind_word_before),
    Rule("forces-noun", "Kenya has 800 officers in Haiti.", _forces_noun),
    Rule("armed-group-strength", "Africa Corps has roughly 2,000 fighters.", _armed_strength),
    Rule("no-noun", "The score was 3 in the end.", _no_noun),
    Rule("kind-in-clause", "15 civilians in the village died.", _kind_in_clause),
)


def read_kind(before: str, number: str, after: str) -> tuple[str | None, str | None, float, str]:
    """The kind of a count and the rule that decided it: ``(kind, unit, strength, rule)``;
    ``rule`` is ``no-rule`` when none decided (then the kind is None)."""
    reading = Reading(before, after)
    for rule in KIND_RULES:
        decision = rule.decide(reading)
        if decision is not None:
            return (*decision, rule.name)
    return None, reading.noun, 0.0, "no-rule"
