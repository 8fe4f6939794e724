"""``logbook publish`` and ``logbook post …``."""

from __future__ import annotations

import typer

posts_app = typer.Typer(help="Posts logbook wrote to the Jekyll site.", no_args_is_help=True)


def publish() -> None:
    """Write a Jekyll post for a week, a paper or an idea."""
    raise typer.Exit(1)
