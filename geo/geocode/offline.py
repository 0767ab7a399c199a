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
import re
from dataclasses import replace

from geo import gazetteer as gz
from geo.gazetteer import ADMIN1, CITY, COUNTRY, DISTRICT, REGION, compact, fold, normalize
from geo.geocode._forms import ADMIN_PREFIX as _ADMIN_PREFIX
from geo.geocode._forms import ADMIN_SUFFIX as _ADMIN_SUFFIX
from geo.geocode._forms import FICTIONAL as _FICTIONAL
from geo.geocode._forms import NOT_PLACES as _NOT_PLACES
from geo.geocode._helpers import (
    MAX_ALTERNATIVES,
    _admin1_label,
    _alt_of,
    _alternative,
    _best_quality,
    _codes,
    _Context,
    _label,
    _namesakes,
    _Pick,
    _repair,
    _same_place,
    _scaled,
    _slash_variants,
    _split_context,
)
from geo.geocode._readings import (  # noqa: F401 - re-exported
    BARE_NAMESAKE_POP,
    MINOR_FACTOR,
    NAMESAKE_POP,
    Readings,
)
from geo.geocode.base import query_problem
from geo.models import Place

_LEADING_THE = re.compile(r"^\W*the[\W_]+", re.IGNORECASE)

log = logging.getLogger(__name__)

# Under a country hint, answers scoring below this are too weak to be given: they come back
# unresolved, with the guess as a suggestion. Chosen on development data
# (bench/bench_real_geocode.py): below it, most answers on real coded locations were more
# than 25 km off. Without a hint a low score stays an answer: the ambiguity is between
# countries, and the caller (the extractor, a reader) may settle it from context.
MIN_SCORE = 0.72
_VILLAGE = re.compile(r"\b(?:village|hamlet|colline|settlement)\b")
_MEMO_LIMIT = 200_000


class OfflineGeocoder(Readings):
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
        self._says_village = False  # the query calls the place a village

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
        self._says_village = bool(_VILLAGE.search(key))
        res = self._resolve(text, key, hint)
        if res is None and key.startswith("the ") and len(key) > 4:
            # "the DRC", "the Central African Republic": reporting's article, not the name
            # (names that keep it, "The Hague", "The Gambia", matched above).
            # The article may be joined by a hyphen or other punctuation ("The-CNN-Wire").
            res = self._resolve(_LEADING_THE.sub("", text, count=1), key[4:], hint)
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
                    if hint and not ctx.given:
                        self._minor_namesakes(pick, key, hint)
                    return pick
        if (hint or ctx.given) and (kinds is None or CITY in kinds):
            # only under a hint or a context: over a million villages worldwide would
            # otherwise answer typos and nonsense somewhere
            return self._minor(key, hint, ctx, kinds, exact_only)
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
    # ------------------------------------------------------------------ qualified regions
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


__all__ = ["OfflineGeocoder"]
