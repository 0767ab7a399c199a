import importlib
import inspect
import subprocess
import sys
import types

import pytest

import geo


def test_all_is_sorted_and_importable():
    assert geo.__all__ == sorted(geo.__all__)
    for name in geo.__all__:
        assert hasattr(geo, name), name


def test_every_public_member_is_exported():
    # The other way round (httpx's test): once every lazy name is loaded, each public
    # name of the package is in __all__, apart from its implementation modules.
    for name in geo.__all__:
        getattr(geo, name)
    public = {
        name
        for name, value in vars(geo).items()
        if not name.startswith("_")
        and not (isinstance(value, types.ModuleType) and not callable(value))
    }
    assert public == set(geo.__all__)
    assert set(dir(geo)) >= set(geo.__all__)


@pytest.mark.parametrize(
    "module", ["geo.geocode.offline", "geo.geocode.chain", "geo.extract.core", "geo.extract.rules"]
)
def test_subpackages_are_not_shadowed(module):
    # geo.geocode and geo.extract are functions of the API and packages at once: the
    # package is callable, so `import geo.geocode.offline as m` gives the module.
    parent, _, child = module.rpartition(".")
    imported = importlib.import_module(module)
    assert isinstance(imported, types.ModuleType)
    assert getattr(importlib.import_module(parent), child) is imported
    namespace: dict[str, object] = {}
    exec(f"import {module} as m", namespace)
    assert namespace["m"] is imported


def test_geocode_and_extract_are_callable_with_their_signatures():
    assert callable(geo.geocode) and callable(geo.extract)
    assert list(inspect.signature(geo.geocode).parameters)[:2] == ["query", "country"]
    assert "report_date" in inspect.signature(geo.extract).parameters
    assert geo.geocode("Port-au-Prince").country == "HTI"
    assert geo.extract("Clashes displaced 2,000 people on Monday.").value.tolist() == [2000.0]


def test_errors_also_inherit_builtins():
    assert issubclass(geo.InputError, ValueError)
    assert issubclass(geo.SpecError, ValueError)
    assert issubclass(geo.GeocoderUnavailable, OSError)
    assert issubclass(geo.InputError, geo.GeoError)


_PROBE = """
import runpy, sys
sys.argv = ["geo", *sys.argv[1:]]
try:
    runpy.run_module("geo", run_name="__main__")
except SystemExit:
    pass
print("MODULES", " ".join(sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["geocode", "--help"], ["build", "--help"]])
def test_start_up_does_not_load_the_map_stack_or_the_extractor(argv):
    # `python -X importtime -m geo --help` shows the cost; this keeps it from coming back.
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.rpartition("MODULES ")[2].split())
    heavy = {"pandas", "folium", "geopandas", "shapely", "geo.extract", "geo.builder"}
    assert not heavy & loaded
