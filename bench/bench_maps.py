"""Map output: HTML size and whole-process build time of the demo and of two one-country
maps (Haiti, the Kivus), so a change to the basemap, labels or runtime shows its cost.

    python bench/bench_maps.py            # 3 runs each, median wall time
    python bench/bench_maps.py --runs 5
    python bench/bench_maps.py --real     # also maps/real/ on ../shared/real/build (linked)

Each build is a fresh ``python -m geo build`` process (Python start to HTML written), as a
user runs it; the gazetteer index and the basemap cache are warm (one build first).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Hand-written rows (figures invented for the benchmark), one small table per map.
ONE_COUNTRY = {
    "haiti": [
        ("Port-au-Prince", "HTI", 120),
        ("Carrefour", "HTI", 30),
        ("Gonaives", "HTI", 15),
        ("Cap-Haitien", "HTI", 8),
    ],
    "kivu": [
        ("Goma", "COD", 40),
        ("Bukavu", "COD", 9),
        ("Rutshuru", "COD", 15),
        ("Masisi", "COD", 6),
    ],
}


def write_map(d: Path, name: str, rows: list[tuple[str, str, int]]) -> Path:
    lines = ["place,country,killed,source"] + [f"{p},{c},{n},Bench desk" for p, c, n in rows]
    (d / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = d / f"{name}.toml"
    spec.write_text(
        f'title = "{name}"\n[[layers]]\nname = "Killed"\nkind = "casualties"\n'
        f'data = "{name}.csv"\nplace = "place"\ncountry = "country"\nvalue = "killed"\n',
        encoding="utf-8",
    )
    return spec


def build_time(spec: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "geo", "build", str(spec), "-o", str(out), "--skip-bad-rows"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def real_specs(d: Path) -> dict[str, Path]:
    """The specs of maps/real/ copied next to links to the real exports (never copied),
    when ../shared/real/build exists; {} otherwise."""
    import shutil
    import tomllib

    data = next(
        (b / "shared" / "real" / "build" for b in (ROOT.parent, ROOT.parent.parent)
         if (b / "shared" / "real" / "build").is_dir()),
        None,
    )  # fmt: skip
    if data is None:
        print("no ../shared/real/build: real exports skipped", file=sys.stderr)
        return {}
    out = {}
    for spec in sorted((ROOT / "maps" / "real").glob("*.toml")):
        doc = tomllib.loads(spec.read_text(encoding="utf-8"))
        folder = d / spec.stem
        folder.mkdir()
        for layer in doc.get("layers", []):
            name = str(layer.get("data", ""))
            if name and (data / name).exists() and not (folder / name).exists():
                (folder / name).symlink_to(data / name)
        shutil.copy(spec, folder / spec.name)
        out[f"real/{spec.stem}"] = folder / spec.name
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--real", action="store_true", help="also the specs of maps/real/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        specs = {"demo": ROOT / "maps" / "demo.toml"}
        specs.update({k: write_map(d, k, v) for k, v in ONE_COUNTRY.items()})
        if args.real:
            specs.update(real_specs(d))
        print("| map | HTML bytes | build, whole process (median) |")
        print("|---|---|---|")
        for name, spec in specs.items():
            out = d / f"{name.replace('/', '-')}.html"
            build_time(spec, out)  # warm the caches
            times = [build_time(spec, out) for _ in range(args.runs)]
            size = out.stat().st_size
            print(f"| {name} | {size:,} | {statistics.median(times):.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
