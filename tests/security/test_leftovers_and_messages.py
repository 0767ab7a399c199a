"""Small promises of issue 16: no temporary file outlives a killed write, odd settings and
deep nesting give messages (not tracebacks), and messages suggest the right fix."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.atomic import STALE_SECONDS, write_atomic
from geo.cli import cli
from geo.errors import InputError, SpecError
from geo.figures import parse_coordinates, parse_numbers, read_table
from geo.spec import load_spec

from .conftest import events_spec

HOLDER = """
import sys, time
from pathlib import Path
from geo.atomic import replacing
from geo.cli import exit_cleanly_on_signals
exit_cleanly_on_signals()
with replacing(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"half a map")
    print("writing", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_write_leaves_no_temporary_file(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "map.html"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    assert list(tmp_path.glob(".map.html.*"))  # the temporary file exists meanwhile
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == 128 + sig
    assert list(tmp_path.iterdir()) == []


def test_stale_leftovers_of_a_killed_write_are_cleaned(tmp_path: Path) -> None:
    old_file = tmp_path / ".map.html.k1ll3d.tmp.html"
    old_dir = tmp_path / ".map.html.k1ll3d.tmp"
    fresh = tmp_path / ".map.html.running.tmp.html"  # another write, still going
    old_file.write_bytes(b"x" * 1000)
    old_dir.mkdir()
    (old_dir / "map.html").write_bytes(b"x")
    fresh.write_bytes(b"y")
    past = time.time() - STALE_SECONDS - 60
    for path in (old_file, old_dir):
        os.utime(path, (past, past))
    write_atomic(tmp_path / "map.html", "<p>map</p>", what="the map")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, "map.html"])


def test_extract_of_a_missing_file_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and "missing.csv: no such report file" in result.output


@pytest.mark.parametrize("budget, ok", [("inf", True), ("nan", False), ("-inf", False)])
def test_memory_budget_settings_never_give_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: str, ok: bool
) -> None:
    (tmp_path / "rows.csv").write_text(
        "place,lat,lon,killed\nGoma,-1.67,29.22,3\n", encoding="utf-8"
    )
    (tmp_path / "m.toml").write_text(
        'title = "T"\n[[layers]]\nname = "K"\nkind = "casualties"\ndata = "rows.csv"\n'
        'lat = "lat"\nlon = "lon"\nvalue = "killed"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GEO_MEMORY_BUDGET_MB", budget)
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "m.toml")])
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.output
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert "GEO_MEMORY_BUDGET_MB" in result.output


def test_a_spec_nested_100000_deep_is_a_spec_error(tmp_path: Path) -> None:
    spec = tmp_path / "deep.toml"
    spec.write_text('title = "x"\nv = ' + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(SpecError, match="deep.toml: invalid TOML: .* nested too deeply"):
        load_spec(spec)


def test_a_header_over_64_kb_is_read(tmp_path: Path) -> None:
    names = [f"note_{i:05d}" for i in range(8000)] + ["lat", "lon", "event_type", "fatalities"]
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(names) + "\n" + "," * 8000 + "-1.67,29.22,Battles,3\n", encoding="utf-8"
    )
    assert path.stat().st_size > 65536
    table = read_table(path)
    assert table["fatalities"].tolist() == ["3"] and len(table.columns) == len(names)
    result = CliRunner().invoke(cli, ["build", str(events_spec(tmp_path, "wide.csv"))])
    assert result.exit_code == 0, result.output


def test_a_dotted_count_warns(tmp_path: Path, caplog) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("place,killed\nGoma,3.600\nBeni,12\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="geo"):
        assert parse_numbers(read_table(path), "killed").tolist() == [3.6, 12.0]
    assert "rows.csv row 2, column killed: '3.600' read as 3.6" in caplog.text
    assert "write 3600" in caplog.text


@pytest.mark.parametrize(
    "cell, column, fix",
    [
        ("1°40'S", "lat", "e.g. -1.6667"),
        ("29°13'E", "lon", "e.g. 29.2167"),
        ("1.234.567", "killed", "e.g. 1234567"),
    ],
)
def test_a_bad_number_message_suggests_the_right_fix(
    tmp_path: Path, cell: str, column: str, fix: str
) -> None:
    row = {"lat": "-1.67", "lon": "29.22", "killed": "3"} | {column: cell}
    path = tmp_path / "rows.csv"
    path.write_text(f'lat,lon,killed\n"{row["lat"]}","{row["lon"]}","{row["killed"]}"\n')
    table = read_table(path)
    with pytest.raises(InputError) as err:
        parse_coordinates(table, "lat", "lon")
        parse_numbers(table, "killed")
    assert f"rows.csv row 2, column {column}" in str(err.value) and fix in str(err.value)


SPARSE = """
import resource, sys
from geo.errors import InputError
from geo.figures import read_table
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: the file is 2 GB
try:
    read_table(sys.argv[1])
except InputError as exc:
    print(exc)
"""


def test_a_2_gb_sparse_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "zeros.csv"
    with path.open("wb") as fh:
        fh.truncate(2 << 30)  # sparse: takes no disk space
    done = subprocess.run(
        [sys.executable, "-c", SPARSE, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "zeros.csv: this is a binary file" in done.stdout


def test_out_of_core_reads_the_named_file_not_a_glob_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("duckdb")
    (tmp_path / "rows [v2].csv").write_text(
        "lat,lon,killed\n-1.67,29.22,3\n0.49,29.47,4\n", encoding="utf-8"
    )
    (tmp_path / "rows v.csv").write_text("lat,lon,killed\n1,1,999\n", encoding="utf-8")
    (tmp_path / "m.toml").write_text(
        'title = "T"\n[[layers]]\nname = "K"\nkind = "casualties"\ndata = "rows [v2].csv"\n'
        'lat = "lat"\nlon = "lon"\nvalue = "killed"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GEO_MEMORY_BUDGET_MB", "0")  # every file is read out of core
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "m.toml")])
    assert result.exit_code == 0, result.output
    assert "2 features from 2 rows of rows [v2].csv" in result.output
