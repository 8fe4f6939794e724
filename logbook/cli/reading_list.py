"""``logbook reading-list``: the reading list as markdown, BibTeX or JSON."""

from __future__ import annotations

import contextlib
import sys
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
    from logbook.sync.reading_list import render

    fmt = "json" if as_json else fmt.strip().lower()
    papers = state.reader().papers.reading_list(statuses=status, tags=tag)
    text = render(papers, fmt, tags=tag or [])
    if not text:
        out.info("no papers match")
    if output is None:
        with out.paged() if fmt != "json" else contextlib.nullcontext():
            sys.stdout.write(text)
        return
    from logbook.fileio import write_atomic

    write_atomic(output, text)
    out.info(f"Wrote the reading list to {output}")
