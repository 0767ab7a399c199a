"""The one table of forces, missions and armed actors (``forces.toml``), read once.

>>> MISSIONS["MONUSCO"], "MONUSCO" in FORCES, LONG_NAMES["african union"]
('COD', True, 'AU')
"""

from __future__ import annotations

import tomllib
from pathlib import Path

_TABLE = tomllib.loads((Path(__file__).with_name("forces.toml")).read_text(encoding="utf-8"))
_ROWS: list[dict[str, object]] = _TABLE["force"]

# Forces whose presence or deployment a report can state, as written.
FORCES: tuple[str, ...] = tuple(str(f["name"]) for f in _ROWS if f.get("presence"))
# Actors of a figure, in match order.
ACTORS: tuple[str, ...] = tuple(str(f["name"]) for f in _ROWS if f.get("actor"))
# A mission -> the ISO3 country it serves.
MISSIONS: dict[str, str] = {str(f["name"]): str(f["country"]) for f in _ROWS if "country" in f}
# A long name (lower case) -> the force's name.
LONG_NAMES: dict[str, str] = {
    str(long): str(f["name"])
    for f in _ROWS
    for long in f.get("long", [])  # type: ignore[attr-defined]
}
