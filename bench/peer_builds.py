"""One peer's map build, as a user of that tool would write it: ``python peer_builds.py TOOL
DATA.csv OUT.html``. Run by ``bench/bench_peers.py`` in the peers' own virtualenv (it
imports nothing from geo), so its whole process, Python start to HTML written, is timed.

Each tool takes its fastest documented path for a table of points with lat/lon columns
and shows the same attributes (location, date, event type, fatalities) on hover or click
where it can:

* lonboard: pyarrow CSV reader, a GeoArrow point column from the two coordinate
  arrays (no shapely), ``ScatterplotLayer`` + ``Map.to_html``;
* kepler.gl: pandas (pyarrow engine) + ``KeplerGl().save_to_html(data=...)``;
* plotly: pandas (pyarrow engine) + ``px.scatter_map`` (WebGL) with hover data,
  ``write_html`` with plotly.js inlined;
* pydeck: pandas (pyarrow engine) + a pickable ``ScatterplotLayer`` with a tooltip;
* folium FastMarkerCluster: pandas + ``FastMarkerCluster`` of the coordinate pairs;
* explore: pandas + ``GeoDataFrame.explore(column="event_type")`` (tooltips by default).
"""

from __future__ import annotations

import sys

HOVER = ["location", "event_date", "event_type", "fatalities"]


def _frame(path: str):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.read_csv(path, engine="pyarrow")


def lonboard(data: str, out: str) -> None:
    import geoarrow.pyarrow as ga
    import pyarrow.csv as pacsv
    from lonboard import Map, ScatterplotLayer

    table = pacsv.read_csv(data)
    lon = table["longitude"].to_numpy()
    lat = table["latitude"].to_numpy()
    points = ga.point().with_crs("OGC:CRS84").from_geobuffers(None, lon, lat)
    keep = table.select(HOVER)
    layer = ScatterplotLayer(
        table=keep.append_column("geometry", points),
        get_fill_color=[214, 39, 40],
        radius_min_pixels=2,
        pickable=True,
    )
    Map(layer).to_html(out)


def keplergl(data: str, out: str) -> None:
    from keplergl import KeplerGl

    KeplerGl().save_to_html(data={"events": _frame(data)}, file_name=out, read_only=True)


def plotly(data: str, out: str) -> None:
    import plotly.express as px

    frame = _frame(data)
    fig = px.scatter_map(
        frame,
        lat="latitude",
        lon="longitude",
        color="event_type",
        hover_name="location",
        hover_data=["event_date", "fatalities"],
        map_style="white-bg",  # no tile server: the page can draw offline
        zoom=1,
    )
    fig.write_html(out, include_plotlyjs=True)


def pydeck(data: str, out: str) -> None:
    import pydeck as pdk

    frame = _frame(data)[["longitude", "latitude", *HOVER]]
    layer = pdk.Layer(
        "ScatterplotLayer",
        frame,
        get_position=["longitude", "latitude"],
        get_fill_color=[214, 39, 40],
        radius_min_pixels=2,
        pickable=True,
    )
    tooltip = {"text": "{location} {event_date}\n{event_type}: {fatalities}"}
    view = pdk.ViewState(latitude=15, longitude=20, zoom=1)
    pdk.Deck(layers=[layer], initial_view_state=view, tooltip=tooltip, map_style=None).to_html(
        out, open_browser=False
    )


def folium_fmc(data: str, out: str) -> None:
    import folium
    from folium.plugins import FastMarkerCluster

    frame = _frame(data)
    m = folium.Map(location=[15, 20], zoom_start=2, tiles=None)
    FastMarkerCluster(frame[["latitude", "longitude"]].to_numpy().tolist()).add_to(m)
    m.save(out)


def explore(data: str, out: str) -> None:
    import geopandas as gpd

    frame = _frame(data)
    gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=4326
    )
    gdf.explore(column="event_type").save(out)


TOOLS = {
    "lonboard": lonboard,
    "keplergl": keplergl,
    "plotly": plotly,
    "pydeck": pydeck,
    "folium_fmc": folium_fmc,
    "explore": explore,
}

if __name__ == "__main__":
    tool, data_path, out_path = sys.argv[1:4]
    TOOLS[tool](data_path, out_path)
