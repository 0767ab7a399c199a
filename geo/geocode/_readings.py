"""Readings of a name beyond the whole name, for the offline geocoder: qualified regions (a
direction applied to a country, province, region or town, "eastern DRC", gives that part of
it as an area), administrative and place-type words ("Borno State", "Azein village"), and
typo tolerance."""

from __future__ import annotations

import math

from geo import gazetteer as gz
from geo.gazetteer import ADMIN1, CITY, COUNTRY, DISTRICT, REGION, fold, normalize
from geo.geocode._forms import ADMIN_PREFIX as _ADMIN_PREFIX
from geo.geocode._forms import ADMIN_SUFFIX as _ADMIN_SUFFIX
from geo.geocode._forms import DIR_ADJ as _DIR_ADJ
from geo.geocode._forms import DIRECTIONS as _DIRECTIONS
from geo.geocode._forms import QUALIFIED as _QUALIFIED
from geo.geocode._forms import QUALIFIED_SUFFIX as _QUALIFIED_SUFFIX
from geo.geocode._forms import QUALIFIER_TARGET as _QUALIFIER_TARGET
from geo.geocode._forms import SUB_ADMIN as _SUB_ADMIN
from geo.geocode._forms import TOWN as _TOWN
from geo.geocode._helpers import (
    MAX_ALTERNATIVES,
    _admin1_label,
    _Context,
    _direction_box,
    _label,
    _Pick,
)
from geo.models import Place

# Minor places (no population, no alternate names) are less sure than the main index's.
MINOR_FACTOR = 0.9
# A town of the main index smaller than this, named as a village ("Pisky village"), shares
# its name's doubt with its namesake villages in the same country (a bare name: below 1,000).
NAMESAKE_POP = 10_000
BARE_NAMESAKE_POP = 3000


class Readings:
    """Mixin of :class:`~geo.geocode.offline.OfflineGeocoder`: the readings of a name beyond
    the whole name (qualified regions, administrative and place-type words, typos, the
    minor places and their namesakes). It uses
    the geocoder's ``g``, ``_match``, ``_choose``, ``_place_fn``, ``_overrides`` and
    ``_areas``."""

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

    def _minor_namesakes(self, pick: _Pick, key: str, hint: tuple[str, ...]) -> None:
        """A small town of the main index with namesake villages elsewhere in the hinted
        country is no surer than any of them: the score drops, the namesakes become
        alternatives."""
        g = self.g
        e = pick.eid
        # "X village" may be any village X; a bare name means the best-known X unless it
        # is hardly known itself
        limit = NAMESAKE_POP if self._says_village else BARE_NAMESAKE_POP
        if g.kind[e] != CITY or g.pop[e] >= limit:
            return
        if any(
            g.kind[c >> 2] in (ADMIN1, DISTRICT) and g.iso3[c >> 2] == g.iso3[e]
            for c in g.lookup(key)
        ):
            return  # the seat of the unit it names ("Moyamba", "Rutana"): the best known
        others = [
            c >> 2
            for c in g.minor(key)
            if g.iso3[c >> 2] in hint and g.distance_km(c >> 2, g.lat[e], g.lon[e]) > 25.0
        ]
        if others:
            pick.score *= 0.75
            pick.alternatives = (pick.alternatives + tuple(others))[:MAX_ALTERNATIVES]

    def _minor(self, key: str, hint: tuple[str, ...], ctx: _Context, kinds, exact_only: bool):
        """The minor places (villages, neighbourhoods: see geo.gazetteer.localities), asked
        only when the main index has no answer."""
        g = self.g
        tiers = (("key", key, MINOR_FACTOR), ("fold", fold(key), MINOR_FACTOR * 0.9))
        for how, k, factor in tiers[:1] if exact_only else tiers:
            codes = g.minor(k, how)
            if codes:
                pick = self._choose(codes, hint, ctx, kinds)
                if pick is not None:
                    pick.score *= factor
                    pick.fuzzy = pick.fuzzy or how == "fold"
                    return pick
        return None
