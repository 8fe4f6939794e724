"""``logbook export`` and ``logbook import``."""

from __future__ import annotations

import typer


def export() -> None:
    """Export the store as plain text."""
    raise typer.Exit(1)


def import_() -> None:
    """Import an export back into the store."""
    raise typer.Exit(1)
