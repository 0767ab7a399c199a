"""Layer builders: what each kind serialises for the runtime (sizes, colours, popups,
legends, areas, events columns)."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest
from layers.frames import demo_layers, events_layer, layer, row
from layers.payload import columns
from shapely.geometry import box

from geo.errors import InputError, SpecError
from geo.layers import KINDS, build_layer
from geo.layers.base import format_number, nice_values, popup_content
from geo.layers.flows import bezier


def payload(data) -> dict:
    return json.loads(build_layer(data).payload)


def by_name(name: str) -> dict:
    data = next(d for d in demo_layers() if d.spec.name == name)
    return payload(data)


def test_every_kind_has_a_builder():
    assert sorted(KINDS) == [
        "casualties",
        "choropleth",
        "deployment",
        "displacement",
        "events",
        "flows",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [(3600.0, "3,600"), (578074, "578,074"), (2.5, "2.5"), (np.nan, "not reported"), ("x", "x")],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_nice_legend_values():
    assert nice_values(800) == [800.0, 200.0, 50.0]
    assert nice_values(0) == []
    assert nice_values(5) == [5.0, 1.0]  # no fractional people in a legend


def test_deployment_area_proportional_and_presence_only():
    cfg = payload(
        layer(
            "MSS",
            "deployment",
            [
                row("A", 1, 1, 800, group="Kenya"),
                row("B", 2, 2, 200, group="Kenya"),
                row("C", 3, 3, None, group="EAC"),
            ],
        )
    )
    a, b, c = cfg["feats"]
    assert a["r"] == pytest.approx(2 * b["r"])  # 4x the personnel, 2x the radius
    assert c.get("h") == 1 and "h" not in a
    assert ["Personnel", "present (no count)"] in c["pop"]["r"]
    assert a["c"] != c["c"]  # coloured by contributor
    labels = [i["label"] for i in cfg["legend"]["items"]]
    assert {"EAC", "Kenya", "800 personnel", "present (no count)"} <= set(labels)


def test_approximate_places_get_an_area_and_say_so():
    cfg = by_name("MSS personnel")
    drc = cfg["feats"][1]
    assert drc["a"] == 1 and cfg["areas"][drc["ai"]]["type"] == "Polygon"
    assert ["Approximate location", "eastern DRC (region)"] in drc["pop"]["r"]
    assert "a" not in cfg["feats"][0]
    assert any("approximate" in n for n in cfg["legend"]["notes"])


def test_identical_areas_are_stored_once():
    area = box(0, 0, 1, 1)
    cfg = payload(
        layer(
            "X",
            "deployment",
            [
                row("R", 0.5, 0.5, 1, precision="region", area=area, period="2023"),
                row("R", 0.5, 0.5, 2, precision="region", area=area, period="2024"),
            ],
        )
    )
    assert len(cfg["areas"]) == 1 and cfg["periods"] == ["2023", "2024"]


def test_casualties_popup_qualifier_details_range_and_source():
    cfg = by_name("Killed")
    haiti, cap = cfg["feats"]
    assert haiti["pop"]["r"][0] == ["Killed", "more than 3,600"]
    assert ["Children", "100"] in haiti["pop"]["r"] and ["Injured", "1,200"] in haiti["pop"]["r"]
    assert ["Source", "UN via seed article"] in haiti["pop"]["r"]
    assert ["Period", "2024"] in haiti["pop"]["r"]
    assert ["Range", "10–20 (best estimate 12)"] in cap["pop"]["r"]
    assert haiti["tip"] == "Haiti: more than 3,600 killed"


def test_casualties_size_by_best_estimate():
    cfg = payload(
        layer(
            "K",
            "casualties",
            [
                row("A", 1, 1, 5, details={"low": 1, "best": 100, "high": 200}),
                row("B", 2, 2, 100),
            ],
        )
    )
    assert cfg["feats"][0]["r"] == cfg["feats"][1]["r"]


def test_heatmap_never_includes_approximate_figures():
    cfg = by_name("Killed")
    assert cfg["heat"] == [[19.76, -72.2, 12.0]]  # the country-level 3,600 is left out


def test_flows_curve_from_origin_to_destination():
    cfg = by_name("Deployment flows")
    line = cfg["feats"][0]["line"]
    assert line[0] == [-1.29, 36.82] and line[-1] == [18.54, -72.34] and len(line) == 33
    assert cfg["feats"][0]["pop"]["t"] == "Nairobi → Port-au-Prince"
    mid = bezier((0, 0), (0, 10), segments=2)[1]
    assert mid[0] != 0  # bent, not straight


def test_flows_without_origin_is_an_input_error():
    with pytest.raises(InputError, match="origin"):
        build_layer(layer("F", "flows", [row("A", 1, 1, 5)]))


def test_displacement_is_square_and_distinct_from_casualties():
    cfg = by_name("Displaced")
    assert cfg["shape"] == "square"
    assert cfg["feats"][0]["c"] != by_name("Killed")["feats"][0]["c"]
    assert cfg["feats"][0]["pop"]["r"][0] == ["Displaced", "more than 578,074"]


def test_choropleth_classes_and_no_data():
    cfg = by_name("Provinces")
    colors = [f["c"] for f in cfg["feats"]]
    assert colors[2] == "#cccccc" and colors[0] != colors[1]
    assert cfg["feats"][0]["geom"]["type"] == "Polygon"
    assert [i["label"] for i in cfg["legend"]["items"]][-1] == "no data"


def test_events_columns_round_trip():
    data = events_layer(500)
    cfg = payload(data)
    cols = columns(cfg)
    assert cfg["n"] == 500 and cfg["z"] == 0
    frame = data.frame
    assert np.allclose(cols["lat"] / 1e5, frame.geometry.y, atol=1e-5)
    assert np.array_equal(cols["v"], frame["value"].to_numpy("f4"))
    assert [cfg["dicts"]["g"][i] for i in cols["g"][:5]] == list(frame["group"][:5])
    assert np.array_equal(cols["a"].astype(bool), (frame["precision"] == "admin1").to_numpy())
    assert cfg["dicts"]["d"][cols["d"][0]] == frame["date"].iloc[0].strftime("%Y-%m-%d")
    assert cfg["dicts"]["p"][cols["p"][0]] == frame["date"].iloc[0].strftime("%Y-%m")
    assert cfg["dicts"]["s"] == ["ACLED"]


@pytest.mark.slow  # more than 10 s on a 2-core machine
def test_events_large_layers_are_compressed_and_vectorised():
    data = events_layer(200_000)
    start = time.perf_counter()
    element = build_layer(data)
    took = time.perf_counter() - start
    cfg = json.loads(element.payload)
    assert cfg["z"] == 1 and len(columns(cfg)["lon"]) == 200_000
    assert took < 5, f"200k events took {took:.1f} s to encode"
    assert len(element.payload) < 200_000 * 20  # bytes per event, all columns


def test_events_cluster_option():
    assert payload(events_layer(10, cluster=False))["aggregate"] == -1
    assert payload(events_layer(10, cluster=True))["aggregate"] == 300


def test_small_events_layers_are_drawn_as_svg_large_ones_on_canvas():
    small, large = payload(events_layer(3000)), payload(events_layer(3001))
    assert small["svg"] == 1 and large["svg"] == 0
    assert not any("bins" in n for n in small["legend"]["notes"])
    assert any("bins" in n for n in large["legend"]["notes"])
    # asked to cluster: the canvas draws the bins even for a small layer
    assert payload(events_layer(500, cluster=True))["svg"] == 0
    assert payload(events_layer(500, cluster=False))["svg"] == 1


def test_events_dates_stored_once_when_periods_are_the_dates():
    data = events_layer(400)
    frame = data.frame.copy()
    frame["period"] = frame["date"].dt.strftime("%Y-%m-%d")  # what join gives plain dates
    data = type(data)(spec=data.spec, frame=frame)
    element = build_layer(data)
    cfg = json.loads(element.payload)
    cols = columns(cfg)
    assert cfg["pd"] == 1 and "p" not in cols and "p" not in cfg["dicts"]
    assert [cfg["dicts"]["d"][c] for c in cols["d"][:5]] == list(frame["period"][:5])
    assert sorted(element.periods) == sorted(set(frame["period"]))
    # real period labels (not the dates) are still stored as their own column
    frame["period"] = frame["date"].dt.strftime("%Y-%m") + " week"
    cfg = payload(type(data)(spec=data.spec, frame=frame))
    assert cfg["pd"] == 0 and "p" in cfg["dicts"]


def test_impossible_coordinates_are_an_input_error():
    with pytest.raises(InputError, match="impossible coordinates"):
        build_layer(layer("X", "deployment", [row("Nowhere", 95, 1, 3)]))


def test_bad_colour_and_kind_are_spec_errors():
    with pytest.raises(SpecError, match="color"):
        build_layer(layer("X", "deployment", [row("A", 1, 1, 3)], color="red;}</style>"))
    with pytest.raises(SpecError, match="not a layer kind"):
        build_layer(layer("X", "heat", [row("A", 1, 1, 3)]))


def test_popup_lists_extra_columns_and_aggregation():
    content = popup_content(
        {
            "name": "Goma",
            "query": "Goma, North Kivu",
            "value": 12.0,
            "precision": "city",
            "rows": 3,
            "actor": "M23",
            "date": pd.Timestamp("2024-02-01"),
        },
        value_label="Killed",
        extra=("actor",),
    )
    assert content["t"] == "Goma"
    assert ["Place in data", "Goma, North Kivu"] in content["r"]
    assert ["Actor", "M23"] in content["r"] and ["Date", "2024-02-01"] in content["r"]
    assert ["Rows", "aggregated from 3 rows"] in content["r"]


@pytest.mark.parametrize(
    ("kind", "group", "label"),
    [
        ("deployment", "contributor", "Contributor"),
        ("deployment", "force", "Force"),
        ("casualties", "event_type", "Event type"),
        ("deployment", None, "Contributor"),
    ],
)
def test_popup_names_the_group(kind, group, label):
    cfg = payload(
        layer("MSS", kind, [row("A", 1, 1, 800, group="Kenya"), row("B", 2, 2, 5)], group=group)
    )
    a, b = cfg["feats"]
    assert a["pop"]["r"][1] == [label, "Kenya"]  # right after the figure
    assert all(r[0] != label for r in b["pop"]["r"])  # no group, no row


def test_events_popup_group_label_follows_the_column():
    assert payload(events_layer(5))["groupLabel"] == "Event type"
