"""Country hints as the datasets write them -> ISO3 codes.

A per-row country hint may be an ISO code, a name the gazetteer knows, or a dataset's own
spelling: UCDP's Gleditsch-Ward names ("Myanmar (Burma)", "DR Congo (Zaire)",
"Kingdom of eSwatini (Swaziland)"), ACLED's and Geo-PKO's names. A hint is tried as
written, then in the names list ``presets/country_names.tsv``, then part by part (the name
before and inside parentheses, before a comma); parts naming different countries
("Ethiopia/Eritrea") give no hint.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from geo.gazetteer import country_iso3

NAMES = Path(__file__).resolve().parent / "presets" / "country_names.tsv"


@functools.cache
def _names() -> dict[str, str]:
    out = {}
    for line in NAMES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, code = line.split("\t")
            out[_key(name)] = code.strip()
    return out


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


@functools.cache
def hint_iso3(text: str | None) -> str | None:
    """The ISO3 code a country hint names, or None.

    >>> hint_iso3("Myanmar (Burma)"), hint_iso3("Kingdom of eSwatini (Swaziland)")  # doctest: +SKIP
    ('MMR', 'SWZ')
    """
    if not text or not isinstance(text, str) or not text.strip():
        return None
    code = country_iso3(text) or _names().get(_key(text))
    if code:
        return code
    parts = [p.strip() for p in re.split(r"[()/,;]", text) if p.strip()]
    codes = {c for c in (country_iso3(p) or _names().get(_key(p)) for p in parts) if c}
    return codes.pop() if len(codes) == 1 else None
