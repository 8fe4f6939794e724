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

# A list on a terminal shows this many (the newest) unless --limit says otherwise: a person
# does not read 100k rows, and printing them costs seconds. Pipes, files and --json get all.
TERMINAL_LIMIT = 50


def _list_limit(value: object) -> int | None:
    # as _limit, but 0 stays 0: "no limit asked for" must differ from "no --limit given"
    if value is not None and str(value).strip() == "0":
        return 0
    return _limit(value)


ListLimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        parser=_list_limit,
        help=f"At most N (0: no limit). On a terminal the newest {TERMINAL_LIMIT} unless given.",
    ),
]


def list_limit(limit: int | None, *, as_json: bool) -> tuple[int | None, bool]:
    """The limit a list uses, and whether it is the terminal's default (see ``TERMINAL_LIMIT``).

    ``--limit N`` is N, ``--limit 0`` is none; without ``--limit``, the newest
    ``TERMINAL_LIMIT`` when stdout is a terminal and the output is not JSON, else none.
    """
    from logbook.cli import output as out

    if limit is not None:
        return limit or None, False
    if as_json or not out.is_terminal():
        return None, False
    return TERMINAL_LIMIT, True


def note_limit(shown: int, total: int, what: str) -> None:
    """Say on stderr that a terminal's default limit left entries out (nothing if none)."""
    from logbook.cli import output as out

    if total > shown:
        out.info(f"the newest {shown} of {total} {what}; --limit 0 lists them all")


# Who wrote an entry (config ``author``); repeatable; '' matches entries credited to nobody.
AuthorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author", metavar="NAME", help="Only entries written by this person (repeatable)."
    ),
]

# Who added a paper to the store: its ``author`` column, not the paper's arXiv authors.
AddedByOption = Annotated[
    list[str] | None,
    typer.Option(
        "--added-by", metavar="NAME", help="Only papers this person added (not arXiv's authors)."
    ),
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


def stdin_is_piped() -> bool:
    """Whether stdin is a pipe or a file, not a terminal (and not closed)."""
    if sys.stdin is None:
        return False
    try:
        return not sys.stdin.isatty()
    except ValueError:  # a closed stream
        return False


def piped_text(what: str = "stdin") -> str | None:
    """What was piped to stdin, or ``None`` when stdin is a terminal or nothing came.

    ``echo "text" | logbook idea add`` is how people hand text to a command line tool; the
    text must not be dropped for an editor. Whitespace alone counts as nothing, so a command
    run from a script with an empty stdin still falls back to the editor.
    """
    if not stdin_is_piped():
        return None
    text = read_stdin(what)
    return text if text.strip() else None


def read_text(value: str | None, *, initial: str = "", what: str = "idea") -> str:
    """The text of an entry: the argument, stdin for ``-`` or when piped, else the editor."""
    if value == "-":
        return read_stdin()
    if value is not None:
        return value
    piped = piped_text()
    if piped is not None:
        return piped
    return edit_text(initial, what=what)


# The editor's file starts with these; lines beginning with the marker are taken out of what
# was saved. A marker of its own, not git's bare "#": "#kernels" at the start of a line is a
# tag, and "# Heading" is markdown.
HINT_MARKER = "# logbook:"


def hint_lines(what: str) -> str:
    """The commented lines the editor's file starts with."""
    tags = " #tags in the text become tags." if what == "idea" else ""
    return (
        f"{HINT_MARKER} write the {what} below; lines starting with '{HINT_MARKER}' are dropped.\n"
        f"{HINT_MARKER}{tags} Save an empty file to cancel.\n"
    )


def strip_hints(text: str) -> str:
    """``text`` without the editor's hint lines."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(HINT_MARKER)
    )


def _editor_command() -> str | None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        return editor
    # As git does: with no editor set, vi, which every Unix has, when there is a terminal
    # to run it in.
    if stdin_is_piped() or not sys.stdout.isatty():
        return None
    return "vi"


def edit_text(initial: str, *, what: str = "idea") -> str:
    """Open ``$VISUAL``/``$EDITOR`` (``vi`` on a terminal) on ``initial``; what was saved.

    The file starts with hint lines (``HINT_MARKER``), which are taken out again.

    What the user typed must survive a failure after the editor returns (a locked store,
    a full disk, bytes that are not UTF-8): the file is handed to ``state.keep_text``,
    which deletes it when the command succeeds and names it in the error line otherwise.
    """
    from logbook.cli.state import state

    editor = _editor_command()
    if not editor:
        raise UsageError(f"give the {what} text, pipe it to stdin, or set $EDITOR")
    fd, name = tempfile.mkstemp(prefix=f"{what}-", suffix=".md")
    path = Path(name)
    start = hint_lines(what) + initial
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(start)
    try:
        try:
            result = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as error:
            raise LogbookError(f"cannot start the editor {editor!r}: {error.strerror}") from None
        data = path.read_bytes()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if not strip_hints(data.decode("utf-8", "replace")).strip() or data == start.encode("utf-8"):
        # Nothing new was typed: there is nothing to keep.
        path.unlink(missing_ok=True)
    else:
        state.keep_text(path)
    if result.returncode != 0:
        raise LogbookError(f"the editor ({editor}) exited with status {result.returncode}")
    text = strip_hints(decode_text(data, "the text saved in the editor"))
    if not text.strip():
        raise UsageError(f"the {what} is empty; nothing was saved")
    return text


YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def confirm(question: str, *, yes: bool) -> None:
    """Go on only if the user agrees: ``--yes``, or "y" typed at a terminal.

    Without a terminal there is nobody to ask, and a script must say ``--yes`` outright:
    what this guards cannot be undone.
    """
    if yes:
        return
    if not stdin_is_piped() and sys.stdin is not None and sys.stderr.isatty():
        if typer.confirm(question, default=False, err=True):
            return
        raise LogbookError("nothing was changed")
    raise UsageError(f"{question.rstrip('?')}: there is no terminal to ask on; add --yes")


def emit(views: list[Any], show: Callable[[Any], None], as_json: bool) -> None:
    """Print what a command did to one entry or several (a JSON list for several)."""
    if as_json:
        from logbook.cli import output as out

        dicts = [v.to_dict() for v in views]
        out.print_json(dicts[0] if len(dicts) == 1 else dicts)
        return
    for view in views:
        show(view)


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
