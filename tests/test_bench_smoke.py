"""Smoke test of the benchmark's event generator: small, deterministic, ACLED-shaped."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def events_gen():
    spec = importlib.util.spec_from_file_location("events_gen", ROOT / "bench" / "events_gen.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["events_gen"] = module
    spec.loader.exec_module(module)
    return module


def test_same_seed_gives_identical_files(events_gen, tmp_path: Path) -> None:
    first = events_gen.paths_for(200, seed=7, out_dir=tmp_path / "a")
    second = events_gen.paths_for(200, seed=7, out_dir=tmp_path / "b")
    events_gen.write(events_gen.generate(200, seed=7), first)
    events_gen.write(events_gen.generate(200, seed=7), second)
    for kind in ("csv", "parquet"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    other = events_gen.generate(200, seed=8)
    assert not other.equals(pd.read_csv(first["csv"], keep_default_na=False))


def test_columns_and_values(events_gen, tmp_path: Path) -> None:
    paths = events_gen.paths_for(200, seed=7, out_dir=tmp_path)
    events_gen.write(events_gen.generate(200, seed=7), paths)
    frame = pd.read_csv(paths["csv"])
    assert tuple(frame.columns) == events_gen.COLUMNS
    assert len(frame) == 200
    assert frame["event_id_cnty"].is_unique
    assert set(frame["event_type"]) <= set(events_gen.EVENT_TYPES)
    assert set(frame["geo_precision"]) <= {1, 2, 3}
    assert (frame["fatalities"] >= 0).all()
    assert frame["latitude"].between(-90, 90).all()
    assert frame["longitude"].between(-180, 180).all()
    # A share of rows names its place; the rest leave it empty, as in real exports.
    assert 0.4 < frame["location"].notna().mean() < 0.95
    assert pd.to_datetime(frame["event_date"], format="%Y-%m-%d").notna().all()
    assert pd.read_parquet(paths["parquet"]).shape == frame.shape


def test_place_queries_have_exactly_the_distinct_names_asked(events_gen) -> None:
    queries = events_gen.place_queries(1000, 150, seed=3)
    assert len(queries) == 1000
    assert len(set(queries)) == 150
    assert queries == events_gen.place_queries(1000, 150, seed=3)
