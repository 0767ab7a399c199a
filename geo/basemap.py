"""The offline context basemap: land, lakes, rivers, country and province borders and
place labels, clipped to the map's extent and detailed where the data is.

Natural Earth 1:10m themes ship in ``data/basemap/`` (see data/README.md). A map gets only
the part of each theme inside its extent (the data's bounds plus a margin), simplified to
a tolerance that follows the extent's size, except in *detail boxes* around the data's
places, where the themes keep their full ~200 m detail so a reader zooming in on
Port-au-Prince or Goma sees the coast, Lake Kivu and the towns. Town labels come from the
gazetteer (ranked by population) with the zoom at which each may appear, chosen so labels
of bigger towns come first and never crowd each other; country names label low zooms.

>>> base = context([[18.0, -73.0], [19.0, -72.0]], [(18.54, -72.34)])  # doctest: +SKIP
>>> sorted(base)                                                        # doctest: +SKIP
['borders', 'countries', 'lakes', 'land', 'rivers', 'towns']
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import math
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.atomic import replacing

log = logging.getLogger("geo")

THEMES = ("land", "lakes", "rivers", "borders", "admin1")
DETAIL_DEG = 0.75  # half-size of the detail box around each place of the data
MAX_TOWNS = 400
TOWN_ZOOMS = range(5, 14)
LABEL_PX = 90
WORLD_TOL = 0.25  # two town labels closer than this (px) never show at the same zoom


def data_dir() -> Path:
    """``data/basemap`` of a checkout, or ``geo/_data/basemap`` of an installed wheel."""
    here = Path(__file__).resolve().parent
    for d in (here.parent / "data" / "basemap", here / "_data" / "basemap"):
        if d.is_dir():
            return d
    return here.parent / "data" / "basemap"


def _cache_dir() -> Path:
    env = os.environ.get("GEO_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo"))


def _read_cache(path: Path) -> tuple[np.ndarray, list[dict[str, Any]]] | None:
    """Geometries and properties from a cache file (numpy arrays, never pickles), or None
    when it is missing or does not decode."""
    try:
        with np.load(path, allow_pickle=False) as z:
            blob, offsets = z["wkb"].tobytes(), z["offsets"]
            props = json.loads(z["props"].tobytes().decode("utf-8"))
        parts = [blob[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
        geoms = shapely.from_wkb(parts)
    except FileNotFoundError:
        return None
    except (
        OSError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,  # a flipped byte fails the member's CRC (issue 16)
        shapely.errors.GEOSException,
    ) as exc:
        log.warning("basemap cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    if (
        not isinstance(props, list)
        or len(geoms) != len(props)
        or shapely.is_missing(geoms).any()
        or not all(isinstance(p, dict) and _number_or_none(p.get("r")) for p in props)
    ):
        log.warning("basemap cache %s is damaged; rebuilding it", path)
        return None
    return geoms, props


def _number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _write_cache(path: Path, geoms: np.ndarray, props: list[dict[str, Any]]) -> None:
    wkb = shapely.to_wkb(geoms)
    offsets = np.cumsum([0] + [len(w) for w in wkb]).astype("<i8")
    try:
        with replacing(path) as tmp:
            with open(tmp, "wb") as fh:
                np.savez(
                    fh,
                    wkb=np.frombuffer(b"".join(wkb), dtype="u1"),
                    offsets=offsets,
                    props=np.frombuffer(json.dumps(props).encode("utf-8"), dtype="u1"),
                )
    except OSError as exc:
        log.warning("cannot write the basemap cache %s (%s); using it from memory", path, exc)


@functools.lru_cache(maxsize=len(THEMES))
def theme(name: str) -> tuple[np.ndarray, list[dict[str, Any]], Any] | None:
    """(geometries, properties, STRtree) of a bundled theme, or None when it is missing.

    Parsing a theme's GeoJSON takes ~0.5 s; its geometries are kept as WKB in a cache file
    beside the gazetteer index, named after the bundled file's hash, so later builds read
    them in milliseconds."""
    path = data_dir() / f"{name}.geojson.gz"
    try:
        packed = path.read_bytes()
        digest = hashlib.sha256(packed).hexdigest()[:12]
        cache = _cache_dir() / f"basemap-{name}-{digest}.npz"
        cached = _read_cache(cache)
        if cached is not None:
            return cached[0], cached[1], shapely.STRtree(cached[0])
        raw = gzip.decompress(packed)
        # GEOS parses the whole collection in C (10x faster than shape() per feature)
        geoms = shapely.get_parts(shapely.from_geojson(raw))
        props = [f.get("properties") or {} for f in json.loads(raw)["features"]]
    except (OSError, EOFError, ValueError, shapely.errors.GEOSException) as exc:
        log.warning("offline basemap theme %s unavailable (%s); drawn without it", name, exc)
        return None
    if len(props) != len(geoms):
        log.warning("offline basemap theme %s is damaged; drawn without it", name)
        return None
    _write_cache(cache, geoms, props)
    return geoms, props, shapely.STRtree(geoms)


def extent(bounds: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the data's bounds plus a margin of 60 % of their size
    (at least 4 degrees: the view a phone or a wide window shows around a small area, and
    a zoom or two out), within the world."""
    (s, w), (n, e) = bounds
    pad_x = max(4.0, (e - w) * 0.6)
    pad_y = max(3.0, (n - s) * 0.6)
    return (
        max(-180.0, w - pad_x),
        max(-85.0, s - pad_y),
        min(180.0, e + pad_x),
        min(85.0, n + pad_y),
    )


def tolerance(box: tuple[float, float, float, float]) -> float:
    """Simplification for the coarse part: about a pixel at the zoom that fits ``box``."""
    span = max(box[2] - box[0], (box[3] - box[1]) * 1.5)
    return min(0.2, max(0.002, span / 1500))


def _geojson(geoms: Sequence[Any], digits: int) -> list[Any]:
    """Coordinates of polygons or lines (the JS draws each list as one Leaflet path),
    rounded to ``digits`` decimals (vectorised: a Python loop over every point costs
    0.4 s on a continent)."""
    if not len(geoms):
        return []
    parts = shapely.get_parts(np.asarray(list(geoms), dtype=object))
    kinds = shapely.get_type_id(parts)
    parts = parts[(kinds == 1) | (kinds == 3)]  # LineString, Polygon
    parts = parts[~shapely.is_empty(parts)]
    rounded = shapely.transform(parts, lambda c: np.round(c, digits))
    return [json.loads(text)["coordinates"] for text in shapely.to_geojson(rounded)]


def _polygonal(geom: Any) -> Any:
    """The polygons of a geometry (make_valid may add the lines where rings touched)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _clip_theme(
    name: str, box: tuple[float, float, float, float], detail: Any, tol: float
) -> tuple[list[Any], list[Any]]:
    """(coarse parts, detailed parts) of one theme inside ``box``."""
    loaded = theme(name)
    if loaded is None:
        return [], []
    geoms, props, tree = loaded
    area = shapely.box(*box)
    idx = tree.query(area, predicate="intersects")
    coarse: list[Any] = []
    fine: list[Any] = []
    span = max(box[2] - box[0], box[3] - box[1])
    max_rank = 12 if span < 15 else 8 if span < 40 else 5
    grown = detail.buffer(0.02, join_style="mitre") if detail is not None else None
    for i in sorted(int(k) for k in idx):
        g = geoms[i]
        if name in ("lakes", "rivers") and props[i].get("r", 0) > max_rank:
            in_detail = detail is not None and g.intersects(detail)
            if not in_detail:
                continue
        part = shapely.clip_by_rect(g, *box)
        if part.is_empty:
            continue
        if detail is None:
            fine.append(part)
        elif name == "land":  # one surface: detailed inside the boxes, coarse outside
            if not part.is_valid:  # clip_by_rect can leave a self-touching ring
                part = _polygonal(shapely.make_valid(part))
            inner = part.intersection(grown)  # overlaps the coarse part: no hairline seam
            outer = shapely.simplify(part, tol, preserve_topology=True).difference(detail)
            if not inner.is_empty:
                fine.append(inner)
            if not outer.is_empty and outer.area > tol * tol:
                coarse.append(outer)
        elif part.intersects(detail):  # a lake, river or border stays whole
            fine.append(part)
        elif name == "admin1" and span >= 40:
            continue  # province borders far from the data would only clutter a world map
        else:
            small = shapely.simplify(part, tol, preserve_topology=True)
            if not small.is_empty and (name != "lakes" or small.area > 4 * tol * tol):
                coarse.append(small)
    return coarse, fine


@functools.lru_cache(maxsize=2)
def _world_theme(name: str) -> tuple[np.ndarray, Any] | None:
    """A theme simplified for zooms 1-4 (~25 km), once per process, with its index."""
    loaded = theme(name)
    if loaded is None:
        return None
    geoms = loaded[0]
    head = b"".join(shapely.to_wkb(geoms[:50])) + str(len(geoms)).encode()
    digest = hashlib.sha256(head).hexdigest()
    cache = _cache_dir() / f"basemap-world-{name}-{WORLD_TOL}-{digest[:12]}.npz"
    cached = _read_cache(cache)
    if cached is not None:
        return cached[0], shapely.STRtree(cached[0])
    if name == "land":
        geoms = geoms[shapely.area(shapely.envelope(geoms)) > 0.5]
    elif name == "lakes":  # only the great lakes at world zooms
        geoms = geoms[np.array([p.get("r", 9) <= 2 for p in loaded[1]], dtype=bool)]
    small = shapely.simplify(geoms, WORLD_TOL, preserve_topology=True)
    small = small[~shapely.is_empty(small)]
    if name == "land":
        small = small[shapely.area(small) > WORLD_TOL * WORLD_TOL]
    else:
        small = small[shapely.length(small) > 2 * WORLD_TOL]
    _write_cache(cache, small, [{}] * len(small))
    return small, shapely.STRtree(small)


def _world(name: str, box: tuple[float, float, float, float]) -> list[Any]:
    """A theme outside ``box``, coarsely: what a reader sees when zooming out."""
    world = _world_theme(name)
    if world is None:
        return []
    small, tree = world
    # the coarse world reaches 0.3 degrees into the extent, under its detailed land, so
    # no sliver of sea shows along the seam (land has no outline to betray the overlap)
    inset = 0.3 if name == "land" else 0.0
    hole = shapely.box(box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
    cut = np.zeros(len(small), dtype=bool)
    cut[tree.query(hole, predicate="intersects")] = True
    outer = np.concatenate([small[~cut], shapely.difference(small[cut], hole)])
    return _geojson(list(outer[~shapely.is_empty(outer)]), 2)


def _detail_area(points: Sequence[tuple[float, float]], tol: float) -> Any:
    """Union of the boxes around the places, or None when the whole map is detailed."""
    if tol <= 0.003 or not points:
        return None
    d = DETAIL_DEG
    boxes = [shapely.box(lon - d, lat - d, lon + d, lat + d) for lat, lon in points]
    return shapely.union_all(boxes)


def context(
    bounds: Sequence[Sequence[float]] | None,
    points: Sequence[tuple[float, float]] = (),
    *,
    land: bool = True,
) -> dict[str, Any] | None:
    """The basemap payload of ``geo.finish`` for data within ``bounds`` ([[s, w], [n, e]])
    whose places are ``points`` ((lat, lon)); None without bounds. ``land=False`` (online
    tiles) keeps only the borders and labels."""
    if not bounds:
        return None
    box = extent(bounds)
    tol = tolerance(box)
    detail = _detail_area(points, tol)
    coarse_digits = 3 if tol < 0.01 else 2 if tol < 0.1 else 1
    out: dict[str, Any] = {"extent": [[box[1], box[0]], [box[3], box[2]]]}
    for name in THEMES:
        if not land and name not in ("borders", "admin1"):
            continue
        coarse, fine = _clip_theme(name, box, detail, tol)
        out[name] = _geojson(coarse, coarse_digits) + _geojson(fine, 3)
    if box != (-180.0, -85.0, 180.0, 85.0):  # the rest of the world, coarsely, for zooming out
        for name in ("land", "lakes", "borders") if land else ("borders",):
            out[name] += _world(name, box)
    out["towns"] = towns(box, detail)
    out["countries"] = countries(box)
    return out


def _gazetteer() -> Any:
    try:
        from geo.gazetteer import load

        return load()
    except (ImportError, OSError) as exc:
        log.warning("no place labels on the basemap (gazetteer unavailable: %s)", exc)
        return None


def towns(box: tuple[float, float, float, float], detail: Any) -> list[list[Any]]:
    """``[[lat, lon, name, min zoom], ...]``: the biggest towns in ``box`` (and every town
    of 1,000+ people in the detail boxes), each with the first zoom at which its label
    fits among bigger towns' labels."""
    g = _gazetteer()
    if g is None:
        return []
    lat = np.frombuffer(g.lat, dtype="d")
    lon = np.frombuffer(g.lon, dtype="d")
    pop = np.frombuffer(g.pop, dtype="q")
    kind = np.frombuffer(bytes(g.kind), dtype="u1")
    inside = (
        (kind == 0)
        & (lon >= box[0])
        & (lon <= box[2])
        & (lat >= box[1])
        & (lat <= box[3])
        & (pop >= 1000)
    )
    idx = np.flatnonzero(inside)
    idx = idx[np.argsort(-pop[idx], kind="stable")][: MAX_TOWNS * 4]
    if detail is not None and len(idx) > MAX_TOWNS:
        near = shapely.contains_xy(detail, lon[idx], lat[idx])
        idx = np.concatenate([idx[near][:MAX_TOWNS], idx[~near][: MAX_TOWNS // 2]])
        idx = idx[np.argsort(-pop[idx], kind="stable")]
    return _min_zooms([(float(lat[i]), float(lon[i]), g.names[i]) for i in idx[:MAX_TOWNS]])


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    s = max(-0.9999, min(0.9999, math.sin(math.radians(lat))))
    return (lon + 180) / 360, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def _min_zooms(places: list[tuple[float, float, str]]) -> list[list[Any]]:
    """Greedy decluttering, biggest first: a town shows from the first zoom at which it is
    at least LABEL_PX from every bigger town already showing at that zoom."""
    placed: list[tuple[float, float, int]] = []
    out = []
    for lat, lon, name in places:
        x, y = _mercator(lat, lon)
        zoom = None
        for z in TOWN_ZOOMS:
            scale = 256 * 2**z
            if all(
                (abs(x - px) * scale > LABEL_PX or abs(y - py) * scale > LABEL_PX / 3)
                for px, py, pz in placed
                if pz <= z
            ):
                zoom = z
                break
        if zoom is None:
            continue
        placed.append((x, y, zoom))
        out.append([round(lat, 4), round(lon, 4), name, zoom])
    return out


def countries(box: tuple[float, float, float, float]) -> list[list[Any]]:
    """``[[lat, lon, name], ...]`` of the countries whose label point is in ``box``."""
    g = _gazetteer()
    if g is None:
        return []
    out = []
    for eid in getattr(g, "country_eid", {}).values():
        lat, lon = g.lat[eid], g.lon[eid]
        if box[0] <= lon <= box[2] and box[1] <= lat <= box[3]:
            if int(g.pop[eid]) >= 1_000_000:  # small states would crowd the low zooms
                out.append([round(lat, 3), round(lon, 3), g.names[eid], int(g.pop[eid])])
    out.sort(key=lambda c: (-c[3], c[2]))
    return [c[:3] for c in out]
