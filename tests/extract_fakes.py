"""A small fake geocoder for the extract tests: the places of tests/data/reports, plus
decoys a real gazetteer also holds (villages called "Mission", "Security", "Rubio") that
the extractor must never take for places."""

from __future__ import annotations

from bench.extract_match import match  # noqa: F401  (shared with bench/extract_score.py)
from geo.models import Place

# name -> (lat, lon, precision, ISO3)
KNOWN: dict[str, tuple[float, float, str, str]] = {
    "Haiti": (18.9, -72.3, "country", "HTI"),
    "Port-au-Prince": (18.54, -72.34, "city", "HTI"),
    "Nairobi": (-1.29, 36.82, "city", "KEN"),
    "Kenya": (0.2, 37.9, "country", "KEN"),
    "eastern Democratic Republic of Congo": (-1.5, 28.5, "region", "COD"),
    "Democratic Republic of Congo": (-2.9, 23.6, "country", "COD"),
    "Democratic Republic of the Congo": (-2.9, 23.6, "country", "COD"),
    "DRC": (-2.9, 23.6, "country", "COD"),
    "eastern DRC": (-1.5, 28.5, "region", "COD"),
    "US": (39.0, -98.0, "country", "USA"),
    "Russia": (61.0, 100.0, "country", "RUS"),
    "China": (35.0, 103.0, "country", "CHN"),
    "Moscow": (55.75, 37.6, "city", "RUS"),
    "Beijing": (39.9, 116.4, "city", "CHN"),
    "Sudan": (15.5, 30.0, "country", "SDN"),
    "Port Sudan": (19.6, 37.2, "city", "SDN"),
    "El Fasher": (13.63, 25.35, "city", "SDN"),
    "North Darfur": (15.8, 25.0, "admin1", "SDN"),
    "Darfur": (13.5, 24.0, "region", "SDN"),
    "Zamzam": (13.5, 25.3, "city", "SDN"),
    "London": (51.5, -0.12, "city", "GBR"),
    "Adre": (13.47, 22.2, "city", "TCD"),
    "Goma": (-1.68, 29.22, "city", "COD"),
    "North Kivu": (-0.8, 29.0, "admin1", "COD"),
    "South Kivu": (-3.0, 28.3, "admin1", "COD"),
    "Sake": (-1.57, 29.04, "city", "COD"),
    "Bukavu": (-2.5, 28.86, "city", "COD"),
    "Burundi": (-3.4, 29.9, "country", "BDI"),
    "Kavumu": (-2.3, 28.8, "city", "COD"),
    "Gaza": (31.5, 34.45, "region", "PSE"),
    "Rafah": (31.28, 34.25, "city", "PSE"),
    "Khan Younis": (31.34, 34.3, "city", "PSE"),
    "northern Gaza": (31.53, 34.5, "region", "PSE"),
    "Israel": (31.0, 34.8, "country", "ISR"),
    "southern Israel": (30.8, 34.8, "region", "ISR"),
    "Jerusalem": (31.77, 35.21, "city", "ISR"),
    "Kyiv": (50.45, 30.52, "city", "UKR"),
    "Kharkiv": (49.99, 36.23, "city", "UKR"),
    "Ukraine": (49.0, 31.0, "country", "UKR"),
    "Vovchansk": (50.29, 36.94, "city", "UKR"),
    "Germany": (51.0, 10.0, "country", "DEU"),
    "Washington": (38.9, -77.0, "city", "USA"),
    "Mali": (17.0, -4.0, "country", "MLI"),
    "Bamako": (12.64, -8.0, "city", "MLI"),
    "Mopti": (14.5, -4.2, "city", "MLI"),
    "central Mali": (15.0, -4.0, "region", "MLI"),
    "Burkina Faso": (12.3, -1.5, "country", "BFA"),
    "Somalia": (5.0, 46.0, "country", "SOM"),
    "Mogadishu": (2.04, 45.34, "city", "SOM"),
    "Bariire": (2.1, 44.9, "city", "SOM"),
    "Lower Shabelle": (1.9, 44.5, "admin1", "SOM"),
    "Djibouti": (11.8, 42.6, "country", "DJI"),
    "Egypt": (26.8, 30.8, "country", "EGY"),
    "Ethiopia": (9.1, 40.5, "country", "ETH"),
    "Uganda": (1.4, 32.3, "country", "UGA"),
    "Beledweyne": (4.74, 45.2, "city", "SOM"),
    "Hiran": (4.3, 45.3, "admin1", "SOM"),
    "Myanmar": (21.9, 95.9, "country", "MMR"),
    "Sagaing": (24.0, 95.0, "admin1", "MMR"),
    "Kyunhla": (23.3, 95.4, "city", "MMR"),
    "Rakhine": (19.8, 93.9, "admin1", "MMR"),
    "Bangladesh": (23.7, 90.3, "country", "BGD"),
    "Mozambique": (-18.6, 35.5, "country", "MOZ"),
    "Maputo": (-25.97, 32.57, "city", "MOZ"),
    "Macomia": (-11.97, 40.14, "city", "MOZ"),
    "Cabo Delgado": (-12.3, 39.3, "admin1", "MOZ"),
    "Rwanda": (-2.0, 29.9, "country", "RWA"),
    "Djibo": (14.1, -1.63, "city", "BFA"),
    "Ouagadougou": (12.37, -1.52, "city", "BFA"),
    "Fada N'Gourma": (12.06, 0.36, "city", "BFA"),
    "Togo": (8.6, 0.8, "country", "TGO"),
    "Lebanon": (33.9, 35.9, "country", "LBN"),
    "southern Lebanon": (33.3, 35.4, "region", "LBN"),
    "south Lebanon": (33.3, 35.4, "region", "LBN"),
    "Beirut": (33.89, 35.5, "city", "LBN"),
    "South Sudan": (7.0, 30.0, "country", "SSD"),
    "Upper Nile": (10.0, 32.7, "admin1", "SSD"),
    "Nasir": (8.6, 33.07, "city", "SSD"),
    "Malakal": (9.53, 31.66, "city", "SSD"),
    "Nigeria": (9.1, 8.7, "country", "NGA"),
    "Maiduguri": (11.85, 13.16, "city", "NGA"),
    "Borno": (11.5, 13.0, "admin1", "NGA"),
    "Dumba": (12.5, 13.5, "city", "NGA"),
    "Adamawa": (9.3, 12.4, "admin1", "NGA"),
    "Yobe": (12.3, 11.4, "admin1", "NGA"),
    "Syria": (35.0, 38.5, "country", "SYR"),
    "north-west Syria": (36.0, 36.8, "region", "SYR"),
    "Idlib": (35.93, 36.63, "city", "SYR"),
    "Aleppo": (36.2, 37.15, "city", "SYR"),
    "northern Aleppo": (36.5, 37.1, "region", "SYR"),
    "Turkiye": (39.0, 35.0, "country", "TUR"),
    "Bab al-Hawa": (36.23, 36.67, "city", "SYR"),
    "Tabqa": (35.83, 38.55, "city", "SYR"),
    "Raqqa": (35.95, 39.0, "city", "SYR"),
    # decoys: real villages and towns whose names are common words or surnames
    "Mission": (26.2, -98.3, "city", "USA"),
    "Security": (38.7, -104.7, "city", "USA"),
    "Capital": (10.0, -84.0, "city", "CRI"),
    "Council": (44.7, -116.4, "city", "USA"),
    "Barbecue": (35.4, -78.9, "city", "USA"),
    "Rubio": (7.7, -72.4, "city", "VEN"),
    "Marco": (-3.1, -39.8, "city", "BRA"),
    "Union": (40.7, -74.3, "city", "USA"),
    "Hope": (49.4, -121.4, "city", "CAN"),
    "Support": (46.0, 2.0, "city", "FRA"),
}


class FakeGeocoder:
    """Resolves exactly the names in KNOWN (case-sensitive, like a careful gazetteer)."""

    name = "fake"
    known: dict[str, tuple[float, float, str, str]] = KNOWN  # a subclass names its own table

    def __init__(self) -> None:
        self.queries: list[str] = []

    def geocode(self, query: str, country: str | None = None) -> Place:
        self.queries.append(query)
        hit = self.known.get(query)
        if hit is None:
            return Place.unresolved(query, source=self.name)
        lat, lon, precision, iso3 = hit
        return Place(
            query=query,
            resolved=True,
            name=query,
            lat=lat,
            lon=lon,
            precision=precision,
            country=iso3,
            source=self.name,
            score=1.0,
        )
