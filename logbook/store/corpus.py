"""The themes corpus: every entry themes are judged on, read in one transaction.

The themes package counts phrases and never sees SQL; it asks the store for this corpus
and, to apply themes, for ``replace_auto_tags`` under the change counter it read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from logbook.store.kinds import GENERATED_POST_KINDS, title_of
from logbook.store.sql import Sql, as_sql, in_list, scalar, within
from logbook.store.tags import LINKS
from logbook.store.timestamps import parse_utc

if TYPE_CHECKING:
    from logbook.store import Store


@dataclass
class Corpus:
    """The entries themes are judged on, one row each, in the order the matrices use.

    ``texts`` are what the phrases are counted in (idea text; paper title and abstract; post
    title and body); the themes cache drops them once counted, only the matrices need them.
    """

    kinds: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    uids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    created: list[datetime] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # (row, tag name) for user tags; (row, arXiv category code as stored) for categories
    tags: list[tuple[int, str]] = field(default_factory=list)
    categories: list[tuple[int, str]] = field(default_factory=list)
    # the store's change counter when the entries were read
    changes: int = -1

    def add(self, kind: str, id_: int, uid: str, title: str, created: datetime, text: str) -> int:
        """Append one entry; its row number."""
        self.kinds.append(kind)
        self.ids.append(id_)
        self.uids.append(uid)
        self.titles.append(title)
        self.created.append(created)
        self.texts.append(text)
        return len(self.kinds) - 1


@dataclass(frozen=True)
class AutoTagChange:
    """What replacing the auto tags did: links added and removed."""

    added: int
    removed: int


# What each kind's rows give: the columns read, after id and uid (plain statements, not the
# ORM: at 100k entries the ORM's per-row cost was most of an uncached ``themes``).
_COLUMNS = {
    "idea": "text",
    "paper": "title, abstract, categories",
    "post": "title, body, categories",
}


def load_corpus(
    store: Store,
    kinds: Sequence[str],
    since: datetime | None,
    until: datetime | None,
    *,
    generated_posts: bool = True,
) -> Corpus:
    """The entries of ``kinds`` (not archived) created in [since, until), oldest first.

    Without ``generated_posts``, posts are only the imported ones (``GENERATED_POST_KINDS``
    repeat the ideas and papers they were made from).
    """
    import json

    corpus = Corpus()
    with store._read_sql() as sql:
        corpus.changes = changes_in(sql)
        for kind in kinds:
            params: dict[str, Any] = {}
            where = ["archived_at IS NULL"]
            if kind == "post" and not generated_posts:
                where.append("kind NOT IN " + in_list("generated", GENERATED_POST_KINDS, params))
            where += within("created_at", since, until, params, "created")
            statement = (
                f"SELECT id, uid, created_at, {_COLUMNS[kind]} FROM {kind} "
                f"WHERE {' AND '.join(where)} ORDER BY created_at, id"
            )
            rows: dict[int, int] = {}
            for chunk in sql.stream(statement, params):
                for entry_id, uid, stamp, *fields in chunk:
                    created = parse_utc(stamp)
                    if kind == "idea":
                        text = fields[0]
                        row = corpus.add(kind, entry_id, uid, title_of(text), created, text)
                    elif kind == "paper":
                        title, abstract, categories = fields
                        row = corpus.add(
                            kind, entry_id, uid, title, created, f"{title}.\n{abstract}"
                        )
                        corpus.categories.extend((row, c) for c in json.loads(categories or "[]"))
                    else:
                        title, body, categories = fields
                        row = corpus.add(kind, entry_id, uid, title, created, f"{title}.\n{body}")
                        # a blog's categories are the researcher's own labels, as its tags are
                        labels = json.loads(categories) if categories else []
                        corpus.tags.extend((row, name) for name in _as_tags(labels))
                    rows[entry_id] = row
            if not rows:
                continue
            table, column = LINKS[kind]
            links = sql.rows(
                f"SELECT l.{column}, t.name, t.kind FROM {table} l JOIN tag t ON t.id = l.tag_id "
                "WHERE t.kind IN ('user', 'category')"
            )
            had = set(corpus.tags)  # a post's category that is also one of its tags counts once
            for entry_id, name, tag_kind in links:
                row_of = rows.get(entry_id)
                if row_of is None:
                    continue
                if tag_kind == "user":
                    if (row_of, name) not in had:
                        corpus.tags.append((row_of, name))
                else:
                    corpus.categories.append((row_of, name))
    return corpus


def changes_in(sql: Sql) -> int:
    """The store's change counter, read in ``sql``'s transaction."""
    return int(scalar(sql, "SELECT value FROM meta WHERE key = 'changes'"))


def _as_tags(categories: list[str] | None) -> list[str]:
    """Jekyll categories as tag names; one that cannot be a tag (``Q&A``) is left out."""
    from logbook.errors import UsageError
    from logbook.tags import normalize_tag

    names: dict[str, None] = {}
    for category in categories or []:
        try:
            names.setdefault(normalize_tag(category))
        except UsageError:
            continue
    return list(names)


def replace_auto_tags(
    store: Store, wanted: Mapping[tuple[str, int], Collection[str]], read_at: int
) -> AutoTagChange | None:
    """Make the auto tags of each entry in ``wanted`` exactly those names, in one write
    transaction, unless the store changed since its change counter was ``read_at``: then
    nothing is written and the answer is None (the themes were found in other entries)."""
    from logbook.store.tags import sync_auto_tags

    with store._write() as session:
        if changes_in(as_sql(session)) != read_at:
            return None
        added, removed = sync_auto_tags(session, wanted)
    return AutoTagChange(added, removed)
