"""Ordinary broken files end in one clean error naming the file, never a traceback, and a
failed build leaves the previous map in place (issue 16)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geo.cli import cli
from geo.figures import read_table

from .conftest import events_spec

POINT = {"type": "Point", "coordinates": [29.22, -1.67]}


def _feature(geometry: dict[str, object], n: int = 3) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"event_type": "Battles", "fatalities": n},
        "geometry": geometry,
    }


def _truncated(path: Path) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": [_feature(POINT)] * 3})
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _plain_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE rows (lat REAL, lon REAL)")
    con.commit()
    con.close()


def _no_layers(path: Path) -> None:
    frame = gpd.GeoDataFrame({"fatalities": [1]}, geometry=[Point(29.2, -1.6)], crs="EPSG:4326")
    frame.to_file(path, layer="rows", engine="pyogrio")
    con = sqlite3.connect(path)
    con.execute("DELETE FROM gpkg_geometry_columns")
    con.execute("DELETE FROM gpkg_contents")
    con.execute("DROP TABLE rows")
    con.commit()
    con.close()


def _bad_utf8_parquet(path: Path) -> None:
    table = pa.table(
        {
            "lat": [-1.67, -1.68],
            "lon": [29.22, 29.23],
            "event_type": pa.array([b"Battles", b"\xff\xfeRiots"], pa.binary()),
            "fatalities": [3, 4],
        }
    )
    pq.write_table(table, path)


BROKEN = [
    ("truncated.geojson", _truncated, "truncated.geojson: not valid GeoJSON"),
    ("plain.gpkg", _plain_sqlite, "plain.gpkg: an SQLite database but not a GeoPackage"),
    ("zero.gpkg", lambda p: p.write_bytes(b""), "zero.gpkg: the file is empty"),
    ("nolayers.gpkg", _no_layers, "nolayers.gpkg: the GeoPackage has no layers"),
    ("bad.parquet", _bad_utf8_parquet, "bad.parquet record 2, column event_type"),
    (
        "deep.geojson",
        lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
        "deep.geojson: not valid GeoJSON",
    ),
    ("list.geojson", lambda p: p.write_text("[1, 2]"), "list.geojson: not a GeoJSON Feature"),
]


@pytest.mark.parametrize("name, make, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_gives_one_line_and_keeps_the_previous_map(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    make(tmp_path / name)  # type: ignore[operator]
    out = tmp_path / "map.html"
    out.write_text("previous map", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(events_spec(tmp_path, name)), "-o", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert out.read_text(encoding="utf-8") == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "map.toml", "map.html"])


def test_cr_only_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"lat,lon,event_type,fatalities\r-1.6,29.2,Battles,3\r-1.7,29.3,Riots,4\r")
    table = read_table(path)
    assert table["event_type"].tolist() == ["Battles", "Riots"]
    assert table.index.tolist() == [2, 3]


def test_mixed_geometries_read_points_and_name_the_other_feature(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[29.2, -1.6], [29.3, -1.7]]}
    doc = {"type": "FeatureCollection", "features": [_feature(POINT), _feature(line, 4)]}
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    table = read_table(path)
    assert table["lat"].tolist()[0] == -1.67 and table["lat"].isna().tolist() == [False, True]
    result = CliRunner().invoke(cli, ["build", str(events_spec(tmp_path, "mixed.geojson"))])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "mixed.geojson feature 2" in result.output


def test_valid_utf8_binary_parquet_column_is_text(tmp_path: Path) -> None:
    path = tmp_path / "ok.parquet"
    pq.write_table(pa.table({"event_type": pa.array([b"Battles"], pa.binary())}), path)
    assert read_table(path)["event_type"].tolist() == ["Battles"]
