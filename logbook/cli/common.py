"""Options and helpers that several command groups share."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from logbook.errors import LogbookError, UsageError

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def read_text(value: str | None, *, initial: str = "", what: str = "idea") -> str:
    """The text of an entry: the argument, stdin for ``-``, or ``$EDITOR`` when absent."""
    if value == "-":
        return sys.stdin.read()
    if value is not None:
        return value
    return edit_text(initial, what=what)


def edit_text(initial: str, *, what: str = "idea") -> str:
    """Open ``$VISUAL``/``$EDITOR`` on ``initial`` and return what was saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(f"give the {what} text, '-' for stdin, or set $EDITOR")
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
        f.write(initial)
        path = Path(f.name)
    try:
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as error:
            raise LogbookError(f"cannot start the editor {editor!r}: {error.strerror}") from None
        if result.returncode != 0:
            raise LogbookError(f"the editor ({editor}) exited with status {result.returncode}")
        text = path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
    if not text.strip():
        raise UsageError(f"the {what} is empty; nothing was saved")
    return text


def when(value: str | None, *, stored: bool = False) -> datetime | None:
    """A date option read in the configured time zone.

    A filter (``stored=False``) may name a moment after tomorrow; a date to store may not.
    """
    if value is None:
        return None
    from logbook.cli.state import state
    from logbook.dates import parse_when

    return parse_when(value, state.config().tz, clamp_future=not stored)


def local(moment: datetime | None, *, seconds: bool = False) -> str:
    """A moment shown in the configured zone: ``2026-11-22 09:15``."""
    if moment is None:
        return ""
    from logbook.cli.state import state

    shown = moment.astimezone(state.config().tz)
    # %Y does not pad years before 1000 (a store from before dates were bounded may hold one)
    return f"{shown.year:04d}" + shown.strftime("-%m-%d %H:%M:%S" if seconds else "-%m-%d %H:%M")
