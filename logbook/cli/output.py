"""Rendering for people (Rich tables, only on a terminal) and for scripts (JSON, plain text).

Data goes to stdout, messages to stderr. Rich is imported only when something is drawn.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from logbook import json_text

COLOR_MODES = ("auto", "always", "never")
_color = "auto"


def set_color(mode: str) -> None:
    """``--color``: ``auto`` (on a terminal, unless ``$NO_COLOR``), ``always`` or ``never``."""
    global _color
    _color = mode


def set_pager(on: bool) -> None:
    """``--no-pager`` turns paging off for this run."""
    global _pager
    _pager = on


_pager = True


def is_terminal() -> bool:
    """Whether stdout is a terminal a person is looking at."""
    return sys.stdout.isatty()


def use_color() -> bool:
    """Whether output may be coloured: ``--color``, then ``$NO_COLOR``, then a terminal."""
    if _color != "auto":
        return _color == "always"
    return "NO_COLOR" not in os.environ and is_terminal()


class _Screenful(io.StringIO):
    """Holds paged output; it stands for the terminal, so tables are drawn as for one."""

    def isatty(self) -> bool:
        return True


@contextlib.contextmanager
def paged() -> Iterator[None]:
    """Output written inside goes through ``$PAGER`` (default ``less -FRX``) when it is long.

    Only on a terminal and unless ``--no-pager``: a pipe, a file or ``--json`` get the
    output as it is. Output that fits on the screen is written directly (as ``less -F``
    would), so a short answer starts no program.
    """
    if not _pager or not is_terminal():
        yield
        return
    screen, held = sys.stdout, _Screenful()
    sys.stdout = held
    try:
        yield
    finally:
        sys.stdout = screen
        text = held.getvalue()
    rows = shutil.get_terminal_size().lines
    if text.count("\n") < rows or not _run_pager(text):
        screen.write(text)


def _run_pager(text: str) -> bool:
    """Show ``text`` in the pager; False when there is none to run (then print it)."""
    command = os.environ.get("PAGER", "less -FRX")
    try:
        argv = shlex.split(command)
    except ValueError:
        return False
    if not argv or argv == ["cat"]:  # PAGER= or PAGER=cat: no pager, as for git
        return False
    # As git does: a plain `less` still keeps colours and leaves short output on screen.
    env = {"LESS": "FRX", **os.environ}
    sys.stdout.flush()
    # Ctrl-C belongs to the pager (less uses it to stop a search), not to logbook.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        subprocess.run(argv, input=text.encode("utf-8", "replace"), env=env, check=False)
    except OSError:  # no such program
        return False
    finally:
        signal.signal(signal.SIGINT, interrupt)
    return True


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON (UTF-8, not escaped) to stdout."""
    sys.stdout.write(json_text.dumps(data, default=str) + "\n")


def print_json_list(items: Iterable[Any]) -> None:
    """Write ``items`` as one indented JSON list, each item as it comes (a long list is
    never held whole)."""
    sys.stdout.writelines(json_text.list_chunks(items, default=str))


def info(message: str) -> None:
    """A message for the person (stderr), e.g. "Added idea #12"."""
    sys.stderr.write(safe(message) + "\n")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    if _color == "always":
        return Console(stderr=stderr, force_terminal=True, no_color=False, highlight=False)
    off = _color == "never" or "NO_COLOR" in os.environ
    return Console(stderr=stderr, no_color=off or None, highlight=False)


def table(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    """A table: Rich on a terminal, tab-separated lines (with a header) otherwise.

    ``rows`` may be a stream: off a terminal each line is written as its row comes.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        info(empty)
        return
    rows = itertools.chain([first], rows)
    if not is_terminal():
        sys.stdout.write("\t".join(headers) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(_plain(cell) for cell in row) + "\n")
        return
    from rich.table import Table

    cells = [[_plain(cell) for cell in row] for row in rows]
    grid = Table(title=title, show_lines=False, header_style="bold")
    widths = [max(len(header), *(len(row[i]) for row in cells)) for i, header in enumerate(headers)]
    widest = max(range(len(headers)), key=lambda i: widths[i])
    for index, header in enumerate(headers):
        if widths[index] <= SHORT_COLUMN:
            # ids, statuses, years, dates, tag names: never wrapped, never broken
            grid.add_column(header, no_wrap=True)
        else:
            # the widest column (the title) takes what the others leave; the other long
            # ones wrap between words and are never narrower than their longest word (up
            # to a limit), so no word is broken or cut
            word = max((len(w) for row in cells for w in row[index].split()), default=1)
            least = min(word, SHORT_COLUMN)
            if index == widest:
                grid.add_column(header, ratio=1, min_width=least)
            else:
                grid.add_column(header, min_width=least, max_width=least)
    for row in cells:
        grid.add_row(*row)
    console = _console()
    # Rich shares the width by ratio only in an expanded table: expand when the cells do
    # not fit, so the title gets most of what the short columns leave.
    grid.expand = sum(widths) + 3 * len(widths) + 1 > console.width
    console.print(grid)


# Cells up to this long (a date and time is 16) are kept on one line.
SHORT_COLUMN = 20


def fields(pairs: Iterable[tuple[str, Any]], body: str | None = None) -> None:
    """One entry: ``name: value`` lines, then its text."""
    lines = [f"{name}: {_plain(value)}" for name, value in pairs if value not in (None, "", [])]
    sys.stdout.write("\n".join(lines) + "\n")
    if body:
        sys.stdout.write("\n" + safe(body.rstrip("\n")) + "\n")


def highlighted(text: str, start: str, end: str) -> str:
    """Turn match marks into Rich markup on a terminal, brackets elsewhere.

    Without colour a terminal still gets the brackets, escaped: a bare ``[word]`` would be
    read as Rich markup and the matched word would vanish.
    """
    if is_terminal():
        from rich.markup import escape

        opening, closing = ("[bold yellow]", "[/]") if use_color() else ("[bold]\\[", "][/]")
        parts = []
        for piece in text.split(start):
            if end in piece:
                hit, rest = piece.split(end, 1)
                parts.append(f"{opening}{escape(hit)}{closing}{escape(rest)}")
            else:
                parts.append(escape(piece))
        return "".join(parts)
    return text.replace(start, "[").replace(end, "]")


def rich_print(text: str, *, indent: int = 0) -> None:
    """Print Rich markup (already escaped) to stdout; wrapped lines keep ``indent``."""
    if not indent:
        _console().print(text)
        return
    from rich.padding import Padding

    _console().print(Padding(text, (0, 0, 0, indent)))


# Control characters (ESC above all) in stored text must not reach the terminal as
# commands: show them as visible escapes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """``text`` with control characters other than newline and tab made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _plain(value: Any) -> str:
    kind = type(value)
    if kind is str and value.isprintable():
        return value  # no control character, tab or newline (most cells of a long list)
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return safe(str(value)).replace("\t", " ").replace("\n", " ")


def not_in_store_line(count: int, folder: Path) -> str:
    """The one line saying that the export holds entries of another store, and what to do."""
    entries = "1 entry" if count == 1 else f"{count} entries"
    verb = "is" if count == 1 else "are"
    return (
        f"{entries} in the export {verb} not in this store: `logbook import {folder}` merges them"
    )
