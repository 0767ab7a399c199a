"""Colours that stay put: one colour per group (contributor, force, event type) across
every layer of a map and across rebuilds.

A group's colour comes from a stable hash of its name into the palette of its meaning
(contributors and forces: ``groups``; event types: ``events``; the two share no colour,
and neither uses the casualty red), unless the spec's ``[colors]`` table names it. Within a
map two groups never share a colour while the palette has a free one: a group whose
hashed colour is taken moves to the next free colour, groups claiming in the order of
their hash, so adding a group to the data can move another only when both want the
same colour (name a colour in ``[colors]`` to pin it for good).

>>> assign({"groups": {"Kenya", "Jamaica"}})["groups"]["Kenya"] == color_of("Kenya")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

# Contributors and forces: Tableau 10 without its red (casualties) and grey (no data).
GROUPS = ("#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
# Event types: ColorBrewer Dark2 and two more, no colour shared with GROUPS.
EVENTS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
          "#666666", "#1f78b4", "#b15928")  # fmt: skip
PALETTES: dict[str, tuple[str, ...]] = {"groups": GROUPS, "events": EVENTS}


def key(name: str) -> str:
    """The form a group name is compared in: case and surrounding spaces ignored."""
    return " ".join(str(name).split()).casefold()


def _hash(name: str) -> int:
    return int.from_bytes(hashlib.sha256(key(name).encode("utf-8")).digest()[:8], "big")


def color_of(name: str, palette: str = "groups") -> str:
    """The colour a group gets when nothing else in the map wants it (pure hash)."""
    colors = PALETTES[palette]
    return colors[_hash(name) % len(colors)]


def assign(
    groups: Mapping[str, Iterable[str]], fixed: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Palette name -> {group: colour} for every group of a map.

    ``groups`` maps a palette name to the group names of the layers using it; ``fixed`` is
    the spec's ``[colors]`` table (group name -> colour, names compared by :func:`key`).
    """
    pinned = {key(k): v for k, v in (fixed or {}).items()}
    out: dict[str, dict[str, str]] = {}
    for palette, names in groups.items():
        colors = PALETTES.get(palette, GROUPS)
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        free: list[str] = []
        for name in sorted({str(n) for n in names}):
            if key(name) in pinned:
                mapping[name] = pinned[key(name)]
                taken.add(pinned[key(name)].lower())
            else:
                free.append(name)
        for name in sorted(free, key=lambda n: (_hash(n), n)):
            slot = _hash(name) % len(colors)
            for step in range(len(colors)):
                if colors[(slot + step) % len(colors)] not in taken:
                    slot = (slot + step) % len(colors)
                    break
            mapping[name] = colors[slot]
            taken.add(colors[slot])
        out[palette] = mapping
    return out
