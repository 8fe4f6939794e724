"""Every command has help text, an example, and a place in docs/usage.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from logbook.cli import build_app

USAGE = (Path(__file__).parent.parent / "docs" / "usage.md").read_text(encoding="utf-8")


def _commands():
    root = get_command(build_app())
    stack = [((), root)]
    while stack:
        path, command = stack.pop()
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                stack.append(((*path, name), sub))
        elif path:
            yield " ".join(path), command


COMMANDS = sorted(_commands())


def test_there_are_commands():
    assert {"idea add", "search", "config show"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name, command):
    assert command.help and command.help.strip(), name
    assert "Example: logbook" in command.help, name


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_documented_in_usage(name, command):
    assert f"logbook {name}" in USAGE, f"docs/usage.md does not show `logbook {name}`"
