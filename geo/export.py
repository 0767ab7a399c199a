"""Export joined layers as GeoJSON or GeoPackage (``geo build --export``)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from geo.atomic import replacing
from geo.errors import OutputError
from geo.kinds import KINDS
from geo.models import COL_AREA, COL_DATE, COL_DETAILS, COL_ORIGIN_LAT, COL_ORIGIN_LON, LayerData
from geo.pointframe import geo_frame

EXPORT_SUFFIXES = (".geojson", ".json", ".gpkg")


def export_frames(layers: Sequence[LayerData]) -> list[tuple[str, Any]]:
    """Joined layers as JSON-safe GeoDataFrames: (layer name, frame) pairs.

    Dates become ISO strings, ``details`` a JSON object string, the ``area`` outline is
    dropped (it is reference geometry, not data), and each feature gets ``layer`` and
    ``kind`` properties.
    """
    import geopandas as gpd

    out = []
    for layer in layers:
        frame = geo_frame(layer.frame).drop(columns=[COL_AREA], errors="ignore").copy()
        if KINDS[layer.spec.kind].origin and len(frame):  # a flow is a line, origin -> place
            from shapely.geometry import LineString

            lines = [
                LineString([(olon, olat), (p.x, p.y)]) if olat == olat and olon == olon else p
                for p, olat, olon in zip(
                    frame.geometry, frame[COL_ORIGIN_LAT], frame[COL_ORIGIN_LON], strict=True
                )
            ]
            frame = frame.set_geometry(gpd.GeoSeries(lines, index=frame.index, crs="EPSG:4326"))
        frame.insert(0, "kind", layer.spec.kind)
        frame.insert(0, "layer", layer.spec.name)
        for col in frame.columns:
            if col == frame.geometry.name:
                continue
            if col == COL_DATE or pd.api.types.is_datetime64_any_dtype(frame[col].dtype):
                dates = pd.to_datetime(frame[col])
                frame[col] = dates.dt.strftime("%Y-%m-%d").astype(object).where(dates.notna(), None)
            elif col == COL_DETAILS:
                frame[col] = [json.dumps(d or {}, ensure_ascii=False) for d in frame[col]]
            elif frame[col].dtype == object or str(frame[col].dtype) == "str":
                frame[col] = frame[col].map(_json_safe).astype(object)
        out.append(
            (
                layer.spec.name,
                gpd.GeoDataFrame(frame, geometry=frame.geometry.name, crs="EPSG:4326"),
            )
        )
    return out


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return None if isinstance(value, float) and value != value else value
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def write_export(frames: list[tuple[str, Any]], path: Path) -> Path:
    """Write the exported frames atomically (temporary file, then ``os.replace``)."""
    import geopandas as gpd

    path = Path(path)
    try:
        with replacing(path) as tmp:
            tmp.unlink()  # GDAL creates the file itself
            if path.suffix.lower() == ".gpkg":
                used: set[str] = set()
                for name, frame in frames:
                    layer = _gpkg_layer_name(name, used)
                    frame.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
            else:
                frame = pd.concat([f for _, f in frames], ignore_index=True) if frames else None
                if frame is None or frame.empty:
                    frame = gpd.GeoDataFrame({"layer": []}, geometry=[], crs="EPSG:4326")
                gpd.GeoDataFrame(frame, crs="EPSG:4326").to_file(
                    tmp, layer=path.stem, driver="GeoJSON", engine="pyogrio"
                )
    except Exception as exc:  # pyogrio/GDAL raise their own types; say which file failed
        raise OutputError(f"{path}: cannot write the export: {exc}") from exc
    return path


def _gpkg_layer_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_").lower() or "layer"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate
