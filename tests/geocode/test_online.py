"""The Nominatim backend against a fake Nominatim server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.errors import GeocoderUnavailable
from geo.geocode.cache import GeocodeCache
from geo.geocode.chain import Chain, geocode_many
from geo.geocode.online import OnlineGeocoder, _precision
from geo.models import Place

AGENT = "geo-tests/1.0 (tests@example.org)"


def _result(name, lat, lon, cc, addresstype="city", cls="place", typ="city", rank=16):
    return {
        "place_id": 1,
        "lat": str(lat),
        "lon": str(lon),
        "name": name,
        "display_name": f"{name}, Somewhere",
        "class": cls,
        "type": typ,
        "addresstype": addresstype,
        "place_rank": rank,
        "importance": 0.62,
        "address": {"city": name, "country_code": cc},
    }


ANSWERS = {
    "zorblat heights": [
        _result("Zorblat Heights", -1.6, 29.27, "cd"),
        _result("Zorblat Heights", -3.1, 37.2, "tz"),
    ],
    "quimbly province": [
        _result("Quimbly Province", 3.9, 21.4, "cd", "state", "boundary", "administrative", 8)
    ],
    "qwxzzy blorf": [],
    "broken": [{"display_name": "no coordinates here"}],
}


class FakeNominatim:
    """A threaded HTTP server answering /search like Nominatim (json / jsonv2)."""

    def __init__(self) -> None:
        self.mode = "ok"  # "ok" | "500" | "slow"
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(
                    {
                        "t": time.monotonic(),
                        "path": url.path,
                        "params": params,
                        "agent": self.headers.get("User-Agent"),
                    }
                )
                if fake.mode == "500":
                    return self._send(500, b"<html>Internal Server Error</html>", "text/html")
                if fake.mode == "slow":
                    time.sleep(1.5)
                results = ANSWERS.get(params.get("q", "").casefold(), [])
                if params.get("format") == "jsonv2":
                    results = [{**r, "category": r["class"]} for r in results]
                limit = int(params.get("limit", 10))
                self._send(200, json.dumps(results[:limit]).encode(), "application/json")

            def _send(self, code: int, body: bytes, ctype: str) -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    fake = FakeNominatim()
    yield fake
    fake.stop()


@pytest.fixture
def backend(server):
    return OnlineGeocoder(AGENT, server.url, min_delay_seconds=0, timeout=5, max_retries=1)


class OfflineKnowsNothing:
    name = "offline"

    def geocode(self, query: str, country: str | None = None) -> Place:
        return Place.unresolved(query, source=self.name)


@pytest.fixture
def online_env(server, tmp_path, monkeypatch):
    """Point the default chain at the fake server, with no spacing between requests."""
    config = tmp_path / "config.toml"
    config.write_text("[geocode]\nmin_delay_seconds = 0\ntimeout = 2\nmax_retries = 1\n")
    monkeypatch.setenv("GEO_CONFIG", str(config))
    monkeypatch.setenv("GEO_USER_AGENT", AGENT)
    monkeypatch.setenv("GEO_NOMINATIM_URL", server.url)
    return server


def test_a_result(backend, server):
    place = backend.geocode("Zorblat Heights", country="COD")
    assert place.resolved
    assert (place.name, place.lat, place.lon) == ("Zorblat Heights", -1.6, 29.27)
    assert (place.precision, place.country, place.source) == ("city", "COD", "nominatim")
    assert place.score == pytest.approx(0.62)
    (alt,) = place.alternatives
    assert (alt.name, alt.country, alt.lat) == ("Zorblat Heights", "TZA", -3.1)
    (request,) = server.requests
    assert request["path"] == "/search"
    assert request["agent"] == AGENT
    assert request["params"]["q"] == "Zorblat Heights"
    assert request["params"]["countrycodes"] == "cd"
    assert request["params"]["addressdetails"] == "1"


def test_a_province_maps_to_admin1(backend):
    place = backend.geocode("Quimbly Province")
    assert (place.precision, place.country) == ("admin1", "COD")


@pytest.mark.parametrize(
    ("raw", "precision"),
    [
        ({"addresstype": "country", "class": "boundary", "type": "administrative"}, "country"),
        ({"addresstype": "state", "class": "boundary", "type": "administrative"}, "admin1"),
        ({"addresstype": "province"}, "admin1"),
        ({"addresstype": "town", "class": "place", "type": "town"}, "city"),
        ({"addresstype": "village"}, "city"),
        ({"category": "place", "type": "city"}, "city"),
        ({"class": "boundary", "type": "administrative", "place_rank": 4}, "country"),
        ({"class": "boundary", "type": "administrative", "place_rank": 8}, "admin1"),
        (
            {
                "addresstype": "county",
                "class": "boundary",
                "type": "administrative",
                "place_rank": 12,
            },
            "region",
        ),
        ({"class": "natural", "type": "water", "addresstype": "lake"}, "region"),
        ({}, "region"),
    ],
)
def test_precision_mapping(raw, precision):
    assert _precision(raw) == precision


def test_not_found(backend):
    place = backend.geocode("Qwxzzy Blorf")
    assert place.resolved is False and place.source == "nominatim"


def test_http_500_raises_unavailable_after_bounded_retries(backend, server):
    server.mode = "500"
    with pytest.raises(GeocoderUnavailable, match="500"):
        backend.geocode("Zorblat Heights")
    assert len(server.requests) == 2  # one try + max_retries=1


def test_500_in_the_chain_falls_back_with_one_warning(backend, server, tmp_path, caplog):
    server.mode = "500"
    chain = Chain(OfflineKnowsNothing(), backend, GeocodeCache(tmp_path / "c.sqlite"))
    with caplog.at_level(logging.WARNING, logger="geo"):
        places = geocode_many(["Zorblat Heights", "Quimbly Province", "Elsewhere"], geocoder=chain)
    assert [p.resolved for p in places] == [False, False, False]
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith("online geocoder unavailable: ") and "offline results" in message
    assert len(server.requests) == 2


def test_a_malformed_answer_is_a_failure_not_a_crash(backend, tmp_path, caplog):
    chain = Chain(OfflineKnowsNothing(), backend, GeocodeCache(tmp_path / "c.sqlite"))
    with caplog.at_level(logging.WARNING, logger="geo"):
        place = chain.geocode("Broken")
    assert not place.resolved
    assert "online geocoder unavailable" in caplog.text and "unexpected answer" in caplog.text
    assert chain.cache.get("nominatim", "Broken", None) is None


def test_timeout_falls_back_quickly(server, tmp_path, caplog):
    server.mode = "slow"
    slow = OnlineGeocoder(AGENT, server.url, min_delay_seconds=0, timeout=0.3, max_retries=1)
    chain = Chain(OfflineKnowsNothing(), slow, GeocodeCache(tmp_path / "c.sqlite"))
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="geo"):
        places = geocode_many(["Zorblat Heights", "Other", "Third"], geocoder=chain)
    assert time.monotonic() - start < 2.5
    assert not any(p.resolved for p in places)
    assert len(caplog.records) == 1 and "timed out" in caplog.text.lower()


def test_connection_refused_falls_back(tmp_path, caplog):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = OnlineGeocoder(AGENT, f"http://127.0.0.1:{port}", min_delay_seconds=0, max_retries=0)
    with caplog.at_level(logging.WARNING, logger="geo"):
        place = Chain(OfflineKnowsNothing(), dead).geocode("Zorblat Heights")
    assert not place.resolved
    assert "online geocoder unavailable" in caplog.text


def test_rate_limiter_spaces_requests(server):
    spaced = OnlineGeocoder(AGENT, server.url, min_delay_seconds=0.25, max_retries=0)
    start = time.monotonic()
    for q in ("Zorblat Heights", "Quimbly Province", "Qwxzzy Blorf", "Zorblat Heights"):
        spaced.geocode(q)
    times = [r["t"] for r in server.requests]
    # Lower bounds only (a loaded machine makes every gap longer, never shorter): the
    # gaps seen by the server are not the gaps between sends, as one request may wait in
    # the server's queue while the next arrives on time (it flaked at 0.093 s).
    assert len(times) == 4 and times[-1] - start >= 3 * 0.25


def test_public_server_keeps_one_request_per_second(caplog):
    with caplog.at_level(logging.WARNING, logger="geo"):
        OnlineGeocoder(AGENT, None, min_delay_seconds=0)  # constructing sends nothing
    assert "1 request/s" in caplog.text


@pytest.mark.parametrize("agent", [None, "", "geopy/2.5.0", "my-application"])
def test_sample_or_missing_user_agent_is_refused_with_the_fix(agent, server):
    with pytest.raises(GeocoderUnavailable) as info:
        OnlineGeocoder(agent, server.url)
    message = str(info.value)
    assert 'export GEO_USER_AGENT="' in message
    assert "config.toml" in message and "[geocode]" in message and "user_agent = " in message
    assert server.requests == []


def test_geocode_online_without_user_agent_is_a_clean_cli_error(server, monkeypatch, tmp_path):
    monkeypatch.delenv("GEO_USER_AGENT", raising=False)
    monkeypatch.setenv("GEO_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("GEO_NOMINATIM_URL", server.url)
    result = CliRunner().invoke(cli, ["geocode", "--online", "Zorblat Heights"])
    assert result.exit_code == 1
    assert "GEO_USER_AGENT" in result.stderr and "Traceback" not in result.output
    assert server.requests == []


def test_no_progress_bar_when_stderr_is_not_a_tty(online_env, capfd):
    server = online_env
    places = geocode_many(
        ["Qwxzzy Blorf", "Zorblat Heights", "Quimbly Province"], online=True, progress=True
    )
    assert [p.resolved for p in places] == [False, True, True]
    assert places[1].source == places[2].source == "nominatim"
    assert len(server.requests) == 3
    assert capfd.readouterr().err == ""


def test_cli_online_json(online_env):
    result = CliRunner().invoke(cli, ["geocode", "--online", "--format", "json", "Zorblat Heights"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert (obj["source"], obj["lat"], obj["country"]) == ("nominatim", -1.6, "COD")


def _geo_json(env: dict[str, str], *queries: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("geo")),
            "geocode",
            "--online",
            "--format",
            "json",
            *queries,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.slow  # more than 10 s on a 2-core machine
def test_cache_persists_across_processes(server, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[geocode]\nmin_delay_seconds = 0\ntimeout = 2\nmax_retries = 0\n")
    env = {
        **os.environ,
        "GEO_CONFIG": str(config),
        "GEO_USER_AGENT": AGENT,
        "GEO_NOMINATIM_URL": server.url,
        "GEO_CACHE_PATH": str(tmp_path / "geocode.sqlite"),
    }
    first = _geo_json(env, "Zorblat Heights", "Qwxzzy Blorf")
    assert first.returncode == 1, first.stderr
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert [(o["resolved"], o["source"]) for o in lines] == [(True, "nominatim"), (False, None)]
    asked = len(server.requests)
    assert asked == 2

    server.stop()  # a rebuild with the network gone
    second = _geo_json(env, "Zorblat Heights", "Qwxzzy Blorf")
    assert second.returncode == 1, second.stderr
    again = [json.loads(line) for line in second.stdout.splitlines()]
    assert again[0] == lines[0]
    assert "unavailable" not in second.stderr  # the negative was cached: nothing was asked
    assert len(server.requests) == asked


def test_successive_geocode_calls_share_one_rate_limiter(online_env, tmp_path):
    import geo

    (tmp_path / "config.toml").write_text("[geocode]\nmin_delay_seconds = 0.3\n")
    start = time.monotonic()
    for q in ("Zorblat Heights", "Quimbly Province", "Qwxzzy Blorf"):
        geo.geocode(q, online=True)
    times = [r["t"] for r in online_env.requests]
    assert len(times) == 3 and times[-1] - start >= 2 * 0.3  # a lower bound (see above)
