"""What themes answers: themes, their entries week by week, and what ``apply`` changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from logbook.store.corpus import Corpus


@dataclass(frozen=True)
class EntryRef:
    """An entry a theme occurs in."""

    kind: str  # idea | paper | post
    id: int
    uid: str
    title: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class Theme:
    """A theme that recurs: its name, where it comes from and how it spread over the weeks.

    ``entries`` counts the entries of the requested span it occurs in (``total``, kept in the
    JSON form, is the same count). ``trend[i]`` is the number of its entries in week ``i`` of
    the span, the first week starting at ``trend_start``.
    """

    name: str  # canonical and tag-safe: scaling-law, cs.lg, kernels
    label: str  # for display: scaling laws, Machine Learning (cs.LG)
    source: str  # tag | category | phrase
    entries: int
    weeks: int
    first_seen: datetime
    last_seen: datetime
    trend: list[int]
    trend_start: datetime
    total: int = 0
    _rows: Any = field(default=None, repr=False, compare=False)
    _corpus: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def refs(self) -> list[EntryRef]:
        """The entries counted in ``entries``, oldest first."""
        if self._corpus is None:
            return []
        return sorted(
            (entry_ref(self._corpus, int(row)) for row in self._rows),
            key=lambda ref: ref.created_at,
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (field names are stable)."""
        return {
            "name": self.name,
            "label": self.label,
            "source": self.source,
            "entries": self.entries,
            "total": self.total,
            "weeks": self.weeks,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "trend_start": self.trend_start.date().isoformat(),
            "trend": self.trend,
        }


@dataclass
class WeekEntries:
    """The entries of one week under a theme."""

    label: str  # 2026-W47
    start: datetime
    entries: list[EntryRef]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "week": self.label,
            "start": self.start.date().isoformat(),
            "entries": [e.to_dict() for e in self.entries],
        }


@dataclass
class ThemeDetail:
    """One theme and its entries week by week (``logbook themes show``)."""

    theme: Theme
    weeks: list[WeekEntries]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {**self.theme.to_dict(), "by_week": [w.to_dict() for w in self.weeks]}


@dataclass
class ApplyResult:
    """What ``apply_themes`` changed: auto tags added and removed."""

    themes: int  # phrase themes found
    entries: int  # entries that carry at least one auto theme tag now
    added: int
    removed: int
    names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "themes": self.themes,
            "entries": self.entries,
            "added": self.added,
            "removed": self.removed,
            "names": self.names,
        }


def entry_ref(corpus: Corpus, row: int) -> EntryRef:
    """The entry in row ``row`` of a corpus."""
    return EntryRef(
        corpus.kinds[row],
        corpus.ids[row],
        corpus.uids[row],
        corpus.titles[row],
        corpus.created[row],
    )
