"""What the store gives for ideas: a view of one idea, as commands show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from logbook.store.kinds import title_of
from logbook.store.tags import TagRef
from logbook.store.timestamps import iso


@dataclass
class IdeaView:
    """An idea as commands show it, with its tags and linked papers."""

    id: int
    uid: str
    text: str
    status: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    author: str = ""  # who wrote it ('' when nobody was known)
    row_version: int = 1  # the edit version an edit read (optimistic locking)
    tags: list[TagRef] = field(default_factory=list)
    papers: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The first line of the text."""
        return title_of(self.text)

    @property
    def body(self) -> str:
        """The text below the title line."""
        lines = self.text.strip("\n").splitlines()
        for index, line in enumerate(lines):
            if line.strip():
                return "\n".join(lines[index + 1 :]).strip("\n")
        return ""

    @property
    def user_tags(self) -> list[str]:
        """The user's own tags."""
        return [t.name for t in self.tags if t.kind == "user"]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (field names are stable)."""
        return {
            "id": self.id,
            "uid": self.uid,
            "kind": "idea",
            "title": self.title,
            "text": self.text,
            "status": self.status,
            "tags": self.user_tags,
            "auto_tags": [t.name for t in self.tags if t.kind == "auto"],
            "papers": self.papers,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "archived": self.archived_at is not None,
            "author": self.author,
            "revisions": self.revisions,
        }
