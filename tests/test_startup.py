"""What `geo build` loads and makes for an events layer given by coordinates: no
geopandas and no shapely points (geo/pointframe.py; shapely itself is loaded by the
basemap), and the export still has the points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from geo.builder import build

DATA = Path(__file__).resolve().parent / "data"

SPEC = """title = "Events"
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

PROBE = """
import sys
from geo.builder import build
build(sys.argv[1], out=sys.argv[2])
print("MODULES", " ".join(sys.modules))
"""


def _spec(tmp_path: Path) -> Path:
    spec = tmp_path / "events.toml"
    spec.write_text(SPEC.format(data=(DATA / "events_acled.csv").as_posix()), encoding="utf-8")
    return spec


def test_events_build_by_coordinates_loads_neither_geopandas_nor_the_extractor(tmp_path):
    out = tmp_path / "events.html"
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(_spec(tmp_path)), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(run.stdout.rpartition("MODULES ")[2].split())
    assert out.stat().st_size > 0
    assert not {"geopandas", "geo.extract"} & loaded


def test_events_export_keeps_each_point(tmp_path):
    export = tmp_path / "events.geojson"
    result = build(_spec(tmp_path), out=tmp_path / "events.html", export=export)
    features = json.loads(export.read_text(encoding="utf-8"))["features"]
    assert len(features) == len(result.layers[0].frame) == 4
    first = features[0]
    assert first["geometry"]["type"] == "Point"
    assert first["properties"]["layer"] == "Events"
    assert first["geometry"]["coordinates"] == [
        result.layers[0].frame["lon"].iloc[0],
        result.layers[0].frame["lat"].iloc[0],
    ]
