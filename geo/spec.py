"""Map specs (TOML) -> validated :class:`~geo.models.MapSpec` (building: :mod:`geo.builder`).

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

import difflib
import logging
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo.errors import SpecError
from geo.kinds import KINDS
from geo.models import COLUMN_KEYS, LayerSpec, MapSpec, View
from geo.presets import OPTION_KEYS, check_kind, layer_options

log = logging.getLogger("geo")

MAP_KEYS = (
    "title",
    "description",
    "view",
    "tiles",
    "footer",
    "sources",
    "colors",
    "time",
    "layers",
)
VIEW_KEYS = ("lat", "lon", "zoom")
_BOOL_KEYS = ("heatmap", "show")
LAYER_KEYS = (
    "name",
    "kind",
    "data",
    *COLUMN_KEYS,
    "popup",
    *_BOOL_KEYS,
    "cluster",
    "color",
    "sheet",
    "where",
    *OPTION_KEYS,
    "label",
)
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,20})$")


def load_spec(path: str | Path, *, allow_outside: bool = False) -> MapSpec:
    """Read and validate a TOML map spec; data paths become absolute (relative to the spec).

    A spec may come from anyone, so its data files must lie in the spec's folder (or below
    it) or in the current folder, symbolic links followed: ``data = "/etc/passwd"`` or
    ``"../../secret.csv"`` is refused unless ``allow_outside=True`` (``--allow-outside``).

    Raises SpecError naming the file and the key: an unknown key (with the closest valid
    one), a wrong type, an unknown layer kind, a missing data file, a data file outside.

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
    except RecursionError as exc:
        raise SpecError(f"{path.name}: invalid TOML: arrays or tables nested too deeply") from exc
    _unknown_keys(doc, MAP_KEYS, path.name, "")
    title = _text(doc, "title", path.name, "", required=True)
    raw_layers = doc.get("layers")
    if not isinstance(raw_layers, list) or not raw_layers:
        raise SpecError(
            f"{path.name}: no [[layers]]; add at least one [[layers]] table with "
            "name, kind, data and place (or lat and lon)"
        )
    layers = tuple(_layer(raw, i, path, allow_outside) for i, raw in enumerate(raw_layers, start=1))
    names = [layer.name for layer in layers]
    for name in {n for n in names if names.count(n) > 1}:
        log.warning(
            "%s: %d layers are named %r; the layer control will show them alike",
            path.name,
            names.count(name),
            name,
        )
    return MapSpec(
        title=str(title),
        layers=layers,
        path=path.resolve(),
        description=_text(doc, "description", path.name, ""),
        view=_view(doc.get("view"), path.name),
        tiles=_tiles(doc.get("tiles"), path.name),
        options=_map_options(doc, path.name),
    )


def _confine(data: Path, spec_path: Path, what: str) -> None:
    """Refuse a data path outside the spec's folder and the current folder (issue 16)."""
    target = data.resolve()
    roots = (spec_path.resolve().parent, Path.cwd().resolve())
    if str(data).startswith("/vsi") or not any(target.is_relative_to(r) for r in roots):
        raise SpecError(
            f"{what} is outside the spec's folder and the current folder; move it next to "
            "the spec, or pass --allow-outside (Python: allow_outside=True) if you trust "
            "this spec"
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


def _layer(raw: Any, number: int, spec_path: Path, allow_outside: bool = False) -> LayerSpec:
    file = spec_path.name
    if not isinstance(raw, dict):
        raise SpecError(f"{file}: layers must be [[layers]] tables")
    label = raw.get("name") if isinstance(raw.get("name"), str) else f"#{number}"
    where = f"layer {label!r}: "
    _unknown_keys(raw, LAYER_KEYS, file, f"in layer {label!r}: ")
    name = _text(raw, "name", file, f"layer #{number}: ", required=True)
    _text(raw, "kind", file, where)
    options = layer_options(raw, file, where)
    kind = check_kind(options.pop("kind"), file, where)
    data = spec_path.parent / str(_text(raw, "data", file, where, required=True))
    if not allow_outside:
        _confine(data, spec_path, f"{file}: {where}data file {raw['data']!r}")
    if data.is_dir():
        raise SpecError(f"{file}: {where}data file {raw['data']!r} is a folder; name a file in it")
    if not data.is_file():
        raise SpecError(
            f"{file}: {where}data file {raw['data']!r} not found "
            f"(looked for {data}; data paths are relative to the spec file)"
        )
    columns, extra = _columns(raw, file, where)
    if (
        not options.get("preset")
        and not columns["place"]
        and not (columns["lat"] and columns["lon"])
    ):
        missing = "lon" if columns["lat"] else "lat" if columns["lon"] else "place"
        raise SpecError(
            f"{file}: {where}missing key {missing!r}; map a place column "
            '(place = "...") or both lat and lon columns'
        )
    if (
        KINDS[kind].origin
        and not columns["origin"]
        and "origin" not in options.get("candidates", {})
    ):
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
        **extra,
        **options,
        options={"kind_given": raw.get("kind") is not None, **_layer_options(raw, file, where)},
    )


def _columns(raw: dict[str, Any], file: str, where: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The column keys, plus ``source = false`` and ``date = ["year", "month"]``."""
    extra: dict[str, Any] = {}
    if raw.get("source") is False:
        extra["no_source"] = True
        raw = {k: v for k, v in raw.items() if k != "source"}
    date = raw.get("date")
    if isinstance(date, list):
        if not 2 <= len(date) <= 3 or not all(isinstance(d, str) and d.strip() for d in date):
            raise SpecError(
                f"{file}: {where}date as a list names the year, month (and day) columns, "
                f'such as date = ["year", "month"]; got {date!r}'
            )
        extra["dates"] = tuple(d.strip() for d in date)
        raw = {k: v for k, v in raw.items() if k != "date"}
    return {k: _text(raw, k, file, where) for k in COLUMN_KEYS}, extra


def _layer_options(raw: dict[str, Any], file: str, where: str) -> dict[str, Any]:
    """``label``: true (every feature), false (none), a number N (the N biggest figures,
    the default being 5) or a template such as "{name}: {value}"."""
    label = raw.get("label")
    if label is None:
        return {}
    ok = isinstance(label, (bool, str)) or (isinstance(label, int) and label >= 0)
    if not ok or (isinstance(label, str) and not label.strip()):
        raise SpecError(
            f"{file}: {where}label must be true, false, a number of labels or a template "
            f'such as "{{name}}: {{value}}", got {label!r}'
        )
    return {"label": label}


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
    colors = doc.get("colors")
    if colors is not None:
        out["colors"] = _colors(colors, file)
    if doc.get("time") is not None:
        out["time"] = _time(doc["time"], file)
    return out


_TIME = {"mode": ("as of", "exact"), "open": ("latest", "all")}


def _time(raw: Any, file: str) -> dict[str, str]:
    """``[time]``: ``mode`` ("as of": a period shows each place's latest figure up to it;
    "exact": only that period's) and ``open`` ("latest" or "all" periods)."""
    example = '[time] mode = "as of", open = "latest"'
    if not isinstance(raw, dict):
        raise SpecError(f"{file}: time must be a table such as {example}")
    out = {}
    for key, value in raw.items():
        if key not in _TIME:
            raise SpecError(f"{file}: time.{key} is not a key; use mode or open ({example})")
        if value not in _TIME[key]:
            choices = " or ".join(repr(c) for c in _TIME[key])
            raise SpecError(f"{file}: time.{key}: {value!r} is not {choices}")
        out[key] = str(value)
    return out


def _colors(raw: Any, file: str) -> dict[str, str]:
    """``[colors]``: group name -> colour, the same in every layer (geo/layers/colors.py)."""
    if not isinstance(raw, dict):
        raise SpecError(f'{file}: colors must be a table such as [colors] Kenya = "#2b6cb0"')
    for name, color in raw.items():
        if not isinstance(color, str) or not _COLOR.match(color):
            raise SpecError(
                f"{file}: colors.{name}: {color!r} is not a colour; use #rrggbb or a CSS name"
            )
    return {str(k): str(v) for k, v in raw.items()}
