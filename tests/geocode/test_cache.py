"""The persistent SQLite cache of online answers."""

from __future__ import annotations

import logging
import sqlite3
import time

import pytest

from geo.geocode.cache import GeocodeCache, normalize_key
from geo.models import Alternative, Place

GOMA = Place(
    query="Goma",
    resolved=True,
    name="Goma",
    lat=-1.679,
    lon=29.228,
    precision="city",
    country="COD",
    source="nominatim",
    score=0.61,
    alternatives=(Alternative("Goma", 6.6, 2.5, "city", "BEN"),),
    admin1="North Kivu",
)


def test_round_trip_keeps_every_field(tmp_path):
    cache = GeocodeCache(tmp_path / "geocode.sqlite")
    cache.put("nominatim", "Goma", "COD", GOMA)
    got = cache.get("nominatim", "Goma", "COD")
    assert got == GOMA
    assert got.alternatives[0].country == "BEN"
    assert got.admin1 == "North Kivu"


def test_keys_are_normalized_and_answers_carry_the_asking_query(tmp_path):
    cache = GeocodeCache(tmp_path / "geocode.sqlite")
    cache.put("nominatim", "Goma", "COD", GOMA)
    got = cache.get("nominatim", "  GOMA ", "cod")
    assert got is not None and got.lat == GOMA.lat
    assert got.query == "  GOMA "


@pytest.mark.parametrize(
    ("backend", "query", "hint"),
    [
        ("other", "Goma", "COD"),
        ("nominatim", "Goma", None),
        ("nominatim", "Goma", "RWA"),
        ("nominatim", "Gomo", "COD"),
    ],
)
def test_a_different_backend_query_or_hint_is_a_miss(tmp_path, backend, query, hint):
    cache = GeocodeCache(tmp_path / "geocode.sqlite")
    cache.put("nominatim", "Goma", "COD", GOMA)
    assert cache.get(backend, query, hint) is None


def test_not_found_is_stored_as_a_negative_with_a_timestamp(tmp_path):
    cache = GeocodeCache(tmp_path / "geocode.sqlite")
    cache.put("nominatim", "Qwxzzy", None, Place.unresolved("Qwxzzy", source="nominatim"))
    got = cache.get("nominatim", "qwxzzy", None)
    assert got is not None and got.resolved is False and got.source == "nominatim"
    fetched = cache.fetched_at("nominatim", "Qwxzzy", None)
    assert fetched is not None and abs(time.time() - fetched) < 60


def test_answers_survive_reopening_and_the_file_uses_wal(tmp_path):
    path = tmp_path / "sub" / "dir" / "geocode.sqlite"
    first = GeocodeCache(path)
    first.put("nominatim", "Goma", None, GOMA)
    first.close()
    assert GeocodeCache(path).get("nominatim", "Goma", None) == GOMA
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_open_caches_see_each_others_writes(tmp_path):
    path = tmp_path / "geocode.sqlite"
    a, b = GeocodeCache(path), GeocodeCache(path)
    assert b.get("nominatim", "Goma", None) is None
    a.put("nominatim", "Goma", None, GOMA)
    assert b.get("nominatim", "Goma", None) == GOMA


def test_read_only_mode_never_creates_the_file(tmp_path):
    path = tmp_path / "geocode.sqlite"
    cache = GeocodeCache(path, create=False)
    assert cache.get("nominatim", "Goma", None) is None
    assert not path.exists()
    GeocodeCache(path).put("nominatim", "Goma", None, GOMA)
    assert cache.get("nominatim", "Goma", None) == GOMA  # appears once someone wrote it


def test_corrupted_file_is_reported_moved_aside_and_rebuilt(tmp_path, caplog):
    path = tmp_path / "geocode.sqlite"
    garbage = b"\x00\xffnot a database\x13\x37" * 400
    path.write_bytes(garbage)
    cache = GeocodeCache(path)
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert cache.get("nominatim", "Goma", None) is None
    assert "corrupt" in caplog.text and str(path) in caplog.text
    moved = list(tmp_path.glob("geocode.sqlite.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    cache.put("nominatim", "Goma", None, GOMA)
    assert GeocodeCache(path).get("nominatim", "Goma", None) == GOMA


def test_an_unusable_path_disables_the_cache_with_one_warning(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    cache = GeocodeCache(blocker / "geocode.sqlite")
    with caplog.at_level(logging.WARNING, logger="geo"):
        cache.put("nominatim", "Goma", None, GOMA)
        assert cache.get("nominatim", "Goma", None) is None
    assert len(caplog.records) == 1
    assert "is unusable" in caplog.text and "GEO_CACHE_PATH" in caplog.text


def test_normalize_key():
    assert normalize_key("  Port-au-Prince\t ") == "port-au-prince"
    assert normalize_key("Ko\u0308ln") == normalize_key("K\u00f6ln")  # NFD == NFC


WRITER = """
import sys
from geo.geocode.cache import GeocodeCache
from geo.models import Place
cache = GeocodeCache(sys.argv[1])
for i in range(150):
    q = f"{sys.argv[2]}-{i}"
    cache.put("nominatim", q, None, Place(query=q, resolved=True, name=q, lat=i, lon=0.0,
              precision="city", country="COD", source="nominatim"))
    assert cache.get("nominatim", f"{sys.argv[2]}-0", None) is not None
"""


def test_concurrent_writers_in_separate_processes(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "geocode.sqlite"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
        assert b"unusable" not in err and b"corrupt" not in err
    cache = GeocodeCache(path)
    for name in ("a", "b"):
        assert all(cache.get("nominatim", f"{name}-{i}", None) for i in range(150))


def test_a_momentarily_locked_file_is_retried_not_disabled(tmp_path, caplog):
    # Regression (flaky in CI): SQLite answers "database is locked" at once, without the
    # busy timeout, when two processes switch a new file to WAL together; the cache then
    # switched itself off for the whole run.
    cache = GeocodeCache(tmp_path / "geocode.sqlite")
    attempts = []

    def op(conn):
        attempts.append(1)
        if len(attempts) == 1:
            exc = sqlite3.OperationalError("database is locked")
            exc.sqlite_errorcode = sqlite3.SQLITE_BUSY
            raise exc
        return "answer"

    assert cache._run(op) == "answer"
    assert len(attempts) == 2 and "unusable" not in caplog.text
    place = Place(
        query="Goma",
        resolved=True,
        name="Goma",
        lat=-1.68,
        lon=29.22,
        precision="city",
        country="COD",
        source="nominatim",
    )
    cache.put("nominatim", "Goma", None, place)
    assert cache.get("nominatim", "Goma", None) == place
