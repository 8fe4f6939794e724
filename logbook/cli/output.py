"""Rendering for people (Rich tables, only on a terminal) and for scripts (JSON, plain text).

Data goes to stdout, messages to stderr. Rich is imported only when something is drawn.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def is_terminal() -> bool:
    """Whether stdout is a terminal a person is looking at."""
    return sys.stdout.isatty()


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON (UTF-8, not escaped) to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def info(message: str) -> None:
    """A message for the person (stderr), e.g. "Added idea #12"."""
    sys.stderr.write(safe(message) + "\n")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, no_color="NO_COLOR" in os.environ or None, highlight=False)


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

    grid = Table(title=title, show_lines=False, header_style="bold")
    for header in headers:
        grid.add_column(header, overflow="fold")
    for row in rows:
        grid.add_row(*(_plain(cell) for cell in row))
    _console().print(grid)


def fields(pairs: Iterable[tuple[str, Any]], body: str | None = None) -> None:
    """One entry: ``name: value`` lines, then its text."""
    lines = [f"{name}: {_plain(value)}" for name, value in pairs if value not in (None, "", [])]
    sys.stdout.write("\n".join(lines) + "\n")
    if body:
        sys.stdout.write("\n" + safe(body.rstrip("\n")) + "\n")


def highlighted(text: str, start: str, end: str) -> str:
    """Match marks as Rich markup on a terminal, ``[brackets]`` in plain text.

    Without colour (``NO_COLOR``) a terminal gets bold ``[brackets]``: bold alone may not
    show, and bare brackets would be read as Rich markup and vanish.
    """
    if not is_terminal():
        return text.replace(start, "[").replace(end, "]")
    from rich.markup import escape

    coloured = "NO_COLOR" not in os.environ
    parts = []
    for piece in text.split(start):
        if end in piece:
            hit, rest = piece.split(end, 1)
            shown = escape(hit) if coloured else escape(f"[{hit}]")
            parts.append(f"[bold yellow]{shown}[/]{escape(rest)}")
        else:
            parts.append(escape(piece))
    return "".join(parts)


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
