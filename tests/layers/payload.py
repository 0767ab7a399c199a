"""Read back what geo wrote into a page: layer payloads and the finish call."""

from __future__ import annotations

import base64
import json
import re
import zlib

import numpy as np

_LAYER = re.compile(r"geo\.layer\(map_\w+, (\{.*\})\);$", re.MULTILINE)
_FINISH = re.compile(r"geo\.finish\(map_\w+, (\{.*\})\);$", re.MULTILINE)


def layers(html: str) -> dict[str, dict]:
    """Layer name -> payload of every ``geo.layer`` call in ``html``."""
    out = {}
    for match in _LAYER.finditer(html):
        cfg = json.loads(match.group(1))
        out[cfg["name"]] = cfg
    return out


def finish(html: str) -> dict:
    """The payload of the ``geo.finish`` call."""
    match = _FINISH.search(html)
    assert match, "no geo.finish call"
    return json.loads(match.group(1))


def columns(cfg: dict) -> dict[str, np.ndarray]:
    """Decode an events payload's typed-array columns."""
    raw = base64.b64decode(cfg["buf"])
    if cfg["z"]:
        raw = zlib.decompress(raw)
    out = {}
    for col in cfg["cols"]:
        dtype = np.dtype("<" + col["type"])
        out[col["name"]] = np.frombuffer(raw, dtype=dtype, count=cfg["n"], offset=col["offset"])
    return out


def popup_texts(cfg: dict) -> list[str]:
    """Every popup of a vector layer flattened to "title | label: value | ..." strings."""
    return [
        " | ".join([f["pop"]["t"]] + [f"{k}: {v}" for k, v in f["pop"]["r"]]) for f in cfg["feats"]
    ]
