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

from logbook.store import paper_reads
from logbook.store.sql import Sql, in_list

if TYPE_CHECKING:
    from logbook.store.paper_views import Citation, PaperView
    from logbook.store.papers import Papers


def iter_papers(
    papers: Papers, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
) -> Iterator[PaperView]:
    """``Papers.reading_list`` streamed: ``iter_find``'s papers, each with its citation key
    (missing keys are given before this returns, not while the papers are read)."""
    papers.ensure_cite_keys()
    return papers.iter_find(statuses=statuses, tags=tags)


def iter_citations(
    papers: Papers, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
) -> Iterator[Citation]:
    """``iter_papers``' papers as the BibTeX list cites them (``Citation``): only what an
    entry shows is read."""
    papers.ensure_cite_keys()
    where, params = paper_reads.where(statuses=statuses, tags=tags)
    return _citations(papers, where, params)


def _citations(papers: Papers, where: list[str], params: dict[str, Any]) -> Iterator[Citation]:
    with papers.store._read_sql() as sql:
        yield from paper_reads.citations(sql, where, params)


def reading_groups(
    papers: Papers, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
) -> Iterator[tuple[str, Citation]]:
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
) -> Iterator[tuple[str, Citation]]:
    """(group, paper) in the order the markdown reading list shows them.

    The papers are those ``Papers.find(statuses=..., tags=...)`` gives. A group is a user tag
    of the paper (only the ``headings`` ones, when given, compared as written); ``""`` is the
    group of papers with none, and comes last. When no paper has such a tag, every paper
    comes once, in group ``""``.
    """
    where, params = paper_reads.where(statuses=statuses, tags=tags)
    with papers.store._read_sql() as sql:
        names = _group_names(sql, where, params, headings)
        for n, name in enumerate(names):
            params[f"group{n}"] = name
            tagged = f"p.id IN ({_user_tagged(f'= :group{n}')})"
            found = paper_reads.citations(sql, [*where, tagged], params)
            yield from ((name, paper) for paper in found)
        if names:
            # papers without any of the tags that make a group
            wanted = "" if not headings else "IN " + in_list("heading", list(headings), params)
            where = [*where, f"p.id NOT IN ({_user_tagged(wanted)})"]
        yield from (("", paper) for paper in paper_reads.citations(sql, where, params))


def _user_tagged(name_condition: str) -> str:
    """The ids of papers with a user tag (whose name meets ``name_condition``, if any)."""
    named = f" AND t.name {name_condition}" if name_condition else ""
    return (
        "SELECT l.paper_id FROM paper_tag l JOIN tag t ON t.id = l.tag_id "
        f"WHERE t.kind = 'user'{named}"
    )


def _group_names(
    sql: Sql, where: list[str], params: dict[str, object], headings: Sequence[str]
) -> list[str]:
    named = ""
    if headings:
        named = " AND t.name IN " + in_list("heading", list(headings), params)
    found = sql.rows(
        "SELECT DISTINCT t.name FROM tag t JOIN paper_tag l ON l.tag_id = t.id "
        f"JOIN paper p ON p.id = l.paper_id WHERE t.kind = 'user'{named} AND "
        + " AND ".join(where),
        params,
    )
    # sorted here, not in SQL: code-point order whatever the database's collation
    return sorted(str(row[0]) for row in found)
