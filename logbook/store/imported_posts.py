"""Imported posts: what the researcher wrote before logbook, kept as posts of kind ``imported``.

An imported post is the researcher's own writing, so unlike the posts logbook generates it
counts in themes and search by default: ``Post.kind == 'imported'`` is the store-level fact
those readers go by (``GENERATED_POST_KINDS`` are the others). Its ``source`` and ``path``
are the file's path relative to the site, which is its identity: importing the same file
again finds the same row. ``content_hash`` (sha256 of the file) says whether it changed; a
changed file updates the row in place and the old body becomes a revision (``record_post``).
The arXiv papers a post cites are recorded in ``post_citation`` by versionless id, so they
stay linked whether or not the paper was fetched yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete, select

from logbook.dates import now
from logbook.ids import new_uid
from logbook.store.models import Idea, Paper, Post, PostCitation, PostIdea
from logbook.store.posts import record_post

if TYPE_CHECKING:
    from logbook.store import Store

IMPORTED = "imported"


@dataclass
class IncomingPost:
    """One post file to record: ``source`` is its path relative to the site."""

    source: str
    title: str
    slug: str
    body: str
    content_hash: str
    published_at: datetime
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # Jekyll's, kept apart from the tags
    citations: list[str] = field(default_factory=list)  # versionless arXiv ids
    ideas: list[str] = field(default_factory=list)  # idea texts taken from its lists


@dataclass
class PostImportCounts:
    """What recording the posts did, by source path, and the post number of each."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    ideas: list[int] = field(default_factory=list)  # numbers of the ideas created


def import_posts(store: Store, posts: Sequence[IncomingPost]) -> PostImportCounts:
    """Record ``posts`` in one write transaction: new ones added, changed ones updated (the old
    body kept as a revision), unchanged ones (same file hash, not removed) left alone."""
    counts = PostImportCounts()
    author = store.author  # before the transaction: it may run git
    with store._write() as session:
        existing = {p.source: p for p in session.exec(select(Post).where(Post.kind == IMPORTED))}
        for post in posts:
            old = existing.get(post.source)
            # the categories too: a post imported before they had a column of their own
            # (m012) has them among its tags, and the next import moves them out
            if (
                old is not None
                and old.content_hash == post.content_hash
                and old.archived_at is None
                and list(old.categories or []) == post.categories
            ):
                counts.unchanged.append(post.source)
                assert old.id is not None
                counts.numbers[post.source] = old.id
                continue
            view = record_post(
                session,
                kind=IMPORTED,
                source=post.source,
                title=post.title,
                slug=post.slug,
                path=post.source,
                content_hash=post.content_hash,
                body=post.body,
                published_at=post.published_at,
                tags=post.tags,
                categories=post.categories,
                # written then: themes place an entry in the week it was created
                created_at=post.published_at,
                author=author,
            )
            (counts.imported if old is None else counts.updated).append(post.source)
            counts.numbers[post.source] = view.id
            session.exec(delete(PostCitation).where(col(PostCitation.post_id) == view.id))
            for arxiv_id in dict.fromkeys(post.citations):
                session.add(PostCitation(post_id=view.id, arxiv_id=arxiv_id))
            if post.ideas:
                counts.ideas.extend(
                    _add_ideas(session, view.id, post.ideas, post.published_at, author)
                )
            session.flush()
    return counts


def _add_ideas(
    session: Session, post_id: int, texts: list[str], written: datetime, author: str
) -> list[int]:
    """Make each text an idea linked to the post, dated as the post, unless the post already
    has an idea with that text (a changed file adds only its new items)."""
    had = set(
        session.exec(
            select(Idea.text)
            .join(PostIdea, col(PostIdea.idea_id) == Idea.id)
            .where(PostIdea.post_id == post_id)
        )
    )
    moment = now(UTC)
    numbers = []
    for text in dict.fromkeys(texts):
        if text in had:
            continue
        idea = Idea(uid=new_uid(), text=text, created_at=written, updated_at=moment, author=author)
        session.add(idea)
        session.flush()
        assert idea.id is not None
        session.add(PostIdea(post_id=post_id, idea_id=idea.id))
        numbers.append(idea.id)
    return numbers


def imported_sources(store: Store) -> set[str]:
    """The source paths of every imported post that is not removed."""
    with store._read() as session:
        query = select(Post.source).where(Post.kind == IMPORTED, col(Post.archived_at).is_(None))
        return set(session.exec(query))


def citations(store: Store, post_id: int) -> list[tuple[str, int | None]]:
    """The arXiv ids post ``post_id`` cites, with the number of the stored paper (or None)."""
    with store._read() as session:
        rows = session.exec(
            select(PostCitation.arxiv_id, Paper.id)
            .join(Paper, col(Paper.arxiv_id) == PostCitation.arxiv_id, isouter=True)
            .where(PostCitation.post_id == post_id)
            .order_by(col(PostCitation.arxiv_id))
        )
        return [(arxiv_id, number) for arxiv_id, number in rows]


def pending_citations(store: Store) -> list[str]:
    """Cited arXiv ids no stored paper has yet (``--no-fetch``, or not found), sorted."""
    with store._read() as session:
        rows = session.exec(
            select(PostCitation.arxiv_id)
            .join(Paper, col(Paper.arxiv_id) == PostCitation.arxiv_id, isouter=True)
            .where(col(Paper.id).is_(None))
            .distinct()
            .order_by(col(PostCitation.arxiv_id))
        )
        return list(rows)
