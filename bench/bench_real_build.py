"""Build whole real exports (UCDP GED, ACLED, Geo-PKO) unchanged with short preset specs.

For each spec in ``--specs`` (default ``maps/real/``; its layers' ``data`` are bare names
of files in ``--data``, default ``../shared/real/build/`` next to the repo), the spec is
copied into a temporary folder next to a symbolic link to the data file (nothing is
copied into the repository), built offline, and one line per layer is printed: features
drawn, rows read, rows skipped as bad, rows not mapped and the share of the layer's value
they carry. A build that fails prints its error instead.

    .venv/bin/python bench/bench_real_build.py
    .venv/bin/python bench/bench_real_build.py --specs /tmp/old-specs --data /path/to/exports
"""

from __future__ import annotations

import argparse
import inspect
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _default_data() -> Path:
    """``shared/real/build`` beside the repository (or beside the worktrees' folder)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "real" / "build").is_dir():
            return base / "shared" / "real" / "build"
    return ROOT.parent / "shared" / "real" / "build"


def _data_names(spec: Path) -> list[str]:
    """The data files a spec's layers name (bare names, as maps/real/ writes them)."""
    import tomllib

    doc = tomllib.loads(spec.read_text(encoding="utf-8"))
    return list(dict.fromkeys(str(x.get("data")) for x in doc.get("layers", []) if x.get("data")))


def _build():  # noqa: ANN202 - geo.builder on main, geo.spec before the split
    try:
        from geo.builder import build
    except ImportError:
        from geo.spec import build
    return build


def _layer_line(layer) -> str:  # noqa: ANN001 - geo.models.LayerData
    frame = layer.frame
    attrs = frame.attrs
    read = int(attrs.get("input_rows", 0))
    skipped = len(attrs.get("bad_rows", ()))
    unmapped = attrs.get("not_mapped") or {}
    rows = int(unmapped.get("rows", sum(len(r) for r in attrs.get("unresolved_rows", {}).values())))
    share = unmapped.get("share")
    share_text = f"{share:.1%}" if share is not None else "n/a"
    lines = int(frame["rows"].sum()) if len(frame) else 0
    return (
        f"  {layer.spec.name!r} ({layer.spec.kind}): {len(frame):,} features from "
        f"{lines:,} of {read:,} rows; skipped {skipped:,}; not mapped {rows:,} rows "
        f"({share_text} of the value)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    parser.add_argument("--specs", type=Path, default=ROOT / "maps" / "real")
    parser.add_argument("--skip-bad-rows", action="store_true", help="as geo build's option")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no real exports at {args.data}: nothing to measure", file=sys.stderr)
        return 0
    logging.basicConfig(level=logging.WARNING, format="    %(levelname)s %(message)s")
    build = _build()
    for spec in sorted(args.specs.glob("*.toml")):
        names = _data_names(spec)
        missing = [n for n in names if not (args.data / n).is_file()]
        if not names or missing:
            print(f"{spec.name}: skipped (no {', '.join(missing) or 'data'} in {args.data})")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            shutil.copy(spec, work / spec.name)
            for name in names:
                (work / name).symlink_to((args.data / name).resolve())
            start = time.perf_counter()
            try:
                kwargs = {"skip_bad_rows": True} if args.skip_bad_rows else {}
                if "allow_outside" in inspect.signature(build).parameters:
                    kwargs["allow_outside"] = True  # the data are links to the exports
                result = build(work / spec.name, work / "map.html", **kwargs)
            except Exception as exc:  # a bench reports every failure and goes on
                print(
                    f"{spec.name} ({', '.join(names)}): FAILED: {type(exc).__name__}: "
                    f"{str(exc)[:300]}"
                )
                continue
            took = time.perf_counter() - start
            size = (work / "map.html").stat().st_size
        print(f"{spec.name} ({', '.join(names)}): built in {took:.1f} s, {size / 1e6:.1f} MB")
        for layer in result.layers:
            print(_layer_line(layer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
