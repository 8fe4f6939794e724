"""Reading papers: one paper, a filtered list, a count, streamed a thousand rows at a time.

Plain statements (``logbook.store.sql``), not the ORM: ``paper show`` starts without loading
SQLAlchemy, and a 100k-paper ``paper list`` or ``reading-list`` skips the ORM's per-row cost.
The columns read are the fields of ``PaperView``; JSON lists and moments are decoded here
with the rules the ORM's column types use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from logbook.arxiv_ids import parse_arxiv_id
from logbook.errors import NotFoundError, UsageError
from logbook.numbers import is_number, number_in_range
from logbook.store.kinds import READING_STATUSES, one_of, title_of
from logbook.store.paper_views import Citation, PaperLine, PaperView
from logbook.store.sql import Sql, id_lists, in_list, within
from logbook.store.tags import tags_of
from logbook.store.timestamps import parse_utc
from logbook.tags import normalize_tag

# Rows read at a time: few statements, memory flat in the number of papers.
CHUNK = 1000

_ATTACHED = {"tags", "ideas", "revisions"}
COLUMNS = tuple(f.name for f in fields(PaperView) if f.name not in _ATTACHED)
_SELECT = "SELECT " + ", ".join(f"p.{name}" for name in COLUMNS) + " FROM paper p"
_MOMENTS = [n for n, name in enumerate(COLUMNS) if name in {"published", "updated", "read_at", "created_at", "updated_at", "archived_at"}]  # fmt: skip
_LISTS = [n for n, name in enumerate(COLUMNS) if name in {"authors", "categories"}]
_WITHDRAWN = COLUMNS.index("withdrawn")


def check_status(status: str) -> str:
    """``status`` if it is a reading status, else a usage error listing the valid ones."""
    return one_of(status, READING_STATUSES, "a reading status")


def where(
    *,
    statuses: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    authors: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    read_since: datetime | None = None,
    read_until: datetime | None = None,
    archived: bool = False,
) -> tuple[list[str], dict[str, Any]]:
    """The conditions on ``paper p`` of ``Papers.find`` and ``Papers.count``, and their
    parameters."""
    params: dict[str, Any] = {}
    conditions = ["p.archived_at IS NOT NULL" if archived else "p.archived_at IS NULL"]
    if statuses:
        wanted = [check_status(s) for s in statuses]
        conditions.append("p.status IN " + in_list("status", wanted, params))
    if authors is not None:  # who added them ('' for nobody known), not arXiv's authors
        conditions.append("p.author IN " + in_list("author", [a.strip() for a in authors], params))
    conditions += within("p.created_at", since, until, params, "added")
    conditions += within("p.read_at", read_since, read_until, params, "read")
    for n, name in enumerate(tags or []):
        conditions.append(f"p.id IN ({tagged(f'tag{n}')})")
        params[f"tag{n}"] = normalize_tag(name)
    for n, name in enumerate(categories or []):
        conditions.append(f"p.id IN ({tagged(f'category{n}', 'category')})")
        params[f"category{n}"] = normalize_tag(name)
    return conditions, params


def tagged(param: str, kind: str | None = None) -> str:
    """The ids of papers with the tag named by parameter ``param`` (of ``kind``, if given)."""
    of_kind = f" AND t.kind = '{kind}'" if kind else ""
    return (
        "SELECT l.paper_id FROM paper_tag l JOIN tag t ON t.id = l.tag_id "
        f"WHERE t.name = :{param}{of_kind}"
    )


def rows(sql: Sql, conditions: Sequence[str], params: dict[str, Any], tail: str = "") -> Any:
    """The papers meeting every condition, as views without tags, in lists of ``CHUNK``."""
    statement = f"{_SELECT} WHERE {' AND '.join(conditions)} {tail}"
    for chunk in sql.stream(statement, params, CHUNK):
        yield [_decoded(row) for row in chunk]


def stream(sql: Sql, conditions: Sequence[str], params: dict[str, Any]) -> Iterator[PaperView]:
    """The papers meeting every condition in the order they were added, tags attached."""
    for chunk in rows(sql, conditions, params, "ORDER BY p.created_at, p.id"):
        yield from attach(sql, chunk)


def newest(
    sql: Sql, conditions: Sequence[str], params: dict[str, Any], limit: int
) -> list[PaperView]:
    """The newest ``limit`` papers meeting every condition, oldest of them first."""
    tail = "ORDER BY p.created_at DESC, p.id DESC LIMIT :limit"
    found = [view for chunk in rows(sql, conditions, {**params, "limit": limit}, tail) for view in chunk]  # fmt: skip
    found.reverse()
    return attach(sql, found)


_LINE = "SELECT p.id, p.arxiv_id, p.status, p.withdrawn, p.published, p.title FROM paper p"


def lines(
    sql: Sql, conditions: Sequence[str], params: dict[str, Any], limit: int | None = None
) -> Iterator[PaperLine]:
    """The papers meeting every condition as rows of a list, in the order they were added
    (the newest ``limit`` of them, when given)."""
    where = " AND ".join(conditions)
    if limit is None:
        chunks: Any = sql.stream(f"{_LINE} WHERE {where} ORDER BY p.created_at, p.id", params, CHUNK)  # fmt: skip
    else:
        tail = "ORDER BY p.created_at DESC, p.id DESC LIMIT :limit"
        chunks = [sql.rows(f"{_LINE} WHERE {where} {tail}", {**params, "limit": limit})[::-1]]
    for chunk in chunks:
        tags = tags_of(sql, "paper", [row[0] for row in chunk], kind="user")
        for number, arxiv_id, status, withdrawn, published, title in chunk:
            year = None if published is None else parse_utc(published).year
            names = [t.name for t in tags[number]]
            yield PaperLine(number, arxiv_id, status, bool(withdrawn), year, title, names)


_CITATION = "SELECT p.id, p.arxiv_id, p.cite_key, p.title, p.authors, p.abstract, p.published, p.primary_category, p.doi, p.journal_ref, p.withdrawn FROM paper p"  # fmt: skip


def citations(sql: Sql, conditions: Sequence[str], params: dict[str, Any]) -> Iterator[Citation]:
    """The papers meeting every condition as the reading list cites them, in the order they
    were added."""
    statement = f"{_CITATION} WHERE {' AND '.join(conditions)} ORDER BY p.created_at, p.id"
    for chunk in sql.stream(statement, params, CHUNK):
        tags = tags_of(sql, "paper", [row[0] for row in chunk], kind="user")
        for row in chunk:
            number, arxiv_id, key, title, authors, abstract, published, *more, withdrawn = row
            category, doi, journal = more
            yield Citation(
                number,
                arxiv_id,
                key,
                title,
                _listed(authors),
                abstract,
                None if published is None else parse_utc(published),
                category,
                doi,
                journal,
                bool(withdrawn),
                [t.name for t in tags[number]],
            )


def count(sql: Sql, conditions: Sequence[str], params: dict[str, Any]) -> int:
    """How many papers meet every condition."""
    found = sql.rows(f"SELECT COUNT(*) FROM paper p WHERE {' AND '.join(conditions)}", params)
    return int(found[0][0])


def find_one(sql: Sql, ref: str | int, *, archived: bool = True) -> PaperView:
    """A paper by number or arXiv id (any form), tags attached; ``NotFoundError`` if none.

    ``archived=False`` treats a removed paper as missing.
    """
    return attach(sql, [lookup(sql, ref, archived=archived)])[0]


def lookup(sql: Sql, ref: str | int, *, archived: bool = True) -> PaperView:
    """``find_one`` without the tags and ideas (what a change needs to find its paper)."""
    text_ref = str(ref).strip().lstrip("#")
    if is_number(text_ref):
        number = number_in_range(text_ref)
        found = [] if number is None else _one(sql, "p.id = :id", {"id": number})
        if not found or (not archived and found[0].archived_at is not None):
            raise NotFoundError(f"no paper #{text_ref}")
        return found[0]
    parsed = parse_arxiv_id(text_ref)
    if parsed is None:
        raise UsageError(
            f"{ref!r} is not a paper number or an arXiv id (e.g. 12, 1706.03762, hep-th/9901001)"
        )
    found = _one(sql, "p.arxiv_id = :arxiv_id", {"arxiv_id": parsed.id})
    if not found or (not archived and found[0].archived_at is not None):
        raise NotFoundError(
            f"no paper {parsed.id} in the store (import it: logbook paper import {parsed.id})"
        )
    return found[0]


def _one(sql: Sql, condition: str, params: dict[str, Any]) -> list[PaperView]:
    return [_decoded(row) for row in sql.rows(f"{_SELECT} WHERE {condition}", params)]


def attach(sql: Sql, views: Sequence[PaperView]) -> list[PaperView]:
    """``views`` with their tags and the (not removed) ideas linked to them."""
    ids = [v.id for v in views]
    tags = tags_of(sql, "paper", ids)
    ideas: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for marks in id_lists(ids):
        linked = sql.rows(
            "SELECT l.paper_id, i.id, i.text, i.status FROM idea_paper l "
            f"JOIN idea i ON i.id = l.idea_id WHERE l.paper_id IN ({marks}) "
            "AND i.archived_at IS NULL ORDER BY i.id"
        )
        for paper_id, idea_id, body, status in linked:
            ideas[paper_id].append({"id": idea_id, "title": title_of(body), "status": status})
    for view in views:
        view.tags = tags.get(view.id, [])
        view.ideas = ideas.get(view.id, [])
    return list(views)


def _decoded(row: Sequence[Any]) -> PaperView:
    values = list(row)
    for n in _MOMENTS:
        moment = values[n]
        if moment is not None:
            # the stored form (parse_utc's first case) read here without a call per value:
            # six moments a paper, 100k papers in a long list
            if len(moment) == 32 and moment.endswith("+00:00") and moment[4] == "-":
                try:
                    values[n] = _from_iso(moment)
                    continue
                except ValueError:
                    pass
            values[n] = parse_utc(moment)
    for n in _LISTS:
        values[n] = _listed(values[n])
    values[_WITHDRAWN] = bool(values[_WITHDRAWN])
    return PaperView(*values)


_DECODER = json.JSONDecoder()
_from_iso = datetime.fromisoformat


def _listed(text: str | None) -> Any:
    """A stored JSON list (authors, categories) as ``json.loads`` reads it; [] for none."""
    if text is None or text == "[]":
        return []
    # ``raw_decode`` goes straight to the C scanner, without ``loads``' checks and its two
    # searches for white space, which the stored form (compact JSON) has none of
    try:
        found, end = _DECODER.raw_decode(text)
    except ValueError:
        end = -1
    if end == len(text):
        return found
    return json.loads(text)  # anything else: json.loads reads it, or says what is wrong
