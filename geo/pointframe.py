"""A layer's point features as plain columns, with the geometry made only when asked.

An events layer of a million rows is drawn from its ``lat``/``lon`` columns; building a
shapely point per row (and importing geopandas to hold them) cost seconds and hundreds of
MB that the map never used. :class:`PointFrame` is a DataFrame with ``lat`` and ``lon``
columns whose ``geometry`` (a GeoSeries of points) is made on first use, for exports and
for code written against GeoDataFrames.

>>> frame = PointFrame({"name": ["Goma"], "lat": [-1.68], "lon": [29.22]})
>>> frame.geometry.iloc[0].y
-1.68
"""

from __future__ import annotations

from typing import Any

import pandas as pd

CRS = "EPSG:4326"


class PointFrame(pd.DataFrame):
    """A DataFrame of points: ``lat``/``lon`` columns; ``geometry`` made on demand."""

    @property
    def _constructor(self) -> Any:
        return PointFrame

    @property
    def geometry(self) -> Any:
        """The points as a GeoSeries (EPSG:4326), made from ``lon``/``lat`` when asked."""
        import geopandas as gpd

        return gpd.GeoSeries.from_xy(
            self["lon"].astype(float), self["lat"].astype(float), index=self.index, crs=CRS
        ).rename("geometry")

    def to_geo(self) -> Any:
        """The same features as a GeoDataFrame with a point geometry (and no lat/lon)."""
        import geopandas as gpd

        plain = pd.DataFrame(self).drop(columns=["lat", "lon"])
        return gpd.GeoDataFrame(plain, geometry=self.geometry, crs=CRS)


def geo_frame(frame: Any) -> Any:
    """``frame`` as a GeoDataFrame (a PointFrame is converted; others pass through)."""
    return frame.to_geo() if isinstance(frame, PointFrame) else frame


def point_arrays(frame: Any) -> tuple[Any, Any] | None:
    """``(lat, lon)`` float arrays of a PointFrame, or None for a GeoDataFrame."""
    if isinstance(frame, PointFrame):
        return frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
    return None
