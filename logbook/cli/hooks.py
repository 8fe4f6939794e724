"""``logbook hook …``: the git pre-commit hook."""

from __future__ import annotations

import typer

app = typer.Typer(help="Export the logbook into a blog repo on every commit.", no_args_is_help=True)
