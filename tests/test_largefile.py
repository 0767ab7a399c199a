"""Out-of-core pre-aggregation (geo.largefile) gives what the in-memory path gives."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from geo.builder import load_layers
from geo.errors import InputError
from geo.models import LayerSpec, MapSpec, Place


class Fake:
    def geocode(self, query, country=None):
        return Place(
            query=query, name=query, lat=1.0 + len(query), lon=2.0, precision="city", resolved=True
        )


ROWS = [("place", "killed", "kind", "date", "source")] + [
    (
        f"Town{i % 7}",
        str(i % 5 * 1000 if i % 3 else f"{i % 5},000"),
        "killed" if i % 4 else "other",
        f"2025-0{1 + i % 3}",
        f"S{i % 2}",
    )
    for i in range(60)
]


def _write(tmp_path, rows, fmt):
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    path = tmp_path / f"f.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    return path


def _features(path, monkeypatch, budget, **kw):
    monkeypatch.setenv("GEO_MEMORY_BUDGET_MB", budget)
    layer = LayerSpec(
        name="K",
        kind="casualties",
        data=str(path),
        place="place",
        value="killed",
        date="date",
        **kw,
    )
    (out,) = load_layers(MapSpec(title="t", layers=(layer,)), geocoder=Fake())
    frame = out.frame
    return frame[["name", "value", "rows", "sources", "period"]].to_dict("records")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("where", [None, {"kind": "killed"}])
def test_same_features(tmp_path, monkeypatch, caplog, fmt, where):
    path = _write(tmp_path, ROWS, fmt)
    expected = _features(path, monkeypatch, "100000", where=where)
    with caplog.at_level(logging.INFO, logger="geo"):
        got = _features(path, monkeypatch, "0", where=where)
    assert got == expected
    assert "aggregated out of core" in caplog.text


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (("Town1", "12O5", "killed", "2025-01", "S"), "is not a number"),
        (("Town1", "-3", "killed", "2025-01", "S"), "is negative"),
        (("", "3", "killed", "2025-01", "S"), "is empty"),
        (("Town1", "3", "killed", "08/06/2025", "S"), "ambiguous"),
        (("Town1", "3", "killed", "someday", "S"), "is not a date"),
    ],
)
def test_same_errors(tmp_path, monkeypatch, row, problem):
    rows = ROWS[:10] + [row] + ROWS[10:20] + [row]
    path = _write(tmp_path, rows, "csv")
    messages = []
    for budget in ("100000", "0"):
        with pytest.raises(InputError, match=problem) as err:
            _features(path, monkeypatch, budget)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "f.csv row 11" in messages[0]
