"""The reading list read as a stream: every paper once, or each paper under each of its tags.

``logbook reading-list`` at 100k papers must not hold 100k views. BibTeX and JSON list the
papers in the order they were added; the markdown list groups them under a heading per user
tag (a paper with two tags is under both), tag names in code-point order, the papers without
one last. Here the groups come from the store one after the other, each in the order papers
were added, all inside one read (one consistent snapshot), a thousand rows at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from logbook.store.models import Paper, PaperTag, Tag
from logbook.store.papers import _filters

if TYPE_CHECKING:
    from logbook.store.paper_views import PaperView
    from logbook.store.papers import Papers

# Rows read at a time: few statements, memory flat in the number of papers.
CHUNK = 1000


def iter_papers(
    papers: Papers, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
) -> Iterator[PaperView]:
    """``Papers.reading_list`` streamed: ``iter_find``'s papers, each with its citation key
    (missing keys are given before this returns, not while the papers are read)."""
    papers.ensure_cite_keys()
    return papers.iter_find(statuses=statuses, tags=tags)


def reading_groups(
    papers: Papers, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
) -> Iterator[tuple[str, PaperView]]:
    """The same papers grouped as the markdown list shows them (``iter_grouped``), each
    group the user tag of that name, only the ``tags`` ones when given."""
    papers.ensure_cite_keys()
    return iter_grouped(papers, statuses=statuses, tags=tags, headings=tags or ())


def iter_grouped(
    papers: Papers,
    *,
    statuses: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    headings: Sequence[str] = (),
) -> Iterator[tuple[str, PaperView]]:
    """(group, paper) in the order the markdown reading list shows them.

    The papers are those ``Papers.find(statuses=..., tags=...)`` gives. A group is a user tag
    of the paper (only the ``headings`` ones, when given, compared as written); ``""`` is the
    group of papers with none, and comes last. When no paper has such a tag, every paper
    comes once, in group ``""``.
    """
    where = _filters(statuses=statuses, tags=tags)
    with papers.store._read() as session:
        names = _group_names(session, where, headings)
        for name in names:
            tagged = col(Paper.id).in_(_user_tagged([name]))
            for view in _stream(papers, session, [*where, tagged]):
                yield name, view
        if names:
            # papers without any of the tags that make a group
            untagged = col(Paper.id).not_in(_user_tagged(headings or None))
            where = [*where, untagged]
        for view in _stream(papers, session, where):
            yield "", view


def _user_tagged(names: Sequence[str] | None) -> Any:
    """The ids of papers with a user tag (one of ``names``, when given)."""
    query = (
        sa_select(col(PaperTag.paper_id))
        .join(Tag, col(Tag.id) == PaperTag.tag_id)
        .where(col(Tag.kind) == "user")
    )
    if names is not None:
        query = query.where(col(Tag.name).in_(list(names)))
    return query


def _group_names(session: Session, where: list[Any], headings: Sequence[str]) -> list[str]:
    query = (
        sa_select(col(Tag.name))
        .distinct()
        .join(PaperTag, col(PaperTag.tag_id) == Tag.id)
        .join(Paper, col(Paper.id) == PaperTag.paper_id)
        .where(col(Tag.kind) == "user", *where)
    )
    if headings:
        query = query.where(col(Tag.name).in_(list(headings)))
    # sorted here, not in SQL: code-point order whatever the database's collation
    return sorted(str(row[0]) for row in session.execute(query))


def _stream(papers: Papers, session: Session, where: list[Any]) -> Iterator[PaperView]:
    query = (
        sa_select(*Paper.__table__.columns)  # type: ignore[attr-defined]
        .where(*where)
        .order_by(col(Paper.created_at), col(Paper.id))
        .execution_options(yield_per=CHUNK)
    )
    for chunk in session.execute(query).partitions():
        yield from papers._views(session, chunk)
