"""The extractor's language data: one folder per language, one lexicon per concept.

``lang/en/``, ``lang/fr/``... hold plain files (see ``lang/README.md``): ``NAME.txt`` is a
list, one entry per line (``#`` starts a comment), ``NAME.toml`` a table. The rules read
them through :func:`active`, the language of the report being read, set by
:func:`using` around each report; the logic never names a language. Files are read once
per language and the patterns built from them are cached.

    >>> with using("fr") as lang:
    ...     "civils" in lang.words("people")
    True
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from geo.errors import InputError

_HERE = Path(__file__).resolve().parent
# An alternation for an empty lexicon: it never matches (an empty one would match "").
NEVER = r"(?!x)x"


class Language:
    """The lexicons of one language, read once from ``lang/<code>/``."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.folder = _HERE / code
        self._cache: dict[str, Any] = {}

    def _memo(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def lines(self, concept: str) -> tuple[str, ...]:
        """The entries of ``NAME.txt`` in file order (empty when the file is absent)."""

        def read() -> tuple[str, ...]:
            path = self.folder / f"{concept}.txt"
            if not path.is_file():
                return ()
            out = []
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split(" #", 1)[0].strip() if not line.startswith("#") else ""
                if line:
                    out.append(line)
            return tuple(out)

        return self._memo("lines:" + concept, read)  # type: ignore[no-any-return]

    def words(self, concept: str) -> frozenset[str]:
        """The entries of ``NAME.txt`` as a set of lower-case words or phrases."""
        return self._memo(  # type: ignore[no-any-return]
            "words:" + concept, lambda: frozenset(w.lower() for w in self.lines(concept))
        )

    def table(self, concept: str) -> dict[str, Any]:
        """The table ``NAME.toml`` (empty when the file is absent), in file order."""

        def read() -> dict[str, Any]:
            path = self.folder / f"{concept}.toml"
            if not path.is_file():
                return {}
            return tomllib.loads(path.read_text(encoding="utf-8"))

        return self._memo("table:" + concept, read)  # type: ignore[no-any-return]

    def alt(self, concept: str) -> str:
        """The entries of ``NAME.txt`` as one regex alternation (patterns as written)."""
        return "|".join(self.lines(concept)) or NEVER

    def compiled(self, key: str, build: Callable[[Language], Any]) -> Any:
        """``build(self)``, computed once per language (patterns made from lexicons)."""
        return self._memo("built:" + key, lambda: build(self))

    def setting(self, name: str, default: Any = None) -> Any:
        """A scalar of ``language.toml`` (decimal separator, thousands separators...)."""
        return self.table("language").get(name, default)


class Pattern:
    """A regex of the active language, named in ``lang/<code>/<table>.toml``: a module
    keeps ``ROUTE = Pattern("relations", "route")`` and calls ``ROUTE.search(...)`` as on a
    compiled pattern. A language without the entry reads the English one (patterns of
    punctuation and layout hold across languages until a language says otherwise).
    Patterns are matched case-insensitively unless the entry starts with ``(?-i)``.
    """

    def __init__(self, table: str, name: str) -> None:
        self.table, self.name = table, name
        # per language code: a pattern is asked for on every match of every sentence,
        # so the lookup skips the language's memo table after the first time
        self._by_code: dict[str, re.Pattern[str]] = {}

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern for the active language."""
        code = _ACTIVE.get()
        found = self._by_code.get(code)
        if found is None:
            found = self._by_code[code] = self._build()
        return found

    def _build(self) -> re.Pattern[str]:

        def build(lg: Language) -> re.Pattern[str]:
            text = lg.table(self.table).get(self.name)
            if text is None and lg.code != "en":
                return get("en").compiled(f"{self.table}:{self.name}", build)  # type: ignore[no-any-return]
            if text is None:
                raise KeyError(f"lang/en/{self.table}.toml has no pattern {self.name!r}")
            if text.startswith("(?-i)"):
                return re.compile(text[5:])
            return re.compile(text, re.I)

        return active().compiled(f"{self.table}:{self.name}", build)  # type: ignore[no-any-return]

    @property
    def pattern(self) -> str:
        return self.compiled().pattern

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled().search(string, *args)

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled().match(string, *args)

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, *args)

    def findall(self, string: str, *args: int) -> list[Any]:
        return self.compiled().findall(string, *args)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self.compiled().split(string, maxsplit)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)


@cache
def available() -> tuple[str, ...]:
    """The language codes with a folder under ``lang/`` (listed once: language detection
    asks for every sentence)."""
    return tuple(
        sorted(p.name for p in _HERE.iterdir() if p.is_dir() and (p / "language.toml").exists())
    )


@cache
def get(code: str) -> Language:
    """The :class:`Language` of ``code``; raises InputError for an unknown code."""
    if code not in available():
        raise InputError(
            f"unknown report language {code!r}: use one of {', '.join(available())} "
            "(or leave it out to detect it)"
        )
    return Language(code)


_ACTIVE: ContextVar[str] = ContextVar("geo_extract_language", default="en")


def active() -> Language:
    """The language of the report being read (English outside :func:`using`)."""
    return get(_ACTIVE.get())


@contextmanager
def using(code: str) -> Iterator[Language]:
    """Read with the lexicons of ``code`` inside the block."""
    lang = get(code)
    token = _ACTIVE.set(code)
    try:
        yield lang
    finally:
        _ACTIVE.reset(token)


# Words, with their elisions and hyphens ("l'Ituri", "Port-au-Prince" is one word)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")


def detect(text: str, default: str = "en", min_hits: int = 1) -> str:
    """The language whose function words (``stopwords.txt``) are most frequent in ``text``;
    ``default`` when no language is ahead of the others or the leader has fewer than
    ``min_hits`` function words.

    >>> detect("Au moins 15 civils ont été tués dans le territoire de Djugu.")
    'fr'
    >>> detect("At least 15 civilians were killed in Djugu territory.")
    'en'
    """
    tokens = [t.lower() for t in _TOKEN.findall(text[:20000])]
    scores = {code: sum(t in get(code).words("stopwords") for t in tokens) for code in available()}
    top = max(scores.values(), default=0)
    leaders = [code for code, score in scores.items() if score == top]
    return leaders[0] if top >= max(min_hits, 1) and len(leaders) == 1 else default
