"""Atomic file writes: a temporary file beside the target, then ``os.replace``.

A failed write leaves no partial file and keeps the previous one, so a broken build never
clobbers last week's map::

    write_atomic(Path("maps/demo.html"), html, what="the map")
    with replacing(Path("out.gpkg")) as tmp:  # for writers that want a path
        frame.to_file(tmp, driver="GPKG")
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from geo.errors import OutputError


@contextmanager
def replacing(out: Path, *, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path in ``out``'s directory (same suffix, so writers that pick a
    format by suffix still work); when the block succeeds, move it over ``out`` with
    ``mode`` (``mkstemp`` makes files private; maps and pictures are for sharing); when it
    fails, delete it. Raises OSError; :func:`write_atomic` turns that into OutputError."""
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=f".tmp{out.suffix}", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)  # gone already after a successful replace


STALE_SECONDS = 3600  # no write of geo takes an hour; older temporaries are leftovers


def clean_stale(out: Path) -> int:
    """Delete the temporary files and folders a killed write of ``out`` left beside it
    (``.NAME.*.tmp*``, older than STALE_SECONDS); return how many. A SIGKILL cannot be
    caught, so the next write of the same file cleans up."""
    cutoff = time.time() - STALE_SECONDS
    removed = 0
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.*.tmp*"):
        try:
            if leftover.lstat().st_mtime >= cutoff:
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
            removed += 1
        except OSError:
            continue  # another process cleaned it, or it is not ours to remove
    return removed


@contextmanager
def staged(outs: Sequence[Path | None], *, mode: int = 0o644) -> Iterator[list[Path | None]]:
    """Yield, for each target of ``outs`` (None stays None), a path with the same file name
    in a hidden temporary folder beside it; when the block succeeds, move every file over
    its target, else delete them all. A build that writes a map, an export and a PNG thus
    replaces all three or none: a failed PNG leaves the previous map (issue 16).

    Raises OSError (callers name the file)."""
    folders: list[Path] = []
    paths: list[Path | None] = []
    try:
        for out in outs:
            if out is None:
                paths.append(None)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(out)
            folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
            folders.append(folder)
            paths.append(folder / out.name)
        yield paths
        for out, tmp in zip(outs, paths, strict=True):
            if out is not None and tmp is not None:
                os.chmod(tmp, mode)
                os.replace(tmp, out)
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def write_atomic(out: Path, data: str | bytes, *, what: str) -> Path:
    """Write ``data`` (text as UTF-8, newlines as given) to ``out`` atomically.

    ``what`` names the file in the error: ``maps/demo.html: cannot write the map (...)``.
    Raises OutputError.
    """
    out = Path(out)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with replacing(out) as tmp, open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write {what} ({exc.strerror or exc}); check that "
            "the directory exists and is writable"
        ) from exc
    return out
