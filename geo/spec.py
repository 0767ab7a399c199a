"""Map specs (TOML) -> validated :class:`~geo.models.MapSpec`, and :func:`build`.

A spec names a title and one ``[[layers]]`` table per layer::

    title = "Haiti: MSS deployment and gang violence"
    description = "Figures as reported; see each popup's source."
    tiles = "osm"                   # optional online tiles; default: offline outlines only
    sources = ["Capital News, 20 Aug 2025"]    # footer list of data sources
    [view]                          # optional; default: fit the data
    lat = 18.9
    lon = -72.5
    zoom = 7

    [[layers]]
    name = "MSS personnel"          # label in the layer control
    kind = "deployment"             # deployment | flows | casualties | displacement
                                    # | events | choropleth
    data = "figures.csv"            # relative to the spec file
    place = "location"              # column of place names; or lat = "...", lon = "..."
    value = "personnel"             # numeric column; optional for presence-only rows
    country = "country_code"        # optional per-row country hint
    origin = "contributor"          # flows: where the force comes from
    date = "date"                   # optional: one feature per date (time slider)

Layer keys beyond those: ``group`` (colour category column), ``source`` (per-row source
column; a column called ``source`` is used by default), ``injured``, ``low``, ``high``,
``children``, ``precision`` (ACLED ``geo_precision`` / UCDP ``where_prec`` column),
``popup`` (list of extra columns), ``heatmap``, ``cluster``, ``color``, ``show``,
``sheet`` (XLSX sheet or GeoPackage layer) and ``where`` (a row filter:
``where = {kind = "killed", group = ""}`` keeps the rows whose ``kind`` is ``killed`` and
whose ``group`` is empty; a list of values keeps any of them). Map-wide, ``footer`` is a
note shown above the sources list, and ``sources`` adds entries to it. Any other key is an
error that names it and the closest valid key.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import logging
import re
import tomllib
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from geo import largefile
from geo.atomic import replacing
from geo.errors import OutputError, SpecError, UnresolvedPlaceError
from geo.figures import find_column, read_table
from geo.join import _matches, columns_used, describe, join_layer, unresolved_report
from geo.largefile import AGGREGATED_KINDS, out_of_core
from geo.models import (
    COL_AREA,
    COL_DATE,
    COL_DETAILS,
    COL_ORIGIN_LAT,
    COL_ORIGIN_LON,
    LAYER_KINDS,
    LayerData,
    LayerSpec,
    MapSpec,
    View,
)
from geo.progress import terminal_bar

log = logging.getLogger("geo")

MAP_KEYS = ("title", "description", "view", "tiles", "footer", "sources", "layers")
VIEW_KEYS = ("lat", "lon", "zoom")
_COLUMN_KEYS = (
    "place",
    "lat",
    "lon",
    "value",
    "country",
    "origin",
    "date",
    "group",
    "source",
    "injured",
    "low",
    "high",
    "children",
    "precision",
)
_BOOL_KEYS = ("heatmap", "show")
LAYER_KEYS = (
    "name",
    "kind",
    "data",
    *_COLUMN_KEYS,
    "popup",
    *_BOOL_KEYS,
    "cluster",
    "color",
    "sheet",
    "where",
)
EXPORT_SUFFIXES = (".geojson", ".json", ".gpkg")
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,20})$")


# --------------------------------------------------------------------------- loading


def load_spec(path: str | Path) -> MapSpec:
    """Read and validate a TOML map spec; data paths become absolute (relative to the spec).

    Raises SpecError naming the file and the key: an unknown key (with the closest valid
    one), a wrong type, an unknown layer kind, a missing data file.

    >>> spec = load_spec("maps/demo.toml")  # doctest: +SKIP
    >>> [layer.kind for layer in spec.layers]  # doctest: +SKIP
    ['deployment', 'flows', 'casualties', 'displacement']
    """
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: spec file not found")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path.name}: not UTF-8 text ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path.name}: invalid TOML: {exc}") from exc
    _unknown_keys(doc, MAP_KEYS, path.name, "")
    title = _text(doc, "title", path.name, "", required=True)
    raw_layers = doc.get("layers")
    if not isinstance(raw_layers, list) or not raw_layers:
        raise SpecError(
            f"{path.name}: no [[layers]]; add at least one [[layers]] table with "
            "name, kind, data and place (or lat and lon)"
        )
    layers = tuple(_layer(raw, i, path) for i, raw in enumerate(raw_layers, start=1))
    names = [layer.name for layer in layers]
    for name in {n for n in names if names.count(n) > 1}:
        log.warning(
            "%s: %d layers are named %r; the layer control will show them alike",
            path.name,
            names.count(name),
            name,
        )
    return MapSpec(
        title=title,
        layers=layers,
        path=path.resolve(),
        description=_text(doc, "description", path.name, ""),
        view=_view(doc.get("view"), path.name),
        tiles=_tiles(doc.get("tiles"), path.name),
        options=_map_options(doc, path.name),
    )


def _unknown_keys(table: dict[str, Any], valid: Sequence[str], file: str, where: str) -> None:
    for key in table:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SpecError(
                f"{file}: unknown key {where}{key!r}{hint} (valid keys: {', '.join(valid)})"
            )


def _text(
    table: dict[str, Any], key: str, file: str, where: str, *, required: bool = False
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise SpecError(f"{file}: {where}missing key {key!r}")
        return None
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{file}: {where}{key} must be a non-empty string, got {value!r}")
    return value.strip()


def _layer(raw: Any, number: int, spec_path: Path) -> LayerSpec:
    file = spec_path.name
    if not isinstance(raw, dict):
        raise SpecError(f"{file}: layers must be [[layers]] tables")
    label = raw.get("name") if isinstance(raw.get("name"), str) else f"#{number}"
    where = f"layer {label!r}: "
    _unknown_keys(raw, LAYER_KEYS, file, f"in layer {label!r}: ")
    name = _text(raw, "name", file, f"layer #{number}: ", required=True)
    kind = _text(raw, "kind", file, where, required=True)
    if kind not in LAYER_KINDS:
        close = difflib.get_close_matches(str(kind), LAYER_KINDS, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(
            f"{file}: {where}unknown kind {kind!r}{hint} (kinds: {', '.join(LAYER_KINDS)})"
        )
    data = spec_path.parent / str(_text(raw, "data", file, where, required=True))
    if not data.is_file():
        raise SpecError(
            f"{file}: {where}data file {raw['data']!r} not found "
            f"(looked for {data}; data paths are relative to the spec file)"
        )
    columns = {k: _text(raw, k, file, where) for k in _COLUMN_KEYS}
    if not columns["place"] and not (columns["lat"] and columns["lon"]):
        missing = "lon" if columns["lat"] else "lat" if columns["lon"] else "place"
        raise SpecError(
            f"{file}: {where}missing key {missing!r}; map a place column "
            '(place = "...") or both lat and lon columns'
        )
    if kind == "flows" and not columns["origin"]:
        raise SpecError(
            f'{file}: {where}a flows layer needs origin = "<column>" naming where each flow starts'
        )
    popup = raw.get("popup", [])
    if isinstance(popup, str):
        popup = [popup]
    if not isinstance(popup, list) or not all(isinstance(p, str) and p for p in popup):
        raise SpecError(f"{file}: {where}popup must be a list of column names, got {popup!r}")
    flags = {}
    for key in (*_BOOL_KEYS, "cluster"):
        if key in raw and not isinstance(raw[key], bool):
            raise SpecError(f"{file}: {where}{key} must be true or false, got {raw[key]!r}")
        flags[key] = raw.get(key)
    color = _text(raw, "color", file, where)
    if color and not _COLOR.match(color):
        raise SpecError(
            f"{file}: {where}color {color!r} is not a colour; use a name such as "
            "'crimson' or a hex code such as '#d62728'"
        )
    row_filter = _where(raw.get("where"), file, where)
    return LayerSpec(
        name=str(name),
        kind=str(kind),
        data=data.resolve(),
        **columns,
        popup=tuple(popup),
        heatmap=bool(flags["heatmap"]),
        cluster=flags["cluster"],
        show=True if flags["show"] is None else bool(flags["show"]),
        color=color,
        sheet=_text(raw, "sheet", file, where),
        where=row_filter,
    )


def _where(raw: Any, file: str, where: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """``where = {kind = "killed", group = ""}`` -> (("kind", ("killed",)), ("group", ("",))).

    Values are kept as text ("" matches an empty cell); numbers and booleans become their
    TOML spelling (``year = 2024`` -> "2024").
    """
    if raw is None:
        return None
    example = 'where = {kind = "killed", group = ""}'
    if not isinstance(raw, dict) or not raw:
        raise SpecError(
            f"{file}: {where}where must be a table of column = value, such as "
            f"{example}; got {raw!r}"
        )
    out = []
    for column, wanted in raw.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        texts = []
        for value in values:
            if isinstance(value, bool):
                texts.append("true" if value else "false")
            elif isinstance(value, int | float | str):
                texts.append(f"{value:g}" if isinstance(value, float) else str(value).strip())
            else:
                raise SpecError(
                    f"{file}: {where}where.{column} must be a value or a list of "
                    f"values (text or numbers), such as {example}; got {wanted!r}"
                )
        if not texts:
            raise SpecError(
                f"{file}: {where}where.{column} is an empty list; give at least "
                'one value ("" matches empty cells)'
            )
        out.append((str(column), tuple(texts)))
    return tuple(out)


def check_where(layer: LayerSpec, table: pd.DataFrame, spec_file: str) -> None:
    """Raise SpecError when ``layer.where`` names a column ``table`` does not have.

    The message names the spec file, the layer, the column, the closest column and all the
    columns of the data file.
    """
    if not layer.where:
        return
    columns = [str(c) for c in table.columns]
    folded = {c.casefold() for c in columns}
    for column, _ in dict(layer.where).items():
        if column in columns or column.casefold() in folded:
            continue
        close = difflib.get_close_matches(column, columns, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(
            f"{spec_file}: layer {layer.name!r}: where names column {column!r}, which "
            f"{table.attrs.get('file', Path(str(layer.data)).name)} does not have{hint} "
            f"(the columns are: {', '.join(columns) or '(none)'})"
        )


def _view(raw: Any, file: str) -> View | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SpecError(f"{file}: view must be a table: [view] lat = ..., lon = ..., zoom = ...")
    _unknown_keys(raw, VIEW_KEYS, file, "in [view]: ")
    values = {}
    for key, low, high in (("lat", -90, 90), ("lon", -180, 180), ("zoom", 0, 20)):
        v = raw.get(key)
        if v is None:
            raise SpecError(f"{file}: [view] missing key {key!r}")
        if isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high:
            raise SpecError(
                f"{file}: [view] {key} must be a number from {low} to {high}, got {v!r}"
            )
        values[key] = v
    if not float(values["zoom"]).is_integer():
        raise SpecError(f"{file}: [view] zoom must be a whole number, got {values['zoom']!r}")
    return View(lat=float(values["lat"]), lon=float(values["lon"]), zoom=int(values["zoom"]))


def _tiles(raw: Any, file: str) -> str | None:
    if raw is None or raw is False:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise SpecError(f'{file}: tiles must be a tile set name such as "osm", got {raw!r}')
    return raw.strip()


def _map_options(doc: dict[str, Any], file: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    footer = _text(doc, "footer", file, "")
    if footer:
        out["footer"] = footer
    sources = doc.get("sources")
    if sources is not None:
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise SpecError(f"{file}: sources must be a list of strings, got {sources!r}")
        out["sources"] = list(sources)
    return out


# --------------------------------------------------------------------------- building


@dataclasses.dataclass(frozen=True)
class BuildResult:
    """What :func:`build` made: the map, where it was written, and the joined layers."""

    map: Any  # folium.Map
    html: Path
    layers: tuple[LayerData, ...]
    unresolved: str  # the unresolved report ("" when every place resolved)
    export: Path | None = None
    png: Path | None = None

    def summary(self) -> str:
        """Per-layer feature counts, the unresolved report and the files written."""
        lines = [describe(layer) for layer in self.layers]
        if self.unresolved:
            lines.append(self.unresolved)
        lines += [f"wrote {p}" for p in (self.html, self.export, self.png) if p is not None]
        return "\n".join(lines)


class Steps:
    """A step progress bar on stderr for long builds; silent unless stderr is a terminal.

    >>> with Steps(total=2, enabled=False) as steps:
    ...     steps.step("reading figures.csv")
    """

    def __init__(self, total: int = 0, *, enabled: bool = True) -> None:
        self._bar: Any = None
        if enabled and total > 1:
            self._bar = terminal_bar(
                total,
                unit="step",
                leave=False,
                bar_format="{desc:<32.32} {bar} {n_fmt}/{total_fmt} {elapsed}",
            )
        self._started = False

    def step(self, description: str) -> None:
        """Mark the previous step done and show ``description`` as the current one."""
        if self._bar is None:
            return
        if self._started:
            self._bar.update()
        self._started = True
        self._bar.set_description_str(description)

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            if exc[0] is None and self._started:
                self._bar.update()
            self._bar.close()


def load_layers(
    spec: MapSpec,
    *,
    strict: bool = False,
    online: bool = False,
    geocoder: Any = None,
    steps: Steps | None = None,
) -> tuple[LayerData, ...]:
    """Read and join every layer of ``spec`` (each data file is read once).

    Raises InputError for bad data, UnresolvedPlaceError when ``strict`` and any place in
    any layer is unresolved (the message lists them all).
    """
    steps = steps or Steps(enabled=False)
    tables: dict[tuple[str, str | None], pd.DataFrame] = {}
    layers = []
    for layer in spec.layers:
        key = (str(layer.data), layer.sheet)
        if layer.kind in AGGREGATED_KINDS and out_of_core(layer.data):
            steps.step(f"aggregating {Path(layer.data).name} out of core")
            table = _pre_aggregate(spec, layer)
            steps.step(f"geocoding {layer.name}")
            layers.append(join_layer(layer, table, geocoder=geocoder, online=online))
            continue
        if key not in tables:
            steps.step(f"reading {Path(layer.data).name}")
            users = [x for x in spec.layers if (str(x.data), x.sheet) == key]
            tables[key] = read_table(
                layer.data, sheet=layer.sheet, columns=partial(_columns_used, spec, users)
            )
        if spec.path is not None:
            check_where(layer, tables[key], Path(spec.path).name)
        steps.step(f"geocoding {layer.name}")
        layers.append(join_layer(layer, tables[key], geocoder=geocoder, online=online))
    if strict and any(layer.unresolved for layer in layers):
        raise UnresolvedPlaceError(unresolved_report(layers) + " (--strict)")
    return tuple(layers)


def _pre_aggregate(spec: MapSpec, layer: LayerSpec) -> pd.DataFrame:
    """One layer's rows of a file larger than the memory budget, aggregated in DuckDB."""
    path = Path(layer.data)
    probe = pd.DataFrame(columns=list(largefile.header(path)))
    probe.attrs.update(file=path.name, path=str(path))
    used = _columns_used(spec, [layer], probe)
    cols = {
        k: find_column(probe, getattr(layer, k), key=k)
        for k in ("value", "injured", "low", "high", "children", "place", "date")
        if getattr(layer, k)
    }
    figures = [cols[k] for k in ("value", "injured", "low", "high", "children") if k in cols]
    ranges = [
        (cols[a], cols[b])
        for a, b in (("low", "high"), ("low", "value"), ("value", "high"))
        if a in cols and b in cols
    ]
    where = [
        (
            find_column(probe, str(name), key="where"),
            [str(v) for v in ([w] if isinstance(w, str | int | float) else list(w))],
        )
        for name, w in (dict(layer.where).items() if layer.where else [])
    ]
    places = [cols["place"]] if "place" in cols and not (layer.lat and layer.lon) else []
    return largefile.pre_aggregate(
        path,
        used=used,
        figures=figures,
        places=places,
        dates=[cols["date"]] if "date" in cols else [],
        ranges=ranges,
        where=where,
        matches=_matches,
        raw_when_empty=layer.kind in ("deployment", "flows"),
    )


def _columns_used(spec: MapSpec, layers: list[LayerSpec], header: pd.DataFrame) -> list[str]:
    """The columns of one data file (``header``) that ``layers`` read: only those are loaded.

    A missing column is reported here, from the whole header, as join_layer would."""
    used: list[str] = []
    for layer in layers:
        if spec.path is not None:
            check_where(layer, header, Path(spec.path).name)
        used += columns_used(layer, header)
    return used


def build(
    spec_path: str | Path,
    out: str | Path | None = None,
    *,
    fragment: bool = False,
    cdn: bool = False,
    strict: bool = False,
    export: str | Path | None = None,
    png: str | Path | None = None,
    width: int = 1200,
    height: int = 800,
    online: bool = False,
    geocoder: Any = None,
    progress: bool = False,
) -> BuildResult:
    """Build the map a spec describes and write it as one HTML file.

    Every layer is read, validated and joined before anything is written, and every file
    is written atomically, so a failed build leaves no partial file and keeps the previous
    map. ``out`` defaults to the spec path with ``.html``; ``export`` also writes the joined
    data (``.geojson``/``.json``: one file, a ``layer`` property per feature; ``.gpkg``: one
    GeoPackage layer per map layer); ``png`` also renders a screenshot (needs Chromium).

    ``progress=True`` shows a step bar (reading, geocoding, drawing, writing) on stderr when
    stderr is a terminal, and nothing otherwise.

    Raises SpecError, InputError, UnresolvedPlaceError (strict), OutputError.

    >>> result = build("maps/demo.toml", "maps/demo.html")  # doctest: +SKIP
    >>> print(result.summary())  # doctest: +SKIP
    layer 'Kenyan police in Haiti' (deployment): 1 features from 1 rows of deployment.csv
    ...
    """
    spec_path = Path(spec_path)
    out = Path(out) if out is not None else spec_path.with_suffix(".html")
    export_path = Path(export) if export is not None else None
    png_path = Path(png) if png is not None else None
    _check_outputs(out, export_path, png_path)
    spec = load_spec(spec_path)
    files = {(str(layer.data), layer.sheet) for layer in spec.layers}
    total = len(files) + len(spec.layers) + 2 + (export_path is not None) + (png_path is not None)
    with Steps(total=total, enabled=progress) as steps:
        layers = load_layers(spec, strict=strict, online=online, geocoder=geocoder, steps=steps)
        export_frame = export_frames(layers) if export_path is not None else None

        from geo.render import render_map, write_html

        steps.step("drawing")
        m = render_map(spec, layers)
        steps.step(f"writing {out.name}")
        html = write_html(m, out, fragment=fragment, cdn=cdn)
        if export_path is not None and export_frame is not None:
            steps.step(f"writing {export_path.name}")
            write_export(export_frame, export_path)
        if png_path is not None:
            from geo.snapshot import render_png

            steps.step(f"rendering {png_path.name}")
            render_png(html, png_path, width=width, height=height)
    return BuildResult(
        map=m,
        html=Path(html),
        layers=layers,
        unresolved=unresolved_report(layers),
        export=export_path,
        png=png_path,
    )


def _check_outputs(out: Path, export: Path | None, png: Path | None) -> None:
    for path, suffixes in ((out, None), (export, EXPORT_SUFFIXES), (png, (".png",))):
        if path is None:
            continue
        if suffixes and path.suffix.lower() not in suffixes:
            raise OutputError(
                f"{path}: unsupported output type {path.suffix or '(none)'!r}; "
                f"use {' or '.join(suffixes)}"
            )
        if not path.parent.exists():
            raise OutputError(f"{path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise OutputError(f"{path}: is a folder, not a file name")


# --------------------------------------------------------------------------- export


def export_frames(layers: Sequence[LayerData]) -> list[tuple[str, Any]]:
    """Joined layers as JSON-safe GeoDataFrames: (layer name, frame) pairs.

    Dates become ISO strings, ``details`` a JSON object string, the ``area`` outline is
    dropped (it is reference geometry, not data), and each feature gets ``layer`` and
    ``kind`` properties.
    """
    import geopandas as gpd

    out = []
    for layer in layers:
        frame = layer.frame.drop(columns=[COL_AREA], errors="ignore").copy()
        if layer.spec.kind == "flows" and len(frame):  # a flow is a line, origin -> place
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
