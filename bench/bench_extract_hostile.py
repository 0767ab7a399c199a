"""Time ``geo extract`` on crafted hostile shapes of text (issue 16: linear in input size).

Each shape is written to ``bench/out/hostile/`` at the asked size (default 100 KB) and run
through ``geo extract FILE -o /dev/null`` in a fresh process, so the time includes start-up
and the gazetteer load (about 1 s). The target is under 5 s per shape at 100 KB, judged on
the CPU time of the child (user + system): the wall time is printed too, but on a shared
machine it measures the other jobs as much as geo::

    .venv/bin/python bench/bench_extract_hostile.py                  # every shape, 100 KB
    .venv/bin/python bench/bench_extract_hostile.py --size 10000     # 10 KB
    .venv/bin/python bench/bench_extract_hostile.py --shape lines_no_stop --timeout 60

To time another tree (the code before a change), run from outside the project with
``PYTHONPATH=/path/to/that/tree``. A shape that runs past ``--timeout`` seconds is
stopped and reported as ``>TIMEOUT``.
Text that ``geo extract`` cannot read (it refuses binary-looking input) is reported with
its exit code; only the time counts here.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "hostile"
TARGET_S = 5.0


def _numbered(template: str) -> Iterator[str]:
    for i in itertools.count(1):
        yield template.format(i=i, j=i * 7 % 1000 + 3)


SHAPES: dict[str, Callable[[], Iterator[str]]] = {
    # one incident per line, no final punctuation (chat exports, pasted tables)
    "lines_no_stop": lambda: _numbered("{i} killed in Goma\n"),
    "lines_with_stop": lambda: _numbered("{i} killed in Goma.\n"),
    "lines_lowercase": lambda: _numbered("killed {i} people in goma and bukavu\n"),
    "lines_comma_end": lambda: _numbered("{i} killed in Goma,\n"),
    "lines_cr_only": lambda: _numbered("{i} killed in Goma\r"),
    "lines_crlf": lambda: _numbered("{i} killed in Goma\r\n"),
    "one_long_line": lambda: _numbered("{i} killed in Goma "),
    "one_long_line_commas": lambda: _numbered("{i} killed in Goma, "),
    "long_words": lambda: iter(lambda: "killed" * 50 + " ", None),
    "numbers_only": lambda: _numbered("{i},{j:03d} "),
    "number_lines": lambda: _numbered("{i}\n"),
    "places_only": lambda: iter(lambda: "Goma Bukavu Uvira Beni Butembo Kinshasa ", None),
    "abbreviations": lambda: iter(lambda: "Gen. Dr. Mr. St. ", None),
    "initials": lambda: iter(lambda: "A. B. C. D. ", None),
    "decimals": lambda: _numbered("{i}.{j} "),
    "chat_export": lambda: _numbered("[24/11/25, 08:12] Field Officer: {i} killed in Goma\n"),
    "bullets": lambda: _numbered("- {i} killed in Goma\n"),
    "tsv_rows": lambda: _numbered("Goma\t{i}\tkilled\t{j}\tinjured\n"),
    "pipe_rows": lambda: _numbered("| Goma | {i} | killed | {j} |\n"),
    "html_br": lambda: _numbered("<br>{i} killed in Goma"),
    "html_cells": lambda: _numbered("<tr><td>Goma</td><td>{i} killed</td></tr>"),
    "quotes_parens": lambda: _numbered('"({i} killed in "Goma" ('),
    "dates": lambda: _numbered("on {i} March 2025 in Goma "),
    "mixed_wrapped": lambda: _numbered(
        "Fighting in Goma on Monday displaced {i},000 people and killed {j} civilians\n"
    ),
}


def write_shape(name: str, size: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}_{size}.txt"
    parts: list[str] = []
    total = 0
    for piece in SHAPES[name]():
        parts.append(piece)
        total += len(piece.encode())
        if total >= size:
            break
    path.write_bytes("".join(parts).encode()[:size])
    return path


def run(path: Path, timeout: float) -> tuple[float | None, float | None, int | None]:
    """Wall and CPU seconds (user + system of the child) and the exit code."""
    start = time.perf_counter()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "geo", "extract", str(path), "-o", "/dev/null"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, None, None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    return wall, cpu, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="bytes per shape")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per shape")
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these")
    args = parser.parse_args(argv)
    names = args.shape or list(SHAPES)
    print(f"| shape ({args.size:,} bytes) | wall s | CPU s | exit | < {TARGET_S:g} s |")
    print("|---|---:|---:|---:|---|")
    failed = 0
    for name in names:
        wall, cpu, code = run(write_shape(name, args.size), args.timeout)
        ok = cpu is not None and cpu < TARGET_S
        failed += not ok
        late = f">{args.timeout:g}"
        shown = (late, late)
        if wall is not None and cpu is not None:
            shown = (f"{wall:.2f}", f"{cpu:.2f}")
        code_s = code if code is not None else "-"
        print(f"| {name} | {shown[0]} | {shown[1]} | {code_s} | {'yes' if ok else 'NO'} |")
        sys.stdout.flush()
    print(f"\n{len(names) - failed}/{len(names)} shapes under {TARGET_S:g} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
