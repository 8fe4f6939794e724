"""``logbook reading-list``: the reading list as markdown, BibTeX or JSON."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.papers import StatusOption, TagOption
from logbook.cli.state import state


def reading_list(
    status: StatusOption = None,
    tag: TagOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-F", help="markdown, bibtex or json.")
    ] = "markdown",
    output: Annotated[
        Path | None,
        typer.Option("--out", "--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """The reading list as markdown (grouped by tag), BibTeX or JSON. Example: logbook reading-list --status to-read --format bibtex"""
    from logbook.sync.reading_list import stream

    fmt = "json" if as_json else fmt.strip().lower()
    chunks = stream(state.reader().papers, fmt, statuses=status, tags=tag)
    wrote: list[bool] = []
    if output is None:
        with out.paged() if fmt != "json" else contextlib.nullcontext():
            sys.stdout.writelines(_noted(chunks, wrote))
    else:
        from logbook.fileio import write_atomic

        write_atomic(output, _noted(chunks, wrote))
    if not wrote:
        out.info("no papers match")
    if output is not None:
        out.info(f"Wrote the reading list to {output}")


def _noted(chunks: Iterator[str], wrote: list[bool]) -> Iterator[str]:
    """``chunks`` as they are, noting in ``wrote`` whether any held text."""
    for chunk in chunks:
        if chunk and not wrote:
            wrote.append(True)
        yield chunk
