"""Request spacing shared by every ``geo`` process on the machine.

geopy's ``RateLimiter`` spaces the requests of one process; three processes geocoding at
once would still send three requests a second to a server that allows one. A
:class:`ProcessGate` keeps the time of the last request in a small file and holds an
exclusive lock on it while it waits, so the spacing holds across processes::

    gate = ProcessGate(Path("/tmp/geo-rate.lock"), min_delay=1.0)
    gate.wait()  # returns once a second has passed since any process's last request
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger("geo")


class ProcessGate:
    """Space calls at least ``min_delay`` seconds apart across processes sharing ``path``.

    Where file locks are unavailable (no ``fcntl``) or the file cannot be opened, the
    gate logs once and lets calls through: the in-process limiter still applies.
    """

    def __init__(self, path: Path, min_delay: float) -> None:
        self.path = Path(path)
        self.min_delay = float(min_delay)
        self._warned = False

    def wait(self) -> float | None:
        """Block until ``min_delay`` has passed since the last call of any process; return
        the time (``time.time()``) recorded for this call, None when not shared."""
        if self.min_delay <= 0:
            return None
        try:
            import fcntl
        except ImportError:  # Windows: per-process spacing only
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if not self._warned:
                self._warned = True
                log.warning("cannot share request spacing through %s (%s)", self.path, exc)
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                last = float(os.pread(fd, 64, 0).decode("ascii").strip() or 0)
            except (ValueError, UnicodeDecodeError):
                last = 0.0  # a damaged file: start afresh
            pause = last + self.min_delay - time.time()
            if 0 < pause <= self.min_delay:  # (a clock set back gives no endless wait)
                time.sleep(pause)
            now = time.time()
            os.ftruncate(fd, 0)
            os.pwrite(fd, repr(now).encode("ascii"), 0)
            return now
        finally:
            os.close(fd)  # also releases the lock
