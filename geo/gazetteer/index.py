"""The in-memory gazetteer index: entity kinds, name qualities and :class:`Gazetteer`."""

from __future__ import annotations

import math
import sys
import threading
from array import array
from typing import Any

from geo.countries import DISPLAY_NAME, OBSOLETE  # noqa: F401 - re-exported

# Entity kinds, in increasing breadth (DISTRICT, a second-level unit, was added last: an
# area below a province, so its precision is "region").
CITY, ADMIN1, REGION, COUNTRY, DISTRICT = 0, 1, 2, 3, 4
PRECISION_OF = ("city", "admin1", "region", "country", "region")

# How a key names an entity.
Q_MAIN, Q_ALT, Q_CURATED = 0, 1, 2
QUALITY_BONUS = {Q_MAIN: 1.5, Q_ALT: 0.0, Q_CURATED: 3.0}

# A mild prior for the countries this tool's reporting is about: when two places share a name
# and similar populations, the one in a conflict-affected country wins ("Bor", "Beni", ...).
CONFLICT_PRIOR = frozenset(
    "AF BF BI CD CF CM ET HT IQ IL LB LY ML MM MZ NE NG PS SD SO SS SY TD UA YE".split()
)


def _qrank(q: int) -> int:
    return {Q_ALT: 0, Q_MAIN: 1, Q_CURATED: 2}[q]


_EXTRA = ("compact_keys", "fold_keys", "fuzzy", "wkb")


class Gazetteer:
    """A compact name index over the places the offline geocoder knows.

    Entities are rows of parallel arrays (``names``, ``lat``, ``lon``, ``kind``, ``iso3``,
    ``admin1``, ``pop``, ``rank``). ``keys`` maps a normalised name to the code
    ``entity_id * 4 + quality`` of the one entity it names, or a tuple of such codes, best
    first (use :meth:`lookup`). The looser tables (``compact_keys``, ``fold_keys``), the
    typo-tolerance buckets (``fuzzy``) and the geometries (``wkb``) live in a second cache
    file read on first use, so a warm start reads only what exact look-ups need.

    The minor places (GeoNames' villages of cities500, Who's On First localities and
    neighbourhoods) sit in a SQLite file beside the index (``localities``); :meth:`minor`
    looks them up by name and appends the ones it finds to the arrays, so their codes work
    like every other entity's.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.kind = bytearray()
        self.iso3: list[str] = []
        self.admin1: list[str] = []
        self.pop = array("q")
        self.rank = array("d")
        self.keys: dict[str, int | tuple[int, ...]] = {}
        self.country_eid: dict[str, int] = {}
        self.iso2_to_iso3: dict[str, str] = {}
        self.iso3_to_iso2: dict[str, str] = {}
        self.admin1_eid: dict[str, int] = {}
        self.admin1_ascii: dict[int, str] = {}  # readable names for admin-1 units like "Ḩalab"
        self.region_countries: dict[int, tuple[str, ...]] = {}
        self.overrides: dict[tuple[str, str], int] = {}
        self.demonyms: dict[str, str] = {}
        self.digest = ""
        self._extra: dict[str, Any] | None = {
            "compact_keys": {},
            "fold_keys": {},
            "fuzzy": {},
            "wkb": {},
        }
        self._extra_path: Any = None  # where the secondary tables are read from
        self._geoms: dict[int, Any] = {}
        self._lock = threading.Lock()
        self.localities: Any = None  # the minor-place store (geo.gazetteer.localities)
        self._minor_eid: dict[int, int] = {}  # store row id -> entity id
        self._minor_memo: dict[tuple[str, str], tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self.names)

    # -- the secondary tables, read on first use
    def _extras(self) -> dict[str, Any]:
        if self._extra is None:
            from geo.gazetteer.cache import read_extra

            with self._lock:
                if self._extra is None:
                    self._extra = read_extra(self)
        return self._extra

    @property
    def compact_keys(self) -> dict[str, tuple[int, ...]]:
        return self._extras()["compact_keys"]

    @property
    def fold_keys(self) -> dict[str, tuple[int, ...]]:
        return self._extras()["fold_keys"]

    @property
    def fuzzy(self) -> dict[str, list[str]]:
        return self._extras()["fuzzy"]

    @property
    def wkb(self) -> dict[int, bytes]:
        return self._extras()["wkb"]

    # -- lookups
    def lookup(self, key: str) -> tuple[int, ...]:
        """Codes (``entity_id * 4 + quality``) of the places named exactly ``key``."""
        v = self.keys.get(key)
        if v is None:
            return ()
        return (v,) if isinstance(v, int) else v

    def minor(self, key: str, how: str = "key") -> tuple[int, ...]:
        """Codes of the minor places named ``key`` (``how="fold"``: whose fold key is
        ``key``), best first; empty without a locality store."""
        store = self.localities
        if store is None or not key:
            return ()
        memo = self._minor_memo.get((how, key))
        if memo is not None:
            return memo
        rows = store.find(key, how)
        codes = []
        with self._lock:
            for row in rows:
                rid, name, lat, lon, iso3, admin1, kind, pop, quality = row
                eid = self._minor_eid.get(rid)
                if eid is None:
                    eid = self._append(name, lat, lon, kind, iso3, admin1, pop)
                    self._minor_eid[rid] = eid
                codes.append(eid * 4 + quality)
        out = tuple(sorted(set(codes), key=lambda c: -self.rank[c >> 2]))
        if len(self._minor_memo) > 100_000:
            self._minor_memo.clear()
        self._minor_memo[(how, key)] = out
        return out

    def _append(self, name, lat, lon, kind, iso3, admin1, pop) -> int:
        eid = len(self.names)
        self.names.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.kind.append(kind)
        self.iso3.append(sys.intern(iso3))
        self.admin1.append(sys.intern(admin1))
        self.pop.append(pop)
        self.rank.append(minor_rank(pop))
        return eid

    def precision(self, eid: int) -> str:
        return PRECISION_OF[self.kind[eid]]

    def admin1_name(self, eid: int) -> str | None:
        code = self.admin1[eid]
        if not code:
            return None
        a = self.admin1_eid.get(code)
        return self.names[a] if a is not None else None

    def countries_of(self, eid: int) -> tuple[str, ...]:
        if self.kind[eid] == REGION:
            return self.region_countries.get(eid, ())
        return (self.iso3[eid],) if self.iso3[eid] else ()

    def geometry(self, eid: int):
        """The shapely geometry of a country, admin-1 unit or region (None for a city)."""
        g = self._geoms.get(eid)
        if g is None and self.kind[eid] != CITY:
            raw = self.wkb.get(eid)
            if raw is not None:
                import shapely

                g = shapely.from_wkb(raw)
                self._geoms[eid] = g
        return g

    def distance_km(self, a: int, lat: float, lon: float) -> float:
        return haversine_km(self.lat[a], self.lon[a], lat, lon)


def minor_rank(pop: int) -> float:
    """The rank of a minor place: below every town of the main index with the same
    population (a namesake there is better known)."""
    return math.log10(max(pop, 100)) - 0.5


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def representative(geom) -> tuple[float, float]:  # noqa: D401
    """(lat, lon) of a point inside ``geom``: its centroid when that lies inside, else a
    point inside its largest part."""
    from shapely.ops import nearest_points

    c = geom.centroid
    if geom.contains(c):
        return c.y, c.x
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.area)
    if big.contains(big.centroid):
        c = big.centroid
        return c.y, c.x
    # Concave: the point inside nearest the centroid, nudged inwards.
    edge = nearest_points(big, c)[0]
    span = max(big.bounds[2] - big.bounds[0], big.bounds[3] - big.bounds[1])
    for r in (span / 10, span / 25, span / 100):
        piece = big.intersection(edge.buffer(r))
        if not piece.is_empty and piece.area > 0:
            c = piece.representative_point()
            return c.y, c.x
    c = big.representative_point()
    return c.y, c.x
