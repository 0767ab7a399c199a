"""TOML map specs (geo/spec.py: load_spec)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import SpecError
from geo.models import MapSpec, View
from geo.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]

LAYER = """
[[layers]]
name = "Killed"
kind = "casualties"
data = "figures.csv"
place = "place"
value = "killed"
"""


def _spec(tmp_path: Path, text: str) -> Path:
    (tmp_path / "figures.csv").write_text("place,killed\nHaiti,3600\n", encoding="utf-8")
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_spec_loads() -> None:
    spec = load_spec(ROOT / "maps" / "demo.toml")
    assert isinstance(spec, MapSpec)
    assert [layer.kind for layer in spec.layers] == [
        "deployment",
        "flows",
        "casualties",
        "displacement",
    ]
    assert all(Path(layer.data).is_file() for layer in spec.layers)
    assert spec.layers[0].popup == ("note",)
    assert "Capital News" in spec.options["sources"][0]


def test_full_spec(tmp_path: Path) -> None:
    text = """title = "T"
description = "D"
tiles = "osm"
footer = "F"
sources = ["S1", "S2"]
[view]
lat = 18.9
lon = -72.5
zoom = 7
[[layers]]
name = "Events"
kind = "events"
data = "figures.csv"
lat = "lat"
lon = "lon"
value = "fatalities"
group = "event_type"
precision = "geo_precision"
popup = ["actor1"]
heatmap = true
cluster = false
color = "#d62728"
show = false
"""
    spec = load_spec(_spec(tmp_path, text))
    assert spec.title == "T" and spec.description == "D" and spec.tiles == "osm"
    assert spec.view == View(lat=18.9, lon=-72.5, zoom=7)
    assert spec.options == {"footer": "F", "sources": ["S1", "S2"]}
    layer = spec.layers[0]
    assert (layer.lat, layer.lon, layer.place, layer.group) == ("lat", "lon", None, "event_type")
    assert layer.heatmap is True and layer.cluster is False and layer.show is False
    assert layer.popup == ("actor1",) and layer.color == "#d62728"
    assert layer.data == (tmp_path / "figures.csv").resolve()  # relative to the spec file
    assert spec.path == (tmp_path / "map.toml").resolve()


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('title = "T"\ncolour = "red"\n' + LAYER, "map.toml: unknown key 'colour'"),
        (
            'title = "T"\n' + LAYER + 'vaule = "killed"\n',
            "map.toml: unknown key in layer 'Killed': 'vaule'; did you mean 'value'?",
        ),
        (
            'title = "T"\n[view]\nlat = 1\nlon = 2\nzom = 3\n' + LAYER,
            "unknown key in [view]: 'zom'; did you mean 'zoom'?",
        ),
        (LAYER, "map.toml: missing key 'title'"),
        ('title = "T"\n', "map.toml: no [[layers]]"),
        (
            'title = "T"\n' + LAYER.replace("casualties", "casualty"),
            "layer 'Killed': unknown kind 'casualty'; did you mean 'casualties'?",
        ),
        (
            'title = "T"\n' + LAYER.replace('"figures.csv"', '"nope.csv"'),
            "map.toml: layer 'Killed': data file 'nope.csv' not found",
        ),
        (
            'title = "T"\n' + LAYER.replace('value = "killed"', "value = 3"),
            "layer 'Killed': value must be a non-empty string, got 3",
        ),
        (
            'title = "T"\n' + LAYER + 'heatmap = "yes"\n',
            "layer 'Killed': heatmap must be true or false, got 'yes'",
        ),
        ('title = "T"\n' + LAYER + 'popup = "x"\npopup2 = 1\n', "unknown key in layer"),
        ('title = "T"\n' + LAYER + 'color = "red;background:url(x)"\n', "is not a colour"),
        (
            'title = "T"\n' + LAYER.replace('place = "place"', 'lat = "lat"'),
            "layer 'Killed': missing key 'lon'",
        ),
        ('title = "T"\n' + LAYER.replace("casualties", "flows"), "a flows layer needs origin"),
        (
            'title = "T"\n[view]\nlat = 100\nlon = 2\nzoom = 3\n' + LAYER,
            "[view] lat must be a number from -90 to 90, got 100",
        ),
        ('title = "T\n' + LAYER, "map.toml: invalid TOML"),
    ],
)
def test_bad_specs(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(_spec(tmp_path, text))
    assert fragment in str(err.value)


def test_missing_spec_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec(tmp_path / "nope.toml")


def test_where_filter_is_read_as_text_values(tmp_path: Path) -> None:
    text = (
        'title = "T"\n'
        + LAYER
        + 'where = {kind = "killed", group = "", year = 2024, kinds = ["a", "b"]}\n'
    )
    spec = load_spec(_spec(tmp_path, text))
    assert spec.layers[0].where == (
        ("kind", ("killed",)),
        ("group", ("",)),
        ("year", ("2024",)),
        ("kinds", ("a", "b")),
    )
    assert load_spec(_spec(tmp_path, 'title = "T"\n' + LAYER)).layers[0].where is None


@pytest.mark.parametrize(
    "line, fragment",
    [
        (
            'where = "killed"\n',
            "map.toml: layer 'Killed': where must be a table of column = "
            'value, such as where = {kind = "killed", group = ""}',
        ),
        ("where = {}\n", "where must be a table"),
        ("where = {kind = []}\n", "where.kind is an empty list"),
        ("where = {kind = {a = 1}}\n", "where.kind must be a value or a list of values"),
        (
            'wher = {kind = "killed"}\n',
            "unknown key in layer 'Killed': 'wher'; did you mean 'where'?",
        ),
    ],
)
def test_bad_where(tmp_path: Path, line: str, fragment: str) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(_spec(tmp_path, 'title = "T"\n' + LAYER + line))
    assert fragment in str(err.value)
