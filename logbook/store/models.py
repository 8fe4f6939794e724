"""Today's shape of the store. The history of how it got here is in ``migrations.py``.

Every entry has two identities: ``uid``, a UUIDv7 that is the same on every machine (exports,
imports and merges go by it), and ``id``, a short number for people to type, local to one
store. Removal is soft: ``archived_at`` hides an entry until it is restored.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from logbook.store.kinds import (  # noqa: F401  (re-exported: models is where people look)
    ENTRY_KINDS,
    IDEA_STATUSES,
    POST_KINDS,
    READING_STATUSES,
    TAG_KINDS,
    title_of,
)
from logbook.store.types import JSONList, UTCDateTime


# Entry numbers are 64-bit on both backends (imports keep numbers up to 2**53): BigInteger,
# because PostgreSQL's driver casts each bound value to its column's type.
def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    # The same CHECK the migrations create, so the schema test can compare them.
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})")


def _version_column() -> Any:
    # The entry's edit version (m013), SQLAlchemy's version counter: every ORM update of the
    # entry is ``UPDATE … SET row_version = v + 1 WHERE id = :id AND row_version = v`` with
    # the v it read, so an update never silently overwrites one saved in between.
    return Column("row_version", Integer, nullable=False, default=1, server_default=text("1"))


_IDEA_VERSION, _PAPER_VERSION, _POST_VERSION = (_version_column() for _ in range(3))


def _time(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Idea(SQLModel, table=True):
    """A thought in markdown; its first line is its title."""

    __table_args__ = (_one_of("status", IDEA_STATUSES),)
    __mapper_args__ = {"version_id_col": _IDEA_VERSION}

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    uid: str = Field(unique=True)
    text: str
    status: str = "open"
    created_at: datetime = _time(index=True)
    updated_at: datetime = _time()
    archived_at: datetime | None = _time(nullable=True)
    author: str = Field(default="", index=True)  # who wrote it ('' before m013: nobody shown)
    row_version: int = Field(default=1, sa_column=_IDEA_VERSION)  # bumped by every update

    @property
    def title(self) -> str:
        """The first line of the text, without a leading markdown heading mark."""
        return title_of(self.text)


class Paper(SQLModel, table=True):
    """An arXiv paper on the reading list, with the metadata arXiv gave for it."""

    __table_args__ = (
        _one_of("status", READING_STATUSES),
        Index("ix_paper_created_status", "created_at", "status", "archived_at"),
    )
    __mapper_args__ = {"version_id_col": _PAPER_VERSION}

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    uid: str = Field(unique=True)
    arxiv_id: str = Field(unique=True)  # without version: 1706.03762, hep-th/9901001
    version: int = 1  # the latest version arXiv has shown us
    title: str
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSONList(), nullable=False))
    abstract: str = ""
    categories: list[str] = Field(
        default_factory=list, sa_column=Column(JSONList(), nullable=False)
    )
    primary_category: str | None = None
    published: datetime | None = _time(nullable=True)
    updated: datetime | None = _time(nullable=True)
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    pdf_url: str | None = None
    withdrawn: bool = False
    cite_key: str | None = Field(default=None, unique=True)  # never changes once given
    status: str = "to-read"
    read_at: datetime | None = _time(nullable=True, index=True)
    read_version: int | None = None  # the version the user had when they marked it read
    notes: str = ""
    created_at: datetime = _time(index=True)
    updated_at: datetime = _time()
    archived_at: datetime | None = _time(nullable=True)
    author: str = Field(default="", index=True)  # who added it (arXiv's are ``authors``)
    row_version: int = Field(default=1, sa_column=_PAPER_VERSION)  # not arXiv's ``version``


class Post(SQLModel, table=True):
    """A Jekyll post: one logbook wrote (for an ISO week, a paper or an idea) or one the
    researcher wrote before, brought in by ``post import`` (kind ``imported``)."""

    __table_args__ = (UniqueConstraint("kind", "source"), _one_of("kind", POST_KINDS))
    __mapper_args__ = {"version_id_col": _POST_VERSION}

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    uid: str = Field(unique=True)
    kind: str  # week | paper | idea | imported
    # 2020-W43, the uid of the paper or idea, or (imported) the file's path in the site
    source: str
    title: str
    slug: str
    path: str  # relative to the site: _posts/2020-10-19-week-43.md
    content_hash: str  # sha256 of the bytes written, to notice edits by hand
    body: str = ""  # the markdown below the front matter, for search and themes
    published_at: datetime = _time()
    created_at: datetime = _time(index=True)
    updated_at: datetime = _time()
    archived_at: datetime | None = _time(nullable=True)
    generated: str = ""  # the whole file logbook generated last: the base of the next merge
    intro: str = ""  # a week's opening paragraph (publish --intro), kept for re-publishing
    # an imported post's Jekyll categories (front matter and the folders above _posts)
    categories: list[str] = Field(
        default_factory=list, sa_column=Column(JSONList(), nullable=False)
    )
    author: str = ""  # who published or imported it
    row_version: int = Field(default=1, sa_column=_POST_VERSION)


class Tag(SQLModel, table=True):
    """A normalized tag. A user tag and an auto theme of the same name are two rows."""

    __table_args__ = (UniqueConstraint("name", "kind"), _one_of("kind", TAG_KINDS))

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    name: str
    kind: str = "user"  # user | auto | category


class IdeaTag(SQLModel, table=True):
    __tablename__ = "idea_tag"
    __table_args__ = (Index("ix_idea_tag_tag", "tag_id"),)

    idea_id: int = Field(
        foreign_key="idea.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    tag_id: int = Field(
        foreign_key="tag.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag", "tag_id"),)

    paper_id: int = Field(
        foreign_key="paper.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    tag_id: int = Field(
        foreign_key="tag.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )


class PaperFreshness(SQLModel, table=True):
    """When ``paper check-updates --apply`` last confirmed a paper's metadata with arXiv."""

    __tablename__ = "paper_freshness"

    paper_id: int = Field(
        foreign_key="paper.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    checked_at: datetime = _time()


class PostTag(SQLModel, table=True):
    __tablename__ = "post_tag"
    __table_args__ = (Index("ix_post_tag_tag", "tag_id"),)

    post_id: int = Field(
        foreign_key="post.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    tag_id: int = Field(
        foreign_key="tag.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )


class PostCitation(SQLModel, table=True):
    """An arXiv paper an imported post cites, by versionless id: fetched or not yet."""

    __tablename__ = "post_citation"
    __table_args__ = (Index("ix_post_citation_arxiv_id", "arxiv_id"),)

    post_id: int = Field(
        foreign_key="post.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    arxiv_id: str = Field(primary_key=True)


class PostIdea(SQLModel, table=True):
    """An idea ``post import --ideas`` took from a list in an imported post."""

    __tablename__ = "post_idea"
    __table_args__ = (Index("ix_post_idea_idea", "idea_id"),)

    post_id: int = Field(
        foreign_key="post.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    idea_id: int = Field(
        foreign_key="idea.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )


class IdeaPaper(SQLModel, table=True):
    __tablename__ = "idea_paper"
    __table_args__ = (Index("ix_idea_paper_paper", "paper_id"),)

    idea_id: int = Field(
        foreign_key="idea.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )
    paper_id: int = Field(
        foreign_key="paper.id", primary_key=True, ondelete="CASCADE", sa_type=BigInteger
    )


class Revision(SQLModel, table=True):
    """An earlier text of an entry's field, kept when an edit or a merge replaced it."""

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    entry_kind: str  # idea | paper | post
    entry_uid: str = Field(index=True)
    field: str  # text | notes | body
    value: str
    written_at: datetime = _time()  # when that text was written
    replaced_at: datetime = _time()  # when it stopped being current
