"""The rule that matches extracted figure rows to the expected ones of a keyed report.

Shared by ``bench/extract_score.py`` and the extract tests (``tests/extract_fakes.py``
re-exports it), so a benchmark never imports from ``tests/``.
"""

from __future__ import annotations

import pandas as pd


def match(frame: pd.DataFrame, expected: list[dict[str, str]]) -> tuple[set[int], list[dict]]:
    """Rows of ``frame`` matched to ``expected`` figures, and the expected ones missed.

    An expected figure (``kind``, ``value``, ``place`` with acceptable places split by
    ``|``; an empty value is presence) matches one not yet matched row with the same kind,
    a value within 0.5, and the place as written or as geocoded. Shared by the tests and
    ``bench/extract_score.py``.
    """
    used: set[int] = set()
    missed: list[dict] = []
    for want in expected:
        places = {p.lower() for p in want["place"].split("|")}
        for i, row in frame.iterrows():
            same = (
                pd.isna(row.value)
                if not want["value"]
                else not pd.isna(row.value) and abs(row.value - float(want["value"])) < 0.5
            )
            if (
                i not in used
                and row.kind == want["kind"]
                and same
                and (str(row.place).lower() in places or str(row["name"]).lower() in places)
            ):
                used.add(i)
                break
        else:
            missed.append(want)
    return used, missed
