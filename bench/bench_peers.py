"""Whole-process benchmark: ``geo build`` against the peers on the same events, in one run.

For each N (default 10k, 100k, 1M) it generates or reuses the same synthetic ACLED-style
events (``bench/events_gen.py``, CSV) and, for geo and each peer of ``peer_builds.py``
(lonboard, kepler.gl, plotly, pydeck, folium FastMarkerCluster, geopandas explore):

* **build s**: the whole process, from the interpreter's start to the HTML written,
  ``--repeat`` times (median and range): ``geo build SPEC -o OUT`` (the console script of
  this interpreter's environment) and ``python peer_builds.py TOOL DATA OUT`` in the peers'
  virtualenv (``--peers-python``, default ``.venv-peers/bin/python``);
* **peak RSS**: the child's ``ru_maxrss`` (``os.wait4``), largest of the runs;
* **HTML MB** of the page written;
* **offline / first draw**: the page opened in headless Chromium (``/usr/bin/chromium``) with
  every non-file request aborted; *first draw* is the page clock when at least
  ``DRAWN_PIXELS`` coloured pixels are on its canvases (WebGL canvases are read with
  ``preserveDrawingBuffer`` forced on) or ``min(N, 1000)`` SVG paths or markers exist. A
  page that draws nothing before the cap is "not offline" (its blocked requests are
  counted);
* **attributes at overview**: after the first draw, the mouse hovers and then clicks a
  drawn, coloured pixel; "hover" or "click" when the page then shows text naming a
  location of the data set that was not on the page before.

Writes ``bench/RESULTS_peers.md`` (``--results``). Install the peers once::

    python3 -m venv .venv-peers && .venv-peers/bin/pip install lonboard keplergl plotly \\
        pydeck folium geopandas mapclassify matplotlib pyarrow
    nice .venv/bin/python bench/bench_peers.py --sizes 10000,100000,1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import events_gen  # noqa: E402

PEERS = ("lonboard", "keplergl", "plotly", "pydeck", "folium_fmc", "explore")
LABELS = {
    "geo": "geo",
    "geo_before": "geo (before)",
    "lonboard": "lonboard",
    "keplergl": "kepler.gl",
    "plotly": "plotly",
    "pydeck": "pydeck",
    "folium_fmc": "folium FastMarkerCluster",
    "explore": "geopandas explore()",
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--proxy-server=127.0.0.1:9",
]
VIEWPORT = {"width": 1280, "height": 800}
DRAWN_PIXELS = 300

# WebGL canvases keep their pixels so that the probe below can read them.
_INIT = """
(() => {
  const orig = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, attrs) {
    if (type && String(type).startsWith('webgl'))
      attrs = Object.assign({}, attrs || {}, {preserveDrawingBuffer: true});
    return orig.call(this, type, attrs);
  };
})();
"""

# Coloured pixels on every canvas (sampled on a 2-pixel grid), SVG paths, markers; the
# first coloured pixel found (page coordinates) for the attribute probe.
_PROBE = """
(n) => {
  let colored = 0, hit = null;
  const scratch = document.createElement('canvas');
  for (const c of document.querySelectorAll('canvas')) {
    if (!c.width || !c.height) continue;
    const r = c.getBoundingClientRect();
    if (r.width < 50 || r.height < 50) continue;
    scratch.width = c.width; scratch.height = c.height;
    const g = scratch.getContext('2d', {willReadFrequently: true});
    g.clearRect(0, 0, c.width, c.height);
    try { g.drawImage(c, 0, 0); } catch (e) { continue; }
    const d = g.getImageData(0, 0, c.width, c.height).data;
    for (let y = 0; y < c.height; y += 2) {
      for (let x = 0; x < c.width; x += 2) {
        const i = (y * c.width + x) * 4;
        if (d[i + 3] < 128) continue;
        const hi = Math.max(d[i], d[i + 1], d[i + 2]), lo = Math.min(d[i], d[i + 1], d[i + 2]);
        if (hi - lo < 60) continue;
        colored++;
        if (!hit && x > 4 && y > 4) {
          hit = {x: r.left + x * r.width / c.width, y: r.top + y * r.height / c.height};
        }
      }
    }
  }
  const paths = document.querySelectorAll('svg path, .leaflet-overlay-pane path').length;
  const markers = document.querySelectorAll('.leaflet-marker-pane > *').length;
  const drawn = colored * 4 >= DRAWN || paths + markers >= Math.min(n, 1000);
  if (!drawn) return null;
  if (!hit) {
    const el = document.querySelector('.leaflet-overlay-pane path, .leaflet-marker-pane > *');
    if (el) {
      const b = el.getBoundingClientRect();
      hit = {x: b.left + b.width / 2, y: b.top + b.height / 2};
    }
  }
  return {t: performance.now(), colored: colored * 4, paths, markers, hit};
}
""".replace("DRAWN", str(DRAWN_PIXELS))


@dataclass
class Build:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system s of the child
    peak_rss_mb: float = 0.0
    html_mb: float | None = None
    error: str | None = None


@dataclass
class Page:
    offline: bool = False
    first_draw_s: float | None = None
    blocked: int = 0
    attributes: str = "no"
    note: str = ""


def run_once(cmd: list[str], timeout: float) -> tuple[float, float, float, str | None]:
    """Run ``cmd`` in a fresh process; (wall s, CPU s, peak RSS MB, error or None)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return timeout, 0.0, 0.0, f"timed out after {timeout:.0f} s"
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else ""
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    if proc.returncode:
        return wall, cpu, rss, (err.strip().splitlines() or ["failed"])[-1][:300]
    return wall, cpu, rss, None


def command(tool: str, data: Path, out: Path, spec: Path, opts: argparse.Namespace) -> list[str]:
    if tool == "geo":
        return [str(Path(sys.executable).with_name("geo")), "build", str(spec), "-o", str(out)]
    if tool == "geo_before":
        return [opts.geo_before, "build", str(spec), "-o", str(out)]
    return [opts.peers_python, str(BENCH / "peer_builds.py"), tool, str(data), str(out)]


def build(tool: str, n: int, data: Path, opts: argparse.Namespace) -> tuple[Build, Path]:
    out = opts.out / f"peers_{tool}_{n}.html"
    spec = opts.out / f"peers_geo_{n}.toml"
    spec.write_text(events_gen.SPEC_TEMPLATE.format(n=n, data=data.resolve()), encoding="utf-8")
    result = Build()
    for _ in range(opts.repeat):
        out.unlink(missing_ok=True)
        wall, cpu, rss, err = run_once(command(tool, data, out, spec, opts), opts.timeout)
        if err:
            result.error = err
            break
        result.seconds.append(wall)
        result.cpu.append(cpu)
        result.peak_rss_mb = max(result.peak_rss_mb, rss)
    if out.exists():
        result.html_mb = out.stat().st_size / 1e6
    return result, out


def open_page(html: Path, n: int, locations: list[str], cap: float) -> Page:
    """First draw with the network blocked, then hover and click a drawn pixel."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    page_result = Page()

    def handle(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            page_result.blocked += 1
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(_INIT)
            context.route("**/*", handle)
            page = context.new_page()
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=cap * 1000)
            found = page.wait_for_function(
                _PROBE, arg=n, polling=100, timeout=cap * 1000
            ).json_value()
            page_result.offline = True
            page_result.first_draw_s = found["t"] / 1000
            if found.get("hit"):
                page_result.attributes = _attributes(page, found["hit"], locations)
        except PlaywrightError as exc:
            text = str(exc)
            page_result.note = f"nothing drawn in {cap:.0f} s" if "imeout" in text else text[:160]
        finally:
            browser.close()
    return page_result


def _attributes(page: Any, hit: dict[str, float], locations: list[str]) -> str:
    before = page.evaluate("() => document.body.innerText")

    def shows_location() -> bool:
        after = page.evaluate("() => document.body.innerText")
        new = after.replace(before, "") if before in after else after
        return any(loc in new for loc in locations)

    page.mouse.move(hit["x"], hit["y"])
    page.wait_for_timeout(800)
    if shows_location():
        return "hover"
    page.mouse.click(hit["x"], hit["y"])
    page.wait_for_timeout(800)
    return "click" if shows_location() else "no"


def _locations(data: Path) -> list[str]:
    with data.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        names = {row["location"] for _, row in zip(range(200_000), reader, strict=False)}
    return sorted((x for x in names if len(x) >= 4), key=len, reverse=True)


def _fmt_s(values: list[float]) -> str:
    if not values:
        return "failed"
    med = statistics.median(values)
    return f"{med:.2f} ({min(values):.2f}-{max(values):.2f})"


def _row(tool: str, b: Build, p: Page | None) -> str:
    if b.error and not b.seconds:
        return f"| {LABELS[tool]} | failed: {b.error} | | | | | | |"
    html = f"{b.html_mb:.1f}" if b.html_mb is not None else "–"
    if p is None:
        draw, offline, attrs = "not opened", "–", "–"
    else:
        if p.offline:
            offline = "yes"
        elif p.blocked:
            offline = f"no ({p.blocked} requests blocked)"
        else:
            offline = "self-contained, drew nothing"
        draw = f"{p.first_draw_s:.2f}" if p.first_draw_s is not None else p.note or "–"
        attrs = p.attributes if p.offline else "–"
    return (
        f"| {LABELS[tool]} | {_fmt_s(b.seconds)} | {_fmt_s(b.cpu)} | {b.peak_rss_mb:,.0f} | "
        f"{html} | {offline} | "
        f"{draw} | {attrs} |"
    )


def _ratios(results: dict[str, tuple[Build, Page | None]]) -> str:
    geo_b = results.get("geo", (Build(), None))[0]
    if not geo_b.seconds or not geo_b.html_mb:
        return ""
    g_s, g_cpu = statistics.median(geo_b.seconds), statistics.median(geo_b.cpu)
    parts = []
    for tool, (b, _) in results.items():
        if tool == "geo" or not b.seconds or not b.html_mb:
            continue
        s = statistics.median(b.seconds) / g_s
        c = statistics.median(b.cpu) / g_cpu
        h = b.html_mb / geo_b.html_mb
        parts.append(f"{LABELS[tool]} {s:.2f}x the time ({c:.2f}x the CPU), {h:.2f}x the HTML")
    return "Against geo in this run: " + "; ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools", default=",".join(("geo", *PEERS)))
    parser.add_argument("--peers-python", default=str(ROOT / ".venv-peers" / "bin" / "python"))
    parser.add_argument("--seed", type=int, default=events_gen.DEFAULT_SEED)
    parser.add_argument(
        "--geo-before", help="the `geo` command of an older checkout: adds a 'geo (before)' row"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="per build, seconds")
    parser.add_argument("--cap", type=float, default=120.0, help="first-draw cap, seconds")
    parser.add_argument("--explore-max", type=int, default=100_000, help="largest N for explore()")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=events_gen.OUT_DIR)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS_peers.md")
    opts = parser.parse_args(argv)
    opts.out.mkdir(parents=True, exist_ok=True)
    tools = opts.tools.split(",")
    if opts.geo_before:
        tools.insert(1, "geo_before")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# Whole-process benchmark: geo and its peers",
        "",
        f"Written by `bench/bench_peers.py` ({started}; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}). Command: `{' '.join(sys.argv)}`.",
        "",
        "build s: python start to HTML written, median (range) of the runs; CPU s: the "
        "child's user + system time (less sensitive than wall time to other work on the "
        "machine); peak RSS: the largest; first draw: headless Chromium, software "
        "rendering, every non-file request aborted; attributes: hover, then click, a drawn "
        "point at the first view.",
        "",
    ]
    sizes = [int(s) for s in opts.sizes.split(",")]
    first_n = sizes[0]
    not_offline: dict[str, int] = {}
    for n in sizes:
        data = events_gen.ensure(n, opts.seed, opts.out)["csv"]
        locations = _locations(data)
        results: dict[str, tuple[Build, Page | None]] = {}
        for tool in tools:
            if tool == "explore" and n > opts.explore_max:
                continue
            print(f"[{time.strftime('%H:%M:%S')}] {tool} n={n}", file=sys.stderr, flush=True)
            b, html = build(tool, n, data, opts)
            page = None
            if tool in not_offline:  # needs the network at a smaller N already
                page = Page(blocked=not_offline[tool], note=f"nothing drawn at {first_n:,}")
            elif not opts.no_browser and html.exists():
                page = open_page(html, n, locations, opts.cap)
                if not page.offline:
                    not_offline[tool] = page.blocked
            results[tool] = (b, page)
            print(f"    {_row(tool, b, page)}", file=sys.stderr, flush=True)
        lines += [
            f"## N = {n:,}",
            "",
            f"Input: `{data.name}` ({data.stat().st_size / 1e6:.1f} MB CSV).",
            "",
            "| tool | build s | CPU s | peak RSS MB | HTML MB | offline | first draw s | "
            "attributes at overview |",
            "|---|---|---|---:|---:|---|---|---|",
            *(_row(t, b, p) for t, (b, p) in results.items()),
            "",
            _ratios(results),
            "",
        ]
        if "explore" in tools and n > opts.explore_max:
            lines += [f"explore() not run above {opts.explore_max:,} rows.", ""]
        opts.results.write_text("\n".join(lines), encoding="utf-8")
    print(opts.results.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
