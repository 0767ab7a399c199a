"""The registry of layer kinds (geo/kinds.py) and the payload schema (geo/layers/payload.py)."""

from __future__ import annotations

import re
from typing import get_type_hints

from geo import kinds, largefile, layers, models
from geo.layers import payload
from geo.render import ASSETS


def test_every_registered_kind_has_a_builder_and_back() -> None:
    assert set(kinds.KINDS) == set(layers.KINDS) == set(models.LAYER_KINDS)
    for name, builder in layers.KINDS.items():
        assert builder.kind == name
        assert builder().info is kinds.KINDS[name]


def test_kind_properties_come_from_the_registry() -> None:
    from geo import columns, latest

    assert set(largefile.AGGREGATED_KINDS) == {k for k, v in kinds.KINDS.items() if v.aggregated}
    assert set(columns.PRESENCE_KINDS) == {"deployment", "flows"}
    assert set(latest.STOCK_KINDS) == {"deployment", "flows", "displacement"}
    assert [k for k, v in kinds.KINDS.items() if v.origin] == ["flows"]
    assert kinds.KINDS["events"].drawer == "events"


def test_every_payload_key_is_documented_in_the_runtime_header() -> None:
    head = (ASSETS / "js" / "00-head.js").read_text(encoding="utf-8")
    schema = head[head.index("Payload") : head.index("Probe")]
    words = set(re.findall(r"\w+", schema))
    for typed in (
        payload.Popup,
        payload.Feature,
        payload.LegendItem,
        payload.Legend,
        payload.LayerPayload,
        payload.FinishPayload,
        payload.Base,
    ):
        missing = set(get_type_hints(typed)) - words
        assert not missing, f"{typed.__name__}: {sorted(missing)} not in 00-head.js"
