"""Build a map from its spec: read and join every layer, draw, write (atomically).

:func:`build` is the whole pipeline behind ``geo build``: :func:`geo.spec.load_spec`, then
:func:`load_layers` (each data file read once, only the columns its layers use; a file
larger than the memory budget is pre-aggregated out of core by :mod:`geo.largefile`),
:func:`geo.render.render_map`, and the HTML, export (:mod:`geo.export`) and PNG written.
:class:`BuildResult` says what was made; :class:`Steps` is the progress bar.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path
from typing import Any, cast

import pandas as pd

from geo import largefile
from geo.atomic import staged
from geo.columns import FIGURE_KEYS, PRESENCE_KINDS, columns_used, map_columns
from geo.errors import OutputError, UnresolvedPlaceError
from geo.export import EXPORT_SUFFIXES, export_frames, write_export
from geo.figures import find_column, read_table
from geo.join import describe, join_layer, unresolved_report
from geo.largefile import AGGREGATED_KINDS, out_of_core
from geo.latest import STOCK_KINDS, date_like
from geo.models import LayerData, LayerSpec, MapSpec
from geo.notes import summary_lines, write_list
from geo.presets import drop_hxl_row, resolve
from geo.progress import terminal_bar
from geo.reshape import wide_keys
from geo.spec import load_spec
from geo.where import check_where, wanted_texts, where_items

_AGGREGATE_KEYS = ("value", "injured", "low", "high", "children", "place", "date")


@dataclasses.dataclass(frozen=True)
class BuildResult:
    """What :func:`build` made: the map, where it was written, and the joined layers."""

    map: Any  # folium.Map
    html: Path
    layers: tuple[LayerData, ...]
    unresolved: str  # the unresolved report ("" when every place resolved)
    export: Path | None = None
    png: Path | None = None
    notes: Path | None = None  # <map>.notes.csv: every row left out, when some are

    def summary(self) -> str:
        """Per-layer feature counts, what was left out (a count and the first places; the
        notes file has them all) and the files written."""
        lines = [describe(layer) for layer in self.layers]
        lines += summary_lines(self.layers, self.notes)
        written = (self.html, self.export, self.png, self.notes)
        lines += [f"wrote {p}" for p in written if p is not None]
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
        if layer.kind in AGGREGATED_KINDS and _plain(layer) and out_of_core(layer.data):
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
        concrete = resolve(layer, tables[key])
        table = drop_hxl_row(tables[key])
        if spec.path is not None:
            check_where(concrete, table, Path(spec.path).name)
        steps.step(f"geocoding {layer.name}")
        layers.append(join_layer(concrete, table, geocoder=geocoder, online=online))
    if strict and any(layer.unresolved for layer in layers):
        raise UnresolvedPlaceError(unresolved_report(layers) + " (--strict)")
    return tuple(layers)


def _pre_aggregate(spec: MapSpec, layer: LayerSpec) -> pd.DataFrame:
    """One layer's rows of a file larger than the memory budget, aggregated in DuckDB."""
    path = Path(layer.data)
    probe = pd.DataFrame(columns=list(largefile.header(path)))
    probe.attrs.update(file=path.name, path=str(path))
    used = _columns_used(spec, [layer], probe)
    cols = {k: c for k, c in map_columns(layer, probe).items() if k in _AGGREGATE_KEYS}
    figures = [cols[k] for k in ("value", *FIGURE_KEYS) if k in cols]
    ranges = [
        (cols[a], cols[b])
        for a, b in (("low", "high"), ("low", "value"), ("value", "high"))
        if a in cols and b in cols
    ]
    where = [
        (find_column(probe, str(name), key="where"), wanted_texts(wanted))
        for name, wanted in where_items(layer)
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
        raw_when_empty=layer.kind in PRESENCE_KINDS,
    )


def _columns_used(spec: MapSpec, layers: list[LayerSpec], header: pd.DataFrame) -> list[str]:
    """The columns of one data file (``header``) that ``layers`` read: only those are loaded.

    A missing column is reported here, from the whole header, as join_layer would."""
    used: list[str] = []
    for layer in layers:
        if _tagged(layer):  # HXL tags are in the first data row: read every column
            return [str(c) for c in header.columns]
        layer = resolve(layer, header)
        if spec.path is not None:
            check_where(layer, header, Path(spec.path).name)
        used += columns_used(layer, header)
        if layer.kind in STOCK_KINDS and not layer.date and not layer.latest:
            used += date_like([str(c) for c in header.columns])  # to warn of sums over dates
    return used


def _tagged(layer: LayerSpec) -> bool:
    """True when a candidate column of the layer's preset is an HXL tag pattern."""
    options = (layer.candidates or {}).values()
    return any(str(o).startswith("#") for opts in options for o in _flat(opts))


def _flat(options: Any) -> list[Any]:
    return [options] if isinstance(options, str) else list(options)


def _plain(layer: LayerSpec) -> bool:
    """A layer the out-of-core path reads as it is (no preset, pairs, snapshots, skips)."""
    return not (
        layer.candidates
        or layer.dates
        or layer.latest
        or layer.on_bad_rows == "skip"
        or wide_keys(layer)
    )


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
    scale: float = 1.0,
    pdf: str | Path | None = None,
    online: bool = False,
    geocoder: Any = None,
    progress: bool = False,
    skip_bad_rows: bool = False,
    allow_outside: bool = False,
) -> BuildResult:
    """Build the map a spec describes and write it as one HTML file.

    Every layer is read, validated and joined before anything is written, and every file
    is written atomically, so a failed build leaves no partial file and keeps the previous
    map. ``out`` defaults to the spec path with ``.html``; ``export`` also writes the joined
    data (``.geojson``/``.json``: one file, a ``layer`` property per feature; ``.gpkg``: one
    GeoPackage layer per map layer); ``png`` also renders a screenshot (needs Chromium) of
    ``width`` x ``height`` CSS pixels at ``scale`` device pixels each, and ``pdf`` a one-page
    PDF, both in the print layout (the whole legend, no controls).

    Data files must lie in the spec's folder (or below it) or in the current folder;
    ``allow_outside=True`` lifts that (see :func:`~geo.spec.load_spec`). An output that
    is the spec or one of its data files is refused.

    ``progress=True`` shows a step bar (reading, geocoding, drawing, writing) on stderr when
    stderr is a terminal, and nothing otherwise. ``skip_bad_rows=True`` treats every layer as
    ``on_bad_rows = "skip"``: bad rows are left out, counted and listed (in the summary, the
    map's notes and ``<map>.notes.csv``, which also lists every unresolved place).

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
    pdf_path = Path(pdf) if pdf is not None else None
    _check_outputs(out, export_path, png_path)
    if pdf_path is not None and pdf_path.suffix.lower() != ".pdf":
        raise OutputError(f"{pdf_path}: unsupported output type {pdf_path.suffix!r}; use .pdf")
    spec = load_spec(spec_path, allow_outside=allow_outside)
    _refuse_overwriting_inputs(
        spec, {"-o": out, "--export": export_path, "--png": png_path, "--pdf": pdf_path}
    )
    if skip_bad_rows:
        spec = dataclasses.replace(
            spec,
            layers=tuple(dataclasses.replace(x, on_bad_rows="skip") for x in spec.layers),
        )
    files = {(str(layer.data), layer.sheet) for layer in spec.layers}
    total = len(files) + len(spec.layers) + 2 + (export_path is not None) + (png_path is not None)
    total += pdf_path is not None
    with Steps(total=total, enabled=progress) as steps:
        layers = load_layers(spec, strict=strict, online=online, geocoder=geocoder, steps=steps)
        export_frame = export_frames(layers) if export_path is not None else None

        from geo.render import render_map

        steps.step("drawing")
        m = render_map(spec, layers)
        _write_outputs(
            steps,
            m,
            (out, export_path, png_path, pdf_path),
            export_frame,
            fragment,
            cdn,
            (width, height, scale),
        )
        notes = write_list(layers, out)
    return BuildResult(
        map=m,
        html=out,
        layers=layers,
        unresolved=unresolved_report(layers),
        export=export_path,
        png=png_path,
        notes=notes,
    )


def _write_outputs(
    steps: Steps,
    m: Any,
    targets: tuple[Path, Path | None, Path | None, Path | None],
    export_frame: Any,
    fragment: bool,
    cdn: bool,
    size: tuple[int, int, float],
) -> None:
    """Write the map, the export, the PNG and the PDF beside their targets, then move them
    all in place: a failed export, PNG or PDF keeps the previous map (and the others)."""
    from geo.render import write_html

    out, export_path, png_path, pdf_path = targets
    width, height, scale = size
    try:
        with staged(targets) as tmps:
            html_tmp, export_tmp, png_tmp, pdf_tmp = cast(Path, tmps[0]), *tmps[1:]
            steps.step(f"writing {out.name}")
            write_html(m, html_tmp, fragment=fragment, cdn=cdn)
            if export_tmp is not None and export_path is not None and export_frame is not None:
                steps.step(f"writing {export_path.name}")
                write_export(export_frame, export_tmp)
            if png_tmp is not None and png_path is not None:
                from geo.snapshot import render_png

                steps.step(f"rendering {png_path.name}")
                render_png(html_tmp, png_tmp, width=width, height=height, scale=scale)
            if pdf_tmp is not None and pdf_path is not None:
                from geo.snapshot import render_pdf

                steps.step(f"printing {pdf_path.name}")
                render_pdf(html_tmp, pdf_tmp, width=width, height=height)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the map ({exc.strerror or exc}); check that the folder "
            "is writable"
        ) from exc


def _refuse_overwriting_inputs(spec: MapSpec, outputs: dict[str, Path | None]) -> None:
    inputs = {spec.path.resolve(): f"the spec {spec.path.name}"}
    for layer in spec.layers:
        inputs.setdefault(layer.data.resolve(), f"the data file of layer {layer.name!r}")
    for flag, path in outputs.items():
        if path is None:
            continue
        what = inputs.get(path.resolve())
        if what is None and path.exists():
            what = next((w for p, w in inputs.items() if _same_file(p, path)), None)
        if what is not None:
            raise OutputError(
                f"{path}: {flag} names {what}, which the build reads; choose another file name"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


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
