"""``logbook related REF``: the ideas, papers and posts nearest to one entry."""

from __future__ import annotations

from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption, LimitOption
from logbook.cli.state import state

DEFAULT_LIMIT = 10


def related(
    ref: Annotated[
        str,
        typer.Argument(
            help="The entry: an idea number (12, idea:12), paper:12, an arXiv id, post:3."
        ),
    ],
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="Only idea, paper or post.")
    ] = None,
    limit: LimitOption = DEFAULT_LIMIT,
    as_json: JsonOption = False,
) -> None:
    """Entries nearest to one, 10 unless --limit (tf-idf over the themes' phrases, local). Example: logbook related 12 --kind paper"""
    from logbook.themes.related import find_related

    found = find_related(state.store(), ref, kinds=kind, limit=limit or 0)
    if as_json:
        out.print_json(found.to_dict())
        return
    out.table(
        [[m.kind, m.id, f"{m.score:.2f}", m.title, ", ".join(m.shared)] for m in found.matches],
        ["kind", "#", "score", "title", "shared terms"],
        title=f"Related to {found.kind} #{found.id}: {found.title}",
        empty=f"nothing shares phrases with {found.kind} #{found.id}",
    )


def show_after_add(idea_id: int) -> None:
    """The 3 nearest entries after ``idea add`` (config ``related.after_add``), on stderr.

    The idea is saved already, so a failure here is one warning line, never an error.
    """
    from logbook.errors import LogbookError
    from logbook.themes.related import find_related

    try:
        found = find_related(state.store(), f"idea:{idea_id}", limit=3)
    except LogbookError as error:
        out.info(f"Warning: related entries not shown: {error}")
        return
    for m in found.matches:
        shared = f" ({', '.join(m.shared[:3])})" if m.shared else ""
        out.info(f"  related: {m.kind} #{m.id} {m.title} [{m.score:.2f}]{shared}")
