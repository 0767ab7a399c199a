"""The offline geocoder: place names -> :class:`~geo.models.Place` from the embedded gazetteer.

No network, no API key. What it understands, in the order it tries:

1. the whole name, insensitive to case, accents, punctuation and spacing, then a looser
   form (Arabic articles, "Tall/Tell", doubled letters: "Qamishli" ~ "Al Qāmishlī");
2. ``"A, B"`` (or ``"A (B)"``): B (a country, province, region or town) disambiguates A
   ("Goma, North Kivu", "Kinshasa, DRC", "Paris, Texas");
3. administrative words around a province name ("Borno State", "Province of Ituri",
   "Donetsk Oblast", "Timbuktu region");
4. qualified regions: a direction applied to a country, province, region or town
   ("eastern DRC", "northern Mali", "north-west Syria", "the south of Lebanon") give the
   matching part of that unit as an area (precision ``region``);
5. "X city", "town of X", "X camp", "near X";
6. typo tolerance, only at high similarity, only towards big places, flagged ``fuzzy``.

An optional country hint (ISO2, ISO3 or name) restricts the answer to that country when it
has a candidate there, and otherwise falls back with a lower score. Unknown names stay
unresolved. Bad input (empty, over 1,000 characters, control characters) is logged and
answered with an unresolved place, never an exception.

>>> g = OfflineGeocoder()
>>> p = g.geocode("Goma, North Kivu")
>>> (p.name, p.precision, p.country)
('Goma', 'city', 'COD')
>>> g.geocode("eastern DRC").precision
'region'
>>> g.geocode("Xyzzyqwv").resolved
False
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

from geo import gazetteer as gz
from geo.gazetteer import ADMIN1, CITY, COUNTRY, DISTRICT, REGION, compact, fold, normalize
from geo.geocode.base import query_problem
from geo.models import Alternative, Place

log = logging.getLogger(__name__)

MAX_ALTERNATIVES = 5
# Under a country hint, answers scoring below this are too weak to be given: they come back
# unresolved, with the guess as a suggestion. Chosen on development data
# (bench/bench_real_geocode.py): below it, most answers on real coded locations were more
# than 25 km off. Without a hint a low score stays an answer: the ambiguity is between
# countries, and the caller (the extractor, a reader) may settle it from context.
MIN_SCORE = 0.72
_MEMO_LIMIT = 200_000

# Strings that stand for "no place" in datasets and must never resolve.
_NOT_PLACES = frozenset(
    normalize(x)
    for x in (
        "unknown",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "nan",
        "tbd",
        "tba",
        "other",
        "others",
        "various",
        "various locations",
        "multiple",
        "multiple locations",
        "several",
        "nationwide",
        "countrywide",
        "worldwide",
        "global",
        "international",
        "online",
        "not specified",
        "unspecified",
        "undisclosed",
        "undisclosed location",
        "location unknown",
        "somewhere",
        "nowhere",
        "everywhere",
        "elsewhere",
        "abroad",
        "overseas",
        "test",
    )
)
# Invented places of fiction and myth: never geocoded, even where GeoNames knows a real town
# or an alternate name spelled that way (Atlantis, Western Cape; "Westeros" for Västerås).
_FICTIONAL = frozenset(
    normalize(x)
    for x in (
        "Atlantis",
        "Westeros",
        "Narnia",
        "Wakanda",
        "Mordor",
        "Gotham",
        "Gotham City",
        "Hogwarts",
        "Middle-earth",
        "Middle Earth",
        "Neverland",
        "Never Never Land",
        "Lilliput",
        "Xanadu",
        "Camelot",
        "Asgard",
        "Tatooine",
        "Sokovia",
        "Genovia",
        "Zubrowka",
        "Ruritania",
        "Latveria",
        "Elbonia",
        "Freedonia",
        "Land of Oz",
        "Metropolis City",
        "Smallville",
        "Hyrule",
        "Narnia City",
    )
)

# ---- qualifiers -----------------------------------------------------------------------------
_DIRECTIONS = {
    "north": "n",
    "northern": "n",
    "south": "s",
    "southern": "s",
    "east": "e",
    "eastern": "e",
    "west": "w",
    "western": "w",
    "central": "c",
    "centre": "c",
    "center": "c",
    "middle": "c",
    "mid": "c",
    "inner": "c",
}
for _a, _b, _code in (
    ("north", "east", "ne"),
    ("north", "west", "nw"),
    ("south", "east", "se"),
    ("south", "west", "sw"),
):
    for _form in ("{a}{b}", "{a} {b}", "{a}{b}ern", "{a} {b}ern", "{a}ern {b}ern"):
        _DIRECTIONS[_form.format(a=_a, b=_b)] = _code
    _DIRECTIONS[_code] = _code
_DIR_ADJ = {
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
_DIR_ALT = "|".join(sorted(map(re.escape, _DIRECTIONS), key=len, reverse=True))
_PART = r"(?:part|parts|region|regions|area|areas|half|third|side|portion|reaches|areas)"
_QUALIFIED = re.compile(rf"^(?:the )?(?P<d>{_DIR_ALT})(?: {_PART} of| of)? (?:the )?(?P<rest>.+)$")
_QUALIFIED_SUFFIX = re.compile(rf"^(?:the )?(?P<rest>.+?) (?P<d>{_DIR_ALT})(?: {_PART})?$")
# What a qualifier means when applied to these names.
_QUALIFIER_TARGET = {
    "gaza": "gaza strip",
    "congo": "democratic republic of the congo",
    "the congo": "democratic republic of the congo",
    "kivu": "kivu",
}

# ---- administrative words ---------------------------------------------------------------------
_ADMIN_WORDS = (
    "province|provinces|state|region|governorate|gouvernorat|department|departement|"
    "prefecture|oblast|krai|kray|district|county|territory|wilaya|wilayah|muhafazah|"
    "division|zone|area|municipality|commune|raion|rayon|woreda|emirate|canton|parish|lga|"
    "local government area|township|sub-district|subdistrict"
)
_ADMIN_SUFFIX = re.compile(rf"^(?P<core>.+?) (?P<w>{_ADMIN_WORDS})$")
_ADMIN_PREFIX = re.compile(rf"^(?:the )?(?P<w>{_ADMIN_WORDS}) of (?:the )?(?P<core>.+)$")
# Words that name something below a province: the town of that name answers.
_SUB_ADMIN = frozenset(
    (
        "district county territory municipality commune raion rayon woreda canton parish area zone "
        "lga township sub-district subdistrict"
    ).split()
)
_TOWN = re.compile(
    r"^(?:(?:the )?(?:city|town|village|municipality|port|commune) of (?P<a>.+)|"
    r"(?P<b>.+?) (?:city|town|village|camp|refugee camp|idp camp|idps camp|camps|idp site|"
    r"city centre|city center|town centre|downtown|outskirts|suburbs|airport|airbase|air base|"
    r"colline|settlement|hamlet|locality|neighbourhood|neighborhood|quarter|suburb|market|"
    r"border crossing|border post|checkpoint|military base|base|bridge|junction)|"
    r"(?:near|around|outside|outskirts of|suburbs of|vicinity of|close to|the outskirts of) "
    r"(?:the )?(?P<c>.+))$"
)
# Words that say what kind of place a name is ("Palmyra town", "Azein village").
_TYPE_WORDS = frozenset(
    "city town village camp area district province region state county municipality "
    "colline settlement locality airport base".split()
)
_PARENS = re.compile(r"\s*\(([^()]*)\)\s*")


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


class OfflineGeocoder:
    """Geocode place names against the embedded gazetteer (see the module docstring).

    Cheap per call after the gazetteer is loaded (the first call loads or builds it);
    answers are memoised per (query, country).
    """

    name = "offline"

    def __init__(self, gazetteer: gz.Gazetteer | None = None) -> None:
        self._g = gazetteer
        self._memo: dict[tuple[str, str | None], Place] = {}
        self._hints: dict[str, tuple[str, ...]] = {}
        self._overrides: dict[tuple[str, str], int] | None = None
        self._areas: dict[tuple[int, str], tuple] = {}
        self._largest: dict[str, int] | None = None
        self._foreign: list[int] = []  # candidates outside the hinted country (this query)

    @property
    def g(self) -> gz.Gazetteer:
        if self._g is None:
            self._g = gz.load()
        return self._g

    # ------------------------------------------------------------------ public API
    def geocode(self, query: str, country: str | None = None) -> Place:
        """The best match for ``query`` (optionally within ``country``), or an unresolved
        place. Never raises on bad input."""
        try:
            memo_key = (query, country)
            hit = self._memo.get(memo_key)
        except TypeError:  # unhashable junk
            memo_key, hit = None, None
        if hit is not None:
            return hit
        try:
            place = self._geocode(query, country)
        except Exception:  # noqa: BLE001 - a geocoder for messy text must not crash a run
            log.exception("offline geocoder failed on %r; leaving it unresolved", query)
            place = Place.unresolved(query if isinstance(query, str) else repr(query))
        if memo_key is not None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[memo_key] = place
        return place

    def geocode_many(self, queries, country: str | None = None) -> list[Place]:
        return [self.geocode(q, country) for q in queries]

    # ------------------------------------------------------------------ top level
    def _geocode(self, query: object, country: str | None) -> Place:
        problem = query_problem(query)
        if problem:
            shown = (
                repr(query)
                if not isinstance(query, str) or len(query) <= 60
                else repr(query[:57] + "...")
            )
            log.warning("offline geocoder: query %s: %s; left unresolved", shown, problem)
            return Place.unresolved(query if isinstance(query, str) else repr(query))
        query = str(query)  # query_problem() rejected everything that is not text
        hint = self._hint(country)
        text = " ".join(query.split())
        repaired = _repair(text)
        if repaired is not None:
            log.info("offline geocoder: repaired the encoding of %r to %r", text, repaired)
            text = repaired
        key = normalize(text)
        if (
            not key
            or key in _NOT_PLACES
            or key in _FICTIONAL
            or not any(ch.isalpha() for ch in key)
        ):
            return Place.unresolved(query)
        self._foreign = []
        res = self._resolve(text, key, hint)
        if res is None and key.startswith("the ") and len(key) > 4:
            # "the DRC", "the Central African Republic": reporting's article, not the name
            # (names that keep it, "The Hague", "The Gambia", matched above).
            res = self._resolve(text.split(" ", 1)[1], key[4:], hint)
        if res is None:
            return self._unresolved(query, repaired)
        place = res(query)
        if hint and place.score < MIN_SCORE and not getattr(res, "typo", False):
            # too weak to be an answer: unresolved, with the guess as a suggestion
            alts = (_alternative(place),) + place.alternatives[: MAX_ALTERNATIVES - 1]
            return replace(
                Place.unresolved(query, source="offline"),
                suggestions=(place.name,) if place.name else (),
                alternatives=alts,
                repaired=repaired,
            )
        return replace(place, repaired=repaired) if repaired is not None else place

    def _unresolved(self, query: str, repaired: str | None) -> Place:
        """No answer; the candidates outside the hinted country, if any, as alternatives."""
        g = self.g
        seen: list[int] = []
        for e in self._foreign:
            if e not in seen and not any(_same_place(g, e, s) for s in seen):
                seen.append(e)
        alts = tuple(_alt_of(g, e) for e in seen[:MAX_ALTERNATIVES])
        if not alts and repaired is None:
            return Place.unresolved(query)
        return replace(
            Place.unresolved(query, source="offline"), alternatives=alts, repaired=repaired
        )

    def _hint(self, country: str | None) -> tuple[str, ...]:
        """The ISO3 codes a country hint allows (two for the ambiguous "Congo")."""
        if not country:
            return ()
        if country not in self._hints:
            iso3 = gz.country_iso3(country) if isinstance(country, str) else None
            if iso3 is None:
                log.warning("offline geocoder: unknown country hint %r ignored", country)
                self._hints[country] = ()
            elif normalize(country) in ("congo", "the congo"):
                self._hints[country] = ("COD", "COG")
            else:
                self._hints[country] = (iso3,)
        return self._hints[country]

    def _resolve(self, text: str, key: str, hint: tuple[str, ...]):
        """A function query -> Place for the best reading of ``text``, or None."""
        if key.endswith(" city") or key.startswith("city of "):
            # "Djibouti City", "Kuwait City", "Gaza City": the town, never the province.
            pick = self._match(key, hint, _Context(), kinds=(CITY,))
            if pick is not None:
                return self._place_fn(pick)
            out = self._town_words(key, hint)
            if out is not None:
                return out
        if "/" in text:  # "Tadmur/Palmyra town": two names of one place
            for variant in _slash_variants(text):
                out = self._resolve(variant, normalize(variant), hint)
                if out is not None:
                    return out
        if " - " in text:  # ACLED's "City - Neighbourhood"
            out = self._city_part(text, hint)
            if out is not None:
                return out
        parts = _split_context(text)
        if len(parts) == 1 and normalize(parts[0]) != key:  # "A, A": one part repeated
            return self._resolve(parts[0], normalize(parts[0]), hint)
        pick = self._match(key, hint, _Context(), exact_only=len(parts) > 1)
        if pick is not None:
            return self._place_fn(pick)
        # "A, B" / "A (B)"
        if len(parts) > 1:
            out = self._resolve_with_context(parts, hint)
            if out is not None:
                return out
            pick = self._match(key, hint, _Context())
            return self._place_fn(pick) if pick is not None else None
        for fn in (self._admin_words, self._qualified, self._town_words):
            out = fn(key, hint)
            if out is not None:
                return out
        out = self._trailing_context(text, key, hint)
        if out is not None:
            return out
        pick = self._fuzzy(key, hint, _Context())
        if pick is not None:
            fn = self._place_fn(pick)
            fn.typo = True  # held to its own similarity bar, not to MIN_SCORE
            return fn
        return None

    def _city_part(self, text: str, hint: tuple[str, ...]):
        """ "Khartoum - Burri": the neighbourhood near its city, else the city itself."""
        city, _, part = text.partition(" - ")
        if not normalize(city) or not normalize(part):
            return None
        out = self._resolve_with_context([part, city], hint, fallback=False)
        if out is not None:
            return out
        out = self._resolve(city, normalize(city), hint)
        return _scaled(out, 0.9) if out is not None else None

    def _trailing_context(self, text: str, key: str, hint: tuple[str, ...]):
        """ "Kidal Mali", "North-West Region Cameroon": a country or province named last,
        without a comma."""
        words = key.split()
        for n in (1, 2, 3, 4):
            if len(words) <= n:
                break
            tail = " ".join(words[-n:])
            units = [
                e
                for e in (c >> 2 for c in _codes(self.g, tail))
                if self.g.kind[e] in (COUNTRY, ADMIN1)
            ]
            if units:
                head = " ".join(words[:-n])
                out = self._resolve_with_context([head, tail], hint)
                if out is not None:
                    return out
        return None

    def _resolve_with_context(self, parts: list[str], hint: tuple[str, ...], fallback=True):
        """ "A, B, C": A within (or near) what B and C name. When A itself is unknown, the
        most specific of B, C that is an administrative unit answers, with its precision."""
        head, rest = parts[0], parts[1:]
        ctx = _Context(given=True)
        known = False
        for part in rest:
            units, near = self._context_codes(part) or self._context_units(normalize(part))
            if units or near:
                known = True
                ctx.units.extend(units)
                ctx.near.extend(near)
        key = normalize(head)
        if not key:
            return None
        if not known:  # B names nothing we know: answer A alone, less sure
            res = self._resolve(head, key, hint)
            return _scaled(res, 0.7) if res is not None else None
        pick = self._match(key, hint, ctx)
        if pick is None:
            for fn in (self._admin_words, self._qualified, self._town_words):
                out = fn(key, hint, ctx)
                if out is not None:
                    return out
            pick = self._fuzzy(key, hint, ctx)
        if pick is None and fallback and not _codes(self.g, key):
            # A unknown anywhere (known elsewhere would contradict B): B's area answers.
            return self._unit_fallback(rest, hint)
        return self._place_fn(pick) if pick is not None else None

    def _unit_fallback(self, rest: list[str], hint: tuple[str, ...]):
        """The first of the context parts that resolves to an area (district, province,
        region), less sure: the place lies somewhere in it."""
        g = self.g
        for part in rest:
            key = normalize(part)
            out = self._resolve(part, key, hint) if key else None
            if out is None:
                continue
            eid = getattr(out, "unit_eid", None)
            if eid is not None and g.kind[eid] in (DISTRICT, ADMIN1, REGION):
                return _scaled(out, 0.8)
        return None

    def _context_codes(self, part: str) -> tuple[list[int], list[int]] | None:
        """A context given as a code: ISO3 or ISO2 country, or a US state ("Paris, TX")."""
        code = part.strip().strip(".").upper()
        if not (2 <= len(code) <= 3 and code.isalpha() and code.isascii()):
            return None
        g = self.g
        units: list[int] = []
        iso3 = code if code in g.country_eid else g.iso2_to_iso3.get(code)
        if iso3 in g.country_eid:
            units.append(g.country_eid[iso3])
        if len(code) == 2 and f"US.{code}" in g.admin1_eid:
            units.append(g.admin1_eid[f"US.{code}"])
        return (units, []) if units else None

    def _context_units(self, key: str) -> tuple[list[int], list[int]]:
        """Units (countries, provinces, regions) and towns a context part may name."""
        g = self.g
        units: list[int] = []
        near: list[int] = []
        codes = _codes(g, key)
        if not codes:
            m = _ADMIN_SUFFIX.match(key) or _ADMIN_PREFIX.match(key)
            if m:
                codes = _codes(g, m.group("core"))
        if not codes:
            q = self._qualified(key, None)
            if q is not None:
                eid = getattr(q, "unit_eid", None)
                if eid is not None:
                    units.append(eid)
                return units, near
        if key == "congo":  # in conflict reporting "Congo" usually means either
            units.extend(g.country_eid[c] for c in ("COD", "COG") if c in g.country_eid)
        for code in codes:
            e = code >> 2
            if g.kind[e] == CITY:
                if len(near) < 3:
                    near.append(e)
            elif e not in units:
                units.append(e)
        return units, near

    # ------------------------------------------------------------------ name matching
    def _match(self, key: str, hint: tuple[str, ...], ctx: _Context, kinds=None, exact_only=False):
        g = self.g
        tiers = (
            (lambda: g.lookup(key), 1.0),
            (lambda: g.lookup(compact(key)) + g.compact_keys.get(compact(key), ()), 0.95),
            (lambda: g.fold_keys.get(fold(key), ()) + g.lookup(fold(key)), 0.85),
        )
        if exact_only:
            tiers = tiers[:1]
        for tier, factor in tiers:
            codes = tier()
            if codes:
                pick = self._choose(codes, hint, ctx, kinds)
                if pick is not None:
                    pick.score *= factor
                    # matched under a looser key: another spelling than the query's
                    pick.fuzzy = pick.fuzzy or factor < 1.0
                    return pick
        return None

    def _choose(self, codes, hint: tuple[str, ...], ctx: _Context, kinds=None, fuzzy=False):
        g = self.g
        seen: dict[int, float] = {}
        by_alt: set[int] = set()  # matched only under an alternate name
        for code in codes:
            e, q = divmod(code, 4)
            if kinds is not None and g.kind[e] not in kinds:
                continue
            s = g.rank[e] + gz.QUALITY_BONUS[q]
            if e not in seen or s > seen[e]:
                seen[e] = s
            if q == gz.Q_ALT and (e not in seen or s >= seen[e]):
                by_alt.add(e)
            elif q != gz.Q_ALT:
                by_alt.discard(e)
        if not seen:
            return None
        cands = sorted(seen.items(), key=lambda it: -it[1])
        factor = 1.0
        if ctx.given:
            cands = self._in_context(cands, ctx)
            if not cands:
                return None
        group = cands
        if hint:
            inside = [c for c in cands if set(hint) & set(g.countries_of(c[0]))]
            if not inside:
                # A country hint restricts: a place abroad is never the answer, only an
                # alternative of the unresolved one.
                self._foreign.extend(e for e, _ in cands[:MAX_ALTERNATIVES])
                return None
            # Regions spanning several countries go after the hint country's own units.
            inside.sort(key=lambda c: (g.kind[c[0]] == REGION and g.iso3[c[0]] not in hint, -c[1]))
            cands = inside
            group = inside
        best = cands[0][0]
        best = self._prefer_namesake_town(best, cands, by_alt)
        quality = _best_quality(g, best, codes)
        base = {gz.Q_CURATED: 1.0, gz.Q_MAIN: 0.95, gz.Q_ALT: 0.85}[quality]
        if g.kind[best] in (COUNTRY, REGION):
            base = max(base, 0.95)
        score = base * factor
        top = dict(cands)[best]
        for e, s in group:
            if e == best or _same_place(g, e, best) or _namesakes(g, e, best):
                continue
            if top - s < 0.3:
                score *= 0.75
            elif top - s < 1.0:
                score *= 0.85
            break
        alts = tuple(e for e, _ in cands if e != best and not _same_place(g, e, best))[
            :MAX_ALTERNATIVES
        ]
        return _Pick(best, score, alts, fuzzy)

    def _in_context(self, cands, ctx: _Context):
        g = self.g
        out = []
        for e, s in cands:
            ok_rank = None
            for i, u in enumerate(ctx.units):
                if self._within(e, u):
                    ok_rank = i
                    break
            if ok_rank is None and ctx.near:
                for i, t in enumerate(ctx.near):
                    if (
                        e != t
                        and g.iso3[e] == g.iso3[t]
                        and g.distance_km(e, g.lat[t], g.lon[t]) < 150
                    ):
                        ok_rank = len(ctx.units) + i
                        break
            if ok_rank is not None:
                out.append((ok_rank, e, s))
        out.sort(key=lambda t: (t[0], -t[2]))
        return [(e, s) for _, e, s in out]

    def _within(self, e: int, unit: int) -> bool:
        """Whether entity ``e`` lies in ``unit`` (a country, admin-1 unit or region)."""
        g = self.g
        if e == unit:
            return False
        k = g.kind[unit]
        if k == COUNTRY:
            return g.iso3[unit] in g.countries_of(e) and g.kind[e] != COUNTRY
        if k == ADMIN1:
            return g.kind[e] == CITY and g.admin1[e] == g.admin1[unit]
        if k == REGION:
            if g.kind[e] in (COUNTRY, REGION):
                return False
            if not set(g.countries_of(e)) & set(g.region_countries.get(unit, ())):
                return False
            area = g.geometry(unit)
            if area is None:
                return True
            import shapely

            return area.distance(shapely.Point(g.lon[e], g.lat[e])) < 0.25
        return False

    def _prefer_namesake_town(self, best: int, cands, by_alt: set[int]) -> int:
        """A province and its namesake town ("Kherson", "Idlib", "Kidal"): the town, when it
        bears the name or is the province's main town ("Tombouctou" for Timbuktu), not a
        small town also known by the province's name ("Sinaloa" for Sinaloa de Leyva)."""
        g = self.g
        if g.kind[best] != ADMIN1:
            return best
        for e, _s in cands:
            if (
                g.kind[e] == CITY
                and (e not in by_alt or self._largest_town(g.admin1[e]) == e)
                and g.admin1[e] == g.admin1[best]
                and (g.pop[e] >= 5000 or g.pop[e] == 0)
            ):
                return e
        return best

    def _largest_town(self, admin1: str) -> int | None:
        """The most populous town of a first-level unit (built once, on first need)."""
        if self._largest is None:
            g = self.g
            largest: dict[str, int] = {}
            for e, kind in enumerate(g.kind):
                if kind == CITY and g.admin1[e]:
                    held = largest.get(g.admin1[e])
                    if held is None or g.pop[e] > g.pop[held]:
                        largest[g.admin1[e]] = e
            self._largest = largest
        return self._largest.get(admin1)

    # ------------------------------------------------------------------ admin words
    def _admin_words(self, key: str, hint: tuple[str, ...], ctx: _Context | None = None):
        m = _ADMIN_SUFFIX.match(key) or _ADMIN_PREFIX.match(key)
        if not m:
            return None
        g = self.g
        core, word = m.group("core"), m.group("w")
        ctx = ctx or _Context()
        kinds = (ADMIN1, REGION) if word in ("region", "area", "zone") else (ADMIN1,)
        pick = self._match(core, hint, ctx, kinds=kinds)
        if pick is not None:
            pick.score *= 0.95
            return self._place_fn(pick)
        if word in _SUB_ADMIN:  # "Guma LGA", "Djugu territory": the district itself
            district = self._match(core, hint, ctx, kinds=(DISTRICT,))
            if district is not None:
                district.score *= 0.95
                return self._place_fn(district)
        # The province named after its town ("Timbuktu region" -> Tombouctou).
        town = self._match(core, hint, ctx, kinds=(CITY,))
        if town is None:
            return None
        a1 = g.admin1_eid.get(g.admin1[town.eid]) if g.admin1[town.eid] else None
        if word not in _SUB_ADMIN and a1 is not None:
            return self._place_fn(_Pick(a1, town.score * 0.85, town.alternatives))
        if word in _SUB_ADMIN:  # "Masisi territory", "Kandahar district": its town
            town.score *= 0.8
            return self._place_fn(town)
        return None

    def _town_words(self, key: str, hint: tuple[str, ...], ctx: _Context | None = None):
        m = _TOWN.match(key)
        if not m:
            return None
        core = m.group("a") or m.group("b") or m.group("c")
        near = m.group("c") is not None
        pick = self._match(core, hint, ctx or _Context(), kinds=(CITY,))
        if pick is None and near:
            pick = self._match(core, hint, ctx or _Context())
        if pick is None:
            return None
        pick.score *= 0.8 if near else 0.95
        return self._place_fn(pick)

    # ------------------------------------------------------------------ qualified regions
    def _qualified(self, key: str, hint: tuple[str, ...], ctx: _Context | None = None):
        m = _QUALIFIED.match(key)
        if m is None:
            m = _QUALIFIED_SUFFIX.match(key)
            if m is None:
                return None
        d = _DIRECTIONS[m.group("d")]
        rest = m.group("rest")
        rest = _QUALIFIER_TARGET.get(rest, rest)
        unit = self._unit(rest, hint)
        if unit is None and rest.endswith("s"):  # "Ukraine's east" -> "ukraines east"
            unit = self._unit(_QUALIFIER_TARGET.get(rest[:-1], rest[:-1]), hint)
        if unit is None:
            return None
        eid, uscore = unit
        return self._qualified_place(eid, d, uscore)

    def _unit(self, key: str, hint: tuple[str, ...]):
        """The country, region or province (else town) a qualifier applies to."""
        g = self.g
        pick = self._match(key, hint, _Context(), kinds=(COUNTRY, REGION, ADMIN1))
        if pick is None:
            m = _ADMIN_SUFFIX.match(key) or _ADMIN_PREFIX.match(key)
            if m:
                pick = self._match(m.group("core"), hint, _Context(), kinds=(ADMIN1, REGION))
        if pick is None:
            pick = self._match(key, hint, _Context(), kinds=(CITY,))
        if pick is None:
            return None
        if g.kind[pick.eid] == CITY and g.pop[pick.eid] < 1000:
            return None
        return pick.eid, pick.score

    def _qualified_place(self, eid: int, d: str, uscore: float):
        g = self.g
        if self._overrides is None:
            self._overrides = {
                (_DIRECTIONS.get(normalize(dw), dw), c): r for (dw, c), r in g.overrides.items()
            }
        override = self._overrides.get((d, g.iso3[eid])) if g.kind[eid] == COUNTRY else None
        if override is not None:
            fn = self._place_fn(_Pick(override, uscore * 0.85))
            fn.unit_eid = override
            return fn
        area = self._area(eid, d)
        if area is None:
            return None
        geom, lat, lon = area
        name = f"{_DIR_ADJ[d]} {_label(g, eid)}"
        country = g.iso3[eid] or None
        admin1 = (
            _admin1_label(g, eid)
            if g.kind[eid] == ADMIN1
            else (
                _admin1_label(g, g.admin1_eid[g.admin1[eid]])
                if g.admin1[eid] in g.admin1_eid
                else None
            )
        )
        score = round(uscore * 0.8, 3)

        def make(query: str) -> Place:
            return Place(
                query=query,
                resolved=True,
                name=name,
                lat=round(lat, 5),
                lon=round(lon, 5),
                precision="region",
                country=country,
                source="offline",
                score=score,
                alternatives=(),
                geometry=geom,
                fuzzy=False,
                admin1=admin1,
            )

        make.unit_eid = eid  # as context ("Kidal, northern Mali"), the whole unit
        return make

    def _area(self, eid: int, d: str):
        """(geometry, lat, lon) of the ``d`` part of entity ``eid``."""
        cached = self._areas.get((eid, d))
        if cached is not None:
            return cached
        import shapely

        g = self.g
        unit = g.geometry(eid)
        if unit is None:
            if g.kind[eid] != CITY:
                return None
            r_km = min(25.0, max(3.0, math.sqrt(max(g.pop[eid], 1)) / 60))
            lat0 = g.lat[eid]
            unit = shapely.Point(g.lon[eid], lat0).buffer(r_km / 111.0, quad_segs=8)
            unit = shapely.affinity.scale(
                unit, xfact=1 / max(0.2, math.cos(math.radians(lat0))), yfact=1.0
            )
        w, s, e, n = unit.bounds
        part = None
        for f in (0.45, 0.6, 1.0):
            part = unit.intersection(_direction_box(d, w, s, e, n, f))
            if not part.is_empty and part.area > 0.02 * unit.area:
                break
        if part is None or part.is_empty:
            part = unit
        part = shapely.make_valid(part)
        lat, lon = gz.representative(part)
        out = (part, lat, lon)
        self._areas[(eid, d)] = out
        return out

    # ------------------------------------------------------------------ fuzzy
    def _fuzzy(self, key: str, hint: tuple[str, ...], ctx: _Context):
        """Typo tolerance: one edit in names of 7+ letters (for towns, a substitution or a
        swap of two neighbouring letters; from 8 letters also an insertion or deletion), two
        in names of 12+, same first letter, towards the main names of big places only (towns
        of 100,000+ people, or 15,000+ for names of 10+ letters; countries, regions,
        provinces), and within the hinted country if there is one."""
        if len(key) < 7:
            return None
        g = self.g
        bucket = g.fuzzy.get(key[0])
        if not bucket:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        maxd = 1 if len(key) < 12 else 2
        min_pop = 100_000 if len(key) < 10 else 15_000
        found = process.extract(key, bucket, scorer=OSA.distance, score_cutoff=maxd, limit=10)
        codes: list[int] = []
        best = 0.0
        for cand, dist, _ in found:
            if abs(len(cand) - len(key)) > maxd:
                continue
            # a 7-letter name may lose or gain a letter only towards a country or province
            towns_ok = len(key) >= 8 or len(cand) == len(key)
            for code in g.lookup(cand):
                e, q = divmod(code, 4)
                if q == gz.Q_ALT:
                    continue
                if g.kind[e] != CITY or (towns_ok and g.pop[e] >= min_pop):
                    codes.append(code)
            best = max(best, 1 - dist / max(len(key), len(cand)))
        if not codes:
            return None
        pick = self._choose(codes, hint, ctx)
        if pick is None:
            return None
        if hint and not set(hint) & set(g.countries_of(pick.eid)):
            return None  # a guess outside the hinted country is no answer
        pick.fuzzy = True
        pick.score = round(min(0.7, pick.score * 0.8 * best), 3)
        return pick

    # ------------------------------------------------------------------ places
    def _place_fn(self, pick: _Pick):
        g = self.g
        e = pick.eid
        kind = g.kind[e]
        name = _label(g, e)
        geom = g.geometry(e) if kind != CITY else None
        country = g.iso3[e] or None
        admin1 = (
            _admin1_label(g, e)
            if kind == ADMIN1
            else (
                _admin1_label(g, g.admin1_eid[g.admin1[e]]) if g.admin1[e] in g.admin1_eid else None
            )
        )
        alts = tuple(_alt_of(g, a) for a in pick.alternatives)
        score = round(max(0.0, min(1.0, pick.score)), 3)
        lat, lon, precision, fuzzy = g.lat[e], g.lon[e], gz.PRECISION_OF[kind], pick.fuzzy

        def make(query: str) -> Place:
            return Place(
                query=query,
                resolved=True,
                name=name,
                lat=lat,
                lon=lon,
                precision=precision,
                country=country,
                source="offline",
                score=score,
                alternatives=alts,
                geometry=geom,
                fuzzy=fuzzy,
                admin1=admin1,
            )

        make.unit_eid = e if kind != CITY else None
        return make


# ---------------------------------------------------------------------------------- helpers
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


__all__ = ["OfflineGeocoder"]
