"""logbook's query tree (logbook.query) rendered for SQLite: an FTS5 MATCH and SQL conditions.

PostgreSQL renders the index part in ``search_pg``; the conditions here serve both.

Text nodes become FTS5 expressions; every string is quoted, so the text a user typed is
never read as FTS5 syntax. Fields the index does not hold (tags, kinds, entry numbers)
become SQL conditions on the entry table, as do text nodes FTS5 cannot express alone
(a negation with nothing positive beside it: FTS5's NOT needs a left side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from logbook.errors import UsageError
from logbook.query import And, Field, Node, Not, Or, Phrase, Prefix, Term, conjuncts
from logbook.tags import normalize_tag

# How the index's columns weigh in bm25: kind (unindexed), title, body, authors, arXiv id.
BM25_WEIGHTS = "0.0, 5.0, 1.0, 2.0, 10.0"


def _string(text: str) -> str:
    # An FTS5 string: inside double quotes only a doubled quote is special. FTS5 reads a
    # NUL as the end of the query, so it becomes a space (a separator to the tokenizer).
    return '"' + text.replace("\x00", " ").replace('"', '""') + '"'


def fts(node: Node) -> str | None:
    """``node`` as an FTS5 expression, or ``None`` when the index alone cannot answer it."""
    if isinstance(node, Term | Phrase):
        return _string(node.text)
    if isinstance(node, Prefix):
        return _string(node.text) + " *"
    if isinstance(node, Field):
        if node.name == "author":
            value = node.value
            return "authors : " + (
                _string(value.rstrip("*")) + " *" if value.endswith("*") else _string(value)
            )
        if node.name == "arxiv":
            return "ref : " + _string(node.value)
        return None
    if isinstance(node, Or):
        parts = [fts(child) for child in node.children]
        if any(part is None for part in parts):
            return None
        return "(" + " OR ".join(part for part in parts if part) + ")"
    if isinstance(node, And):
        wanted: list[str] = []
        unwanted: list[str] = []
        for child in node.children:
            inner = child.child if isinstance(child, Not) else child
            part = fts(inner)
            if part is None:
                return None
            (unwanted if isinstance(child, Not) else wanted).append(part)
        if not wanted:
            return None
        return "((" + " AND ".join(wanted) + ")" + "".join(f" NOT ({u})" for u in unwanted) + ")"
    return None


def split(node: Node) -> tuple[Node | None, list[Node]]:
    """The part the index answers and ranks by (``None``: nothing to rank by) and the rest.

    The first is rendered by the backend's index (an FTS5 MATCH, or ``tsquery`` tests); the
    rest are conjuncts rendered per kind by ``Conditions``.
    """
    parts = conjuncts(node)
    ranked = [p for p in parts if fts(p if not isinstance(p, Not) else p.child) is not None]
    if not any(not isinstance(p, Not) for p in ranked):
        return None, parts
    match = ranked[0] if len(ranked) == 1 else And(tuple(ranked))
    return match, [p for p in parts if p not in ranked]


@dataclass
class Conditions:
    """Renders conjuncts to SQL for one kind of entry ``e`` whose index rowid is ``rid``."""

    kind: str
    rid: str
    params: dict[str, Any] = field(default_factory=dict)
    backend: str = "sqlite"

    def _param(self, value: Any) -> str:
        name = f"q{len(self.params)}_{self.kind}"
        self.params[name] = value
        return f":{name}"

    def sql(self, node: Node) -> str:
        """``node`` as an SQL condition on ``e`` (values bound as parameters)."""
        text = fts(node)
        if text is not None and self.backend == "postgresql":
            from logbook.store.search_pg import condition

            where = condition(node, self._param)
            return f"{self.rid} IN (SELECT s.rowid FROM search_index s WHERE {where})"
        if text is not None:
            return (
                f"{self.rid} IN (SELECT rowid FROM search_index "
                f"WHERE search_index MATCH {self._param(text)})"
            )
        if isinstance(node, Not):
            return f"NOT ({self.sql(node.child)})"
        if isinstance(node, And | Or):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.sql(child) for child in node.children) + ")"
        assert isinstance(node, Field)
        if node.name == "kind":
            return "TRUE" if node.value == self.kind else "FALSE"
        if node.name == "id":
            return f"e.id = {self._param(int(node.value))}"
        if node.name == "tag":
            try:
                name = normalize_tag(node.value)
            except UsageError:
                return "FALSE"  # no tag has a name that is not a tag's
            return (
                f"e.id IN (SELECT {self.kind}_id FROM {self.kind}_tag JOIN tag "
                f"ON tag.id = tag_id WHERE tag.name = {self._param(name)})"
            )
        return "FALSE"
