"""``logbook paper …`` and ``logbook reading-list``."""

from __future__ import annotations

import typer

app = typer.Typer(help="Import arXiv papers and keep the reading list.", no_args_is_help=True)


def reading_list() -> None:
    """The reading list as markdown, BibTeX or JSON."""
    raise typer.Exit(1)
