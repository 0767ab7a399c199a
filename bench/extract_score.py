"""Score ``geo extract`` on the test reports (a script, not a test).

    .venv/bin/python bench/extract_score.py            # one line per report set
    .venv/bin/python bench/extract_score.py -v         # also each report, misses and extras
    .venv/bin/python bench/extract_score.py tests/data/reports/heldout   # one folder

Each ``NAME.expected.csv`` next to a report lists ``kind,value,place`` (``place`` holds
the acceptable places separated by ``|``; an empty ``value`` is presence without a count).
A row is right when its kind, value and place (as written or as geocoded) match one
expected figure not matched before. ``found%`` = matched / expected (recall), ``right%`` =
matched / emitted (precision). Reports are read with the project's offline geocoder; the
report date comes from ``dates.csv`` in the report's folder when it is listed there.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"
SETS = (
    REPORTS,
    REPORTS / "round2",
    REPORTS / "heldout",
    REPORTS / "round3",
    REPORTS / "fresh3",
    REPORTS / "fresh4",
    REPORTS / "fresh5",
    REPORTS / "fresh6",
    REPORTS / "fresh7",
    REPORTS / "fresh8",
    REPORTS / "fresh9",
    REPORTS / "fresh10",
    REPORTS / "fresh11",
    REPORTS / "fresh12",
    REPORTS / "fresh13",
    REPORTS / "fresh14",
    REPORTS / "fresh15",
    REPORTS / "fresh16",
    REPORTS / "fresh17",
    REPORTS / "fresh18",
    REPORTS / "fresh19",
    REPORTS / "fresh20",
    REPORTS / "fresh21",
    REPORTS / "fresh22",
    REPORTS / "fresh23",
    REPORTS / "fresh24",
    REPORTS / "fresh25",
    REPORTS / "fresh26",
    REPORTS / "fresh27",
    REPORTS / "fresh28",
    REPORTS / "fresh29",
    REPORTS / "fresh30",
    REPORTS / "fresh31",
    REPORTS / "fresh32",
    REPORTS / "fresh33",
    REPORTS / "fresh34",
    REPORTS / "fresh35",
    REPORTS / "fresh36",
    REPORTS / "fresh37",
    REPORTS / "fresh38",
    REPORTS / "fresh39",
    REPORTS / "fresh40",
    REPORTS / "fresh41",
    REPORTS / "fresh42",
    REPORTS / "fresh43",
    REPORTS / "fresh44",
    REPORTS / "fresh45",
    REPORTS / "fresh46",
    REPORTS / "fresh47",
)

log = logging.getLogger(__name__)

sys.path.insert(0, str(ROOT))
from extract_match import match  # noqa: E402  (bench/, beside this script)


def _report_of(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.csv")
    return next(p for p in expected.parent.glob(stem + ".*") if p != expected)


def score_folder(folder: Path, verbose: bool = False) -> tuple[int, int, int]:
    """Return (matched, expected, emitted) over the reports of ``folder``."""
    from geo.extract import extract

    dates_csv = folder / "dates.csv"
    dates = (
        {r["report"]: r["report_date"] for r in csv.DictReader(dates_csv.open(encoding="utf-8"))}
        if dates_csv.exists()
        else {}
    )
    total = [0, 0, 0]
    for exp in sorted(folder.glob("*.expected.csv")):
        report = _report_of(exp)
        frame = extract([report], report_date=dates.get(report.name))
        want = list(csv.DictReader(exp.open(encoding="utf-8")))
        used, missed = match(frame, want)
        total = [total[0] + len(used), total[1] + len(want), total[2] + len(frame)]
        if verbose:
            print(f"  {report.name}: {len(used)}/{len(want)} found, {len(used)}/{len(frame)} right")
            for want_row in missed:
                print(f"    MISSED {want_row['kind']} {want_row['value']} {want_row['place']}")
            for i, row in frame.iterrows():
                if i not in used:
                    print(
                        f"    EXTRA  {row.kind} {row.value} {row.place} | {str(row.evidence)[:90]}"
                    )
    return total[0], total[1], total[2]


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"


def main(argv: list[str] | None = None) -> int:
    """Print found% and right% per report folder and over all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="report folders")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    folders = args.folders or list(SETS)
    grand = [0, 0, 0]
    for folder in folders:
        matched, expected, emitted = score_folder(folder, args.verbose)
        grand = [grand[0] + matched, grand[1] + expected, grand[2] + emitted]
        name = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
        print(f"{name}: found {_pct(matched, expected)}, right {_pct(matched, emitted)}")
    if len(folders) > 1:
        print(f"all: found {_pct(grand[0], grand[1])}, right {_pct(grand[0], grand[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
