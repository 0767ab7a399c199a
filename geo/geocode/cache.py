"""The persistent geocoding cache: online answers kept in SQLite so a rebuild never re-queries.

One row per (backend, normalized query, normalized hint) holds the answer, including "not
found" negatives, with the time it was fetched. The file uses SQLite's WAL journal and a
busy timeout, so several ``geo`` processes may read and write it at once. A file that is
not a database (or is corrupt) is reported with a warning, moved aside as
``geocode.sqlite.corrupt-<timestamp>`` and rebuilt empty; geocoding carries on.

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> cache = GeocodeCache(Path(tempfile.mkdtemp()) / "geocode.sqlite")
    >>> cache.put("nominatim", "goma", None, Place.unresolved("Goma", source="nominatim"))
    >>> cache.get("nominatim", "goma", None).resolved
    False
    >>> cache.get("nominatim", "bunia", None) is None  # a miss
    True
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from geo.models import Alternative, Place

log = logging.getLogger("geo")

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    backend    TEXT NOT NULL,
    query      TEXT NOT NULL,
    hint       TEXT NOT NULL,
    found      INTEGER NOT NULL,
    place      TEXT,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (backend, query, hint)
) WITHOUT ROWID
"""
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_BUSY_SECONDS = 10.0  # beyond SQLite's own 5 s busy timeout


def normalize_key(text: str) -> str:
    """The form of a query or hint used as a key: NFC, case-folded, single-spaced.

    >>> normalize_key("  Port-au-Prince \\t ")
    'port-au-prince'
    """
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class GeocodeCache:
    """SQLite store of backend answers.

    ``create=False`` opens the file only if it already exists (offline runs read answers
    fetched earlier but never create a cache file). Errors other than corruption (a
    read-only directory, a locked file after the busy timeout) disable the cache for this
    process with one warning; they never stop geocoding.
    """

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path)
        self.create = create
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._disabled = False

    def get(self, backend: str, query: str, hint: str | None) -> Place | None:
        """The stored answer (a resolved Place or an unresolved negative), or None."""

        def read(conn: sqlite3.Connection) -> Any:
            return conn.execute(
                "SELECT found, place FROM answers WHERE backend = ? AND query = ? AND hint = ?",
                (backend, normalize_key(query), _hint_key(hint)),
            ).fetchone()

        row = self._run(read)
        if row is None:
            return None
        if row[0] == 0:
            return Place.unresolved(query, source=backend)
        try:
            return _load(query, row[1])
        except (ValueError, TypeError, KeyError) as exc:  # a row written by someone else
            self._quarantine_row(backend, query, hint, exc)
            return None

    def _quarantine_row(self, backend: str, query: str, hint: str | None, exc: Exception) -> None:
        """Move a row that is not a valid answer to the ``quarantine`` table (kept for a
        look, never read again) so that the query counts as a miss."""
        key = (backend, normalize_key(query), _hint_key(hint))

        def move(conn: sqlite3.Connection) -> None:
            conn.execute("CREATE TABLE IF NOT EXISTS quarantine AS SELECT * FROM answers WHERE 0")
            conn.execute(
                "INSERT INTO quarantine SELECT * FROM answers "
                "WHERE backend = ? AND query = ? AND hint = ?",
                key,
            )
            conn.execute("DELETE FROM answers WHERE backend = ? AND query = ? AND hint = ?", key)

        log.warning(
            "geocoding cache %s: the answer stored for %r is damaged (%s); moved it to the "
            "quarantine table and treating it as not cached",
            self.path,
            query,
            exc,
        )
        self._run(move, writing=True)

    def put(self, backend: str, query: str, hint: str | None, place: Place) -> None:
        """Store ``place`` (resolved or a "not found" negative) with the current time."""
        payload = _dump(place) if place.resolved else None

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (
                    backend,
                    normalize_key(query),
                    _hint_key(hint),
                    int(place.resolved),
                    payload,
                    time.time(),
                ),
            )

        self._run(write, writing=True)

    def fetched_at(self, backend: str, query: str, hint: str | None) -> float | None:
        """When the stored answer was fetched (Unix time), or None on a miss."""
        row = self._run(
            lambda c: c.execute(
                "SELECT fetched_at FROM answers WHERE backend = ? AND query = ? AND hint = ?",
                (backend, normalize_key(query), _hint_key(hint)),
            ).fetchone()
        )
        return None if row is None else float(row[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- internals -------------------------------------------------------------------

    def _run(self, op: Callable[[sqlite3.Connection], T], writing: bool = False) -> T | None:
        with self._lock:
            if self._disabled:
                return None
            quarantined = False
            deadline = time.monotonic() + _BUSY_SECONDS
            while True:
                try:
                    conn = self._connection(writing)
                    if conn is None:
                        return None
                    return op(conn)
                except sqlite3.DatabaseError as exc:
                    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary code
                    if code in _CORRUPT_CODES and not quarantined:
                        quarantined = True
                        self._quarantine(exc)
                        continue
                    # SQLite answers "locked" at once, without waiting for the busy timeout,
                    # where waiting could deadlock (two processes switching a new file to
                    # WAL): every statement here is its own transaction, so try again.
                    if code in _BUSY_CODES and time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                    self._disable(exc)
                    return None
                except OSError as exc:  # the cache directory cannot be created
                    self._disable(exc)
                    return None

    def _connection(self, writing: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not (self.create or writing) and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=5.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            # Reading the journal mode is the first real read of the file: a file that is not
            # a database fails here, before any answer is trusted.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _quarantine(self, exc: sqlite3.DatabaseError) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            self.path.rename(target)
        except FileNotFoundError:
            pass  # another process moved it aside first
        for suffix in ("-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        log.warning(
            "geocoding cache %s is corrupt (%s); moved it aside to %s and started a new one",
            self.path,
            exc,
            target.name,
        )

    def _disable(self, exc: Exception) -> None:
        self._disabled = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        log.warning(
            "geocoding cache %s is unusable (%s); continuing without it "
            "(set GEO_CACHE_PATH to a writable file to fix)",
            self.path,
            exc,
        )


def _hint_key(hint: str | None) -> str:
    return normalize_key(hint) if hint else ""


def _dump(place: Place) -> str:
    data = place.to_dict()
    del data["query"], data["resolved"]
    data["admin1"] = place.admin1
    return json.dumps(data, ensure_ascii=False)


_TEXT_FIELDS = ("name", "precision", "country", "source", "admin1", "repaired")
# what a row may hold: the fields of Place that _dump writes (a new field is allowed once
# Place has it; anything else means the row was not written by this cache)
_FIELDS = {f.name for f in dataclasses.fields(Place)} - {"query", "resolved", "geometry"}


def _load(query: str, text: Any) -> Place:
    """The Place a row holds. Raises ValueError (or TypeError) for anything that is not
    exactly what :func:`_dump` writes: the file may have been edited or damaged."""
    if not isinstance(text, str):
        raise ValueError(f"the answer is {type(text).__name__}, not JSON text")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    unknown = set(data) - _FIELDS
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    for key in _TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f"{key} is not text")
    suggestions = data.get("suggestions", [])
    if not isinstance(suggestions, list) or not all(isinstance(x, str) for x in suggestions):
        raise ValueError("suggestions is not a list of names")
    _coordinates(data)
    if not isinstance(data.get("score", 0.0), (int, float)) or not isinstance(
        data.get("fuzzy", False), bool
    ):
        raise ValueError("score or fuzzy has the wrong type")
    raw_alternatives = data.pop("alternatives", [])
    if not isinstance(raw_alternatives, list):
        raise ValueError("alternatives is not a list")
    alternatives = []
    for alt in raw_alternatives:
        if not isinstance(alt, dict) or not isinstance(alt.get("name"), str):
            raise ValueError("an alternative is not an object with a name")
        _coordinates(alt)
        alternatives.append(Alternative(**alt))
    return Place(query=query, resolved=True, alternatives=tuple(alternatives), **data)


def _coordinates(data: dict[str, Any]) -> None:
    for value in (data.get("lat"), data.get("lon")):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("lat/lon are not numbers")
        if not math.isfinite(value):
            raise ValueError(f"coordinate {value} is not a finite number")
