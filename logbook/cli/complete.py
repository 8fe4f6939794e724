"""Shell completion of the values logbook knows: statuses, tag names, idea and paper numbers.

Typer calls these while the shell waits, with the command line parsed as far as it goes
(no command has run, so ``--db`` is read from the parsed line here). A store that cannot be
read completes nothing rather than printing an error into the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import typer

from logbook.store.kinds import IDEA_STATUSES, READING_STATUSES


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    return sorted({v for v in values if v.startswith(incomplete)}, key=_order)


def _order(value: str) -> tuple[int, int, str]:
    # numbers in numeric order (2 before 10), names alphabetically
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def _read(ctx: typer.Context, take: Callable[[Any], Iterable[str]]) -> list[str]:
    from logbook.cli.state import state

    db = ctx.find_root().params.get("db")
    if db is not None:
        state.db_flag = db
        state._location = None
    try:
        return list(take(state.reader()))
    except Exception:
        return []
    finally:
        if state._store is not None:
            state._store.close()
            state._store = None


def _tags_in(store: Any) -> Iterable[str]:
    for idea in store.ideas.find():
        yield from idea.user_tags
    for paper in store.papers.iter_find():
        yield from paper.user_tags


def idea_statuses(incomplete: str) -> list[str]:
    """open, exploring, done, dropped."""
    return _matching(IDEA_STATUSES, incomplete)


def reading_statuses(incomplete: str) -> list[str]:
    """to-read, reading, read."""
    return _matching(READING_STATUSES, incomplete)


def tag_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """The user tags on ideas and papers (``#`` typed or not)."""
    bare = incomplete.lstrip("#")
    return _matching(_read(ctx, _tags_in), bare)


def idea_numbers(ctx: typer.Context, incomplete: str) -> list[str]:
    """The numbers of the ideas in the store (removed ones too: restore takes them)."""

    def numbers(store: Any) -> Iterable[str]:
        for archived in (False, True):
            yield from (str(i.id) for i in store.ideas.find(archived=archived))

    return _matching(_read(ctx, numbers), incomplete)


def paper_numbers(ctx: typer.Context, incomplete: str) -> list[str]:
    """The numbers of the papers in the store (removed ones too)."""

    def numbers(store: Any) -> Iterable[str]:
        for archived in (False, True):
            yield from (str(p.id) for p in store.papers.iter_find(archived=archived))

    return _matching(_read(ctx, numbers), incomplete)


def papers_then_status(ctx: typer.Context, incomplete: str) -> list[str]:
    """``paper status 3 4 read``: paper numbers, and the statuses once a paper is given."""
    return paper_numbers(ctx, incomplete) + reading_statuses(incomplete)


def papers_then_tags(ctx: typer.Context, incomplete: str) -> list[str]:
    """``paper tag 3 transformers``: a paper number first, then tag names (with ``--add``,
    every word is a paper)."""
    if ctx.params.get("add") or not ctx.params.get("papers"):
        return paper_numbers(ctx, incomplete)
    return tag_names(ctx, incomplete)
