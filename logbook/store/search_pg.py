"""logbook's query tree (logbook.query) rendered for PostgreSQL: ``tsquery`` conditions.

The same tree the FTS5 renderer takes, rendered to boolean SQL over a ``search_index`` row
``s``: every text node is an ``@@`` test of a ``tsvector`` column against a query made by
PostgreSQL from the user's text (``phraseto_tsquery`` with the store's configuration:
English stems, accents folded, no stop words, as on SQLite), so a
word the user typed is bound as a parameter and never read as ``tsquery`` syntax. Ranking is
``ts_rank`` over the positive text nodes with the weights of SQLite's bm25.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from logbook.query import And, Field, Node, Not, Or, Phrase, Prefix, Term

# ts_rank's weights for {D, C, B, A}: body, authors, title, arXiv id (bm25's 1, 2, 5, 10).
RANK_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"
# No length normalization: on short notes it reorders near ties that bm25 keeps (checked on
# the corpus of tests/test_search_parity.py, where 0 agrees with bm25 on every query).
RANK_NORMALIZATION = 0

Bind = Callable[[object], str]

# Two common words make the ranking read ~85k rows (the 100k bench store), which two
# parallel workers do in half the time (230 → 120 ms); PostgreSQL's default costs (1000 to
# start workers, 0.1 per row they pass back) price the narrow rows it passes back too high
# to plan that. Set for the search's own transaction only; a small match stays serial.
PARALLEL_RANKING = (
    "SELECT set_config('parallel_setup_cost', '100', true), "
    "set_config('parallel_tuple_cost', '0.01', true)"
)


def _words(text: str) -> list[str]:
    # What a prefix may hold: word characters only, so that the text given to to_tsquery
    # is always a list of quoted lexemes and never an operator.
    return re.findall(r"\w+", text.replace("\x00", " "))


def _prefix_query(text: str, config: str, bind: Bind) -> str | None:
    words = _words(text)
    if not words:
        return None
    lexemes = " <-> ".join(f"'{w}'" for w in words) + ":*"
    return f"to_tsquery('{config}', {bind(lexemes)})"


def _phrase_query(text: str, config: str, bind: Bind) -> str:
    # PostgreSQL text cannot hold NUL; a space separates words as the NUL would have.
    return f"phraseto_tsquery('{config}', {bind(text.replace(chr(0), ' '))})"


def tsquery(node: Node, bind: Bind) -> tuple[str, str] | None:
    """A single text node as (the ``tsvector`` column, a ``tsquery`` expression), or None."""
    if isinstance(node, Term | Phrase):
        return "document", _phrase_query(node.text, "logbook_english", bind)
    if isinstance(node, Prefix):
        query = _prefix_query(node.text, "logbook_english", bind)
        return ("document", query) if query else None
    if isinstance(node, Field) and node.name == "author":
        if node.value.endswith("*"):
            query = _prefix_query(node.value.rstrip("*"), "logbook_english", bind)
            return ("authors_document", query) if query else None
        return "authors_document", _phrase_query(node.value, "logbook_english", bind)
    if isinstance(node, Field) and node.name == "arxiv":
        return "ref_document", _phrase_query(node.value, "logbook_simple", bind)
    return None


def condition(node: Node, bind: Bind, rank: list[str] | None = None) -> str:
    """``node`` (one the index can answer: ``fts(node)`` is not None) as SQL over ``s``.

    The ``tsquery`` of each positive text node is appended to ``rank`` when it is given.
    """
    if isinstance(node, Not):
        return f"NOT ({condition(node.child, bind)})"
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(condition(child, bind, rank) for child in node.children) + ")"
    found = tsquery(node, bind)
    if found is None:
        return "FALSE"  # a prefix with no word in it matches nothing, as in FTS5
    column, query = found
    if rank is not None and column == "document":
        rank.append(query)
    return f"s.{column} @@ {query}"


def matches(node: Node, bind: Bind) -> str:
    """The common table expressions that define ``matches``: the rows of the index matching
    ``node`` with a score (lower is better, as bm25's), best first.

    The match and its ranking run once (``ranked``); ``matches`` only reads them in score
    order, so a kind's join to its table, read best first under ``limited``, stops after
    ``limit`` rows instead of joining every match (85,000 of 200,000 entries for two
    common words).
    """
    rank: list[str] = []
    where = condition(node, bind, rank)
    query = " || ".join(rank) if rank else "''::tsquery"
    score = f"-ts_rank({RANK_WEIGHTS}, s.document, {query}, {RANK_NORMALIZATION})"
    ranked = f"SELECT s.rowid AS rid, s.kind, {score} AS score FROM search_index s WHERE {where}"
    return (
        f"ranked AS MATERIALIZED ({ranked}), "
        "matches AS NOT MATERIALIZED (SELECT rid, kind, score FROM ranked ORDER BY score)"
    )


def limited(branch: str, order: str) -> str:
    """One kind's rows of the search as their own best ``:limit`` (the union's best are
    among them): with ``matches`` in score order the planner joins only those."""
    return f"({branch}{order} LIMIT :limit)"
