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

from geo.extract import lang

_CELL_NUMBER = lang.Pattern("tables", "cell_number")
_KEY_FIGURE = lang.Pattern("tables", "key_figure")
_TOTAL = lang.Pattern("tables", "total")
# rows that are no place: "Rest of country", "Other provinces", "Unknown"
_NO_PLACE = lang.Pattern("tables", "no_place")


def tables_to_prose(text: str) -> str:
    """Rewrite pipe tables and key-figure lines of ``text`` as sentences; other lines stay."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        run = _table_run(lines, i) or _aligned_run(lines, i) or _spaced_run(lines, i)
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
    if not _is_row(lines[i]) or any(_CELL_NUMBER.match(c) for c in _cells(lines[i])):
        return None  # (a header holds no number: known before reading the rows after it,
        # which kept a long table of numbered rows quadratic, issue 16)
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
    if not data or not any(_CELL_NUMBER.match(c) for r in data for c in r[1:]):
        return None
    return rows, end


_RULE = lang.Pattern("tables", "rule")
_PLACE_HEADER = lang.Pattern("tables", "place_header")
_HOUSEHOLD_HEADER = lang.Pattern("tables", "household_header")
_PEOPLE_HEADER = lang.Pattern("tables", "people_header")


def _aligned_run(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    """A plain-text table aligned in columns under a rule of dashes ("------  -----"):
    its rows cut at the rule's column starts, as for a pipe table."""
    if i + 1 >= len(lines) or not lines[i].strip() or not _RULE.match(lines[i + 1]):
        return None
    starts = [m.start() for m in re.finditer(r"-+", lines[i + 1])]

    def cut(line: str) -> list[str]:
        bounds = [*starts[1:], max(len(line), starts[-1]) + 1]
        return [line[a:b].strip() for a, b in zip(starts, bounds, strict=True)]

    rows, j = [cut(lines[i])], i + 2
    while j < len(lines) and lines[j].strip() and not _RULE.match(lines[j]):
        rows.append(cut(lines[j]))
        j += 1
    if len(rows) < 2 or not any(_CELL_NUMBER.match(c) for r in rows[1:] for c in r[1:]):
        return None
    return rows, j


def _spaced_run(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    """A table whose columns are set apart by runs of spaces, without a rule: a header of
    three or more words or phrases, then rows with as many cells, numbers after the first
    ("Zemio      41      34      22      9,400")."""
    header = re.split(r"\s{2,}", lines[i].strip())
    if len(header) < 3 or any(_CELL_NUMBER.match(h) for h in header):
        return None
    rows, j = [header], i + 1
    while j < len(lines) and lines[j].strip():
        cells = re.split(r"\s{2,}", lines[j].strip())
        if len(cells) != len(header) or not any(_CELL_NUMBER.match(c) for c in cells[1:]):
            break
        rows.append(cells)
        j += 1
    return (rows, j) if len(rows) >= 2 else None


def _table_sentences(rows: list[list[str]]) -> list[str]:
    header = [re.sub(r"\s*\([^)]*\)", "", h).strip() for h in rows[0]]
    # the place is the first column headed like one ("Date | Location | Killed"), else the first
    first = next((k for k, h in enumerate(header) if _PLACE_HEADER.match(h)), 0)
    context = [k for k, h in enumerate(header) if k != first and _PLACE_HEADER.match(h)]
    people = any(_PEOPLE_HEADER.match(h) for h in header)
    out = [""]
    for row in rows[1:]:
        label = ", ".join(
            c
            for c in [row[first].strip(" *")] + [row[k] for k in context]
            if c and not _CELL_NUMBER.match(c)
        )
        if _NO_PLACE.match(label):
            continue
        lead = "Overall, " if _TOTAL.match(label) else f"In {label}, "
        parts = [
            f"{lead}{cell} {header[k].lower()}."
            for k, cell in enumerate(row)
            if k != first
            and _CELL_NUMBER.match(cell)
            and not (people and _HOUSEHOLD_HEADER.match(header[k]))
        ]
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
