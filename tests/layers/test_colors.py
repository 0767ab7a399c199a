"""Colours that stay put: one colour per group across the layers of a map and rebuilds."""

from __future__ import annotations

import pytest

from geo.errors import SpecError
from geo.layers.colors import EVENTS, GROUPS, assign
from geo.render import render_map, to_html
from geo.spec import load_spec
from layers.frames import events_layer, layer, map_spec, row
from layers.payload import layers


def contributors(*names: str) -> list:
    rows = [row("Port-au-Prince", 18.54, -72.34, 100 + i, group=n) for i, n in enumerate(names)]
    flows = [
        row(
            "Port-au-Prince",
            18.54,
            -72.34,
            100 + i,
            group=n,
            origin_name=n,
            origin_lat=-1.3 + i,
            origin_lon=36.8 - i,
        )
        for i, n in enumerate(names)
    ]
    return [
        layer("Deployed", "deployment", rows, group="contributor"),
        layer("Flows", "flows", flows, group="contributor"),
    ]


def legend_colors(html: str) -> dict[str, dict[str, str]]:
    return {
        name: {it["label"]: it["color"] for it in cfg["legend"]["items"] if "size" not in it}
        for name, cfg in layers(html).items()
    }


def test_a_group_has_one_colour_in_every_layer_and_keeps_it_when_another_is_added():
    before = legend_colors(to_html(render_map(map_spec(), contributors("Kenya", "Jamaica"))))
    assert before["Deployed"]["Kenya"] == before["Flows"]["Kenya"]
    assert before["Deployed"]["Kenya"] != before["Deployed"]["Jamaica"]
    after = legend_colors(
        to_html(render_map(map_spec(), contributors("Barbados", "Kenya", "Jamaica")))
    )
    assert after["Deployed"]["Kenya"] == after["Flows"]["Kenya"] == before["Deployed"]["Kenya"]
    assert len(set(after["Deployed"].values())) == 3


def test_the_spec_colors_table_pins_a_group_in_every_layer():
    spec = map_spec(options={"colors": {"kenya": "#006600"}})
    found = legend_colors(to_html(render_map(spec, contributors("Kenya", "Jamaica"))))
    assert found["Deployed"]["Kenya"] == found["Flows"]["Kenya"] == "#006600"
    assert found["Deployed"]["Jamaica"] != "#006600"


def test_event_types_and_contributors_never_share_a_colour():
    html = to_html(render_map(map_spec(), contributors("Kenya") + [events_layer(50)]))
    cfg = layers(html)["Events"]
    assert set(cfg["colors"]) <= set(EVENTS)
    assert not set(GROUPS) & set(EVENTS)
    assert legend_colors(html)["Deployed"]["Kenya"] in GROUPS


def test_groups_of_one_map_get_distinct_colours_while_the_palette_lasts():
    names = [f"Force {i}" for i in range(len(GROUPS))]
    table = assign({"groups": names})["groups"]
    assert sorted(table.values()) == sorted(GROUPS)
    assert assign({"groups": names})["groups"] == table  # deterministic


@pytest.mark.parametrize("bad", ['colors = "red"', '[colors]\nKenya = "url(x)"'])
def test_a_bad_colors_table_is_an_error_naming_it(tmp_path, bad):
    path = tmp_path / "map.toml"
    (tmp_path / "f.csv").write_text("place,n\nGoma,1\n", encoding="utf-8")
    layer_table = '[[layers]]\nname = "L"\nkind = "casualties"\ndata = "f.csv"\nplace = "place"\n'
    path.write_text(f'title = "t"\n{bad}\n{layer_table}', encoding="utf-8")
    with pytest.raises(SpecError, match="colors"):
        load_spec(path)
