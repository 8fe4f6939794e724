"""What the store takes and gives for papers: arXiv's metadata in, views of papers out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from logbook.arxiv_ids import abs_url, is_withdrawn, pdf_url
from logbook.store.tags import TagRef


@dataclass
class PaperMeta:
    """What arXiv says about one paper (one version of it)."""

    arxiv_id: str  # versionless: 1706.03762, hep-th/9901001
    version: int
    title: str
    authors: list[str]
    abstract: str = ""
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    pdf_url: str | None = None

    @property
    def withdrawn(self) -> bool:
        """Whether the comment says the paper was withdrawn."""
        return is_withdrawn(self.comment)


# The fields arXiv owns; a refresh may change these and nothing else.
ARXIV_FIELDS = ("version", "title", "authors", "abstract", "categories", "primary_category", "published", "updated", "doi", "journal_ref", "comment", "pdf_url", "withdrawn")  # fmt: skip


class _Published:
    """What a paper's views tell from its arXiv id and first version."""

    __slots__ = ()
    arxiv_id: str
    published: datetime | None

    @property
    def abs_url(self) -> str:
        """The paper's abstract page (always the latest version)."""
        return abs_url(self.arxiv_id)

    @property
    def year(self) -> int | None:
        """The year of the first version."""
        return self.published.year if self.published else None


@dataclass
class PaperView(_Published):
    """A paper as commands show it, with its tags, linked ideas and note revisions."""

    id: int
    uid: str
    arxiv_id: str
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str]
    primary_category: str | None
    published: datetime | None
    updated: datetime | None
    doi: str | None
    journal_ref: str | None
    comment: str | None
    pdf_url: str | None
    withdrawn: bool
    cite_key: str | None
    status: str
    read_at: datetime | None
    read_version: int | None
    notes: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    author: str = ""  # who added it to the store (arXiv's authors are ``authors``)
    row_version: int = 1  # the edit version (optimistic locking), not arXiv's ``version``
    tags: list[TagRef] = field(default_factory=list)
    ideas: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def user_tags(self) -> list[str]:
        """The reader's own tags."""
        return [t.name for t in self.tags if t.kind == "user"]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (field names are stable)."""
        return {
            "id": self.id,
            "uid": self.uid,
            "kind": "paper",
            "arxiv_id": self.arxiv_id,
            "version": self.version,
            "title": self.title,
            "authors": self.authors,
            "abstract": self.abstract,
            "categories": self.categories,
            "primary_category": self.primary_category,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "doi": self.doi,
            "journal_ref": self.journal_ref,
            "comment": self.comment,
            "withdrawn": self.withdrawn,
            "abs_url": self.abs_url,
            "pdf_url": self.pdf_url or pdf_url(self.arxiv_id),
            "cite_key": self.cite_key,
            "status": self.status,
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "read_version": self.read_version,
            "notes": self.notes,
            "tags": self.user_tags,
            "auto_tags": [t.name for t in self.tags if t.kind == "auto"],
            "category_tags": [t.name for t in self.tags if t.kind == "category"],
            "ideas": self.ideas,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "archived": self.archived_at is not None,
            "added_by": self.author,
            "revisions": self.revisions,
        }


class PaperLine(NamedTuple):
    """A paper as a row of ``paper list`` shows it: read without its abstract, authors or
    links, so that listing 100k papers reads a fraction of their text."""

    id: int
    arxiv_id: str
    status: str
    withdrawn: bool
    year: int | None  # of the first version
    title: str
    tags: list[str]  # the reader's own


class _CitationRow(NamedTuple):
    id: int
    arxiv_id: str
    cite_key: str | None
    title: str
    authors: list[str]
    abstract: str
    published: datetime | None
    primary_category: str | None
    doi: str | None
    journal_ref: str | None
    withdrawn: bool
    tags: list[str]  # the reader's own


class Citation(_CitationRow, _Published):
    """A paper as the reading list cites it (markdown and BibTeX): read without its notes,
    reading state or linked ideas."""

    __slots__ = ()

    @property
    def user_tags(self) -> list[str]:
        """The reader's own tags (as ``PaperView.user_tags``)."""
        return self.tags


@dataclass
class Saved:
    """What saving one fetched paper did: ``imported``, ``updated`` or ``known``."""

    arxiv_id: str
    number: int
    title: str
    outcome: str


class Known(NamedTuple):
    """A paper the store has: its number, title and whether it was removed."""

    number: int
    title: str
    archived: bool
