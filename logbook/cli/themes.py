"""``logbook themes``: recurring themes across ideas, papers and posts."""

from __future__ import annotations

import typer

app = typer.Typer(help="Themes that recur across your entries.")


def apply_quietly() -> None:
    """Apply themes as auto tags (called after add/import when themes.auto_apply is on)."""
