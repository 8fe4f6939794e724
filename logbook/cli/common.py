"""Options and helpers that several command groups share."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from logbook.errors import LogbookError, UsageError

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def number_parser(what: str) -> Callable[[object], Any]:
    """A Typer ``parser`` for an entry number: 1 to ``MAX_NUMBER``, else a usage error."""

    def parse(value: object) -> int | None:
        from logbook.numbers import parse_number

        if value is None:
            return None
        try:
            return parse_number(str(value), what=what)
        except UsageError as error:
            raise typer.BadParameter(str(error)) from None

    return parse


def _limit(value: object) -> int | None:
    from logbook.numbers import parse_limit

    if value is None:
        return None
    try:
        return parse_limit(str(value))
    except UsageError as error:
        raise typer.BadParameter(str(error)) from None


# Every --limit follows one rule: a positive whole number, or 0 for no limit.
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", parser=_limit, help="At most N (0: no limit)."),
]


def decode_text(data: bytes, where: str) -> str:
    """``data`` as UTF-8 text, or one ``UsageError`` line naming ``where`` it came from.

    Every way text enters logbook (stdin, the command line, the editor's file) goes through
    here, so bytes that are not UTF-8 are refused the same way everywhere.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{where} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def decode_arg(value: str, where: str) -> str:
    """A command-line argument Python decoded with ``surrogateescape``, checked as UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return decode_text(value.encode("utf-8", "surrogateescape"), where)


def read_stdin(what: str = "stdin") -> str:
    """All of stdin as text (checked as UTF-8 like every other input)."""
    if sys.stdin is None:
        raise UsageError(f"{what} is closed; give the text another way")
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # an already decoded stream (embedding): check what it decoded
        return decode_arg(sys.stdin.read(), what)
    return decode_text(raw.read(), what)


def read_text(value: str | None, *, initial: str = "", what: str = "idea") -> str:
    """The text of an entry: the argument, stdin for ``-``, or ``$EDITOR`` when absent."""
    if value == "-":
        return read_stdin()
    if value is not None:
        return value
    return edit_text(initial, what=what)


def edit_text(initial: str, *, what: str = "idea") -> str:
    """Open ``$VISUAL``/``$EDITOR`` on ``initial`` and return what was saved.

    What the user typed must survive a failure after the editor returns (a locked store,
    a full disk, bytes that are not UTF-8): the file is handed to ``state.keep_text``,
    which deletes it when the command succeeds and names it in the error line otherwise.
    """
    from logbook.cli.state import state

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(f"give the {what} text, '-' for stdin, or set $EDITOR")
    fd, name = tempfile.mkstemp(prefix=f"{what}-", suffix=".md")
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(initial)
    try:
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as error:
            raise LogbookError(f"cannot start the editor {editor!r}: {error.strerror}") from None
        data = path.read_bytes()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if not data.strip() or data == initial.encode("utf-8"):
        # Nothing new was typed: there is nothing to keep.
        path.unlink(missing_ok=True)
    else:
        state.keep_text(path)
    if result.returncode != 0:
        raise LogbookError(f"the editor ({editor}) exited with status {result.returncode}")
    text = decode_text(data, "the text saved in the editor")
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
