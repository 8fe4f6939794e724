"""Posts: what logbook wrote to the Jekyll site, one per week, paper or idea."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.errors import NotFoundError
from logbook.ids import new_uid
from logbook.store.kinds import POST_KINDS, one_of
from logbook.store.removal import remove_entry, restore_entry
from logbook.store.revisions import keep_revision
from logbook.store.sql import Sql, as_sql
from logbook.store.tags import TagRef, link_tags, tags_of, unlink_tags
from logbook.store.timestamps import parse_utc
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from sqlmodel import Session

    from logbook.store import Store
    from logbook.store.models import Post


@dataclass
class PostView:
    """A post as commands show it."""

    id: int
    uid: str
    kind: str
    source: str
    title: str
    slug: str
    path: str
    content_hash: str
    body: str
    published_at: datetime
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    tags: list[TagRef] = field(default_factory=list)
    generated: str = ""  # the whole file logbook generated last ('' before logbook kept it)
    intro: str = ""  # a week's opening paragraph, kept for the next publish
    categories: list[str] = field(default_factory=list)  # an imported post's Jekyll categories
    author: str = ""  # who published (or imported) it

    def to_dict(self, *, body: bool = True) -> dict[str, Any]:
        """The documented JSON form (field names are stable)."""
        data: dict[str, Any] = {
            "id": self.id,
            "uid": self.uid,
            "kind": self.kind,
            "source": self.source,
            "title": self.title,
            "slug": self.slug,
            "path": self.path,
            "content_hash": self.content_hash,
            "tags": [t.name for t in self.tags],
            "categories": self.categories,
            "published_at": self.published_at.isoformat(),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "archived": self.archived_at is not None,
            "intro": self.intro,
            "author": self.author,
        }
        if body:
            data["body"] = self.body
            data["generated"] = self.generated
        return data


def check_kind(kind: str) -> str:
    """``kind`` if it is a post kind, else a usage error listing them."""
    return one_of(kind, POST_KINDS, "a kind of post")


class Posts:
    """The posts recorded in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def lookup(self, kind: str, source: str) -> PostView | None:
        """The post for a week (``2020-W43``) or an entry (its uid), archived or not."""
        with self.store._read_sql() as sql:
            return post_by_source(sql, kind, source)

    def paths(self) -> dict[str, tuple[str, str]]:
        """Every recorded path → the (kind, source) of its post."""
        with self.store._read_sql() as sql:
            return recorded_paths(sql)

    def record(
        self,
        *,
        kind: str,
        source: str,
        title: str,
        slug: str,
        path: str,
        content_hash: str,
        body: str,
        published_at: datetime,
        tags: list[str] | None = None,
        generated: str = "",
        intro: str = "",
    ) -> PostView:
        """Record a post by (kind, source) in a transaction of its own (see ``record_post``)."""
        author = self.store.author
        with self.store._write() as session:
            return record_post(
                session,
                kind=kind,
                source=source,
                title=title,
                slug=slug,
                path=path,
                content_hash=content_hash,
                body=body,
                published_at=published_at,
                tags=tags,
                generated=generated,
                intro=intro,
                author=author,
            )

    def find(self, *, kind: str | None = None, archived: bool = False) -> list[PostView]:
        """Posts, newest first; ``archived`` lists removed ones instead."""
        condition = "archived_at IS NOT NULL" if archived else "archived_at IS NULL"
        params = {}
        if kind is not None:
            condition += " AND kind = :kind"
            params["kind"] = check_kind(kind)
        with self.store._read_sql() as sql:
            return _rows(sql, condition + " ORDER BY published_at DESC, id DESC", params)

    def get(self, number: int) -> PostView:
        """The post numbered ``number``."""
        with self.store._read_sql() as sql:
            found = _rows(sql, "id = :id", {"id": number}) if 0 < number < 2**63 else []
        if not found:
            raise NotFoundError(f"no post #{number}")
        return found[0]

    @contextmanager
    def publishing(self, kind: str, source: str) -> Iterator[Publishing]:
        """A write transaction for publishing the post (kind, source): see ``Publishing``."""
        author = self.store.author  # before the transaction: it may run git
        with self.store._write() as session:
            yield Publishing(session, kind, source, author)

    def remove(self, number: int, *, purge: bool = False) -> PostView:
        """Forget a post (archived, restorable; ``purge`` deletes the record). The file stays."""
        with self.store._write() as session:
            post = _load(session, number)
            view = _view(session, post)
            remove_entry(session, post, purge=purge)
            return view

    def restore(self, number: int) -> PostView:
        """Bring back a removed post record."""
        with self.store._write() as session:
            post = _load(session, number)
            restore_entry(session, post, f"post #{number}")
            return _view(session, post)


class Publishing:
    """One publish, inside one write transaction: the post's record as it is now, the paths
    recorded for every post, and ``record`` to save the new version. Publishes run one after
    the other (``BEGIN IMMEDIATE``); what the caller does inside (writing the file) happens
    before the commit, and an exception rolls the record back."""

    def __init__(self, session: Session, kind: str, source: str, author: str = "") -> None:
        self._session = session
        self.author = author  # who publishes: a new post is credited to them
        self.kind = check_kind(kind)
        self.source = source
        self.existing = post_by_source(session, self.kind, source)

    def recorded_paths(self) -> dict[str, tuple[str, str]]:
        """Every recorded path → the (kind, source) of its post."""
        return recorded_paths(self._session)

    def record(self, **fields: Any) -> PostView:
        """Record the post with ``fields`` (see ``record_post``)."""
        fields.setdefault("author", self.author)
        return record_post(self._session, kind=self.kind, source=self.source, **fields)


# Session-level helpers of ``Publishing``.


def post_by_source(target: Sql | Session, kind: str, source: str) -> PostView | None:
    """The post for (kind, source) as ``target``'s transaction sees it, archived or not."""
    params = {"kind": check_kind(kind), "source": source}
    found = _rows(as_sql(target), "kind = :kind AND source = :source", params)
    return found[0] if found else None


def recorded_paths(target: Sql | Session) -> dict[str, tuple[str, str]]:
    """Every recorded path → the (kind, source) of its post, as ``target`` sees them."""
    rows = as_sql(target).rows("SELECT path, kind, source FROM post")
    return {path: (kind, source) for path, kind, source in rows}


def record_post(
    session: Session,
    *,
    kind: str,
    source: str,
    title: str,
    slug: str,
    path: str,
    content_hash: str,
    body: str,
    published_at: datetime,
    tags: list[str] | None = None,
    generated: str = "",
    intro: str = "",
    created_at: datetime | None = None,
    categories: list[str] | None = None,
    author: str = "",
) -> PostView:
    """Record a post by (kind, source): a new row, or the same row updated (and flushed).

    A changed body keeps the old one as a revision; the tags become exactly ``tags``.
    ``generated`` is the whole file logbook made (the base of the next three-way merge),
    ``intro`` a week's opening paragraph.
    ``created_at`` (default: now) is for posts written before they were recorded;
    ``categories`` an imported post's Jekyll categories, kept apart from its tags;
    ``author`` who wrote a new post (a post already recorded keeps its author).
    """
    from logbook.store.models import Post

    kind = check_kind(kind)
    names = list(dict.fromkeys(normalize_tag(t) for t in tags or []))
    moment = now(UTC)
    post = _by_source(session, kind, source)
    if post is None:
        post = Post(
            uid=new_uid(),
            kind=kind,
            source=source,
            title=title,
            slug=slug,
            path=path,
            content_hash=content_hash,
            body=body,
            published_at=published_at,
            created_at=created_at or moment,
            updated_at=moment,
            generated=generated,
            intro=intro,
            categories=list(categories or []),
            author=author,
        )
    else:
        if post.body != body:
            keep_revision(session, "post", post.uid, "body", post.body, post.updated_at, moment)
        post.title, post.slug, post.path = title, slug, path
        post.content_hash, post.body = content_hash, body
        post.published_at = published_at
        post.generated, post.intro = generated, intro
        post.categories = list(categories or [])
        post.created_at = created_at or post.created_at
        post.updated_at = moment
        post.archived_at = None
    session.add(post)
    session.flush()
    assert post.id is not None
    old = [t.name for t in tags_of(session, "post", [post.id])[post.id]]
    unlink_tags(session, "post", post.id, [n for n in old if n not in names])
    link_tags(session, "post", post.id, names)
    return _view(session, post)


def _view(session: Session, post: Post) -> PostView:
    assert post.id is not None
    return _rows(as_sql(session), "id = :id", {"id": post.id})[0]


_COLUMNS = ("id", "uid", "kind", "source", "title", "slug", "path", "content_hash", "body", "published_at", "created_at", "updated_at", "archived_at", "generated", "intro", "categories", "author")  # fmt: skip
_MOMENTS = {"published_at", "created_at", "updated_at", "archived_at"}


def _rows(sql: Sql, condition: str, params: dict[str, Any]) -> list[PostView]:
    """Posts whose row meets ``condition`` (which may end in ORDER BY), tags attached."""
    import json

    found = sql.rows(f"SELECT {', '.join(_COLUMNS)} FROM post WHERE {condition}", params)
    views = []
    for row in found:
        data = dict(zip(_COLUMNS, row, strict=True))
        for name in _MOMENTS:
            if data[name] is not None:
                data[name] = parse_utc(data[name])
        data["categories"] = json.loads(data["categories"]) if data["categories"] else []
        views.append(PostView(**data))
    tags = tags_of(sql, "post", [v.id for v in views])
    for view in views:
        view.tags = tags.get(view.id, [])
    return views


def _by_source(session: Session, kind: str, source: str) -> Post | None:
    from sqlmodel import col, select

    from logbook.store.models import Post

    query = select(Post).where(col(Post.kind) == kind, col(Post.source) == source)
    return session.exec(query).first()


def _load(session: Session, number: int) -> Post:
    from logbook.store.models import Post

    post = session.get(Post, number) if 0 < number < 2**63 else None
    if post is None:
        raise NotFoundError(f"no post #{number}")
    return post
