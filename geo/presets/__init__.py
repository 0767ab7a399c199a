"""Dataset presets and the layer options of real exports.

``preset = "acled" | "ucdp" | "geopko" | "dtm" | "hxl"`` on a layer maps the dataset's
documented columns: each preset is one TOML file in this folder (its kind, its date order,
candidate columns per key, the dataset's labels for its codes). A candidate is a column
name, an HXL tag pattern (``#adm1+name``, matched by libhxl against the table's hashtag
row), a ``*`` pattern of repeated columns (``name.of.TCC*``) or a list of columns making
one date (``["year", "month"]``). The first candidate the file has is used; a key the
user writes always wins, and a candidate the file lacks is no error.

:func:`layer_options` validates the keys of real exports (``preset``, ``labels``,
``date_format``, ``date_order``, ``on_bad_rows``, ``missing``, ``latest``, ``source =
false``, ``date = [...]``); :func:`resolve` turns a layer's candidates into the columns of
one table once its header (and hashtag row) is known.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import tomllib
from pathlib import Path
from typing import Any

from geo.errors import InputError, SpecError
from geo.models import COLUMN_KEYS, LAYER_KINDS, LayerSpec

log = logging.getLogger("geo")

HERE = Path(__file__).resolve().parent
PRESETS: tuple[str, ...] = tuple(sorted(p.stem for p in HERE.glob("*.toml")))
OPTION_KEYS = (
    "preset",
    "labels",
    "date_format",
    "date_order",
    "on_bad_rows",
    "missing",
    "latest",
)
_DATE_ORDERS = ("dmy", "mdy")
# An HXL hashtag with its attributes: "#adm1+name", "#affected +killed +f".
_HASHTAG = re.compile(r"^#[A-Za-z][\w]*(\s*\+\s*[A-Za-z][\w]*)*$")


@functools.cache
def preset(name: str) -> dict[str, Any]:
    """The preset's table (kind, date_order, columns, labels, kinds) by name."""
    return tomllib.loads((HERE / f"{name}.toml").read_text(encoding="utf-8"))


def layer_options(raw: dict[str, Any], file: str, where: str) -> dict[str, Any]:
    """The LayerSpec fields of a layer's real-export keys (validated; SpecError names the
    file, the layer, the key and the fix). ``raw`` keeps the user's own keys."""
    name = raw.get("preset")
    table: dict[str, Any] = {}
    if name is not None:
        if name not in PRESETS:
            raise SpecError(
                f"{file}: {where}unknown preset {name!r}; presets: {', '.join(PRESETS)}"
            )
        table = preset(name)
    out = _preset_fields(name, table, raw)
    _user_fields(raw, file, where, out)
    kind = raw.get("kind") or table.get("kind")
    return {"kind": kind, **out}


def _preset_fields(name: str | None, table: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """What the preset brings: candidate columns for the keys the user left out, its date
    order, snapshot rule and labels."""
    if name is None:
        return {}
    out: dict[str, Any] = {"preset": name}
    out["candidates"] = {k: v for k, v in table.get("columns", {}).items() if raw.get(k) is None}
    if table.get("date_order"):
        out["date_order"] = table["date_order"]
    if table.get("latest") is not None:
        out["latest"] = table["latest"]
    if table.get("labels"):
        out["labels"] = {str(k): str(v) for k, v in table["labels"].items()}
    return out


def _user_fields(raw: dict[str, Any], file: str, where: str, out: dict[str, Any]) -> None:
    """The user's own real-export keys, validated, over the preset's (in ``out``)."""
    labels = raw.get("labels")
    if labels is not None:
        if not isinstance(labels, dict) or not all(
            isinstance(v, str) and v.strip() for v in labels.values()
        ):
            raise SpecError(
                f'{file}: {where}labels must be a table of code = "label", such as '
                f'labels = {{"1" = "State-based"}}; got {labels!r}'
            )
        out["labels"] = {**out.get("labels", {}), **{str(k): v for k, v in labels.items()}}
    for key in ("date_format", "date_order", "on_bad_rows"):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise SpecError(f"{file}: {where}{key} must be a non-empty string, got {value!r}")
        out[key] = value.strip()
    if out.get("date_order") not in (None, *_DATE_ORDERS):
        raise SpecError(
            f'{file}: {where}date_order must be "dmy" (14/08/2020) or "mdy" (8/14/2020), '
            f"got {out['date_order']!r}"
        )
    if out.get("date_format") and "%" not in out["date_format"]:
        raise SpecError(
            f"{file}: {where}date_format {out['date_format']!r} has no % code; write it "
            'as Python strptime does, such as date_format = "%d/%m/%Y"'
        )
    if out.get("on_bad_rows") not in (None, "error", "skip"):
        raise SpecError(
            f'{file}: {where}on_bad_rows must be "error" or "skip", got {out["on_bad_rows"]!r}'
        )
    missing = raw.get("missing")
    if missing is not None:
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            raise SpecError(
                f"{file}: {where}missing must be a list of words read as empty, such as "
                f'missing = ["unknown", "n/a"]; got {missing!r}'
            )
        out["missing"] = tuple(m.strip() for m in missing if m.strip())
    latest = raw.get("latest")
    if latest is not None:
        if not isinstance(latest, bool) and latest not in ("year", "month"):
            raise SpecError(
                f"{file}: {where}latest must be true (the latest record per place and "
                f'group), "year" or "month" (the latest per period), got {latest!r}'
            )
        out["latest"] = latest


def resolve(layer: LayerSpec, header: Any) -> LayerSpec:
    """``layer`` with its candidate columns replaced by those of ``header`` (a DataFrame:
    its columns, and a hashtag row as its first row when the file is HXL-tagged).

    Raises InputError when no candidate gives a place, or both coordinates.
    """
    if not layer.candidates:
        return layer
    columns = [str(c) for c in header.columns]
    tags = hxl_tags(header)
    chosen: dict[str, Any] = {}
    for key, options in layer.candidates.items():
        found = [c for c in (_pick(o, columns, tags) for o in _as_list(options, key)) if c]
        if key == "popup":
            chosen[key] = tuple(dict.fromkeys(c for c in found if isinstance(c, str)))
        elif found:
            chosen[key] = found[0]
    dates = chosen.pop("date", None)
    fields: dict[str, Any] = {k: v for k, v in chosen.items() if k in COLUMN_KEYS}
    if isinstance(dates, tuple):
        fields["dates"] = dates
    elif dates:
        fields["date"] = dates
    if "popup" in chosen:
        fields["popup"] = tuple(dict.fromkeys([*layer.popup, *chosen["popup"]]))
    kinds = preset(layer.preset).get("kinds", {}) if layer.preset else {}
    value = layer.candidates.get("value")
    if kinds and not _user_kind(layer) and value:
        for pattern in _as_list(value, "value"):
            if _pick(pattern, columns, tags) == fields.get("value") and pattern in kinds:
                fields["kind"] = kinds[pattern]
                break
    out = dataclasses.replace(layer, candidates=None, **fields)
    if not out.place and not (out.lat and out.lon):
        looked = ", ".join(map(str, _as_list(layer.candidates.get("place", []), "place")))
        raise InputError(
            f"{header.attrs.get('file', 'table')}: preset {layer.preset!r} of layer "
            f"{layer.name!r} finds no place column ({looked}) "
            f'and no latitude/longitude; name one with place = "..." or lat/lon'
        )
    return out


def _user_kind(layer: LayerSpec) -> bool:
    return bool(layer.options and layer.options.get("kind_given"))


def _as_list(options: Any, key: str) -> list[Any]:
    if isinstance(options, str):
        return [options]
    if key == "date":  # a list of columns inside the candidates list is one date
        return [tuple(o) if isinstance(o, list) else o for o in options]
    return list(options)


def _pick(option: Any, columns: list[str], tags: dict[str, Any]) -> Any:
    """The column (or tuple of columns) ``option`` names in this table, or None."""
    folded = {c.casefold(): c for c in columns}
    if isinstance(option, tuple):
        names = [folded.get(str(o).casefold()) for o in option]
        return tuple(names) if all(names) else None
    option = str(option)
    if option.startswith("#"):
        return _match_tag(option, tags)
    if "*" in option:
        return option if wide_columns(option, columns) else None
    return folded.get(option.casefold())


def wide_columns(pattern: str, columns: list[str]) -> dict[str, str]:
    """``name.of.TCC*`` -> {"1": "name.of.TCC1", ...}: the repeated columns by their number."""
    head, _, tail = pattern.partition("*")
    rx = re.compile(re.escape(head) + r"(\d+)" + re.escape(tail) + "$", re.IGNORECASE)
    out = {}
    for c in columns:
        m = rx.match(c)
        if m:
            out[m.group(1)] = c
    return out


# --------------------------------------------------------------------------- HXL


def hxl_tags(table: Any) -> dict[str, Any]:
    """Column name -> parsed HXL column, from the table's hashtag row (none: {})."""
    if not len(table) or not len(table.columns):
        return {}
    first = table.iloc[0]
    cells = [str(v).strip() for v in first if v is not None and str(v).strip()]
    # A hashtag row tags most columns; one "#Goma" cell is a data row, not HXL.
    if len(cells) < max(2, len(table.columns) // 2) or not all(_HASHTAG.match(c) for c in cells):
        return {}
    try:
        model = _hxl()
    except ImportError as exc:
        raise InputError(
            f"{table.attrs.get('file', 'table')} carries HXL hashtags; reading them needs "
            "libhxl: pip install libhxl six"
        ) from exc
    out = {}
    for name, cell in zip(table.columns, first, strict=True):
        if cell is not None and str(cell).strip().startswith("#"):
            out[str(name)] = model.Column.parse(str(cell).strip())
    return out


def _hxl() -> Any:
    """libhxl's model module (an optional dependency without type information)."""
    import importlib

    return importlib.import_module("hxl.model")


def _match_tag(pattern: str, tags: dict[str, Any]) -> str | None:
    if not tags:
        return None
    parsed = _hxl().TagPattern.parse(pattern)
    for name, column in tags.items():
        if parsed.match(column):
            return name
    return None


def drop_hxl_row(table: Any) -> Any:
    """The table without its hashtag row (row 2 of an HDX CSV), row numbers kept."""
    if not hxl_tags(table):
        return table
    out = table.iloc[1:]
    out.attrs = dict(table.attrs)
    out.attrs.pop("unread", None)  # duplicates compare the columns read
    log.info("%s: row %s holds HXL hashtags, not data", table.attrs.get("file"), table.index[0])
    return out


def check_kind(kind: Any, file: str, where: str) -> str:
    """The layer kind, or SpecError naming the kinds."""
    import difflib

    if kind is None:
        raise SpecError(f"{file}: {where}missing key 'kind' (or a preset that brings one)")
    if kind not in LAYER_KINDS:
        close = difflib.get_close_matches(str(kind), LAYER_KINDS, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SpecError(
            f"{file}: {where}unknown kind {kind!r}{hint} (kinds: {', '.join(LAYER_KINDS)})"
        )
    return str(kind)
