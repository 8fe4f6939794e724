"""``logbook search``: full-text search over ideas, papers and posts."""

from __future__ import annotations

from typing import Annotated

import typer

from logbook.cli import complete
from logbook.cli import output as out
from logbook.cli.common import AuthorOption, JsonOption, LimitOption, local, when
from logbook.cli.state import state


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY",
            help='Words (all must match), "a phrase", -word, a OR b, attn*, tag:x, kind:paper, '
            "author:name (a paper's arXiv authors), an arXiv id.",
        ),
    ],
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="idea, paper or post (posts only when asked)."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only with this tag.", autocompletion=complete.tag_names),
    ] = None,
    since: Annotated[str | None, typer.Option(help="Created on or after this date.")] = None,
    author: AuthorOption = None,
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """Search everything, best match first. Example: logbook search "scaling law*" --kind paper"""
    from logbook.store.search import MARK_END, MARK_START

    hits = state.reader().search(
        " ".join(query), kinds=kind, tags=tag, since=when(since), authors=author, limit=limit
    )
    if as_json:
        out.print_json([h.to_dict() for h in hits])
        return
    if not hits:
        out.info("no matches")
        return
    if not out.is_terminal():
        out.table(
            [
                [
                    h.kind,
                    h.ref,
                    local(h.created_at),
                    h.title,
                    out.highlighted(h.snippet, MARK_START, MARK_END),
                ]
                for h in hits
            ],
            ["kind", "ref", "created", "title", "snippet"],
        )
        return
    from rich.markup import escape

    with out.paged():
        for h in hits:
            out.rich_print(
                f"[bold]{h.kind} {escape(h.ref)}[/] [dim]{local(h.created_at)}[/]  "
                f"{escape(h.title)}"
            )
            out.rich_print(out.highlighted(h.snippet, MARK_START, MARK_END), indent=4)
