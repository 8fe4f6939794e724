"""What the generated blocks in docs/*.md hold; cog runs these (see the README).

Regenerate with ``cog -r -I docs docs/*.md``; ``cog --check -I docs docs/*.md`` (run by
.ci/run and tests/test_docs.py) fails when a block is stale. The output must be the same on
every machine, so help is rendered at a fixed width without colour and the schema comes
from a store migrated from nothing.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WIDTH = 80

# Variables that change how Rich draws help: its width, whether it thinks it is on a
# terminal, and colour. Set to None = removed while the help is rendered.
_HELP_ENV: dict[str, str | None] = {
    "COLUMNS": str(WIDTH),
    "LINES": "25",
    "TERMINAL_WIDTH": str(WIDTH),
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FORCE_COLOR": None,
    "PY_COLORS": None,
    "GITHUB_ACTIONS": None,
    "CLICOLOR_FORCE": None,
}


@contextmanager
def _fixed_terminal() -> Iterator[None]:
    import typer.rich_utils as rich_utils

    # Typer reads TERMINAL_WIDTH and FORCE_COLOR/GITHUB_ACTIONS once, at import, so the
    # environment alone would not fix them if Typer was imported in another environment.
    saved = (rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL)
    rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL = WIDTH, False
    try:
        yield
    finally:
        rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL = saved


def help_text(command: str = "") -> str:
    """``logbook COMMAND --help`` as a user sees it on an 80-column terminal without colour."""
    from typer.testing import CliRunner

    from logbook.cli import build_app

    args = [*command.split(), "--help"]
    with _fixed_terminal():
        result = CliRunner().invoke(
            build_app(), args, prog_name="logbook", terminal_width=WIDTH, env=_HELP_ENV
        )
    if result.exit_code != 0:
        raise RuntimeError(f"logbook {' '.join(args)} exited {result.exit_code}: {result.output}")
    # Rich pads every line to the full width; the padding is noise in a diff.
    lines = [line.rstrip() for line in result.output.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def help_block(command: str = "") -> str:
    """The markdown block docs/usage.md shows for ``logbook COMMAND --help``."""
    shown = f"logbook {command} --help" if command else "logbook --help"
    return f"```console\n$ {shown}\n{help_text(command)}\n```\n"


def _subcommands(command: str) -> list[str]:
    from typer.main import get_command

    from logbook.cli import build_app

    found = get_command(build_app())
    for name in command.split():
        found = found.commands[name]  # type: ignore[attr-defined]
    return [f"{command} {name}" for name in getattr(found, "commands", {})]


def help_section(*commands: str) -> str:
    """A folded block with the ``--help`` of each command and of its subcommands."""
    # The top level's subcommands have sections of their own.
    shown = [
        c for command in commands for c in (command, *(_subcommands(command) if command else ()))
    ]
    names = " and ".join(f"<code>{f'logbook {command}'.strip()}</code>" for command in commands)
    blocks = "\n".join(help_block(command) for command in shown)
    return f"<details>\n<summary>{names} --help</summary>\n\n{blocks}\n</details>\n"


_KIND_ORDER = {"table": 0, "index": 1, "trigger": 2}


def _tidy(sql: str) -> str:
    # The migrations indent their DDL to fit the Python around it; SQLite keeps that.
    first, _, rest = sql.strip().partition("\n")
    return f"{first}\n{textwrap.dedent(rest)}" if rest else first


def schema_sql() -> str:
    """The SQL of every table, index and trigger of a freshly migrated store, sorted."""
    from logbook.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.db"
        open_store(path).close()
        db = sqlite3.connect(path)
        try:
            # Shadow tables (FTS5's internals) and sqlite_* tables are SQLite's, not ours.
            shadow = {row[1] for row in db.execute("PRAGMA table_list") if row[2] == "shadow"}
            rows = db.execute(
                "SELECT type, name, sql FROM sqlite_master"
                " WHERE sql IS NOT NULL AND type IN ('table', 'index', 'trigger')"
                " AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        finally:
            db.close()
    statements = sorted(
        (_KIND_ORDER[kind], name, _tidy(sql)) for kind, name, sql in rows if name not in shadow
    )
    return "\n\n".join(f"{sql};" for _, _, sql in statements)


def schema_block() -> str:
    """The markdown block docs/architecture.md shows for the schema."""
    return f"```sql\n{schema_sql()}\n```\n"


if __name__ == "__main__":  # a quick look: python docs/cogdocs.py
    os.environ.setdefault("NO_COLOR", "1")
    print(help_block())
    print(schema_block())
