"""Escaping for untrusted text on its way into HTML or JavaScript (no folium here).

Every string that comes from a data file or a map spec reaches the page through one of
these helpers:

- :func:`escape` for text placed in HTML markup (``<title>``, labels);
- :func:`script_json` for data placed inside a ``<script>`` element: JSON in which
  ``<``, ``>``, ``&`` and the JS line separators are ``\\uXXXX`` escapes, so no value can
  close the script element or start markup, whatever it contains. The browser side then
  inserts text with ``textContent`` (see ``geo/assets/js/``), never as HTML.

>>> escape('<img src=x onerror=alert(1)>')
'&lt;img src=x onerror=alert(1)&gt;'
>>> script_json({"name": "</script><script>alert(1)</script>"})
'{"name":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

_JS_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def escape(text: object) -> str:
    """HTML-escape ``text`` (quotes included) for element content or attribute values.

    >>> escape('"a" & <b>')
    '&quot;a&quot; &amp; &lt;b&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def _clean(obj: Any) -> Any:
    """Turn NaN/inf into None (JSON has no NaN) and numpy scalars into Python ones."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        try:
            return _clean(obj.item())
        except (TypeError, ValueError):
            return str(obj)
    return obj


def script_json(obj: Any) -> str:
    """Serialise ``obj`` as compact JSON that is safe inside an HTML ``<script>`` element.

    Keys are kept in insertion order (not sorted) so callers control byte-identical output.

    >>> script_json({"a": float("nan"), "b": "x<y"})
    '{"a":null,"b":"x\\\\u003cy"}'
    """
    text = json.dumps(_clean(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Not str.translate: once the text holds any non-ASCII character translate goes
    # character by character in Python (4 s for a 1M-event layer); replace stays in C.
    for code, repl in _JS_UNSAFE.items():
        text = text.replace(chr(code), repl)
    return text
