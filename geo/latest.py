"""Snapshots and what a layer leaves off the map.

Exports such as Geo-PKO (one row per location per monthly map) or DTM (one row per area
per round) repeat the same place at many dates; summed, they count the same troops or
people many times. :func:`keep_latest` keeps, with ``latest = true``, each place's rows of
its latest date (per group too, when the group is a column of its own rather than wide
pairs), or with ``latest = "year"`` / ``"month"`` the latest per place and period; without
it, a layer of stocks (deployment, flows, displacement) that sums a place seen at several
dates and draws no date warns.

:func:`not_mapped` counts the rows (and their value) that could not be placed.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import pandas as pd

from geo.kinds import KINDS
from geo.models import COL_DATE, COL_NAME, LayerSpec

log = logging.getLogger("geo")

# Kinds whose figures are stocks (troops present, people displaced): one count per date.
STOCK_KINDS = tuple(k.name for k in KINDS.values() if k.stock)
DATE_LIKE = re.compile(r"(^|[_.\s])(date|year|month|period|round)([_.\s]|$)", re.IGNORECASE)


def date_like(columns: list[str]) -> list[str]:
    """Columns whose names say they hold a date or a period (year, month, round, ...)."""
    return [c for c in columns if DATE_LIKE.search(c) or c.casefold().endswith("date")]


def _place_keys(spec: LayerSpec, work: pd.DataFrame) -> list[str]:
    keys = [COL_NAME, "lat", "lon"]
    if "group" in work and "*" not in str(spec.group or ""):
        keys.append("group")
    return keys


def keep_latest(spec: LayerSpec, work: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Apply ``spec.latest`` to located rows, or warn about sums across dates."""
    if work.empty:
        return work
    keys = _place_keys(spec, work)
    if not spec.latest:
        _warn_summed(spec, work, table, keys)
        return work
    if COL_DATE not in work or work[COL_DATE].isna().all():
        log.warning("layer %r: latest = %r needs a date; every row is kept", spec.name, spec.latest)
        return work
    frame = work[keys].copy()
    frame["lat"], frame["lon"] = frame["lat"].round(5), frame["lon"].round(5)
    if spec.latest in ("year", "month"):
        frame["_period"] = work[COL_DATE].dt.to_period("Y" if spec.latest == "year" else "M")
        keys = [*keys, "_period"]
    newest = work[COL_DATE].groupby([frame[k] for k in keys], dropna=False).transform("max")
    keep = (work[COL_DATE] == newest) | newest.isna()
    log.warning(
        "layer %r: latest = %r keeps %d of %d rows (each place's latest date)",
        spec.name,
        spec.latest,
        int(keep.sum()),
        len(work),
    )
    return work[keep.to_numpy()]


def _warn_summed(spec: LayerSpec, work: pd.DataFrame, table: pd.DataFrame, keys: list[str]) -> None:
    if spec.kind not in STOCK_KINDS or spec.date or "value" not in work:
        return  # events and casualties add up over time; stocks counted twice do not
    dated = [c for c in date_like([str(c) for c in table.columns]) if c in table]
    if not dated:
        return
    stamps = table.loc[work.index, dated].astype(str).agg("|".join, axis=1)
    frame = work[keys].copy()
    frame["_when"] = stamps.to_numpy()
    counts = frame.groupby(keys, dropna=False)["_when"].nunique()
    repeated = counts[counts > 1]
    if repeated.empty:
        return
    log.warning(
        "layer %r: %d places appear at several dates (%s) and their figures are summed "
        "across them (%s in all), counting what was there once per date; add "
        'date = "..." to draw one feature per date, or latest = true to keep each '
        "place's latest record",
        spec.name,
        len(repeated),
        ", ".join(dated),
        f"{work['value'].sum():,.0f}",
    )


def not_mapped(work: pd.DataFrame, unresolved: dict[str, list[Any]]) -> dict[str, Any]:
    """How many rows (and how much of the value) could not be placed, and why."""
    rows = list(dict.fromkeys(r for rs in unresolved.values() for r in rs))
    out: dict[str, Any] = {"rows": len(rows), "of": len(work), "why": "place not found"}
    if "value" in work and len(work):
        total = float(np.nansum(work["value"].to_numpy(dtype=float)))
        lost = work["value"].reindex([r for r in rows if r in work.index]).sum()
        out.update(value=float(lost), total=total, share=(float(lost) / total) if total else None)
    else:
        out["share"] = len(rows) / len(work) if len(work) else None
    return out
