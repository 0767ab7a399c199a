"""Compact Who's On First localities into ``data/gazetteer/wof_localities.tsv.gz``.

    .venv/bin/python tools/build_wof_localities.py MIRROR_DIR... [--out FILE]

Each MIRROR_DIR is a git clone (bare or not) of a ``whosonfirst-data/whosonfirst-data-admin-XX``
repository (one GeoJSON record per place). The tool reads every record of the newest commit
through ``git cat-file --batch`` (no work tree needed) and keeps the current, not deprecated
localities, neighbourhoods and airports-like campuses: name, a few Latin-script English or
French variant names, point rounded to 3 decimals (~100 m), country, GeoNames admin-1 code
(when the record carries one; otherwise the nearest admin-1 area of ``admin1.geojson.gz``),
kind, population and GeoNames id. Licences: CC BY 4.0 for GeoNames-derived records, CC0 for
Who's On First's own (see data/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = {
    "locality": "L",
    "localadmin": "L",
    "borough": "N",
    "macrohood": "N",
    "neighbourhood": "N",
    "microhood": "N",
    "campus": "A",
}
_NAME_KEYS = re.compile(r"^name:(eng|fra|und)_x_(preferred|variant)$")
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc\u02bf]")


def _latin(text: str) -> bool:
    return _NOT_LATIN.search(text) is None


def records(repo: Path):
    """Every GeoJSON record of the newest commit of ``repo``, parsed."""
    ls = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shas = [
        line.split()[2]
        for line in ls.splitlines()
        if line.endswith(".geojson") and "-alt-" not in line
    ]
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin and proc.stdout
    import threading

    def feed() -> None:
        for s in shas:
            proc.stdin.write(s.encode() + b"\n")
        proc.stdin.close()

    threading.Thread(target=feed, daemon=True).start()
    for _ in shas:
        header = proc.stdout.readline().split()
        size = int(header[2])
        body = proc.stdout.read(size)
        proc.stdout.read(1)
        try:
            yield json.loads(body)
        except ValueError:
            continue
    proc.wait()


def keep(p: dict) -> str | None:
    kind = KINDS.get(p.get("wof:placetype", ""))
    if kind is None:
        return None
    if p.get("mz:is_current") == 0 or p.get("wof:superseded_by") or p.get("edtf:deprecated"):
        return None
    cess = p.get("edtf:cessation", "")
    if cess and cess not in ("uuuu", "..", ""):
        return None
    return kind


def row_of(p: dict, kind: str) -> list[str] | None:
    name = (p.get("wof:name") or "").strip()
    lat, lon = p.get("geom:latitude"), p.get("geom:longitude")
    if not name or lat is None or lon is None or not _latin(name):
        if name and not _latin(name):
            alt = [v for k, vs in p.items() if _NAME_KEYS.match(k) for v in vs if _latin(v)]
            if not alt:
                return None
            name = alt[0]
        else:
            return None
    iso2 = (p.get("wof:country") or p.get("iso:country") or "").upper()
    if len(iso2) != 2:
        return None
    a1 = str(p.get("gn:admin1_code") or "")
    if a1.endswith(".0"):
        a1 = a1[:-2]
    if a1 and a1.isdigit() and len(a1) == 1:
        a1 = "0" + a1
    alts = []
    seen = {name.casefold()}
    for k, vs in p.items():
        if _NAME_KEYS.match(k):
            for v in vs:
                v = v.strip()
                if v and _latin(v) and v.casefold() not in seen and len(v) <= 60:
                    seen.add(v.casefold())
                    alts.append(v.replace("|", " ").replace("\t", " "))
    pop = p.get("gn:population") or p.get("wof:population") or 0
    gid = p.get("gn:geonameid") or (p.get("wof:concordances") or {}).get("gn:id") or ""
    return [
        name.replace("\t", " "),
        f"{float(lat):.3f}",
        f"{float(lon):.3f}",
        iso2,
        a1,
        kind,
        str(int(pop or 0)),
        str(gid),
        "|".join(alts[:6]),
    ]


def nearest_admin1(rows: list[list[str]]) -> None:
    """Fill missing admin-1 codes from the nearest admin-1 area of the same country."""
    import shapely

    with gzip.open(ROOT / "data" / "gazetteer" / "admin1.geojson.gz", "rt") as fh:
        feats = json.load(fh)["features"]
    by_country: dict[str, list[tuple[str, object]]] = {}
    for f in feats:
        if f.get("geometry"):
            code = f["properties"]["code"]
            by_country.setdefault(code.split(".")[0], []).append(
                (code.split(".", 1)[1], shapely.geometry.shape(f["geometry"]))
            )
    missing: dict[str, list[list[str]]] = {}
    for r in rows:
        if not r[4]:
            missing.setdefault(r[3], []).append(r)
    for iso2, units in by_country.items():
        todo = missing.get(iso2, [])
        if not todo:
            continue
        tree = shapely.STRtree([g for _, g in units])
        pts = shapely.points([(float(r[2]), float(r[1])) for r in todo])
        idx = tree.nearest(pts)
        for r, i in zip(todo, idx, strict=True):
            r[4] = units[int(i)][0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirrors", nargs="+", type=Path)
    default = ROOT / "data" / "gazetteer" / "wof_localities.tsv.gz"
    ap.add_argument("--out", type=Path, default=default)
    args = ap.parse_args(argv)
    rows: list[list[str]] = []
    for repo in args.mirrors:
        n0 = len(rows)
        for rec in records(repo):
            p = rec.get("properties") or {}
            kind = keep(p)
            if kind is None:
                continue
            r = row_of(p, kind)
            if r is not None:
                rows.append(r)
        print(f"{repo}: {len(rows) - n0} places", file=sys.stderr)
    nearest_admin1(rows)
    rows.sort(key=lambda r: (r[3], r[4], r[0]))
    header = "name\tlat\tlon\tcountry\tadmin1\tkind\tpopulation\tgeonameid\taliases\n"
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(header)
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print(f"{args.out}: {len(rows)} places", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
