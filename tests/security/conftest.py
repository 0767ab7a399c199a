"""Fixtures of the hostile-input tests: a local HTTP server that records every request,
and a one-layer events spec over a data file (coordinates only: no geocoder needed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROWS_CSV = b"lat,lon,event_type,fatalities\n-1.67,29.22,Battles,777\n"


@dataclass
class Recorder:
    """The base URL of a server on 127.0.0.1 and the paths it was asked for."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body: bytes) -> None:
            rec.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's names)
            self._answer(ROWS_CSV)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(ROWS_CSV)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


EVENTS_SPEC = """title = "Events"
[[layers]]
name = "Events"
kind = "events"
data = "{data}"
lat = "lat"
lon = "lon"
value = "fatalities"
group = "event_type"
"""


def events_spec(folder: Path, data: str) -> Path:
    spec = folder / "map.toml"
    spec.write_text(EVENTS_SPEC.format(data=data), encoding="utf-8")
    return spec
