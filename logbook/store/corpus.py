"""The themes corpus: every entry themes are judged on, read in one transaction.

The themes package counts phrases and never sees SQL; it asks the store for this corpus
and, to apply themes, for ``replace_auto_tags`` under the change counter it read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from logbook.store.kinds import GENERATED_POST_KINDS, title_of
from logbook.store.models import Idea, IdeaTag, Paper, PaperTag, Post, PostTag, Tag
from logbook.store.tags import sync_auto_tags

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


_MODELS: dict[str, tuple[Any, Any, Any]] = {
    "idea": (Idea, IdeaTag, IdeaTag.idea_id),
    "paper": (Paper, PaperTag, PaperTag.paper_id),
    "post": (Post, PostTag, PostTag.post_id),
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
    corpus = Corpus()
    select_columns: Any = select  # a column list of varying length
    with store._read() as session:
        corpus.changes = store._changes(session)
        for kind in kinds:
            model, link, link_column = _MODELS[kind]
            if kind == "idea":
                columns: tuple[Any, ...] = (Idea.id, Idea.uid, Idea.text)
            elif kind == "paper":
                columns = (Paper.id, Paper.uid, Paper.title, Paper.abstract, Paper.categories)
            else:
                columns = (Post.id, Post.uid, Post.title, Post.body, Post.categories)
            query = select_columns(*columns, model.created_at).where(
                col(model.archived_at).is_(None)
            )
            if kind == "post" and not generated_posts:
                query = query.where(col(Post.kind).not_in(GENERATED_POST_KINDS))
            if since is not None:
                query = query.where(col(model.created_at) >= since)
            if until is not None:
                query = query.where(col(model.created_at) < until)
            rows: dict[int, int] = {}
            for record in session.exec(query.order_by(col(model.created_at), col(model.id))):
                if kind == "idea":
                    _, uid, text, created = record
                    row = corpus.add(kind, record[0], uid, title_of(text), created, text)
                elif kind == "paper":
                    _, uid, title, abstract, categories, created = record
                    row = corpus.add(kind, record[0], uid, title, created, f"{title}.\n{abstract}")
                    corpus.categories.extend((row, c) for c in categories or [])
                else:
                    _, uid, title, body, post_categories, created = record
                    row = corpus.add(kind, record[0], uid, title, created, f"{title}.\n{body}")
                    # a blog's categories are the researcher's own labels, as its tags are
                    corpus.tags.extend((row, name) for name in _as_tags(post_categories))
                rows[record[0]] = row
            if not rows:
                continue
            links = session.exec(
                select(link_column, Tag.name, Tag.kind)
                .join(Tag, col(Tag.id) == link.tag_id)
                .where(col(Tag.kind).in_(("user", "category")))
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
    with store._write() as session:
        if store._changes(session) != read_at:
            return None
        added, removed = sync_auto_tags(session, wanted)
    return AutoTagChange(added, removed)
