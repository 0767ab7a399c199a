"""Small helpers of the offline geocoder: candidate records, labels, alternatives, the
name forms of datasets ("A/B", "A, B (C)"), mojibake repair."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from geo import gazetteer as gz
from geo.gazetteer import ADMIN1, CITY, compact, fold, normalize
from geo.geocode._forms import PARENS as _PARENS
from geo.geocode._forms import TYPE_WORDS as _TYPE_WORDS
from geo.models import Alternative, Place

MAX_ALTERNATIVES = 5


@dataclass
class _Context:
    """What the ``B`` of ``"A, B"`` says about ``A``."""

    units: list[int] = field(default_factory=list)  # countries/admin1/regions A may lie in
    near: list[int] = field(default_factory=list)  # towns A should be close to
    given: bool = False


@dataclass
class _Pick:
    eid: int
    score: float
    alternatives: tuple[int, ...] = ()
    fuzzy: bool = False


def _alt_of(g: gz.Gazetteer, a: int) -> Alternative:
    return Alternative(
        name=_label(g, a),
        lat=g.lat[a],
        lon=g.lon[a],
        precision=gz.PRECISION_OF[g.kind[a]],
        country=g.iso3[a] or None,
    )


def _alternative(p: Place) -> Alternative:
    return Alternative(
        name=p.name or "",
        lat=p.lat or 0.0,
        lon=p.lon or 0.0,
        precision=p.precision or "",
        country=p.country,
    )


# Letters that, in a non-ASCII query, betray UTF-8 read as Latin-1/cp1252 ("MÃ©naka").
_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2\u00d0\u00d1\u00d8\u00d9][\u0080-\u00bf\u0152-\u2122]"
)


def _repair(text: str) -> str | None:
    """The text with its mojibake repaired by ``ftfy``, or None when it needs no repair."""
    if text.isascii() or _MOJIBAKE_HINT.search(text) is None:
        return None
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return fixed if fixed != text else None


def _split_context(text: str) -> list[str]:
    """``"Goma, North Kivu (DRC)"`` -> ``["Goma", "North Kivu", "DRC"]``; a part repeated
    ("Haut-Mbomou province, Haut-Mbomou province") is kept once."""
    t = _PARENS.sub(lambda m: f", {m.group(1)}, ", text)
    parts = [p.strip() for p in re.split(r"[,;]|\s+-\s+|\s+/\s+", t)]
    out: list[str] = []
    for p in parts:
        if p and any(ch.isalpha() for ch in p) and normalize(p) not in map(normalize, out):
            out.append(p)
    return out


_TYPE_TAIL = re.compile(r"\s+(\w+)$")


def _slash_variants(text: str) -> list[str]:
    """``"Tadmur/Palmyra town"`` -> ``["Tadmur town", "Palmyra town"]`` (the type word of
    the last name applies to each)."""
    names = [p.strip() for p in text.split("/")]
    if len(names) < 2 or not all(names):
        return []
    m = _TYPE_TAIL.search(names[-1])
    tail = m.group(1) if m and m.group(1).casefold() in _TYPE_WORDS else ""
    return [n if not tail or n.endswith(tail) else f"{n} {tail}" for n in names]


def _codes(g: gz.Gazetteer, key: str) -> tuple[int, ...]:
    return (
        g.lookup(key)
        or (g.lookup(compact(key)) + g.compact_keys.get(compact(key), ()))
        or (g.fold_keys.get(fold(key), ()) + g.lookup(fold(key)))
    )


def _best_quality(g: gz.Gazetteer, eid: int, codes) -> int:
    best = gz.Q_ALT
    for code in codes:
        e, q = divmod(code, 4)
        if e == eid and gz._qrank(q) > gz._qrank(best):
            best = q
    return best


def _same_place(g: gz.Gazetteer, a: int, b: int) -> bool:
    """Two entries for one place: a duplicate within 10 km of the same kind (a town and a
    quarter or landmark filed under its name: "El Geneina" and "El Geneina Fort"), or an
    area filed twice under one name (the "Gaza Strip" region and GeoNames' unit)."""
    if g.kind[a] == g.kind[b]:
        return g.distance_km(a, g.lat[b], g.lon[b]) < 10.0
    if CITY in (g.kind[a], g.kind[b]):
        return False
    return (
        normalize(g.names[a]) == normalize(g.names[b]) and g.distance_km(a, g.lat[b], g.lon[b]) < 50
    )


def _namesakes(g: gz.Gazetteer, a: int, b: int) -> bool:
    """A town and the province or country it names or is named after (Kinshasa, Djibouti)."""
    ka, kb = g.kind[a], g.kind[b]
    if ka == kb:
        return False
    if CITY in (ka, kb) and ADMIN1 in (ka, kb):
        return g.admin1[a] == g.admin1[b]
    return g.iso3[a] == g.iso3[b] and g.iso3[a] != ""


_OBLAST_NAME = re.compile(r"(?:skaya|skiy|skij|ska|sky|skyi)\s+(?:oblast'?|kray|krai)$", re.I)


def _admin1_label(g: gz.Gazetteer, eid: int) -> str:
    """A readable admin-1 name: GeoNames' transliteration unless it uses letters beyond
    Latin-1 and an ASCII alias exists ("Ḩalab" -> "Aleppo")."""
    name = g.names[eid]
    if eid in g.admin1_ascii and (
        _OBLAST_NAME.search(name) or any(ord(ch) >= 0x100 for ch in name)
    ):
        return g.admin1_ascii[eid]  # "Belgorodskaya oblast'" -> "Belgorod Oblast"
    return name


def _label(g: gz.Gazetteer, eid: int) -> str:
    k = g.kind[eid]
    if k == ADMIN1:
        return _admin1_label(g, eid)
    return _readable(g.names[eid]) if k == CITY else g.names[eid]


def _readable(name: str) -> str:
    """GeoNames' scholarly transliteration made readable: diacritics beyond Latin-1 are
    dropped ("Rafaḩ" -> "Rafah", "Khān Yūnis" -> "Khan Yunis"); Latin-1 letters (é, ü)
    stay, and a name with a letter that has no plain base (Ł) is kept as it is.

    >>> _readable("Al Ḩudaydah"), _readable("Thessaloníki"), _readable("Łódź")
    ('Al Hudaydah', 'Thessaloníki', 'Łódź')
    """
    if all(ord(ch) < 0x100 for ch in name):
        return name
    out = []
    for ch in name:
        if ord(ch) >= 0x100 and ch not in "\u2018\u2019":  # keep typographic apostrophes
            ch = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if not ch or any(ord(c) >= 0x100 for c in ch):
                return name
        out.append(ch)
    return "".join(out)


def _direction_box(d: str, w: float, s: float, e: float, n: float, f: float):
    import shapely

    dx, dy = (e - w) * f, (n - s) * f
    if d == "c":
        mx, my = (e - w) * (1 - f) / 2, (n - s) * (1 - f) / 2
        return shapely.box(w + mx, s + my, e - mx, n - my)
    x0, y0, x1, y1 = w, s, e, n
    if "n" in d:
        y0 = n - dy
    if "s" in d:
        y1 = s + dy
    if "e" in d:
        x0 = e - dx
    if "w" in d:
        x1 = w + dx
    return shapely.box(x0, y0, x1, y1)


def _scaled(fn, factor: float):
    def make(query: str) -> Place:
        p = fn(query)
        from dataclasses import replace

        return replace(p, score=round(p.score * factor, 3))

    make.unit_eid = getattr(fn, "unit_eid", None)
    return make
