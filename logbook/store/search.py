"""Full-text search (SQLite FTS5 or PostgreSQL tsvector, both stemmed): ranking and snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from logbook.errors import UsageError
from logbook.query import asks_for_kind, parse_query, wanted_texts
from logbook.store.kinds import ENTRY_KINDS, GENERATED_POST_KINDS, one_of
from logbook.store.search_query import BM25_WEIGHTS, Conditions, fts, split
from logbook.store.snippets import MARK_END, MARK_START, make_snippet, words_of
from logbook.store.timestamps import format_utc, iso, parse_utc
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from logbook.store import Store

_KIND_CODE = {"idea": 1, "paper": 2, "post": 3}


@dataclass
class Hit:
    """One search result."""

    kind: str
    id: int
    title: str
    snippet: str  # matched words between MARK_START and MARK_END
    score: float  # bm25: lower is better
    created_at: datetime | None = None
    ref: str = ""  # what to type to show it: 12, 1706.03762
    author: str = ""  # who wrote or added it ('' when nobody is known)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "ref": self.ref,
            "author": self.author,
            "title": self.title,
            "snippet": self.snippet.replace(MARK_START, "[").replace(MARK_END, "]"),
            "score": round(self.score, 4),
            "created_at": iso(self.created_at),
        }


def search(
    store: Store,
    query: str,
    *,
    kinds: list[str] | None = None,
    tags: list[str] | None = None,
    since: datetime | None = None,
    authors: list[str] | None = None,
    limit: int | None = 20,
) -> list[Hit]:
    """Entries matching ``query`` (logbook's query language, see logbook.query), best first.

    Archived entries are left out, and so are the posts logbook generated (from the ideas
    and papers that are found already) unless ``kinds`` or a ``kind:post`` in the query asks
    for them; imported posts (the researcher's own) are always searched. Titles weigh more than bodies. A query of only negations (``-draft``) finds
    every entry without those words, newest first. ``since`` keeps entries created at or
    after it; ``authors`` keeps entries whose ``author`` (who wrote or added it: not the
    ``author:`` field, which searches a paper's arXiv authors) is one of them;
    ``limit=None`` gives every match.
    """
    if not query.strip():
        raise UsageError("search needs a query")
    if limit is not None and limit < 1:
        raise UsageError("a search limit is a positive number (or None for every match)")
    tree = parse_query(query)
    selected = list(dict.fromkeys(one_of(k, ENTRY_KINDS, "a kind") for k in kinds or []))
    # Posts logbook generated repeat the ideas and papers they were made from: they count
    # only when asked for. Imported posts are the researcher's own writing and always count.
    generated_too = bool(selected) or asks_for_kind(tree, "post")
    selected = selected or list(ENTRY_KINDS)
    if tree is None:
        return []  # nothing searchable in it (only punctuation): nothing matches
    ranked_node, rest = split(tree)
    postgres = store.backend == "postgresql"
    match = None if ranked_node is None else fts(ranked_node)
    # LIMIT -1 is SQLite's "no limit", LIMIT NULL PostgreSQL's.
    no_limit = None if postgres else -1
    params: dict[str, Any] = {"query": match, "limit": no_limit if limit is None else limit}
    if since is not None:
        params["since"] = format_utc(since)
    for n, name in enumerate(tags or []):
        params[f"tag{n}"] = normalize_tag(name)
    for n, name in enumerate(authors or []):
        params[f"author{n}"] = name.strip()
    branches = []
    for kind in selected:
        code = _KIND_CODE[kind]
        rid = "m.rid" if match is not None else f"(e.id * 4 + {code})"
        render = Conditions(kind, rid, params, store.backend)
        conditions = ["e.archived_at IS NULL"] + [render.sql(node) for node in rest]
        if kind == "post" and not generated_too:
            generated = ", ".join(f"'{k}'" for k in GENERATED_POST_KINDS)
            conditions.append(f"e.kind NOT IN ({generated})")
        if since is not None:
            conditions.append("e.created_at >= :since")
        if authors is not None:
            wanted = ", ".join(f":author{n}" for n in range(len(authors))) or "NULL"
            conditions.append(f"e.author IN ({wanted})")
        for n in range(len(tags or [])):
            conditions.append(
                f"e.id IN (SELECT {kind}_id FROM {kind}_tag JOIN tag ON tag.id = tag_id "
                f"WHERE tag.name = :tag{n})"
            )
        ref = "e.arxiv_id" if kind == "paper" else "CAST(e.id AS TEXT)"
        source = (
            f"FROM matches m JOIN {kind} e ON e.id = (m.rid - {code}) / 4 "
            f"WHERE m.kind = '{kind}' AND "
            if match is not None
            else f"FROM {kind} e WHERE "
        )
        score = "m.score" if match is not None else "0.0"
        branches.append(
            f"SELECT {rid} AS rid, '{kind}' AS kind, e.id AS id, {score} AS score, "
            f"e.created_at AS created_at, {ref} AS ref, e.author AS author {source}{' AND '.join(conditions)}"
        )
    # The full-text match runs once; only the best `limit` rows get a snippet, which costs
    # far more than ranking when a common word matches tens of thousands of entries.
    if match is None:
        matches = ""
    elif postgres:
        from logbook.store.search_pg import matches as pg_matches

        assert ranked_node is not None
        bind = Conditions("index", "", params)._param
        matches = f"WITH {pg_matches(ranked_node, bind)} "
    else:
        matches = (
            "WITH matches AS MATERIALIZED (SELECT rowid AS rid, kind, "
            f"bm25(search_index, {BM25_WEIGHTS}) AS score FROM search_index "
            "WHERE search_index MATCH :query) "
        )
    order = " ORDER BY score, created_at DESC, rid"
    if postgres and len(branches) > 1:  # one kind is ordered and limited as it stands
        from logbook.store.search_pg import limited

        branches = [limited(branch, order) for branch in branches]
    ranked_sql = matches + " UNION ALL ".join(branches) + order + " LIMIT :limit"
    # Snippets are made in Python from a bounded window (see logbook.store.snippets):
    # FTS5's snippet() costs the square of the matches in one entry.
    snippet_sql = "SELECT rowid, title, body FROM search_index WHERE rowid IN ({rowids})"
    with store._read_sql() as sql:
        if postgres and match is not None:
            from logbook.store.search_pg import PARALLEL_RANKING

            sql.rows(PARALLEL_RANKING)
        ranked = sql.rows(ranked_sql, params)
        rowids = ",".join(str(int(row[0])) for row in ranked)
        texts = (
            {row[0]: (row[1], row[2]) for row in sql.rows(snippet_sql.format(rowids=rowids))}
            if ranked
            else {}
        )
    terms = words_of(wanted_texts(tree))
    return [
        Hit(
            kind=kind,
            id=entry_id,
            title=_shown(texts[rid][0] or ""),
            snippet=_shown(make_snippet(_LIQUID_RAW.sub("", texts[rid][1] or ""), terms)),
            score=float(score),
            created_at=parse_utc(created) if created else None,
            ref=ref,
            author=author or "",
        )
        for rid, kind, entry_id, score, created, ref, author in ranked
    ]


# Posts wrap text in {% raw %} … {% endraw %} so Jekyll leaves it alone; a reader of a
# snippet must not see that.
_LIQUID_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


def _shown(text: str) -> str:
    # One line: a snippet or title is shown in a table row or after a label.
    return " ".join(_LIQUID_RAW.sub("", text).split())
