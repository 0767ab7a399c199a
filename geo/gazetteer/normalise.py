"""Matching keys of place names: :func:`normalize` (the exact key), :func:`fold` (a looser
key for transliteration variants) and :func:`compact` (no spaces). The word lists of
:func:`fold` live in ``data/gazetteer/words/``."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import groupby

from geo.gazetteer.paths import read_words

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʻʼʿʾ`´′"), None)
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ɛ": "e",
        "ɔ": "o",
        "ə": "e",
        "ƙ": "k",
        "ɗ": "d",
        "ɓ": "b",
        "ŋ": "ng",
    }
)
_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """The matching key of a name: casefolded, accents stripped, apostrophes dropped, other
    punctuation and hyphens turned into spaces, whitespace collapsed.

    >>> normalize("  Pòtoprens ")
    'potoprens'
    >>> normalize("Sana'a")
    'sanaa'
    >>> normalize("Port-au-Prince")
    'port au prince'
    """
    s = text.casefold()
    if s.isascii():
        return " ".join(s.translate(_ASCII_KEY).split())
    s = unicodedata.normalize("NFKD", s.translate(_APOSTROPHES))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).translate(_LETTERS)
    if s.isascii():
        return " ".join(s.translate(_ASCII_KEY).split())
    return " ".join(_NON_WORD.sub(" ", s).split())


# ASCII fast path of normalize: apostrophes vanish, other punctuation becomes a space.
_ASCII_KEY = {ord(c): " " for c in '!"#$%&()*+,-./:;<=>?@[\\]^_{|}~'}
_ASCII_KEY.update({ord("'"): None, ord("`"): None})


@cache
def _articles() -> frozenset[str]:
    return frozenset(read_words("articles.txt"))


@cache
def _fold_words() -> dict[str, str]:
    """variant -> canonical form, from ``fold_words.txt`` (one line per canonical form:
    ``canonical variant variant ...``)."""
    out: dict[str, str] = {}
    for line in read_words("fold_words.txt"):
        canonical, *variants = line.split()
        for v in variants:
            out[v] = canonical
    return out


def fold(key: str) -> str:
    """A looser key for a last exact-match tier: Arabic articles dropped, common
    transliteration variants of place-name words unified, doubled letters collapsed
    ("Al-Qamishli" ~ "Qamishli", "Tell Abyad" ~ "Tall Abyad", "Mekelle" ~ "Mek'ele")."""
    words = key.split()
    articles, variants = _articles(), _fold_words()
    kept = [variants.get(w, w) for w in words if w not in articles] or words
    return "".join(ch for ch, _ in groupby(" ".join(kept)))


def compact(key: str) -> str:
    """The key without spaces ("petion ville" ~ "petionville")."""
    return key.replace(" ", "")


# Latin script: ASCII, Latin-1 and Latin Extended letters, combining marks, the apostrophes
# of transliterations.
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc\u02bf]")


def _latin(text: str) -> bool:
    return text.isascii() or _NOT_LATIN.search(text) is None
