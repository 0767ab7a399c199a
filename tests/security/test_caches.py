"""Caches are data geo wrote, but anyone with write access to the cache folder can change
them: a damaged or crafted cache file is checked before use (issue 16)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from geo import basemap
from geo.geocode.cache import GeocodeCache
from geo.models import Place


@pytest.fixture
def land_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basemap's land theme, cached in an empty index folder; the cache file's path."""
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path))
    basemap.theme.cache_clear()
    assert basemap.theme("land") is not None
    (cache,) = tmp_path.glob("basemap-land-*.npz")
    yield cache
    basemap.theme.cache_clear()


def _land_again() -> int:
    basemap.theme.cache_clear()
    loaded = basemap.theme("land")
    assert loaded is not None
    return len(loaded[0])


def test_a_flipped_byte_in_the_basemap_cache_is_caught(land_cache: Path, caplog) -> None:
    count = _land_again()
    raw = bytearray(land_cache.read_bytes())
    raw[len(raw) // 3] ^= 0x55  # inside the geometries' member
    land_cache.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert _land_again() == count  # rebuilt from the bundled file, no traceback
    assert "basemap cache" in caplog.text


def test_a_crafted_basemap_cache_is_refused(land_cache: Path, caplog) -> None:
    import json

    import numpy as np

    count = _land_again()
    with np.load(land_cache, allow_pickle=False) as z:
        parts = {k: z[k] for k in z.files}
    props = [{"r": "</script><script>alert(1)</script>"}] * (len(parts["offsets"]) - 1)
    parts["props"] = np.frombuffer(json.dumps(props).encode(), dtype="u1")
    with land_cache.open("wb") as fh:
        np.savez(fh, **parts)
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert _land_again() == count
    assert "damaged" in caplog.text


def _cache_with_rows(path: Path, rows: list[tuple[object, object]]) -> GeocodeCache:
    cache = GeocodeCache(path)
    cache.put("nominatim", "warmup", None, Place.unresolved("warmup", source="nominatim"))
    con = sqlite3.connect(path)
    for i, (found, place) in enumerate(rows):
        con.execute(
            "INSERT INTO answers VALUES ('nominatim', ?, '', ?, ?, 0)", (f"bad{i}", found, place)
        )
    con.commit()
    con.close()
    return cache


BAD_ROWS = [
    (1, "not json"),
    (1, None),
    (1, "[1, 2]"),
    (1, '{"lat": "north", "lon": 29.2}'),
    (1, '{"name": 5, "lat": 1.0, "lon": 2.0}'),
    (1, '{"lat": 1.0, "lon": 2.0, "evil": true}'),
    (1, '{"lat": 1.0, "lon": 2.0, "alternatives": [{"name": "x"}]}'),
    (1, b"\x00\x01binary"),
    (1, '{"lat": NaN, "lon": 2.0}'),
]


@pytest.mark.parametrize("found, place", BAD_ROWS)
def test_a_bad_geocode_cache_row_is_a_quarantined_miss(
    tmp_path: Path, caplog, found: object, place: object
) -> None:
    path = tmp_path / "geocode.sqlite"
    cache = _cache_with_rows(path, [(found, place)])
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert cache.get("nominatim", "bad0", None) is None
    assert "quarantine" in caplog.text
    cache.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM answers WHERE query = 'bad0'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (1,)
    con.close()
    # a good answer stored afterwards is served
    cache = GeocodeCache(path)
    good = Place(query="bad0", resolved=True, name="Goma", lat=-1.67, lon=29.22, source="n")
    cache.put("nominatim", "bad0", None, good)
    assert cache.get("nominatim", "bad0", None).name == "Goma"


def test_geo_geocode_survives_a_bad_cache_row(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from geo.cli import cli

    path = tmp_path / "geocode.sqlite"
    _cache_with_rows(path, [(1, "not json")]).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE answers SET query = 'goma' WHERE query = 'bad0'")
    con.commit()
    con.close()
    monkeypatch.setenv("GEO_CACHE_PATH", str(path))
    result = CliRunner().invoke(cli, ["geocode", "Goma"])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Goma" in result.output
