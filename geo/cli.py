"""The ``geo`` command line: thin wrappers that parse arguments, call the Python API and
turn a :class:`~geo.errors.GeoError` into a one-line message and an exit code.

Exit codes: 0 success, 1 a result the user must look at (unresolved places, a failed
build), 2 a usage error.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from geo.errors import GeoError


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a GeoError into ``geo: error: ...`` on stderr and exit 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeoError as exc:
            click.echo(f"geo: error: {exc}", err=True)
            sys.exit(1)

    return wrapper


class _StderrHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"geo: {record.levelname.lower()}: {record.getMessage()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geo")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """geo: geocode the places in crisis reporting and draw layered offline maps.

    \b
    Examples:
      geo geocode "Port-au-Prince" "eastern DRC"
      geo build maps/demo.toml -o maps/demo.html
    """
    log = logging.getLogger("geo")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        log.addHandler(_StderrHandler())
    log.setLevel(logging.INFO if verbose else logging.WARNING)


@cli.command()
@click.argument("queries", nargs=-1, required=True)
@click.option("--country", "-c", metavar="CODE", help="Country hint (ISO2/ISO3 code or name).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True
)
@click.option("--online", is_flag=True, help="Also ask Nominatim (cached; 1 request/s).")
@_handle_errors
def geocode(queries: tuple[str, ...], country: str | None, fmt: str, online: bool) -> None:
    """Geocode place names. QUERY '-' reads one query per line from stdin.

    Exit status: 0 if every query resolved, 1 if any is unresolved, 2 on a usage error.

    \b
    Examples:
      geo geocode "Goma, North Kivu" "eastern DRC" --format json
      printf 'Kyiv\\nSanaa\\n' | geo geocode - --format table
    """
    from geo.geocode import geocode_many

    expanded: list[str] = []
    for q in queries:
        if q == "-":
            # Bytes, decoded here: undecodable input becomes U+FFFD (reported as unresolved
            # by the geocoder) instead of a UnicodeDecodeError or invalid UTF-8 JSON.
            data = sys.stdin.buffer.read().decode("utf-8-sig", "replace")
            expanded.extend(line for line in data.splitlines() if line.strip())
        else:
            # Arguments that were not valid UTF-8 arrive surrogate-escaped.
            expanded.append(q.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    places = geocode_many(expanded, country=country, online=online, progress=True)
    if fmt == "json":
        for p in places:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
    else:
        click.echo(_table(places))
    if not all(p.resolved for p in places):
        sys.exit(1)


def _table(places: list[Any]) -> str:
    rows = [("query", "name", "lat", "lon", "precision", "country", "score")]
    for p in places:
        if p.resolved:
            rows.append(
                (
                    p.query,
                    p.name or "",
                    f"{p.lat:.4f}",
                    f"{p.lon:.4f}",
                    p.precision or "",
                    p.country or "",
                    f"{p.score:.2f}" + (" ~" if p.fuzzy else ""),
                )
            )
        else:
            rows.append((p.query, "(unresolved)", "", "", "", "", ""))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


@cli.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False),
    metavar="OUT.html",
    help="Output HTML file (default: the spec path with .html).",
)
@click.option("--fragment", is_flag=True, help="Write an embeddable snippet, not a page.")
@click.option("--cdn", is_flag=True, help="Link Leaflet/plugin assets from CDNs (smaller file).")
@click.option("--strict", is_flag=True, help="Fail if any place cannot be geocoded.")
@click.option(
    "--export",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also write the joined data (.geojson or .gpkg) for GIS tools.",
)
@click.option(
    "--png",
    type=click.Path(dir_okay=False),
    metavar="OUT.png",
    help="Also render a PNG screenshot (needs Chromium).",
)
@click.option(
    "--width",
    type=click.IntRange(100, 10000),
    default=1200,
    show_default=True,
    help="PNG width in pixels.",
)
@click.option(
    "--height",
    type=click.IntRange(100, 10000),
    default=800,
    show_default=True,
    help="PNG height in pixels.",
)
@click.option(
    "--scale",
    type=click.FloatRange(0.5, 4),
    default=1.0,
    show_default=True,
    help="PNG device pixels per CSS pixel: 2 gives the same view with twice the pixels.",
)
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False),
    metavar="OUT.pdf",
    help="Also print a one-page PDF (needs Chromium), the whole legend below the map.",
)
@click.option("--online", is_flag=True, help="Ask Nominatim for places the gazetteer lacks.")
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help='Leave bad rows out (counted and listed) instead of stopping, as on_bad_rows = "skip".',
)
@click.option(
    "--allow-outside",
    is_flag=True,
    help="Let the spec read data files outside its folder and the current folder "
    "(only for a spec you trust).",
)
@_handle_errors
def build(
    spec: str,
    out: str | None,
    fragment: bool,
    cdn: bool,
    strict: bool,
    export: str | None,
    png: str | None,
    width: int,
    height: int,
    scale: float,
    pdf: str | None,
    online: bool,
    skip_bad_rows: bool,
    allow_outside: bool,
) -> None:
    """Build the layered map a TOML SPEC describes as one self-contained HTML file.

    Every layer is read and checked before anything is written; a failed build leaves
    no file behind and keeps the previous map. A summary (features per layer,
    unresolved places) goes to stderr. Rows are numbered as a spreadsheet shows them
    (the CSV header is row 1).

    Exit status: 0 built, 1 an error (bad spec or data; unresolved places with
    --strict), 2 a usage error.

    \b
    Examples:
      geo build maps/demo.toml -o maps/demo.html
      geo build maps/demo.toml --strict --export demo.geojson
      geo build maps/demo.toml --fragment -o report-map.html --png demo.png
      geo build maps/demo.toml --png demo.png --scale 2 --pdf demo.pdf
    """
    from geo.builder import build as build_map

    result = build_map(
        spec,
        out,
        fragment=fragment,
        cdn=cdn,
        strict=strict,
        export=export,
        png=png,
        width=width,
        height=height,
        scale=scale,
        pdf=pdf,
        online=online,
        progress=True,
        skip_bad_rows=skip_bad_rows,
        allow_outside=allow_outside,
    )
    click.echo(result.summary(), err=True)


@cli.command()
@click.argument("reports", nargs=-1, required=True, metavar="REPORT...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV table, or JSON lines (one object per row).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write the rows to FILE (atomically) instead of stdout.",
)
@click.option(
    "--date",
    "report_date",
    metavar="YYYY-MM-DD",
    help="The reports' date, to resolve 'this year', 'last week' (default: the "
    "date the report states, if any).",
)
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    help="The reports' language (en, fr; a folder of geo/extract/lang/). Default: "
    "detected per report.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Add a 'rule' column: the named rule that gave each row its kind.",
)
@click.option(
    "--places",
    "list_places",
    is_flag=True,
    help="List the places the reports mention instead of figures: one row per "
    "distinct place as written (name, lat, lon, precision, country, count, "
    "first sentence).",
)
@_handle_errors
def extract(
    reports: tuple[str, ...],
    fmt: str,
    out: str | None,
    report_date: str | None,
    language: str | None,
    explain: bool,
    list_places: bool,
) -> None:
    """Extract candidate figure rows from news REPORTs (text or HTML files; '-' is stdin).

    Each row is one figure to review: place (as written, and geocoded), kind (deployed,
    killed, injured, displaced, funding), value, qualifier, subgroup, actor, source,
    date phrase and range, the sentence it came from and a confidence. The columns are
    the figure schema `geo build` reads. A report without figures gives an empty table
    (a header only), a note on stderr and exit 0.

    \b
    Examples:
      geo extract report.txt --date 2025-08-20 -o figures.csv
      curl -s URL | geo extract - --format json
      geo extract --places report.txt
      geo extract rapport.txt --lang fr --explain
    """
    from geo.errors import InputError
    from geo.extract import extract as extract_figures
    from geo.extract import write_rows
    from geo.extract.dates import parse_report_date

    if report_date and parse_report_date(report_date) is None:
        raise InputError(f"--date: {report_date!r} is not a date; use YYYY-MM-DD")
    if out is not None and any(
        r != "-" and Path(r).exists() and Path(r).resolve() == Path(out).resolve() for r in reports
    ):
        raise InputError(f"{out}: -o names a report this command reads; choose another file")
    if list_places:
        from geo.extract import places

        frame, noun = places(list(reports)), ("places", "places")
    else:
        frame = extract_figures(
            list(reports), report_date=report_date, language=language, explain=explain
        )
        noun = ("figures", "candidate figures")
    text = write_rows(frame, out, fmt)
    if out is None:
        click.echo(text, nl=False)
    if frame.empty:
        click.echo(f"geo: note: no {noun[0]} found in " + ", ".join(reports), err=True)
    elif out is not None:
        click.echo(f"geo: wrote {len(frame)} {noun[1]} to {out}", err=True)


def main() -> None:
    """Entry point of the ``geo`` console script."""
    exit_cleanly_on_signals()
    cli(prog_name="geo")


def exit_cleanly_on_signals() -> None:
    """Make SIGTERM and SIGHUP end the process through SystemExit, so that half-written
    temporary files are removed on the way out (a SIGKILL's leftovers are cleaned by the
    next write of the same file, see :func:`geo.atomic.clean_stale`)."""
    import signal

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    main()
