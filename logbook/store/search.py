"""Full-text search with SQLite FTS5: bm25 ranking and highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from logbook.errors import UsageError
from logbook.store.kinds import ENTRY_KINDS, one_of
from logbook.store.snippets import MARK_END, MARK_START, make_snippet, query_terms
from logbook.store.types import format_utc, iso
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from logbook.store import Store

_KIND_CODE = {"idea": 1, "paper": 2, "post": 3}
_TABLE = {"idea": "idea", "paper": "paper", "post": "post"}


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

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "ref": self.ref,
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
    limit: int | None = 20,
) -> list[Hit]:
    """Entries matching the FTS5 ``query``, best first; archived entries are left out.

    Titles weigh more than bodies. ``since`` keeps entries created at or after it;
    ``limit=None`` gives every match.
    """
    if not query.strip():
        raise UsageError("search needs a query")
    selected = list(dict.fromkeys(one_of(k, ENTRY_KINDS, "a kind") for k in kinds or []))
    selected = selected or list(ENTRY_KINDS)
    if limit is not None and limit < 1:
        raise UsageError("a search limit is a positive number (or None for every match)")
    # LIMIT -1 is SQLite's "no limit".
    params: dict[str, Any] = {"query": query, "limit": -1 if limit is None else limit}
    if since is not None:
        params["since"] = format_utc(since)
    for n, name in enumerate(tags or []):
        params[f"tag{n}"] = normalize_tag(name)
    branches = []
    for kind in selected:
        conditions = ["e.archived_at IS NULL", f"m.kind = '{kind}'"]
        if since is not None:
            conditions.append("e.created_at >= :since")
        for n in range(len(tags or [])):
            conditions.append(
                f"e.id IN (SELECT {kind}_id FROM {kind}_tag JOIN tag ON tag.id = tag_id "
                f"WHERE tag.name = :tag{n})"
            )
        ref = "e.arxiv_id" if kind == "paper" else "CAST(e.id AS TEXT)"
        branches.append(
            f"SELECT m.rid, m.kind, e.id, m.score, e.created_at, {ref} AS ref "
            f"FROM matches m JOIN {_TABLE[kind]} e ON e.id = (m.rid - {_KIND_CODE[kind]}) / 4 "
            f"WHERE {' AND '.join(conditions)}"
        )
    # The full-text match runs once; only the best `limit` rows get a snippet, which costs
    # far more than ranking when a common word matches tens of thousands of entries.
    ranked_sql = (
        "WITH matches AS MATERIALIZED (SELECT rowid AS rid, kind, "
        "bm25(search_index, 0.0, 5.0, 1.0) AS score FROM search_index "
        "WHERE search_index MATCH :query) "
        + " UNION ALL ".join(branches)
        + " ORDER BY score LIMIT :limit"
    )
    # Snippets are made in Python from a bounded window (see logbook.store.snippets):
    # FTS5's snippet() costs the square of the matches in one entry.
    snippet_sql = "SELECT rowid, title, body FROM search_index WHERE rowid IN ({rowids})"
    with store._read() as session:
        try:
            ranked = session.execute(text(ranked_sql), params).all()
            rowids = ",".join(str(int(row[0])) for row in ranked)
            texts = (
                {
                    row[0]: (row[1], row[2])
                    for row in session.execute(text(snippet_sql.format(rowids=rowids)))
                }
                if ranked
                else {}
            )
        except sa_exc.OperationalError as error:
            message = str(error.orig)
            if "locked" in message or "busy" in message:
                raise
            # The store opened and the query ran: what failed is the query text.
            raise UsageError(
                f"cannot read the search {query!r} ({message}); quote words with special "
                'characters, e.g. "C++" or "self-attention"'
            ) from None
    from logbook.store.types import parse_utc

    terms = query_terms(query)
    return [
        Hit(
            kind=kind,
            id=entry_id,
            title=texts[rid][0] or "",
            snippet=make_snippet(texts[rid][1] or "", terms),
            score=float(score),
            created_at=parse_utc(created) if created else None,
            ref=ref,
        )
        for rid, kind, entry_id, score, created, ref in ranked
    ]
