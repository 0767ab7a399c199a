"""The geocoder chain (cache -> offline -> online) and the public geocode functions.

For each query the chain

1. rejects unusable text (empty, whitespace only, over 1,000 characters, control or
   undecodable characters) with one warning: the result is unresolved, never an exception;
2. returns an answer the online backend gave earlier, kept in the persistent cache;
3. asks the offline gazetteer;
4. only when online geocoding is enabled and nothing above resolved the name (and the
   cache holds no "not found" for it), asks the online backend and caches its answer.

If the online backend fails (network down, timeout, HTTP 5xx) the chain logs one warning,
stops asking it for the rest of the run, and keeps the offline results.

Example:
    >>> import geo
    >>> geo.geocode("Port-au-Prince").country
    'HTI'
    >>> [p.resolved for p in geo.geocode_many(["Nairobi", "", "Nairobi"])]
    [True, False, True]
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from geo.config import load_config
from geo.errors import GeocoderUnavailable
from geo.geocode.base import Geocoder, query_problem
from geo.geocode.cache import GeocodeCache, normalize_key
from geo.models import Place
from geo.progress import terminal_bar

log = logging.getLogger("geo")

ONLINE_BACKEND = "nominatim"  # the cache key of online answers (see geo/geocode/online.py)


class Chain:
    """A cache, an offline geocoder and an optional online one, asked in that order.

    Any object with ``name`` and ``geocode(query, country)`` works as a backend (see
    :class:`~geo.geocode.base.Geocoder`); tests pass small fakes. The online backend may
    raise :class:`~geo.errors.GeocoderUnavailable`; the offline one must not raise.

    >>> chain = Chain(offline=SomeOfflineGeocoder(), online=None, cache=None)  # doctest: +SKIP
    >>> chain.geocode("Goma", "COD")                                          # doctest: +SKIP
    """

    name = "chain"

    def __init__(
        self,
        offline: Geocoder,
        online: Geocoder | None = None,
        cache: GeocodeCache | None = None,
    ) -> None:
        self.offline = offline
        self.online = online
        self.cache = cache
        self.online_failed: str | None = None  # why the online backend was given up

    def geocode(self, query: str, country: str | None = None) -> Place:
        """Resolve one query (see the module docstring for the order)."""
        problem = query_problem(query)
        if problem is not None:
            _warn_bad(query, problem)
            return Place.unresolved(query if isinstance(query, str) else str(query))
        backend = self.online.name if self.online is not None else ONLINE_BACKEND
        cached = self.cache.get(backend, query, country) if self.cache is not None else None
        if cached is not None and cached.resolved:
            return cached
        place = self.offline.geocode(query, country)
        if place.resolved or self.online is None or cached is not None:
            return place
        try:
            answer = self.online.geocode(query, country)
        except GeocoderUnavailable as exc:
            self._give_up_online(exc)
            return place
        if self.cache is not None:
            self.cache.put(backend, query, country, answer)
        return answer if answer.resolved else place

    def _give_up_online(self, exc: GeocoderUnavailable) -> None:
        self.online = None
        self.online_failed = str(exc)
        log.warning("online geocoder unavailable: %s; using offline results", exc)


def _warn_bad(query: object, problem: str) -> None:
    text = query if isinstance(query, str) else repr(query)
    shown = text if len(text) <= 60 else text[:60] + "..."
    log.warning("cannot geocode %r: %s; leaving it unresolved", shown, problem)


@functools.lru_cache(maxsize=1)
def _offline_geocoder() -> Geocoder:
    """The offline gazetteer geocoder, loaded once per process."""
    from geo.geocode.offline import OfflineGeocoder  # heavy: loads the gazetteer index

    return OfflineGeocoder()


@functools.lru_cache(maxsize=8)
def _offline_chain(cache_path: Path) -> Chain:
    # Offline runs read answers fetched online earlier but never create a cache file.
    return Chain(_offline_geocoder(), None, GeocodeCache(cache_path, create=False))


def default_chain(*, online: bool = False) -> Chain:
    """The chain :func:`geocode` uses: cached per process offline, fresh when online.

    Raises:
        GeocoderUnavailable: ``online=True`` without a usable user agent (the message says
            how to set one).
        InputError: the config file is invalid.
    """
    config = load_config()
    if not online:
        return _offline_chain(config.cache_path)
    online_backend = _online_geocoder(  # refuses a missing user agent before any work
        config.user_agent,
        config.nominatim_url,
        config.min_delay_seconds,
        config.timeout,
        config.max_retries,
    )
    return Chain(_offline_geocoder(), online_backend, GeocodeCache(config.cache_path))


@functools.lru_cache(maxsize=8)
def _online_geocoder(
    user_agent: str | None, url: str | None, min_delay: float, timeout: float, retries: int
) -> Geocoder:
    """One online backend per server and settings in a process, so its rate limiter spaces
    the requests of successive :func:`geocode` calls too, not only those of one batch."""
    from geo.geocode.online import OnlineGeocoder  # imports geopy only when asked to

    return OnlineGeocoder(
        user_agent, url, min_delay_seconds=min_delay, timeout=timeout, max_retries=retries
    )


def geocode(query: str, country: str | None = None, *, online: bool = False) -> Place:
    """Geocode one place name.

    Args:
        query: a place name as written ("Goma, North Kivu", "eastern DRC", "Kyiv").
        country: optional hint, an ISO2/ISO3 code or country name ("COD", "CD", "DRC").
        online: also ask Nominatim when the offline gazetteer has no answer (answers are
            cached; needs a user agent, see :mod:`geo.config`).

    Returns:
        A :class:`~geo.models.Place`; unresolved (``place.resolved is False``) when no
        backend knows the name or the text is unusable (a warning says why).

    Raises:
        GeocoderUnavailable: ``online=True`` without a configured user agent.

    >>> geocode("Nairobi").precision
    'city'
    """
    return default_chain(online=online).geocode(query, _hint(country))


def geocode_many(
    queries: Iterable[str | tuple[str, str | None]],
    country: str | None = None,
    *,
    online: bool = False,
    progress: bool = False,
    geocoder: Geocoder | None = None,
) -> list[Place]:
    """Geocode many names, each distinct (name, hint) pair once; output aligned with input.

    Args:
        queries: names, or (name, country hint) pairs; a pair's hint overrides ``country``.
        country: default hint for every name.
        online: as in :func:`geocode`.
        progress: show a progress bar on stderr for online batches (only on a terminal).
        geocoder: use this geocoder (e.g. a :class:`Chain` of your own backends) instead
            of the default chain; ``online`` is then ignored.

    Returns:
        One :class:`~geo.models.Place` per input item, in input order; each carries the
        query text of its own row.

    >>> [p.country for p in geocode_many(["Goma", ("Goma", "COD"), "goma"])]
    ['COD', 'COD', 'COD']
    """
    chain = geocoder if geocoder is not None else default_chain(online=online)
    default = _hint(country)
    rows = queries if isinstance(queries, list) else list(queries)
    # Row keys: a plain string row is its own key (no per-row objects, and dict.fromkeys
    # and map run in C); a (name, hint) pair or a non-text row becomes a (text, hint) key.
    if not all(type(item) is str for item in rows):
        rows = [_row_key(item, default) for item in rows]
    distinct = list(dict.fromkeys(rows))
    # Offline look-ups are fast; only a chain that may go online is worth a progress bar.
    show = progress and getattr(chain, "online", True) is not None
    answers = _resolve_distinct(chain, distinct, default, show)
    return list(map(answers.__getitem__, rows))


def _row_key(item: object, default: str | None) -> object:
    if type(item) is str:
        return item
    if type(item) is tuple and len(item) == 2:
        return (_query_key(item[0]), _hint(item[1]) or default)
    return (_query_key(item), default)


def _resolve_distinct(
    chain: Geocoder, keys: list[object], default: str | None, progress: bool
) -> dict[object, Place]:
    """One look-up per normalized (query, hint): rows that differ only in case or spacing
    share it, but each answer carries its own row's query text."""
    by_norm: dict[tuple[str, str], Place] = {}
    answers: dict[object, Place] = {}
    bar = None
    if progress and len(keys) > 1:
        bar = terminal_bar(len(keys), unit="name", desc="geocoding")
    try:
        for key in keys:
            text, hint = (key, default) if type(key) is str else key  # type: ignore[misc]
            if isinstance(text, str) and query_problem(text) is None:
                norm = (normalize_key(text), normalize_key(hint) if hint else "")
                place = by_norm.get(norm)
                if place is None:
                    place = by_norm[norm] = chain.geocode(text, hint)
                elif place.query != text:
                    place = replace(place, query=text)
            else:
                place = chain.geocode(text, hint)  # type: ignore[arg-type]  # warns once
            answers[key] = place
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    return answers


def _query_key(item: object) -> object:
    """A hashable stand-in for a non-string row (None and NaN count as empty text)."""
    if item is None or (isinstance(item, float) and math.isnan(item)):
        return ""
    try:
        hash(item)
    except TypeError:
        return repr(item)
    return item


def _hint(hint: object) -> str | None:
    """A usable country hint or None (blank strings and pandas' NaN mean "no hint")."""
    if hint is None or (isinstance(hint, float) and math.isnan(hint)):
        return None
    if not isinstance(hint, str):
        return str(hint)
    return hint.strip() or None
