"""Every command has help text, an example, and a place in docs/usage.md; generated docs are fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cogapp import Cog
from typer.main import get_command

from logbook.cli import build_app

DOCS = Path(__file__).parent.parent / "docs"
# The generated --help blocks name every command; the check below is about the prose.
_GENERATED = re.compile(r"<!-- \[\[\[cog.*?\[\[\[end\]\]\] -->", re.DOTALL)
USAGE = _GENERATED.sub("", (DOCS / "usage.md").read_text(encoding="utf-8"))


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


@pytest.mark.usefixtures("one_command_tree")  # the --help of ~60 commands, one tree (8 s -> 1 s)
def test_generated_docs_are_up_to_date(capsys):
    pages = sorted(str(page) for page in DOCS.glob("*.md"))
    status = Cog().main(["cog", "--check", "-I", str(DOCS), *pages])
    assert status == 0, (
        "docs are stale, regenerate them with: cog -r -I docs docs/*.md\n" + capsys.readouterr().out
    )


def test_the_usage_prose_is_checked_without_the_generated_blocks():
    whole = (DOCS / "usage.md").read_text(encoding="utf-8")
    assert "[[[cog" in whole and "[[[cog" not in USAGE
    assert "Usage: logbook" in whole and "Usage: logbook" not in USAGE
