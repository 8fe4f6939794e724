"""``logbook idea …``: the running log of ideas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from logbook.cli import complete
from logbook.cli import output as out
from logbook.cli.common import (
    AuthorOption,
    JsonOption,
    ListLimitOption,
    YesOption,
    confirm,
    edit_text,
    emit,
    list_limit,
    local,
    number_parser,
    piped_text,
    read_text,
    when,
)
from logbook.cli.state import state
from logbook.errors import UsageError

app = typer.Typer(help="Log ideas and follow them over time.", no_args_is_help=True)

NumberArg = Annotated[
    int,
    typer.Argument(
        parser=number_parser("the idea number"),
        help="The idea's number (see 'idea list').",
        autocompletion=complete.idea_numbers,
    ),
]


NumbersArg = Annotated[
    list[int],
    typer.Argument(
        parser=number_parser("the idea number"),
        help="The ideas' numbers (see 'idea list').",
        autocompletion=complete.idea_numbers,
    ),
]


def _created(idea: object, verb: str, as_json: bool) -> None:
    from logbook.store.ideas import IdeaView

    assert isinstance(idea, IdeaView)
    if as_json:
        out.print_json(idea.to_dict())
    else:
        out.info(f"{verb} idea #{idea.id}: {idea.title}")


@app.command("add")
def add(
    text: Annotated[
        str | None,
        typer.Argument(
            help="The idea; #tags in it become tags. None: what is piped, else $EDITOR."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Add a tag.", autocompletion=complete.tag_names),
    ] = None,
    paper: Annotated[
        list[str] | None, typer.Option("--paper", "-p", help="Link a paper (number or arXiv id).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="When: 2026-11-20, yesterday, last monday.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add an idea. Example: logbook idea add "Try NTK on CIFAR #kernels" """
    # Read the config before writing: a broken config must stop the command, not fail it
    # after the idea is saved.
    auto_apply = state.config().get("themes.auto_apply")
    show_related = state.config().get("related.after_add")
    created_at = when(date, stored=True)
    body = read_text(text)
    idea = state.store().ideas.add(body, tags=tag or [], papers=paper or [], created_at=created_at)
    _created(idea, "Added", as_json)
    if auto_apply:
        from logbook.cli.themes import apply_quietly

        apply_quietly()
    if show_related and not as_json:
        from logbook.cli.related import show_after_add

        show_after_add(idea.id)


@app.command("list")
def list_(
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only with this tag.", autocompletion=complete.tag_names),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="open, exploring, done, dropped.",
            autocompletion=complete.idea_statuses,
        ),
    ] = None,
    since: Annotated[str | None, typer.Option(help="Created on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Created before this date.")] = None,
    week: Annotated[
        str | None, typer.Option(help="Created in this week: this, last, 2020-W43, a date.")
    ] = None,
    author: AuthorOption = None,
    limit: ListLimitOption = None,
    archived: Annotated[bool, typer.Option(help="List removed ideas instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List ideas, oldest first. Example: logbook idea list --week last --tag kernels"""
    limit, capped = list_limit(limit, as_json=as_json)
    start, end = when(since), when(until)
    if week is not None and (since or until):
        raise UsageError("give --week or --since/--until, not both")
    if week is not None:
        from logbook.dates import parse_week

        config = state.config()
        span = parse_week(week, config.tz, config.get("week_start"))
        start, end = span.start, span.end
    ideas = state.reader().ideas.find(
        tags=tag,
        statuses=status,
        authors=author,
        since=start,
        until=end,
        archived=archived,
        # one more than shown tells whether the terminal's default left some out
        limit=limit + 1 if capped and limit is not None else limit,
    )
    more = capped and limit is not None and len(ideas) > limit
    if more:
        ideas = ideas[1:]  # the oldest of them: the list keeps the newest, oldest first
    if as_json:
        out.print_json([i.to_dict() for i in ideas])
        return
    # an author column only when someone is credited: a personal logbook has no use for it
    by = [[i.author] for i in ideas] if any(i.author for i in ideas) else [[] for _ in ideas]
    with out.paged():
        out.table(
            [
                [
                    i.id,
                    local(i.created_at),
                    i.status,
                    i.title,
                    " ".join(f"#{t.name}" for t in i.tags if t.kind != "category"),
                    *who,
                ]
                for i, who in zip(ideas, by, strict=True)
            ],
            ["#", "created", "status", "title", "tags", *(["author"] if any(by) else [])],
            empty="no ideas match",
        )
    if more:
        out.info(f"the newest {len(ideas)} ideas (there are more); --limit 0 lists them all")


@app.command("show")
def show(number: NumberArg, as_json: JsonOption = False) -> None:
    """Show one idea with its tags, papers and earlier versions. Example: logbook idea show 12"""
    idea = state.reader().ideas.get(number)
    if as_json:
        out.print_json(idea.to_dict())
        return
    with out.paged():
        out.fields(
            [
                ("idea", f"#{idea.id}" + (" (removed)" if idea.archived_at else "")),
                ("author", idea.author),
                ("status", idea.status),
                ("created", local(idea.created_at)),
                ("updated", local(idea.updated_at)),
                ("tags", [f"#{t.name}" for t in idea.tags if t.kind == "user"]),
                ("themes", [t.name for t in idea.tags if t.kind == "auto"]),
                ("papers", [f"{p['arxiv_id']} {p['title']}" for p in idea.papers]),
            ],
            idea.text,
        )
        for index, revision in reversed(list(enumerate(idea.revisions, 1))):
            out.fields(
                [(f"earlier text {index}", f"written {local(_moment(revision['written_at']))}")],
                revision["text"],
            )


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@app.command("edit")
def edit(
    number: NumberArg,
    text: Annotated[
        str | None, typer.Option("--text", help="The new text ('-' reads stdin); else $EDITOR.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change an idea's text; the old text is kept. Example: logbook idea edit 12 --text "…" """
    ideas = state.store().ideas
    base = None  # a one-shot text replaces whatever is there (the old text is kept)
    if text is not None:
        body = read_text(text)
    elif (piped := piped_text()) is not None:
        body = piped
    else:
        # In $EDITOR the user works from the text as it is now: saving checks that nobody
        # saved meanwhile (the idea's row_version), else their text is kept as a revision.
        before = ideas.get(number)
        base, body = before.row_version, edit_text(before.text)
        if body.strip("\n") == before.text:  # nothing changed: nothing to save over anyone's
            _created(ideas.get(number), "Unchanged:", as_json)
            return
    _created(ideas.edit(number, body, base_version=base), "Edited", as_json)


@app.command("revert")
def revert(
    number: NumberArg,
    revision: Annotated[
        int | None,
        typer.Argument(
            parser=number_parser("the revision"),
            help="Which earlier text ('idea show' numbers them); default the latest.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Bring back an earlier text; the current one is kept. Example: logbook idea revert 12 1"""
    _created(state.store().ideas.revert(number, revision), "Reverted", as_json)


@app.command("status")
def status(
    number: NumberArg,
    value: Annotated[
        str,
        typer.Argument(
            help="open, exploring, done or dropped.", autocompletion=complete.idea_statuses
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Set an idea's status. Example: logbook idea status 12 exploring"""
    idea = state.store().ideas.set_status(number, value)
    _created(idea, f"Marked {idea.status}:", as_json)


@app.command("tag")
def tag(
    number: NumberArg,
    tags: Annotated[
        list[str],
        typer.Argument(help="Tags to add (or remove).", autocompletion=complete.tag_names),
    ],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove these tags.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add or remove tags. Example: logbook idea tag 12 kernels ntk"""
    idea = state.store().ideas.tag(number, tags, remove=remove)
    _created(idea, "Retagged", as_json)


@app.command("link")
def link(
    number: NumberArg,
    papers: Annotated[
        list[str],
        typer.Argument(help="Papers: numbers or arXiv ids.", autocompletion=complete.paper_numbers),
    ],
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Unlink these papers.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Link an idea to papers in the store. Example: logbook idea link 12 1706.03762"""
    idea = state.store().ideas.link_papers(number, papers, remove=remove)
    _created(idea, "Linked", as_json)


@app.command("rm")
def rm(
    numbers: NumbersArg,
    purge: Annotated[
        bool, typer.Option("--purge", help="Delete for good, with revisions.")
    ] = False,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Remove ideas (restorable unless --purge). Example: logbook idea rm 12 13"""
    store = state.store()
    numbers = list(dict.fromkeys(numbers))
    if purge:
        listed = " ".join(f"#{n}" for n in numbers)
        confirm(f"Delete idea {listed} for good, with its earlier texts?", yes=yes)
    with store.batch():
        ideas = [store.ideas.remove(n, purge=purge) for n in numbers]
    emit(ideas, lambda i: _created(i, "Purged" if purge else "Removed", False), as_json)
    if not purge and not as_json:
        out.info(f"(undo with: logbook idea restore {' '.join(str(i.id) for i in ideas)})")


@app.command("restore")
def restore(numbers: NumbersArg, as_json: JsonOption = False) -> None:
    """Bring back removed ideas. Example: logbook idea restore 12"""
    store = state.store()
    with store.batch():
        ideas = [store.ideas.restore(n) for n in dict.fromkeys(numbers)]
    emit(ideas, lambda i: _created(i, "Restored", False), as_json)
