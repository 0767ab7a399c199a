"""Where the gazetteer's files live: the bundled data (``data/gazetteer``) and the index
cache folder."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder of the bundled gazetteer files (``data/gazetteer`` in a source checkout,
    ``geo/_data/gazetteer`` in an installed wheel)."""
    here = Path(__file__).resolve().parent.parent
    for cand in (here / "_data" / "gazetteer", here.parent / "data" / "gazetteer"):
        if (cand / "countries.geojson.gz").exists():
            return cand
    raise FileNotFoundError(
        "geo's gazetteer data files are missing (expected data/gazetteer/ next to the geo "
        "package); reinstall geo"
    )


def index_dir() -> Path:
    """The index cache folder: ``GEO_INDEX_DIR``, else the user cache folder of geo."""
    env = os.environ.get("GEO_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo"))


def read_words(name: str) -> list[str]:
    """The lines of ``data/gazetteer/words/<name>``: stripped, without blanks and ``#``
    comments."""
    text = (data_dir() / "words" / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
