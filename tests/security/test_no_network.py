"""A data file never makes geo open a URL or a file the spec does not name (issue 16).

GDAL picks a driver by content, so a ``.geojson`` holding OGR VRT XML would read
``/vsicurl/`` URLs or other local files, and a GeoJSON ``crs`` link would be fetched. geo
parses GeoJSON itself and checks a GeoPackage's header before GDAL opens it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import InputError
from geo.figures import read_table

from .conftest import Recorder, events_spec


def _vrt(source: str) -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="rows">'
        f"<SrcDataSource>{source}</SrcDataSource>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    )


def _build(tmp_path: Path, data: str) -> tuple[int, str, Path]:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["build", str(events_spec(tmp_path, data)), "-o", str(out)])
    return result.exit_code, result.output, out


@pytest.mark.parametrize("name", ["rows.geojson", "rows.json", "rows.gpkg"])
def test_vrt_xml_in_a_data_file_fetches_nothing(
    tmp_path: Path, recorder: Recorder, name: str
) -> None:
    (tmp_path / name).write_text(_vrt(f"/vsicurl/{recorder.url}/rows.csv"), encoding="utf-8")
    code, output, out = _build(tmp_path, name)
    assert recorder.hits == []
    assert code == 1 and "Traceback" not in output
    assert name in output and "777" not in output
    assert not out.exists()


def test_vrt_xml_does_not_read_another_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "secret.csv"
    secret.parent.mkdir()
    secret.write_bytes(b"lat,lon,event_type,fatalities\n1,2,SECRET-ROW,31337\n")
    (tmp_path / "rows.geojson").write_text(_vrt(str(secret)), encoding="utf-8")
    code, output, out = _build(tmp_path, "rows.geojson")
    assert code == 1 and "rows.geojson" in output
    assert "SECRET-ROW" not in output and not out.exists()


def test_geojson_crs_link_is_refused_without_a_request(tmp_path: Path, recorder: Recorder) -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "link", "properties": {"href": f"{recorder.url}/crs", "type": "proj4"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"event_type": "Battles", "fatalities": 3},
                "geometry": {"type": "Point", "coordinates": [29.22, -1.67]},
            }
        ],
    }
    (tmp_path / "rows.geojson").write_text(json.dumps(doc), encoding="utf-8")
    code, output, _ = _build(tmp_path, "rows.geojson")
    assert recorder.hits == []
    assert code == 1 and "rows.geojson" in output and "crs" in output


def test_geojson_named_crs_is_honoured(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"n": 1},
                "geometry": {"type": "Point", "coordinates": [3252919.0, -186087.0]},
            }
        ],
    }
    path = tmp_path / "rows.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    table = read_table(path)
    assert table["lon"].round(1).tolist() == [29.2] and table["lat"].round(1).tolist() == [-1.7]


def test_gpkg_that_is_vrt_xml_is_refused_before_gdal(tmp_path: Path, recorder: Recorder) -> None:
    path = tmp_path / "rows.gpkg"
    path.write_text(_vrt(f"/vsicurl/{recorder.url}/rows.csv"), encoding="utf-8")
    with pytest.raises(InputError, match="rows.gpkg: not a GeoPackage"):
        read_table(path)
    assert recorder.hits == []
