"""Tables rendered as text, turned into sentences the figure rules read.

Dashboards and web pages give figures in tables ("Municipality | IDPs | Returnees", an HTML
``<table>``) and key-figure lines ("Deaths (confirmed): 4,352"). Each data row becomes one
paragraph of short sentences, one per numeric cell, with the row's first cell as its place
and the column heading as the noun: "In Derna, 30,076 IDPs." A key-figure line becomes the
figure followed by its label: "4,352 deaths."

    >>> print(tables_to_prose("Location | Deaths | Injured\\nDerna | 3,922 | 2,100").strip())
    In Derna, 3,922 deaths. In Derna, 2,100 injured.
    >>> tables_to_prose("Deaths (confirmed): 4,352 | Funding received: US$31.2M")
    '4,352 deaths. US$31.2M funding received.'
"""

from __future__ import annotations

import re

_CELL_NUMBER = re.compile(
    r"^(?:[A-Z]{0,3}\$|US\$|USD|EUR|€|£|CHF)?\s?\d[\d,.]*\s?(?:[MBK]|mn|bn|million|billion)?"
    r"\+?$", re.I)
_KEY_FIGURE = re.compile(r"^(?P<label>[A-Za-z][\w ,'/-]{1,50}?)\s*(?:\([^)]{0,40}\))?\s*:\s*"
                         r"(?P<value>[^:|]+?)\s*$")
_TOTAL = re.compile(r"^(?:total|overall|all|grand\s+total)\b", re.I)


def tables_to_prose(text: str) -> str:
    """Rewrite pipe tables and key-figure lines of ``text`` as sentences; other lines stay."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        run = _table_run(lines, i)
        if run:
            rows, i = run
            out.extend(_table_sentences(rows))
            continue
        out.append(_key_figures(lines[i]))
        i += 1
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_row(line: str) -> bool:
    return line.count("|") >= 1 and len(_cells(line)) >= 2 and len(line) < 300


def _table_run(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    """Rows (header first) of a pipe table starting at line ``i``, blank lines between rows
    allowed, and the index after it; None when line ``i`` starts no table."""
    if not _is_row(lines[i]):
        return None
    width = len(_cells(lines[i]))
    rows, j, end = [_cells(lines[i])], i + 1, i + 1
    while j < len(lines):
        line = lines[j]
        if not line.strip() or re.fullmatch(r"[\s|:=-]+", line):
            j += 1
            continue
        if not _is_row(line) or len(_cells(line)) != width:
            break
        rows.append(_cells(line))
        j += 1
        end = j
    data = rows[1:]
    if not data or not any(_CELL_NUMBER.match(c) for r in data for c in r[1:]) \
            or any(_CELL_NUMBER.match(c) for c in rows[0]):
        return None
    return rows, end


def _table_sentences(rows: list[list[str]]) -> list[str]:
    header = [re.sub(r"\s*\([^)]*\)", "", h).strip() for h in rows[0]]
    out = [""]
    for row in rows[1:]:
        label = row[0].strip(" *")
        lead = "Overall, " if _TOTAL.match(label) else f"In {label}, "
        parts = [f"{lead}{cell} {header[k].lower()}."
                 for k, cell in enumerate(row) if k and _CELL_NUMBER.match(cell)]
        if parts:
            out.extend([" ".join(parts), ""])
    return out


def _key_figures(line: str) -> str:
    parts = [p.strip() for p in line.split("|")]
    said: list[str] = []
    for part in parts:
        m = _KEY_FIGURE.match(part)
        if not m or not _CELL_NUMBER.match(m.group("value")):
            return line
        said.append(f"{m.group('value')} {m.group('label').strip().lower()}.")
    return " ".join(said)
