"""Read GeoJSON and GeoPackage data files without letting the file choose what is opened.

GDAL picks a driver by a file's *content*: a ``.geojson`` holding OGR VRT XML makes it
read ``/vsicurl/http://...`` or another local file, and a GeoJSON ``crs`` of type ``link``
makes it fetch a URL. A data file received from another desk must never reach the network
or another file (issue 16), so:

- GeoJSON (``.geojson``, ``.json``) is parsed here with :mod:`json`; GDAL never sees it.
  A ``crs`` member naming a CRS is honoured (points are moved to WGS 84); one that links
  to a file or URL is refused.
- A GeoPackage must start as an SQLite database with the GeoPackage application id before
  GDAL opens it, only with its GPKG driver, with GDAL's network access and directory
  scans turned off.

Each reader returns a DataFrame of the features' properties, with ``lat``/``lon`` for point
geometries (NaN for others), one row per feature in file order, and raises
:class:`~geo.errors.InputError` naming the file (and the feature) for anything malformed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import InputError

# CRS names that are WGS 84 longitude/latitude already.
_WGS84 = {
    "epsg:4326",
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:epsg::4326",
    "ogc:crs84",
    "crs84",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
# application_id (header offset 68): "GPKG", or "GP10"/"GP11" of GeoPackage 1.0/1.1
_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
# Set before GDAL opens anything: no HTTP(S) reads through /vsicurl/ (no extension is
# allowed), no listing of the folder beside the file.
GDAL_SAFE_OPTIONS = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".geo-never-fetch",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_HTTP_MAX_RETRY": "0",
}


def read_geojson(path: Path, layer: str | None = None) -> pd.DataFrame:
    """A GeoJSON FeatureCollection (or one Feature) as properties plus ``lat``/``lon``.

    ``layer``, when given, must be the file's stem (a GeoJSON file holds one layer).
    Raises InputError for invalid JSON (a truncated file), another JSON shape, a feature
    that is not a Feature, bad point coordinates, or a ``crs`` that links elsewhere.
    """
    name = path.name
    if layer is not None and layer != path.stem:
        raise InputError(f"{name}: no layer {layer!r}; a GeoJSON file has one: {path.stem!r}")
    doc = _load_json(path)
    features = _features(doc, name)
    rows: list[dict[str, Any]] = []
    lon = np.full(len(features), np.nan)
    lat = np.full(len(features), np.nan)
    points = np.zeros(len(features), dtype=bool)
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InputError(f"{name} feature {i}: not a GeoJSON Feature object")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{name} feature {i}: 'properties' is not an object")
        rows.append({str(k): _cell(v) for k, v in props.items()})
        xy = _point(feature.get("geometry"), name, i)
        if xy is not None:
            lon[i - 1], lat[i - 1] = xy
            points[i - 1] = True
    frame = pd.DataFrame(rows, index=pd.RangeIndex(len(rows)))
    if points.any():
        lon, lat = _to_wgs84(doc, name, lon, lat, points)
        _add_lat_lon(frame, name, lat, lon)
    return frame


def _load_json(path: Path) -> Any:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path.name}: the file is empty; expected a GeoJSON FeatureCollection")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name}: not UTF-8 text (byte {exc.start}); GeoJSON must be saved as UTF-8"
        ) from exc
    except json.JSONDecodeError as exc:
        cut = "" if raw.rstrip().endswith((b"}", b"]")) else " (the file looks cut short)"
        raise InputError(
            f"{path.name}: not valid GeoJSON: {exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}{cut}; export the layer again as GeoJSON"
        ) from exc
    except RecursionError as exc:
        raise InputError(
            f"{path.name}: not valid GeoJSON: arrays or objects nested too deeply"
        ) from exc


def _features(doc: Any, name: str) -> list[Any]:
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        return list(doc["features"])
    if kind == "Feature":
        return [doc]
    shown = kind if isinstance(kind, str) else type(doc).__name__
    raise InputError(
        f"{name}: not a GeoJSON FeatureCollection (found {shown!r}); geo reads GeoJSON "
        "features with properties, one feature per row"
    )


def _cell(value: Any) -> Any:
    """A property value as a cell: nested objects and arrays as JSON text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _point(geometry: Any, name: str, i: int) -> tuple[float, float] | None:
    """The (lon, lat) of a Point geometry; None for no geometry or another type."""
    if geometry is None:
        return None
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        raise InputError(f"{name} feature {i}: 'geometry' is not a GeoJSON geometry")
    if geometry["type"] != "Point":
        return None
    coords = geometry.get("coordinates")
    if coords in (None, []):
        return None  # an empty point
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
        or not all(math.isfinite(c) for c in coords[:2])
    ):
        raise InputError(
            f"{name} feature {i}: point coordinates {json.dumps(coords)[:60]} are not "
            "[longitude, latitude] numbers"
        )
    return float(coords[0]), float(coords[1])


def _to_wgs84(
    doc: Any, name: str, lon: np.ndarray, lat: np.ndarray, points: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    crs = doc.get("crs") if isinstance(doc, dict) else None
    if crs is None:
        return lon, lat  # RFC 7946: GeoJSON is WGS 84
    props = crs.get("properties") if isinstance(crs, dict) else None
    if not isinstance(crs, dict) or crs.get("type") != "name" or not isinstance(props, dict):
        kind = crs.get("type") if isinstance(crs, dict) else crs
        raise InputError(
            f"{name}: the 'crs' member of type {kind!r} refers to another file or URL, which "
            "geo never opens; remove the 'crs' member (GeoJSON is WGS 84) or name the CRS "
            'as {"type": "name", "properties": {"name": "EPSG:4326"}}'
        )
    crs_name = str(props.get("name", ""))
    if crs_name.lower() in _WGS84:
        return lon, lat
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs_name)
    except CRSError as exc:
        raise InputError(f"{name}: unknown crs {crs_name!r}; use an EPSG code") from exc
    move = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    x, y = move.transform(lon[points], lat[points])
    lon, lat = lon.copy(), lat.copy()
    lon[points], lat[points] = x, y
    return lon, lat


def _add_lat_lon(frame: pd.DataFrame, name: str, lat: np.ndarray, lon: np.ndarray) -> None:
    for col in ("lat", "lon"):
        if col in frame.columns:
            raise InputError(
                f"{name}: has a {col!r} property and point geometries; rename the {col!r} property"
            )
    frame["lat"] = lat
    frame["lon"] = lon


def read_gpkg(path: Path, layer: str | None = None) -> pd.DataFrame:
    """A GeoPackage layer (default: the first) as properties plus ``lat``/``lon``.

    Raises InputError for an empty file, a file that is not a GeoPackage (another SQLite
    database, or other content named ``.gpkg``), a package without layers, or a missing
    layer.
    """
    _check_gpkg_header(path)
    import pyogrio

    pyogrio.set_gdal_config_options(GDAL_SAFE_OPTIONS)
    source = str(path.resolve())
    if source.startswith("/vsi"):  # a GDAL virtual file system name, not a file
        raise InputError(f"{path.name}: not a local file path")
    try:
        layers = [str(x) for x in pyogrio.list_layers(source)[:, 0]]
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise InputError(f"{path.name}: not a readable GeoPackage ({exc})") from exc
    if not layers:
        raise InputError(f"{path.name}: the GeoPackage has no layers; expected a layer of rows")
    if layer is not None and layer not in layers:
        from geo.figures import _did_you_mean

        raise InputError(
            f"{path.name}: no layer {layer!r}{_did_you_mean(layer, layers)}; "
            f"layers: {', '.join(layers)}"
        )
    try:
        frame = pyogrio.read_dataframe(source, layer=layer or layers[0])
    except Exception as exc:
        raise InputError(f"{path.name}: cannot read layer {layer or layers[0]!r} ({exc})") from exc
    return geometry_to_lat_lon(frame, path.name)


def _check_gpkg_header(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(100)
    if not head:
        raise InputError(f"{path.name}: the file is empty; expected a GeoPackage")
    if not head.startswith(_SQLITE_MAGIC):
        raise InputError(
            f"{path.name}: not a GeoPackage (it is not an SQLite database); "
            "export the layer again as GeoPackage, or use the file's real extension"
        )
    if len(head) < 72 or head[68:72] not in _GPKG_IDS:
        raise InputError(
            f"{path.name}: an SQLite database but not a GeoPackage (no GPKG application id); "
            "export the table as GeoPackage, CSV or Parquet"
        )
    if _gpkg_contents(path) == 0:
        raise InputError(f"{path.name}: the GeoPackage has no layers; expected a layer of rows")


def _gpkg_contents(path: Path) -> int | None:
    """How many tables the package lists in gpkg_contents (None: it cannot be read)."""
    import sqlite3
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return int(con.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        con.close()


def geometry_to_lat_lon(frame: Any, name: str) -> pd.DataFrame:
    """A GeoDataFrame's properties with ``lat``/``lon`` of its point geometries (in WGS
    84); other geometry types give NaN."""
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geom = frame.geometry
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    is_point = np.asarray(geom.geom_type == "Point") & ~np.asarray(geom.is_empty)
    if is_point.any():
        import shapely

        coords = shapely.get_coordinates(np.asarray(geom.values)[is_point])
        lon = np.full(len(out), np.nan)
        lat = np.full(len(out), np.nan)
        lon[is_point], lat[is_point] = coords[:, 0], coords[:, 1]
        _add_lat_lon(out, name, lat, lon)
    return out
