"""The chain cache -> offline -> online, bad input, and geocode_many's de-duplication,
driven with small fake backends (no gazetteer, no network)."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from geo.errors import GeocoderUnavailable
from geo.geocode.base import Geocoder, query_problem
from geo.geocode.cache import GeocodeCache
from geo.geocode.chain import Chain, geocode_many
from geo.models import Place


class FakeGeocoder:
    """Knows a fixed set of names (case-insensitive); records every call."""

    def __init__(self, name: str, known: dict[str, tuple[float, float]], fail: bool = False):
        self.name = name
        self.known = {k.casefold(): v for k, v in known.items()}
        self.fail = fail
        self.calls: list[tuple[str, str | None]] = []

    def geocode(self, query: str, country: str | None = None) -> Place:
        self.calls.append((query, country))
        if self.fail:
            raise GeocoderUnavailable("http://127.0.0.1:9: connection refused")
        hit = self.known.get(query.strip().casefold())
        if hit is None:
            return Place.unresolved(query, source=self.name)
        return Place(
            query=query,
            resolved=True,
            name=query.strip().title(),
            lat=hit[0],
            lon=hit[1],
            precision="city",
            country=country or "XXX",
            source=self.name,
            score=0.9,
        )


@pytest.fixture
def offline():
    return FakeGeocoder("offline", {"Goma": (-1.68, 29.22), "Nairobi": (-1.29, 36.82)})


@pytest.fixture
def online():
    return FakeGeocoder("nominatim", {"Kibati": (-1.6, 29.27), "Goma": (0.0, 0.0)})


@pytest.fixture
def cache(tmp_path):
    return GeocodeCache(tmp_path / "geocode.sqlite")


def test_fakes_follow_the_protocol(offline):
    assert isinstance(offline, Geocoder)
    assert isinstance(Chain(offline), Geocoder)


def test_offline_answer_wins_and_online_is_not_asked(offline, online, cache):
    place = Chain(offline, online, cache).geocode("Goma")
    assert place.source == "offline" and place.lat == -1.68
    assert online.calls == []


def test_online_is_asked_only_when_offline_fails_and_its_answer_is_cached(
    offline, online, cache, tmp_path
):
    place = Chain(offline, online, cache).geocode("Kibati", "COD")
    assert (place.resolved, place.source, place.lat) == (True, "nominatim", -1.6)
    assert online.calls == [("Kibati", "COD")]
    # A new run (new chain, new online backend) reads the answer from the cache.
    again = FakeGeocoder("nominatim", {})
    reread = Chain(offline, again, GeocodeCache(tmp_path / "geocode.sqlite"))
    place2 = reread.geocode("  kibati ", "cod")
    assert (place2.lat, place2.query) == (-1.6, "  kibati ")
    assert again.calls == []


def test_cached_online_answer_is_used_offline_too(offline, online, cache):
    Chain(offline, online, cache).geocode("Kibati")
    place = Chain(offline, None, cache).geocode("Kibati")
    assert place.resolved and place.source == "nominatim"


def test_not_found_online_is_cached_and_never_asked_again(offline, online, cache):
    chain = Chain(offline, online, cache)
    first = chain.geocode("Qwxzzy Blorf")
    assert not first.resolved
    Chain(offline, online, cache).geocode("qwxzzy blorf")
    assert online.calls == [("Qwxzzy Blorf", None)]
    assert cache.get("nominatim", "Qwxzzy Blorf", None).resolved is False


def test_network_failure_falls_back_with_one_warning_and_caches_nothing(offline, cache, caplog):
    down = FakeGeocoder("nominatim", {"Kibati": (1, 1)}, fail=True)
    chain = Chain(offline, down, cache)
    with caplog.at_level(logging.WARNING, logger="geo"):
        places = [chain.geocode(q) for q in ("Kibati", "Goma", "Other", "Another")]
    assert [p.resolved for p in places] == [False, True, False, False]
    assert places[1].source == "offline"
    assert len(down.calls) == 1  # given up after the first failure: no hang on big batches
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("online geocoder unavailable: ")
    assert warnings[0].endswith("; using offline results")
    assert cache.get("nominatim", "Kibati", None) is None  # a failure is not a "not found"


BAD = [
    ("", "empty"),
    ("   \t ", "empty"),
    ("x" * 1001, "1,001 characters"),
    ("Go\x00ma", "control characters"),
    ("\x89PNG\r\n\x1a\n\x00\x00", "control characters"),
    ("Goma\udcff", "undecodable"),
    ("Goma\ufffd", "undecodable"),
]


@pytest.mark.parametrize(("query", "why"), BAD)
def test_bad_input_is_unresolved_with_a_warning_naming_query_and_reason(
    offline, online, cache, caplog, query, why
):
    with caplog.at_level(logging.WARNING, logger="geo"):
        place = Chain(offline, online, cache).geocode(query)
    assert place.resolved is False and place.query == query
    assert offline.calls == [] and online.calls == []
    (record,) = caplog.records
    message = record.getMessage()
    assert why in message
    assert repr(query[:60])[:40] in message  # the (truncated) query itself
    assert len(message) < 250


def test_long_queries_are_truncated_in_the_warning(offline, caplog):
    with caplog.at_level(logging.WARNING, logger="geo"):
        Chain(offline).geocode("Goma " * 300)
    assert len(caplog.records[0].getMessage()) < 200


@pytest.mark.parametrize("query", ["Goma", "Port-au-Prince", "Sana'a", "Pòtoprens", "N'Djamena"])
def test_ordinary_names_are_usable(query):
    assert query_problem(query) is None


def test_non_text_rows_are_unresolved_not_errors(offline):
    places = geocode_many(["Goma", None, float("nan"), 42, ["x"]], geocoder=Chain(offline))
    assert [p.resolved for p in places] == [True, False, False, False, False]
    assert all(isinstance(p.query, str) for p in places)


def test_geocode_many_aligns_output_with_input_and_keeps_each_rows_text(offline):
    queries = ["Nairobi", "goma", "Nowhere", "GOMA ", ("Goma", "COD"), "Nairobi"]
    places = geocode_many(queries, geocoder=Chain(offline))
    assert [p.query for p in places] == ["Nairobi", "goma", "Nowhere", "GOMA ", "Goma", "Nairobi"]
    assert [p.resolved for p in places] == [True, True, False, True, True, True]
    assert places[4].country == "COD" and places[1].country == "XXX"
    # One look-up per distinct (normalized name, hint).
    assert sorted(offline.calls) == [
        ("Goma", "COD"),
        ("Nairobi", None),
        ("Nowhere", None),
        ("goma", None),
    ]


def test_geocode_many_hint_defaults_and_pair_overrides(offline):
    places = geocode_many(
        ["Goma", ("Goma", "RWA"), ("Goma", None), ("Goma", "")],
        country="COD",
        geocoder=Chain(offline),
    )
    assert [p.country for p in places] == ["COD", "RWA", "COD", "COD"]


def test_geocode_many_deduplicates_a_large_batch(offline):
    names = [f"Town{i}" for i in range(2000)]
    fake = FakeGeocoder("offline", {n: (1.0, 2.0) for n in names})
    rows = [names[i % 2000] for i in range(100_000)]
    places = geocode_many(rows, geocoder=Chain(fake))
    assert len(places) == 100_000 and len(fake.calls) == 2000
    assert places[2001].query == "Town1" and places[2001].resolved


def test_bad_input_in_a_batch_warns_once_per_distinct_text(offline, caplog):
    with caplog.at_level(logging.WARNING, logger="geo"):
        places = geocode_many(["", "Goma", "", "  ", ""], geocoder=Chain(offline))
    assert [p.resolved for p in places] == [False, True, False, False, False]
    assert len(caplog.records) == 2  # "" and "  "


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_online_batches(offline, online, cache, monkeypatch):
    fake_tty = _Tty()
    monkeypatch.setattr(sys, "stderr", fake_tty)
    geocode_many(
        ["Kibati", "Goma", "Elsewhere"], progress=True, geocoder=Chain(offline, online, cache)
    )
    assert "geocoding" in fake_tty.getvalue() and "3/3" in fake_tty.getvalue()


def test_no_progress_bar_offline_or_when_not_asked(offline, online, cache, monkeypatch):
    fake_tty = _Tty()
    monkeypatch.setattr(sys, "stderr", fake_tty)
    geocode_many(["Goma", "Nairobi"], progress=True, geocoder=Chain(offline))
    geocode_many(["Goma", "Nairobi"], progress=False, geocoder=Chain(offline, online, cache))
    assert fake_tty.getvalue() == ""
