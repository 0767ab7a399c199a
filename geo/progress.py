"""Progress bars on stderr for long steps, shown only when stderr is a terminal.

>>> bar = terminal_bar(total=3, unit="name", desc="geocoding")  # None when piped
"""

from __future__ import annotations

import os
import sys
from typing import Any


def terminal_bar(total: int, **options: Any) -> Any:
    """A ``tqdm`` bar on stderr, or None when stderr is not a terminal (logs, pipes, CI).

    ``options`` go to ``tqdm`` (``unit``, ``desc``, ``leave``, ``bar_format``, ...).
    """
    if sys.stderr is None or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    try:  # an unsized terminal reports 0 x 0, and then tqdm draws nothing at all
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        size = os.terminal_size((80, 24))
    return tqdm(
        total=total,
        file=sys.stderr,
        ncols=min(size.columns or 80, 100),
        nrows=size.lines or 24,
        **options,
    )
