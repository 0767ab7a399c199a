"""User configuration: the online geocoder's user agent and server, and the cache path.

Each setting comes from an environment variable first, then from a TOML file, then from a
default::

    GEO_USER_AGENT      [geocode] user_agent          (no default: online use needs it)
    GEO_NOMINATIM_URL   [geocode] nominatim_url       default: the public Nominatim server
    GEO_CACHE_PATH      [geocode] cache_path          default: <user cache dir>/geocode.sqlite
                        [geocode] min_delay_seconds   default: 1.0 (Nominatim's usage policy)
                        [geocode] timeout             default: 10.0 seconds per request
                        [geocode] max_retries         default: 2

The file is ``GEO_CONFIG`` when set, else ``config.toml`` in
``platformdirs.user_config_dir("geo")`` (``~/.config/geo/config.toml`` on Linux)::

    [geocode]
    user_agent = "my-newsroom-maps/1.0 (maps@example.org)"

Example:
    >>> cfg = load_config()
    >>> cfg.cache_path.name
    'geocode.sqlite'
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from geo.errors import InputError

ENV_USER_AGENT = "GEO_USER_AGENT"
ENV_NOMINATIM_URL = "GEO_NOMINATIM_URL"
ENV_CACHE_PATH = "GEO_CACHE_PATH"
ENV_CONFIG = "GEO_CONFIG"

_NUMBERS = {"min_delay_seconds": 1.0, "timeout": 10.0, "max_retries": 2}

# (path, mtime_ns, size) -> parsed [geocode] table; re-read only when the file changes.
_file_cache: dict[tuple[str, int, int], dict[str, Any]] = {}


@dataclass(frozen=True)
class Config:
    """Resolved settings (see the module docstring for where each comes from)."""

    cache_path: Path
    user_agent: str | None = None
    nominatim_url: str | None = None  # None: the public server
    min_delay_seconds: float = 1.0
    timeout: float = 10.0
    max_retries: int = 2
    config_file: Path | None = None  # the TOML file consulted (it may not exist)


def config_file() -> Path:
    """The TOML file consulted: ``$GEO_CONFIG`` or ``<user config dir>/config.toml``."""
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("geo")) / "config.toml"


def load_config() -> Config:
    """Read the environment and the config file.

    Raises:
        InputError: the config file is not valid TOML or a setting has the wrong type.
    """
    path = config_file()
    table = _read_table(path)
    user_agent = os.environ.get(ENV_USER_AGENT) or _str(table, "user_agent", path)
    url = os.environ.get(ENV_NOMINATIM_URL) or _str(table, "nominatim_url", path)
    cache = os.environ.get(ENV_CACHE_PATH) or _str(table, "cache_path", path)
    numbers = {key: _number(table, key, default, path) for key, default in _NUMBERS.items()}
    return Config(
        cache_path=(
            Path(cache).expanduser()
            if cache
            else Path(platformdirs.user_cache_dir("geo")) / "geocode.sqlite"
        ),
        user_agent=user_agent.strip() if user_agent and user_agent.strip() else None,
        nominatim_url=url.strip() if url and url.strip() else None,
        min_delay_seconds=float(numbers["min_delay_seconds"]),
        timeout=float(numbers["timeout"]),
        max_retries=int(numbers["max_retries"]),
        config_file=path,
    )


def _read_table(path: Path) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError:
        return {}
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _file_cache:
        return _file_cache[key]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the geo config file: {exc}") from exc
    table = data.get("geocode", {})
    if not isinstance(table, dict):
        raise InputError(f'{path}: [geocode] must be a table, e.g. [geocode] user_agent = "..."')
    _file_cache.clear()
    _file_cache[key] = table
    return table


def _str(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{path}: [geocode] {key} must be a string, got {value!r}")


def _number(table: dict[str, Any], key: str, default: float, path: Path) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f"{path}: [geocode] {key} must be a number >= 0, got {value!r}")
    return value
