"""Paths: a spec reads only files in its folder (or the current one) unless the user allows
more, an output never overwrites an input, and a failed build keeps every previous output
(issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import SpecError
from geo.spec import load_spec

from .conftest import events_spec

ROWS = "lat,lon,event_type,fatalities\n-1.67,29.22,Battles,3\n"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A spec folder ``desk/`` and a private file beside it; the current folder is the
    spec's folder, as when a user runs a spec received from another desk."""
    desk = tmp_path / "desk"
    desk.mkdir()
    (tmp_path / "private.csv").write_text(
        "lat,lon,event_type,fatalities\n1,2,PRIVATE-ROW,9\n", encoding="utf-8"
    )
    monkeypatch.chdir(desk)
    return desk


@pytest.mark.parametrize("data", ["../private.csv", "{abs}", "sub/../../private.csv"])
def test_data_outside_the_spec_folder_is_refused(elsewhere: Path, data: str) -> None:
    data = data.format(abs=elsewhere.parent / "private.csv")
    spec = events_spec(elsewhere, data)
    with pytest.raises(SpecError, match="outside the spec's folder") as err:
        load_spec(spec)
    assert "--allow-outside" in str(err.value)
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(elsewhere / "m.html")])
    assert result.exit_code == 1 and "PRIVATE-ROW" not in result.output
    assert not (elsewhere / "m.html").exists()


def test_a_symlink_out_of_the_folder_is_refused(elsewhere: Path) -> None:
    (elsewhere / "rows.csv").symlink_to(elsewhere.parent / "private.csv")
    with pytest.raises(SpecError, match="outside the spec's folder"):
        load_spec(events_spec(elsewhere, "rows.csv"))


def test_allow_outside_reads_it(elsewhere: Path) -> None:
    spec = events_spec(elsewhere, "../private.csv")
    out = elsewhere / "m.html"
    result = CliRunner().invoke(cli, ["build", str(spec), "-o", str(out), "--allow-outside"])
    assert result.exit_code == 0, result.output
    assert "PRIVATE-ROW" in out.read_text(encoding="utf-8")


def test_data_under_the_current_folder_is_allowed(tmp_path: Path, monkeypatch) -> None:
    # the project layout of maps/demo.toml: the spec in maps/, its data in data/
    (tmp_path / "maps").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rows.csv").write_text(ROWS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_spec(events_spec(tmp_path / "maps", "../data/rows.csv")).layers


def test_a_folder_as_data_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").mkdir()
    with pytest.raises(SpecError, match="'rows.csv' is a folder"):
        load_spec(events_spec(tmp_path, "rows.csv"))


GEOJSON = (
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
    '{"event_type": "Battles", "fatalities": 3}, '
    '"geometry": {"type": "Point", "coordinates": [29.22, -1.67]}}]}'
)


@pytest.mark.parametrize(
    "flag, data, target",
    [
        ("-o", "rows.csv", "rows.csv"),
        ("-o", "rows.csv", "map.toml"),
        ("--export", "rows.geojson", "rows.geojson"),
        ("--png", "rows.csv", "map.toml"),
    ],
)
def test_an_output_never_overwrites_an_input(
    tmp_path: Path, flag: str, data: str, target: str
) -> None:
    (tmp_path / data).write_text(GEOJSON if data.endswith("json") else ROWS, encoding="utf-8")
    spec = events_spec(tmp_path, data)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["build", str(spec), flag, str(tmp_path / target)]
    if flag != "-o":
        args += ["-o", str(tmp_path / "m.html")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "which the build reads" in result.output or "unsupported output type" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_failed_png_keeps_the_previous_map_and_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    spec = events_spec(tmp_path, "rows.csv")
    out, export, png = tmp_path / "m.html", tmp_path / "m.geojson", tmp_path / "m.png"
    for path in (out, export, png):
        path.write_text("previous", encoding="utf-8")
    monkeypatch.setenv("GEO_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = CliRunner().invoke(
        cli, ["build", str(spec), "-o", str(out), "--export", str(export), "--png", str(png)]
    )
    assert result.exit_code == 1
    assert [p.read_text(encoding="utf-8") for p in (out, export, png)] == ["previous"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["rows.csv", "map.toml", "m.html", "m.geojson", "m.png"]
    )


def test_extract_never_writes_over_its_report(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("Fighting killed 5 people in Goma on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(report), "-o", str(report)])
    assert result.exit_code == 1 and "names a report" in result.output
    assert report.read_text(encoding="utf-8").startswith("Fighting killed 5")
