"""The online geocoder against a hostile or strict server on 127.0.0.1: the request spacing
holds across processes, a 429's Retry-After is obeyed, an oversized answer is not read,
and the public server's limit holds even when it is named (issue 16)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.errors import GeocoderUnavailable
from geo.geocode.online import MAX_ANSWER_BYTES, OnlineGeocoder

AGENT = "geo-security-tests/1.0 (tests@example.org)"
GOMA = [
    {
        "lat": "-1.67",
        "lon": "29.22",
        "name": "Goma",
        "display_name": "Goma, Nord-Kivu",
        "addresstype": "city",
        "class": "place",
        "type": "city",
        "importance": 0.6,
        "address": {"country_code": "cd"},
    }
]


class Server:
    """Answers /search from a script of (status, headers, body); records receive times."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], bytes]] = []
        self.times: list[float] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.times.append(time.monotonic())
                status, headers, body = (
                    owner.script.pop(0) if owner.script else (200, {}, json.dumps(GOMA).encode())
                )
                try:
                    self.send_response(status)
                    for key, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def test_retry_after_is_obeyed(server: Server, tmp_path: Path) -> None:
    server.script = [(429, {"Retry-After": "1"}, b"[]")]
    online = OnlineGeocoder(
        AGENT, server.url, min_delay_seconds=0, max_retries=1, gate_folder=tmp_path
    )
    assert online.geocode("Goma").name == "Goma"
    first, second = server.times
    assert second - first >= 1.0  # a lower bound: the retry was sent a second later


def test_a_long_retry_after_reports_the_server_unavailable(server: Server, tmp_path) -> None:
    server.script = [(429, {"Retry-After": "3600"}, b"[]")]
    online = OnlineGeocoder(
        AGENT, server.url, min_delay_seconds=0, max_retries=2, gate_folder=tmp_path
    )
    with pytest.raises(GeocoderUnavailable, match="asks to wait 3600 s"):
        online.geocode("Goma")
    assert len(server.times) == 1


def test_an_oversized_answer_is_not_read(server: Server, tmp_path: Path) -> None:
    big = json.dumps(GOMA * (MAX_ANSWER_BYTES // len(json.dumps(GOMA)) + 10)).encode()
    server.script = [(200, {}, big)]
    online = OnlineGeocoder(
        AGENT, server.url, min_delay_seconds=0, max_retries=0, gate_folder=tmp_path
    )
    with pytest.raises(GeocoderUnavailable, match="larger than 5 MB"):
        online.geocode("Goma")


def test_naming_the_public_server_keeps_one_request_per_second(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="geo"):
        online = OnlineGeocoder(  # constructing sends nothing
            AGENT, "https://nominatim.openstreetmap.org", min_delay_seconds=0.1
        )
    assert "raised to 1" in caplog.text
    assert online._search.min_delay_seconds == 1.0


WAITER = """
import sys
from pathlib import Path
from geo.geocode.throttle import ProcessGate
gate = ProcessGate(Path(sys.argv[1]), float(sys.argv[2]))
for _ in range(int(sys.argv[3])):
    print(repr(gate.wait()), flush=True)
"""


def test_the_spacing_holds_across_processes(tmp_path: Path) -> None:
    lock, delay = tmp_path / "rate.lock", 0.3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WAITER, str(lock), str(delay), "3"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    stamps = sorted(float(t) for p in procs for t in p.communicate(timeout=120)[0].split())
    assert all(p.returncode == 0 for p in procs)
    # the times the gate recorded: each is taken once the previous one is min_delay old,
    # so a loaded machine can only make the gaps longer
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert len(stamps) == 9 and min(gaps) >= delay * 0.99, gaps


def test_the_online_geocoder_goes_through_the_shared_gate(server: Server, tmp_path) -> None:
    online = OnlineGeocoder(AGENT, server.url, min_delay_seconds=0.2, gate_folder=tmp_path)
    online.geocode("Goma")
    (lock,) = tmp_path.glob("geo-rate-*.lock")
    assert float(lock.read_text()) > 0
