"""``geo geocode``: the output contract other tools script against."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli

KEYS = [
    "query",
    "resolved",
    "name",
    "lat",
    "lon",
    "precision",
    "country",
    "source",
    "score",
    "alternatives",
]
NONSENSE = "Qwxzzy Blorfington"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["geocode", *args], input=input)


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_json_keys_in_order_and_values():
    result = run("--format", "json", "Port-au-Prince")
    assert result.exit_code == 0, result.output
    (obj,) = lines(result.stdout)
    assert list(obj)[: len(KEYS)] == KEYS
    assert obj["query"] == "Port-au-Prince" and obj["resolved"] is True
    assert obj["lat"] == pytest.approx(18.54, abs=0.1)
    assert obj["lon"] == pytest.approx(-72.34, abs=0.1)
    assert (obj["precision"], obj["country"]) == ("city", "HTI")
    assert isinstance(obj["score"], float) and isinstance(obj["alternatives"], list)
    for alt in obj["alternatives"]:
        assert list(alt) == ["name", "lat", "lon", "precision", "country"]


def test_input_order_is_preserved_and_unresolved_exits_1():
    queries = ["Nairobi", NONSENSE, "Haiti", "Port-au-Prince", "Kenya", "Nairobi"]
    result = run("--format", "json", *queries)
    assert result.exit_code == 1
    objs = lines(result.stdout)
    assert [o["query"] for o in objs] == queries
    assert [o["resolved"] for o in objs] == [True, False, True, True, True, True]
    unresolved = objs[1]
    assert [unresolved[k] for k in ("name", "lat", "lon", "precision", "country")] == [None] * 5
    assert unresolved["alternatives"] == []
    assert (objs[2]["precision"], objs[2]["country"]) == ("country", "HTI")
    assert objs[0] == objs[5]


def test_all_resolved_exits_0():
    assert run("Nairobi", "Kenya").exit_code == 0


def test_dash_reads_one_query_per_line_from_stdin():
    result = run("--format", "json", "Haiti", "-", input="Nairobi\r\n\n  \nKenya\n")
    assert result.exit_code == 0, result.output
    assert [o["query"] for o in lines(result.stdout)] == ["Haiti", "Nairobi", "Kenya"]


@pytest.mark.parametrize(
    "args",
    [[], ["--format", "xml", "Haiti"], ["--bogus", "Haiti"], ["--country"]],
)
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output or "Error" in result.output


def test_table_format():
    result = run("Port-au-Prince", NONSENSE)
    assert result.exit_code == 1
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["query", "name", "lat", "lon", "precision", "country", "score"]
    assert rows[0].startswith("Port-au-Prince") and "HTI" in rows[0] and "city" in rows[0]
    assert rows[1].startswith(NONSENSE) and "(unresolved)" in rows[1]


@pytest.mark.parametrize("bad", ["", "   ", "x" * 1500, "Go\x01ma"])
def test_bad_queries_are_unresolved_with_a_warning_not_a_traceback(bad):
    result = run("--format", "json", bad, "Nairobi")
    assert result.exit_code == 1
    objs = lines(result.stdout)
    assert [o["resolved"] for o in objs] == [False, True]
    assert "geo: warning: cannot geocode" in result.stderr
    assert "Traceback" not in result.output


def test_country_hint_is_accepted():
    result = run("--format", "json", "--country", "HTI", "Port-au-Prince")
    assert result.exit_code == 0
    assert lines(result.stdout)[0]["country"] == "HTI"


def test_real_subprocess_of_the_installed_command():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("geo")), "geocode", "--format", "json", "-"],
        input=f"Port-au-Prince\n{NONSENSE}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    objs = lines(proc.stdout)
    assert [o["query"] for o in objs] == ["Port-au-Prince", NONSENSE]
    assert objs[0]["lat"] == pytest.approx(18.54, abs=0.1) and objs[1]["resolved"] is False
    assert "Traceback" not in proc.stderr


def test_binary_stdin_gives_unresolved_rows_and_valid_utf8_json():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("geo")), "geocode", "--format", "json", "-"],
        input=b"\xef\xbb\xbfNairobi\n\xff\xfe\x00bin\x01\nKenya\n",
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 1
    objs = lines(proc.stdout.decode("utf-8"))  # strict: the output is valid UTF-8
    assert [o["query"] for o in objs][0::2] == ["Nairobi", "Kenya"]
    assert [o["resolved"] for o in objs] == [True, False, True]
    assert b"cannot geocode" in proc.stderr and b"Traceback" not in proc.stderr
