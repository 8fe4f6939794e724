"""Entries for the export, import and hook tests, written with the store's models directly
(so these tests do not depend on the paper and post commands)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from logbook.ids import new_uid
from logbook.store import Store
from logbook.store.models import Idea, IdeaPaper, Paper, Post, Revision
from logbook.store.tags import link_tags

T0 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


def add_idea(
    store: Store,
    text: str,
    *,
    tags: dict[str, list[str]] | None = None,
    papers: list[int] | None = None,
    revisions: list[str] | None = None,
    at: datetime = T0,
    updated: datetime | None = None,
    uid: str | None = None,
    status: str = "open",
    archived: bool = False,
) -> Idea:
    """An idea with tags of any kind, links to papers (by number) and earlier texts."""
    with store._write() as session:
        idea = Idea(
            uid=uid or new_uid(),
            text=text,
            status=status,
            created_at=at,
            updated_at=updated or at,
            archived_at=at + timedelta(days=1) if archived else None,
        )
        session.add(idea)
        session.flush()
        assert idea.id is not None
        for kind, names in (tags or {}).items():
            link_tags(session, "idea", idea.id, names, kind)
        for paper_id in papers or []:
            session.add(IdeaPaper(idea_id=idea.id, paper_id=paper_id))
        for n, old in enumerate(revisions or []):
            session.add(
                Revision(
                    entry_kind="idea",
                    entry_uid=idea.uid,
                    field="text",
                    value=old,
                    written_at=at + timedelta(minutes=n),
                    replaced_at=at + timedelta(minutes=n + 1),
                )
            )
        return idea


def add_paper(store: Store, arxiv_id: str, title: str = "A paper", **fields: Any) -> Paper:
    """A paper with every column filled unless given."""
    values: dict[str, Any] = {
        "uid": new_uid(),
        "arxiv_id": arxiv_id,
        "version": 2,
        "title": title,
        "authors": ["Ada Lovelace", "Émilie du Châtelet"],
        "abstract": "We study $\\mathcal{O}(n)$ things.\nSecond line.",
        "categories": ["cs.LG", "stat.ML"],
        "primary_category": "cs.LG",
        "published": T0 - timedelta(days=400),
        "updated": T0 - timedelta(days=300),
        "doi": "10.1000/xyz",
        "journal_ref": "J. Things 1 (2020)",
        "comment": "12 pages",
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}v2",
        "cite_key": "key-" + arxiv_id.replace("/", "-"),
        "status": "read",
        "read_at": T0,
        "read_version": 2,
        "notes": "Notes: {{ liquid }} and ---\n  indented",
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    tags = values.pop("tags", {})
    with store._write() as session:
        paper = Paper(**values)
        session.add(paper)
        session.flush()
        assert paper.id is not None
        for kind, names in tags.items():
            link_tags(session, "paper", paper.id, names, kind)
        return paper


def add_post(store: Store, source: str = "2026-W47", **fields: Any) -> Post:
    """A weekly post as publish would record it."""
    values: dict[str, Any] = {
        "uid": new_uid(),
        "kind": "week",
        "source": source,
        "title": f"Research log, week {source}",
        "slug": f"week-{source.lower()}",
        "path": f"_posts/2026-11-16-week-{source.lower()}.md",
        "content_hash": "0" * 64,
        "body": "Body of the post\n\n- item",
        "published_at": T0,
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    with store._write() as session:
        post = Post(**values)
        session.add(post)
        session.flush()
        return post


def full_store(store: Store) -> None:
    """A store with a bit of everything: ideas, papers, a post, tags, links, revisions."""
    new = add_paper(store, "1706.03762", "Attention is all you need", tags={"user": ["nlp"]})
    old = add_paper(
        store, "hep-th/9901001", "An old-style id", tags={"category": ["hep-th"]}, doi=None
    )
    add_idea(
        store,
        "# Attention everywhere\n\nTry $\\frac{a}{b}$ with {{ site.title }} #nlp",
        tags={"user": ["nlp", "attention"], "auto": ["transformer"]},
        papers=[new.id or 0, old.id or 0],
        revisions=["first draft", "second\ndraft"],
    )
    add_idea(store, "Archived thought", archived=True, at=T0 + timedelta(hours=1))
    add_idea(store, "日本語のアイデア 🧪 — ‏עברית", status="exploring", at=T0 + timedelta(hours=2))
    add_post(store)
