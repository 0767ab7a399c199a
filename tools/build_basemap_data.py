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
- ``borders.geojson.gz``: ne_10m_admin_0_boundary_lines_land (land borders).

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="checkout of martynafford/natural-earth-geojson")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in THEMES.items():
        fc = theme(args.repo, name, spec)
        text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
        path = OUT / f"{name}.geojson.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
        print(f"{path.name}: {len(fc['features'])} parts, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
