"""The word lists and name patterns of the offline geocoder, read from
``data/gazetteer/words/`` (one concept per file) and compiled once."""

from __future__ import annotations

import re

from geo.gazetteer import normalize
from geo.gazetteer.paths import read_words


def _set(name: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in read_words(name))


def _tagged(name: str) -> list[tuple[str, str]]:
    out = []
    for line in read_words(name):
        word, _, tag = line.rpartition(" ") if line.endswith((" sub", " type")) else (line, "", "")
        out.append((word.strip(), tag))
    return out


# Strings that stand for "no place" in datasets, and invented places: never resolved.
NOT_PLACES = _set("not_places.txt")
FICTIONAL = _set("fictional.txt")

# ---- qualifiers -----------------------------------------------------------------------------
DIRECTIONS: dict[str, str] = dict(line.split() for line in read_words("directions.txt"))
for _a, _b, _code in (
    ("north", "east", "ne"),
    ("north", "west", "nw"),
    ("south", "east", "se"),
    ("south", "west", "sw"),
):
    for _form in ("{a}{b}", "{a} {b}", "{a}{b}ern", "{a} {b}ern", "{a}ern {b}ern"):
        DIRECTIONS[_form.format(a=_a, b=_b)] = _code
    DIRECTIONS[_code] = _code
DIR_ADJ = {
    "n": "Northern",
    "s": "Southern",
    "e": "Eastern",
    "w": "Western",
    "c": "Central",
    "ne": "North-eastern",
    "nw": "North-western",
    "se": "South-eastern",
    "sw": "South-western",
}
_DIR_ALT = "|".join(sorted(map(re.escape, DIRECTIONS), key=len, reverse=True))
_PART = r"(?:part|parts|region|regions|area|areas|half|third|side|portion|reaches|areas)"
QUALIFIED = re.compile(rf"^(?:the )?(?P<d>{_DIR_ALT})(?: {_PART} of| of)? (?:the )?(?P<rest>.+)$")
QUALIFIED_SUFFIX = re.compile(rf"^(?:the )?(?P<rest>.+?) (?P<d>{_DIR_ALT})(?: {_PART})?$")
# What a qualifier means when applied to these names.
QUALIFIER_TARGET = {
    "gaza": "gaza strip",
    "congo": "democratic republic of the congo",
    "the congo": "democratic republic of the congo",
    "kivu": "kivu",
}

# ---- administrative and place-type words ---------------------------------------------------
_ADMIN = _tagged("admin_words.txt")
_ADMIN_ALT = "|".join(sorted((re.escape(w) for w, _ in _ADMIN), key=len, reverse=True))
ADMIN_SUFFIX = re.compile(rf"^(?P<core>.+?) (?P<w>{_ADMIN_ALT})$")
ADMIN_PREFIX = re.compile(rf"^(?:the )?(?P<w>{_ADMIN_ALT}) of (?:the )?(?P<core>.+)$")
SUB_ADMIN = frozenset(w for w, tag in _ADMIN if tag == "sub")
_TYPES = _tagged("place_types.txt")
_TYPE_ALT = "|".join(sorted((re.escape(w) for w, _ in _TYPES), key=len, reverse=True))
TOWN = re.compile(
    r"^(?:(?:the )?(?:city|town|village|municipality|port|commune) of (?P<a>.+)|"
    rf"(?P<b>.+?) (?:{_TYPE_ALT})|"
    r"(?:near|around|outside|outskirts of|suburbs of|vicinity of|close to|the outskirts of) "
    r"(?:the )?(?P<c>.+))$"
)
TYPE_WORDS = frozenset(w for w, tag in _TYPES if tag == "type") | {
    "area",
    "district",
    "province",
    "region",
    "state",
    "county",
    "municipality",
}
PARENS = re.compile(r"\s*\(([^()]*)\)\s*")
