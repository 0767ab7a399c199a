"""What a map leaves out, said on the map, on stderr and in a file next to the map.

Per layer: the rows not mapped (their place was not found) with the share of the value
they carry, and the bad rows skipped (``on_bad_rows = "skip"``). :func:`layer_notes`
words them for the map, :func:`summary_lines` for stderr (a count and the first places),
:func:`write_list` writes every row to ``<map>.notes.csv``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from geo.atomic import write_atomic
from geo.figures import rows_text
from geo.models import LayerData

# What a layer's value counts, as its legend says it (choropleths: the column's name).
UNITS = {
    "casualties": "killed",
    "events": "killed",
    "displacement": "displaced",
    "deployment": "personnel",
    "flows": "personnel",
}
SHOWN = 20  # places named on stderr; the file lists them all


def layer_notes(layer: LayerData) -> list[str]:
    """``["2,599 rows (30,994 best, 32%) not mapped: place not found", ...]``."""
    attrs = getattr(layer.frame, "attrs", {})
    word = attrs.get("row_word", "row")
    out = []
    lost = attrs.get("not_mapped") or {}
    if lost.get("rows"):
        n = int(lost["rows"])
        value = ""
        if lost.get("value") is not None and layer.spec.value:
            share = f", {lost['share']:.0%}" if lost.get("share") is not None else ""
            unit = UNITS.get(layer.spec.kind, layer.spec.value)
            value = f" ({lost['value']:,.0f} {unit}{share})"
        out.append(f"{n:,} {word}{'' if n == 1 else 's'}{value} not mapped: place not found")
    bad = attrs.get("bad_rows") or ()
    if bad:
        whys = sorted({str(b[3]) for b in bad})
        n = len(bad)
        out.append(f"{n:,} bad {word}{'' if n == 1 else 's'} skipped: {'; '.join(whys)}")
    return out


def summary_lines(layers: Sequence[LayerData], notes_file: Path | None) -> list[str]:
    """Per layer with something left out: the count and the first places / bad rows."""
    lines = []
    where = f" (all in {notes_file})" if notes_file else ""
    for layer in layers:
        attrs = getattr(layer.frame, "attrs", {})
        file, word = attrs.get("file", "table"), attrs.get("row_word", "row")
        if layer.unresolved:
            rows = attrs.get("unresolved_rows", {})
            shown = []
            for query in layer.unresolved[:SHOWN]:
                r = rows.get(query, ())
                at = f" ({file} {word}{'s' if len(r) > 1 else ''} {rows_text(r)})" if r else ""
                shown.append(f"{query!r}{at}")
            n = len(layer.unresolved)
            more = f", and {n - SHOWN:,} more{where}" if n > SHOWN else where
            lines.append(
                f"{n:,} place{'s' if n > 1 else ''} unresolved in layer {layer.spec.name!r}: "
                + ", ".join(shown)
                + more
            )
        bad = attrs.get("bad_rows") or ()
        if bad:
            by_why: dict[tuple[str, str], list[object]] = {}
            for row, column, _value, why in bad:
                by_why.setdefault((str(column), str(why)), []).append(row)
            shown = [
                f"column {column}: {why} ({word}{'s' if len(rows) > 1 else ''} {rows_text(rows)})"
                for (column, why), rows in by_why.items()
            ]
            lines.append(
                f"{len(bad):,} bad {word}{'s' if len(bad) > 1 else ''} of {file} skipped in "
                f"layer {layer.spec.name!r}: " + "; ".join(shown) + where
            )
    return lines


def write_list(layers: Sequence[LayerData], out: Path) -> Path | None:
    """Every unresolved place and skipped row as CSV next to the map (None: nothing left
    out). Columns: layer, file, row, column, value, why."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["layer", "file", "row", "column", "value", "why"])
    count = 0
    for layer in layers:
        attrs = getattr(layer.frame, "attrs", {})
        file = attrs.get("file", "table")
        place = layer.spec.place or ""
        for query, rows in (attrs.get("unresolved_rows") or {}).items():
            for row in rows:
                writer.writerow([layer.spec.name, file, row, place, query, "place not found"])
                count += 1
        for row, column, value, why in attrs.get("bad_rows") or ():
            writer.writerow([layer.spec.name, file, row, column, value, why])
            count += 1
    if not count:
        return None
    path = out.with_name(out.stem + ".notes.csv")
    write_atomic(path, _safe(buffer.getvalue()), what="the list of rows left out")
    return path


def _safe(text: str) -> str:
    """Cells opening with = + - @ would run as formulas in a spreadsheet: quote them."""
    lines = []
    for row in csv.reader(io.StringIO(text)):
        lines.append(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue()
