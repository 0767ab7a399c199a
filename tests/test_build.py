"""Building maps from specs: geo.build and `geo build` (geo/builder.py, geo/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from geo.builder import build
from geo.cli import cli
from geo.errors import InputError, OutputError, UnresolvedPlaceError
from tests.place_fakes import FakeGeocoder

ROOT = Path(__file__).resolve().parents[1]

FIGURES = """place,contributor,personnel,killed,displaced,date,source
Port-au-Prince,Kenya,800,,,2024-06-25,"Capital News, Aug 20"
Haiti,,,3600,,2025-08-20,"UN via Capital News, Aug 20"
Haiti,,,,500000,2025-08-20,"UN via Capital News, Aug 20"
eastern DRC,EAC and SADC,,,,2025-08-20,"Capital News, Aug 20"
"""
SPEC = """title = "Contract sample: MSS in Haiti"
[[layers]]
name = "Deployed personnel"
kind = "deployment"
data = "figures.csv"
place = "place"
value = "{value}"
[[layers]]
name = "Killed"
kind = "casualties"
data = "figures.csv"
place = "place"
value = "killed"
date = "date"
"""
# Coordinates only: the CLI tests need no geocoder.
EVENTS = """lat,lon,event_type,fatalities,date,source
18.5392,-72.3350,Battles,4,2025-03-01,Source A
18.7333,-72.4167,Riots,"1,200",2025-03-02,<img src=x onerror=alert(1)>
"""
EVENTS_SPEC = """title = "Events"
[[layers]]
name = "Events"
kind = "events"
data = "events.csv"
lat = "lat"
lon = "lon"
value = "{value}"
group = "event_type"
date = "date"
"""


def _sample(tmp_path: Path, value: str = "personnel", figures: str = FIGURES) -> Path:
    (tmp_path / "figures.csv").write_text(figures, encoding="utf-8")
    spec = tmp_path / "sample.toml"
    spec.write_text(SPEC.format(value=value), encoding="utf-8")
    return spec


def _events(tmp_path: Path, value: str = "fatalities") -> Path:
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    spec = tmp_path / "events.toml"
    spec.write_text(EVENTS_SPEC.format(value=value), encoding="utf-8")
    return spec


def test_build_sample_writes_the_map(tmp_path: Path) -> None:
    result = build(_sample(tmp_path), geocoder=FakeGeocoder())
    assert result.html == tmp_path / "sample.html"  # default: the spec path with .html
    html = result.html.read_text(encoding="utf-8")
    for text in ("Deployed personnel", "Killed", "800", "3,600"):
        assert text in html
    assert [len(layer.frame) for layer in result.layers] == [2, 1]
    assert result.unresolved == ""
    assert "layer 'Killed' (casualties): 1 feature from 1 row of figures.csv" in result.summary()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_export_reads_back(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"joined{suffix}"
    build(_sample(tmp_path), tmp_path / "m.html", export=out, geocoder=FakeGeocoder())
    if suffix == ".gpkg":
        layers = [str(name) for name in pyogrio.list_layers(out)[:, 0]]
        assert layers == ["deployed_personnel", "killed"]
        frame = gpd.read_file(out, layer="killed")
    else:
        features = json.loads(out.read_text(encoding="utf-8"))["features"]
        assert features[2]["properties"]["date"] == "2025-08-20"  # ISO text, JSON-safe
        frame = gpd.read_file(out)
        assert frame["layer"].tolist() == ["Deployed personnel", "Deployed personnel", "Killed"]
        frame = frame[frame["layer"] == "Killed"]
    assert frame["value"].tolist() == [3600.0]
    assert [str(p)[:10] for p in frame["period"]] == ["2025-08-20"]
    details = frame["details"].iloc[0]  # a JSON object (GeoJSON) or its text (GeoPackage)
    assert (json.loads(details) if isinstance(details, str) else details) == {}
    assert frame.crs.to_epsg() == 4326
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left


def test_export_flows_as_lines(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text(
        "place,origin,personnel\nPort-au-Prince,Kenya,800\n", encoding="utf-8"
    )
    spec = tmp_path / "f.toml"
    spec.write_text(
        'title = "F"\n[[layers]]\nname = "Flows"\nkind = "flows"\ndata = "d.csv"\n'
        'place = "place"\norigin = "origin"\nvalue = "personnel"\n',
        encoding="utf-8",
    )
    build(spec, export=tmp_path / "f.geojson", geocoder=FakeGeocoder())
    frame = gpd.read_file(tmp_path / "f.geojson")
    assert frame.geometry.iloc[0].geom_type == "LineString"
    assert list(frame.geometry.iloc[0].coords) == [(36.82, -1.29), (-72.34, 18.54)]
    assert frame["origin_name"].tolist() == ["Kenya (Nairobi)"]


def test_failed_build_leaves_no_file_and_keeps_the_previous_map(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("previous map", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'personal'"):
        build(
            _sample(tmp_path, value="personal"),
            out,
            export=tmp_path / "x.geojson",
            geocoder=FakeGeocoder(),
        )
    assert out.read_text(encoding="utf-8") == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.csv", "map.html", "sample.toml"]


def test_strict_fails_on_unresolved(tmp_path: Path) -> None:
    spec = _sample(tmp_path, figures=FIGURES + "Xyzzyqwv,,5,,,2025-01-01,x\n")
    result = build(spec, geocoder=FakeGeocoder())
    assert result.unresolved == (
        "1 place unresolved in layer 'Deployed personnel': 'Xyzzyqwv' (figures.csv row 6)"
    )
    result.html.unlink()
    with pytest.raises(UnresolvedPlaceError, match="'Xyzzyqwv' \\(figures.csv row 6\\)"):
        build(spec, strict=True, geocoder=FakeGeocoder())
    assert not result.html.exists()


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"export": "out.csv"}, "unsupported output type '.csv'; use .geojson or .json or .gpkg"),
        ({"out": "missing/dir/map.html"}, "does not exist"),
        ({"png": "shot.jpg"}, "use .png"),
    ],
)
def test_bad_outputs_fail_before_reading(
    tmp_path: Path, kwargs: dict[str, str], fragment: str
) -> None:
    kwargs = {k: str(tmp_path / v) for k, v in kwargs.items()}
    with pytest.raises(OutputError, match=fragment.replace(".", r"\.").replace("(", r"\(")):
        build(_sample(tmp_path), geocoder=FakeGeocoder(), **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- CLI


def test_cli_build_with_export_and_summary(tmp_path: Path) -> None:
    spec = _events(tmp_path)
    out, export = tmp_path / "events.html", tmp_path / "events.geojson"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out), "--export", str(export)])
    assert result.exit_code == 0, result.output
    assert "layer 'Events' (events): 2 features from 2 rows of events.csv" in result.stderr
    assert f"wrote {out}" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Battles" in html and "Riots" in html
    assert "<img src=x onerror=alert(1)>" not in html  # data text is escaped
    assert gpd.read_file(export)["value"].tolist() == [4.0, 1200.0]


def test_cli_build_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    spec = _events(tmp_path, value="fatalites")
    out = tmp_path / "typo.html"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "geo: error: events.csv: no column 'fatalites' (value) (did you mean 'fatalities'?)"
    )
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_build_bad_cell_names_file_row_column(tmp_path: Path) -> None:
    spec = _events(tmp_path)
    (tmp_path / "events.csv").write_text(EVENTS.replace('"1,200"', "12O5"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(spec)])
    assert result.exit_code == 1
    assert (
        "geo: error: events.csv row 3, column fatalities: '12O5' is not a number" in result.stderr
    )


def test_cli_build_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    assert "geo build maps/demo.toml -o maps/demo.html" in result.output
    for option in ("--fragment", "--cdn", "--strict", "--export", "--png", "--width"):
        assert option in result.output


def test_demo_build_with_every_figure_and_source(tmp_path: Path) -> None:
    result = build(
        ROOT / "maps" / "demo.toml",
        tmp_path / "demo.html",
        export=tmp_path / "demo.geojson",
        geocoder=FakeGeocoder(),
    )
    frames = {layer.spec.kind: layer.frame for layer in result.layers}
    assert frames["deployment"]["value"].fillna(-1).tolist() == [800.0, -1]  # EAC/SADC present
    assert frames["deployment"]["group"].tolist() == ["Kenya", "EAC and SADC"]
    assert frames["deployment"]["period"].tolist() == ["2024-06 – 2025-08", "2025-08"]
    assert frames["flows"]["origin_name"].tolist() == ["Kenya (Nairobi)"]
    assert frames["casualties"]["value"].tolist() == [3600.0]
    assert frames["casualties"]["details"].iloc[0] == {"Children": "100"}
    assert frames["casualties"]["qualifier"].tolist() == ["more than"]
    assert frames["displacement"]["value"].tolist() == [500000.0]
    for frame in frames.values():
        assert all("Capital News" in s for s in frame["sources"])
    assert result.unresolved == ""
    html = result.html.read_text(encoding="utf-8")
    for text in ("3,600", "500,000", "800", "more than", "Capital News"):
        assert text in html


# --------------------------------------------------------------------------- where


# One table for every layer, as `geo extract` writes it: a kind column, one value column,
# empty values for presence and in rows of other kinds.
SHARED = """place,kind,value,group,actor,confidence,source
Port-au-Prince,deployed,800,,Kenya,0.9,Capital News
Haiti,killed,3600,,,0.9,UN
Haiti,killed,100,children,,0.8,UN
Haiti,displaced,500000,,,0.9,UN
eastern DRC,deployed,,,EAC and SADC,0.6,Capital News
Haiti,funding,85300000,disbursed,,0.85,Capital News
"""
SHARED_SPEC = """title = "Shared table"
[[layers]]
name = "Deployment"
kind = "deployment"
data = "figures.csv"
place = "place"
value = "value"
group = "actor"
where = {{kind = "deployed"}}
[[layers]]
name = "Killed"
kind = "casualties"
data = "figures.csv"
place = "place"
value = "value"
where = {{ {killed} }}
[[layers]]
name = "Displaced"
kind = "displacement"
data = "figures.csv"
place = "place"
value = "value"
where = {{kind = ["displaced", "Returned"]}}
"""


def _shared(tmp_path: Path, killed: str = 'kind = "killed", group = ""') -> Path:
    (tmp_path / "figures.csv").write_text(SHARED, encoding="utf-8")
    spec = tmp_path / "shared.toml"
    spec.write_text(SHARED_SPEC.format(killed=killed), encoding="utf-8")
    return spec


def test_where_selects_each_layers_rows_and_empty_deployment_is_presence(tmp_path: Path) -> None:
    result = build(_shared(tmp_path), geocoder=FakeGeocoder())
    frames = {layer.spec.name: layer.frame for layer in result.layers}
    deployed = frames["Deployment"]
    assert deployed["value"].fillna(-1).tolist() == [800.0, -1]  # EAC/SADC: present
    assert deployed["group"].tolist() == ["Kenya", "EAC and SADC"]
    assert frames["Killed"]["value"].tolist() == [3600.0]  # not 3,700: children are a part
    assert frames["Displaced"]["value"].tolist() == [500000.0]
    assert "layer 'Killed' (casualties): 1 feature from 1 row of figures.csv" in result.summary()
    html = result.html.read_text(encoding="utf-8")
    for text in ("800", "3,600", "500,000", "EAC and SADC"):
        assert text in html
    assert "85,300,000" not in html  # funding rows belong to no layer


def test_where_filters_before_values_are_validated(tmp_path: Path) -> None:
    # a note in the value column of a row of another kind is not this layer's problem
    spec = _shared(tmp_path)
    (tmp_path / "figures.csv").write_text(
        SHARED + "Haiti,note,see text,,,0.1,x\n", encoding="utf-8"
    )
    result = build(spec, geocoder=FakeGeocoder())
    assert [len(layer.frame) for layer in result.layers] == [2, 1, 1]
    # ...but a bad value in a selected row still names the file, row and column
    (tmp_path / "figures.csv").write_text(SHARED + "Haiti,killed,12O5,,,0.1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="figures.csv row 8, column value: '12O5'"):
        build(spec, geocoder=FakeGeocoder())


def test_where_unknown_column_names_spec_layer_column_and_columns(tmp_path: Path) -> None:
    spec = _shared(tmp_path, killed='knd = "killed"')
    out = tmp_path / "shared.html"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out)])
    assert result.exit_code == 1
    assert (
        "geo: error: shared.toml: layer 'Killed': where names column 'knd', which "
        "figures.csv does not have; did you mean 'kind'? (the columns are: place, kind, "
        "value, group, actor, confidence, source)"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_where_value_matching_nothing_warns_with_the_values_found(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = _shared(tmp_path, killed='kind = "kiled"')
    with caplog.at_level("WARNING", logger="geo"):
        result = build(spec, geocoder=FakeGeocoder())
    assert len(result.layers[1].frame) == 0
    assert "selects none of the 6 rows of figures.csv" in caplog.text
    assert "kind: deployed, displaced, funding, killed" in caplog.text


# --------------------------------------------------------------------------- end to end

SEED = ROOT / "tests" / "data" / "reports" / "seed_haiti.txt"  # copy of the seed article
SEED_SPEC = """title = "Haiti and eastern DRC, from the seed article"
[[layers]]
name = "Deployment"
kind = "deployment"
data = "figures.csv"
place = "place"
value = "value"
group = "actor"
popup = ["evidence"]
where = {kind = "deployed"}
[[layers]]
name = "Casualties"
kind = "casualties"
data = "figures.csv"
place = "place"
value = "value"
date = "date"
where = {kind = "killed", group = ""}
[[layers]]
name = "Displacement"
kind = "displacement"
data = "figures.csv"
place = "place"
value = "value"
where = {kind = "displaced"}
"""


def _real_geocoder_ready() -> bool:
    import geo

    try:
        return geo.geocode("Port-au-Prince").resolved
    except Exception:  # the offline gazetteer is not built on this checkout
        return False


def test_extract_then_build_the_seed_article_with_the_real_geocoder(tmp_path: Path) -> None:
    """`geo extract` -> figures.csv -> a spec with `where` filters -> `geo build`."""
    if not _real_geocoder_ready():
        pytest.skip("the offline geocoder cannot resolve Port-au-Prince here")
    figures, spec, out = tmp_path / "figures.csv", tmp_path / "seed.toml", tmp_path / "m.html"
    runner = CliRunner()
    extracted = runner.invoke(
        cli, ["extract", str(SEED), "--date", "2025-08-20", "-o", str(figures)]
    )
    assert extracted.exit_code == 0, extracted.output
    spec.write_text(SEED_SPEC, encoding="utf-8")
    export = tmp_path / "m.geojson"
    built = runner.invoke(
        cli, ["build", str(spec), "-o", str(out), "--strict", "--export", str(export)]
    )
    assert built.exit_code == 0, built.output
    assert "layer 'Casualties' (casualties): 1 feature from 1 row of figures.csv" in built.stderr
    data = gpd.read_file(export)
    values = {k: sorted(g["value"].fillna(-1)) for k, g in data.groupby("layer")}
    assert values["Casualties"] == [3600.0] and values["Displacement"] == [500000.0]
    assert values["Deployment"] == [-1, 800.0]  # EAC and SADC in eastern DRC: presence
    deployed = data[data["layer"] == "Deployment"].set_index("group")
    assert deployed.loc["EAC and SADC", "precision"] == "region"
    assert deployed.loc["EAC and SADC", "country"] == "COD"
    assert deployed.loc["Kenya", "value"] == 800.0
    html = out.read_text(encoding="utf-8")
    for text in ("800", "3,600", "500,000", "Kenya", "Haiti"):
        assert text in html
    assert "3,700" not in html  # the 100 children are part of the 3,600, not added
    assert "85,300,000" not in html and "96,800,000" not in html  # funding is not people


def _run_in_terminal(args: list[str], cwd: Path) -> str:
    """Run the real `geo` with stderr on a pseudo-terminal; return what the terminal saw."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    geo_cmd = Path(sys.executable).with_name("geo")
    proc = subprocess.Popen(
        [str(geo_cmd), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0, seen
    return seen.decode("utf-8", "replace")


@pytest.mark.slow  # more than 10 s on a 2-core machine
def test_build_shows_step_progress_on_a_terminal_only(tmp_path):
    spec = ROOT / "maps" / "demo.toml"
    # run from tmp_path, the demo's ../data/ is outside the spec's folder and the cwd
    args = ["build", str(spec), "-o", str(tmp_path / "tty.html"), "--allow-outside"]
    on_tty = _run_in_terminal(args, tmp_path)
    assert "reading deployment.csv" in on_tty and "drawing" in on_tty
    piped = CliRunner().invoke(cli, ["build", str(spec), "-o", str(tmp_path / "pipe.html")])
    assert piped.exit_code == 0, piped.output
    assert "reading deployment.csv" not in piped.output and "drawing" not in piped.output


def test_spec_footer_and_sources_reach_the_map_as_text(tmp_path):
    (tmp_path / "f.csv").write_text(
        "place,personnel,source\nGoma,10,Row source\n", encoding="utf-8"
    )
    (tmp_path / "s.toml").write_text(
        'title = "T"\nfooter = "Desk <b>note</b>"\nsources = ["Spec-wide source"]\n'
        '[[layers]]\nname = "D"\nkind = "deployment"\ndata = "f.csv"\nplace = "place"\n'
        'value = "personnel"\n',
        encoding="utf-8",
    )
    html = build(tmp_path / "s.toml", tmp_path / "m.html").html.read_text(encoding="utf-8")
    assert "Spec-wide source" in html and "Row source" in html
    assert "Desk \\u003cb\\u003enote\\u003c/b\\u003e" in html and "<b>note</b>" not in html


def test_an_options_table_is_not_a_silently_ignored_key(tmp_path):
    (tmp_path / "f.csv").write_text("place,personnel\nGoma,10\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'title = "T"\n[options]\nzoom = 3\n[[layers]]\nname = "D"\nkind = "deployment"\n'
        'data = "f.csv"\nplace = "place"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "s.toml")])
    assert result.exit_code == 1 and "'options'" in result.output
    assert not (tmp_path / "s.html").exists()


# --------------------------------------------------------------------------- projection

WIDE_EVENTS = (
    "id,lat,lon,notes,event_type,fatalities,date,source,junk\n"
    '1,18.5392,-72.3350,"a, note",Battles,4,2025-03-01,Source A,"#N/A ""=1/0"" \x01"\n'
    '2,18.7333,-72.4167,,Riots,"1,200",2025-03-02,Source B,1e999\n'
)


def _wide(tmp_path: Path, value: str = "fatalities") -> Path:
    spec = _events(tmp_path, value=value)
    (tmp_path / "events.csv").write_text(WIDE_EVENTS, encoding="utf-8")
    return spec


def test_build_reads_only_the_columns_the_layers_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.builder

    seen: list[list[str]] = []
    real = geo.builder.join_layer

    def spy(layer, table, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(list(table.columns))
        return real(layer, table, **kwargs)

    monkeypatch.setattr(geo.builder, "join_layer", spy)
    result = build(_wide(tmp_path))
    # mapped columns plus the default source column; id, notes and junk are never read
    assert seen == [["lat", "lon", "event_type", "fatalities", "date", "source"]]
    assert result.layers[0].frame["value"].tolist() == [4.0, 1200.0]


def test_build_missing_column_still_lists_every_column_of_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        build(_wide(tmp_path, value="fatalites"))
    assert str(err.value) == (
        "events.csv: no column 'fatalites' (value) (did you mean 'fatalities'?); the columns "
        "are: id, lat, lon, notes, event_type, fatalities, date, source, junk"
    )


def test_presence_layer_still_sees_unmapped_figure_columns(tmp_path: Path) -> None:
    # displaced is mapped by no layer, yet its row is a figure row, not a presence
    spec = _sample(tmp_path)
    spec.write_text(
        SPEC.format(value="personnel").split('[[layers]]\nname = "Killed"')[0], encoding="utf-8"
    )
    result = build(spec, geocoder=FakeGeocoder())
    assert result.layers[0].frame["value"].fillna(-1).tolist() == [800.0, -1]
