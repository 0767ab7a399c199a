"""The README and the CLI help stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.spec import LAYER_KEYS, MAP_KEYS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme_and_has_help_with_an_example(name):
    assert f"geo {name}" in README
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_every_spec_key_is_in_the_readme_spec_reference():
    reference = README[README.index("## Map spec") :]
    for key in (*MAP_KEYS, *LAYER_KEYS):
        if key in ("layers",):
            continue
        assert re.search(rf"\b{key}\b", reference), f"spec key {key!r} missing from README"


def test_readme_quickstart_is_two_commands_and_ci_runs_the_test_one():
    block = README[README.index("## Quickstart") :].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "geo build maps/demo.toml" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci
