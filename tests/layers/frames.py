"""Hand-built joined layer tables (the shape join.py produces) for layer and render tests."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from geo.models import LayerData, LayerSpec, MapSpec

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"');alert(1);//",
)


def row(name: str, lat: float, lon: float, value: float | None = None, **extra: Any) -> dict:
    """One joined row with sensible defaults for every standard column."""
    base = {
        "geometry": Point(lon, lat),
        "name": name,
        "query": name,
        "precision": "city",
        "country": "HTI",
        "value": np.nan if value is None else float(value),
        "group": None,
        "area": None,
        "origin_name": None,
        "origin_lat": np.nan,
        "origin_lon": np.nan,
        "date": pd.NaT,
        "period": None,
        "sources": "Test source",
        "rows": 1,
        "details": {},
    }
    base.update(extra)
    return base


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326 from row dicts."""
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def layer(name: str, kind: str, rows: list[dict], **spec: Any) -> LayerData:
    """LayerData of ``kind`` named ``name`` over ``rows``."""
    return LayerData(LayerSpec(name=name, kind=kind, data="x.csv", **spec), frame(rows))


def demo_layers() -> list[LayerData]:
    """A small Haiti/DRC map with every kind."""
    eastern_drc = box(26.5, -5.0, 31.3, 4.0)
    return [
        layer(
            "MSS personnel",
            "deployment",
            [
                row(
                    "Port-au-Prince",
                    18.54,
                    -72.34,
                    800,
                    group="Kenya",
                    sources="Seed article",
                    date=pd.Timestamp("2024-06-25"),
                    period="2024",
                ),
                row(
                    "eastern DRC",
                    -1.5,
                    29.0,
                    None,
                    group="EAC",
                    precision="region",
                    area=eastern_drc,
                    country="COD",
                    sources="Seed article",
                ),
            ],
            group="contributor",
        ),
        layer(
            "Deployment flows",
            "flows",
            [
                row(
                    "Port-au-Prince",
                    18.54,
                    -72.34,
                    800,
                    origin_name="Nairobi",
                    origin_lat=-1.29,
                    origin_lon=36.82,
                    sources="Seed article",
                ),
            ],
        ),
        layer(
            "Killed",
            "casualties",
            [
                row(
                    "Haiti",
                    18.9,
                    -72.7,
                    3600,
                    precision="country",
                    qualifier="more than",
                    details={"Children": 100, "Injured": 1200},
                    sources="UN via seed article",
                    area=box(-74.5, 18.0, -71.6, 20.1),
                    period="2024",
                ),
                row(
                    "Cap-Haïtien",
                    19.76,
                    -72.2,
                    12,
                    details={"low": 10, "best": 12, "high": 20},
                    sources="UCDP",
                    period="2023",
                    date=pd.Timestamp("2023-05-01"),
                ),
            ],
            heatmap=True,
        ),
        layer(
            "Displaced",
            "displacement",
            [
                row(
                    "Haiti",
                    18.9,
                    -72.7,
                    578074,
                    precision="country",
                    qualifier="more than",
                    sources="UN",
                ),
            ],
        ),
        layer(
            "Provinces",
            "choropleth",
            [
                row("Ouest", 0, 0, 5, geometry=box(-73.0, 18.2, -71.8, 19.0), precision="admin1"),
                row("Nord", 0, 0, 50, geometry=box(-72.6, 19.3, -71.9, 20.0), precision="admin1"),
                row("Sud", 0, 0, None, geometry=box(-74.4, 18.0, -73.2, 18.6), precision="admin1"),
            ],
        ),
    ]


def events_layer(n: int, name: str = "Events", seed: int = 1, **spec: Any) -> LayerData:
    """``n`` synthetic ACLED-style events built vectorised (no per-row Python)."""
    rng = np.random.default_rng(seed)
    lat = 18.5 + rng.normal(0, 0.4, n)
    lon = -72.3 + rng.normal(0, 0.4, n)
    types = np.array(["Battles", "Violence against civilians", "Protests"])
    df = pd.DataFrame(
        {
            "name": np.where(rng.random(n) < 0.5, "Port-au-Prince", "Cité Soleil"),
            "query": "x",
            "precision": np.where(rng.random(n) < 0.1, "admin1", "exact"),
            "country": "HTI",
            "value": rng.integers(0, 30, n).astype(float),
            "group": types[rng.integers(0, 3, n)],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "period": None,
            "sources": "ACLED",
            "rows": 1,
        }
    )
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return LayerData(LayerSpec(name=name, kind="events", data="x.csv", **spec), gdf)


def map_spec(title: str = "Haiti: MSS deployment and gang violence", **kw: Any) -> MapSpec:
    """A MapSpec (layers are passed separately to render_map)."""
    return MapSpec(title=title, layers=(), **kw)
