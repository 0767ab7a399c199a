"""Packages that are also the function they are named after (``geo.geocode``, ``geo.extract``).

``geo.geocode("Goma")`` is the documented call, and ``geo/geocode/`` is the package that
implements it. A function bound over the package's name in ``geo`` would hide the package
(``import geo.geocode.offline as m`` then fails on the function), so instead the package
module itself is made callable: it stays a module, its submodules import as usual, and
calling it calls the function.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, func: Callable[..., Any]) -> None:
    """Make the module ``module_name`` (already in ``sys.modules``) call ``func`` when called.

    >>> import geo
    >>> geo.geocode("Goma").name
    'Goma'
    """
    module = sys.modules[module_name]

    def __call__(self: types.ModuleType, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    def __signature__(self: types.ModuleType) -> Any:
        import inspect  # on demand: `inspect` costs ~15 ms of `geo --help`

        return inspect.signature(func)

    cls = type(
        "CallableModule",
        (types.ModuleType,),
        {"__call__": __call__, "__doc__": module.__doc__, "__signature__": property(__signature__)},
    )
    module.__class__ = cls
