"""The runtime's pure helpers under ``node --test`` (tests/js/); skipped with a message when
node is not installed (Debian: ``apt-get install -y nodejs``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from geo.render import runtime_js

JS_TESTS = Path(__file__).parent / "js"


def test_node_unit_tests_of_the_runtime_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JS unit tests in tests/js/ need it")
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    done = subprocess.run(
        [node, "--test", *files], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_the_runtime_is_its_modules_in_name_order() -> None:
    js = runtime_js()
    assert js.index("(function () {") < js.index("function eventRadius") < js.rindex("})();")
    # one function scope: nothing after the closing of the IIFE but a newline
    assert js.rstrip().endswith("})();")
