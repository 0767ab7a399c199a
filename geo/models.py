"""Frozen value types shared by every layer of geo, and the column names of its tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from geo.kinds import KINDS

Precision = Literal["city", "admin1", "region", "country"]
PRECISIONS: tuple[str, ...] = ("city", "admin1", "region", "country")

# Layer kinds a map spec may ask for (the registry: geo/kinds.py).
LAYER_KINDS: tuple[str, ...] = tuple(KINDS)

# Layer keys that name a column of the layer's data file.
COLUMN_KEYS: tuple[str, ...] = (
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


@dataclass(frozen=True)
class Alternative:
    """Another candidate for an ambiguous name."""

    name: str
    lat: float
    lon: float
    precision: str
    country: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "country": self.country,
        }


@dataclass(frozen=True)
class Place:
    """The answer to one geocoding query.

    ``resolved`` is False for a name no backend could place; then the location fields are
    None and ``name`` is None. ``geometry`` is an optional shapely geometry (the outline of
    a country, the part of a unit a qualified region names, ...). ``fuzzy`` flags a match
    that only succeeded through typo tolerance or another spelling than the query's.
    An unresolved place may still carry ``alternatives`` (candidates outside the hinted
    country) and ``suggestions`` (names of weak matches: "did you mean ...?").
    ``repaired`` is the query's text after a mojibake repair (``"MÃ©naka"`` -> ``"Ménaka"``),
    else None.
    """

    query: str
    resolved: bool
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    country: str | None = None
    source: str | None = None
    score: float = 0.0
    alternatives: tuple[Alternative, ...] = ()
    geometry: Any = field(default=None, compare=False, repr=False)
    fuzzy: bool = False
    admin1: str | None = None
    suggestions: tuple[str, ...] = ()
    repaired: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.suggestions, tuple):  # a JSON list read back from a cache
            object.__setattr__(self, "suggestions", tuple(self.suggestions))

    @classmethod
    def unresolved(cls, query: str, source: str | None = None) -> Place:
        return cls(query=query, resolved=False, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``geo geocode --format json`` (one object per query)."""
        return {
            "query": self.query,
            "resolved": self.resolved,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "country": self.country,
            "source": self.source,
            "score": round(self.score, 3),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "fuzzy": self.fuzzy,
            "suggestions": list(self.suggestions),
            "repaired": self.repaired,
        }


@dataclass(frozen=True)
class LayerSpec:
    """One ``[[layers]]`` table of a map spec, validated (see ``geo/spec.py``).

    Column-name fields name columns of the data file; None means "not mapped".
    """

    name: str
    kind: str
    data: Any  # pathlib.Path of the data file
    place: str | None = None
    lat: str | None = None
    lon: str | None = None
    value: str | None = None
    country: str | None = None
    origin: str | None = None
    date: str | None = None
    group: str | None = None  # colour category: contributor, force, event type
    source: str | None = None  # per-row source column ("source" when present)
    injured: str | None = None
    low: str | None = None
    high: str | None = None
    children: str | None = None
    precision: str | None = None  # ACLED geo_precision / UCDP where_prec column
    popup: tuple[str, ...] = ()  # extra columns to show in popups
    heatmap: bool = False
    cluster: bool | None = None  # None: automatic (cluster when dense)
    color: str | None = None
    show: bool = True
    sheet: str | None = None  # XLSX sheet / GeoPackage layer
    options: Any = None  # dict of extra, kind-specific options
    where: Any = None  # row filter: {column: value or tuple of values}; "" matches empty
    preset: str | None = None  # dataset preset (acled, ucdp, geopko, dtm, hxl)
    # Columns a preset proposes: key -> candidate names (or HXL tag patterns, or tuples of
    # names for a date made of columns); the first the file has is used, none is no error.
    candidates: Any = None
    dates: tuple[str, ...] = ()  # a date made of columns: ("year", "month"[, "day"])
    date_format: str | None = None  # strptime form tried first (e.g. "%d/%m/%Y")
    date_order: str | None = None  # "dmy" or "mdy": how 05/02/2014 reads
    labels: Any = None  # {code: label} for the group column ("1" -> "State-based")
    on_bad_rows: str = "error"  # "error" or "skip"
    missing: tuple[str, ...] = ("unknown", "NA", "N/A", "n/a", "-", "?")  # read as empty
    latest: bool | str = False  # True: latest record per place and group; "year": per year
    no_source: bool = False  # source = false: no per-row source column


# Standard columns of a joined layer table (a GeoDataFrame, one row per feature drawn).
# ``geometry`` holds the symbol's point (lon, lat) or, for choropleths, the polygon.
COL_NAME = "name"  # display name of the resolved place
COL_QUERY = "query"  # the place text as written in the data
COL_PRECISION = "precision"  # city | admin1 | region | country | exact
COL_COUNTRY = "country"  # ISO3
COL_VALUE = "value"  # float; NaN = presence only
COL_GROUP = "group"  # colour category or None
COL_AREA = "area"  # shapely geometry of the area a vague place names, or None
COL_ORIGIN_NAME = "origin_name"
COL_ORIGIN_LAT = "origin_lat"
COL_ORIGIN_LON = "origin_lon"
COL_DATE = "date"  # pandas Timestamp or NaT
COL_PERIOD = "period"  # human label of the date or period
COL_SOURCES = "sources"  # "; "-joined distinct sources of the rows aggregated here
COL_ROWS = "rows"  # how many input rows were aggregated into this feature
COL_DETAILS = "details"  # dict label -> value for popups (Injured, Children, Range, ...)


@dataclass(frozen=True)
class View:
    """A fixed initial view; without one the map fits its data."""

    lat: float
    lon: float
    zoom: int


@dataclass(frozen=True)
class MapSpec:
    """A whole map spec: title, layers and map-wide options."""

    title: str
    layers: tuple[LayerSpec, ...]
    path: Any = None  # pathlib.Path of the spec file (data paths are relative to it)
    description: str | None = None
    view: View | None = None
    tiles: str | None = None  # None: offline outlines only; "osm" etc.: online tiles too
    options: Any = None  # dict of extra map-wide options


@dataclass(frozen=True)
class LayerData:
    """A layer's joined table, ready to draw.

    ``frame`` is a GeoDataFrame in EPSG:4326 with the COL_* columns above (and any extra
    columns of the input named in ``spec.popup``). ``unresolved`` lists the place names of
    this layer that could not be geocoded (and so are not drawn).
    """

    spec: LayerSpec
    frame: Any
    unresolved: tuple[str, ...] = ()
