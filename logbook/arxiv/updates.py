"""``paper check-updates``: ask arXiv what changed for the papers already on the reading list.

The flow: pick the papers (status, tag and date filters), leave out those checked within
the interval unless forced, fetch their latest versions through ``arxiv.api`` (batches of
at most 100 ids, the configured pacing, its retries and errors), compare field by field,
and only with ``apply`` store the new metadata and the check times in one transaction.
A fetch that fails raises before anything is written.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from logbook.arxiv_ids import parse_arxiv_id

if TYPE_CHECKING:
    from logbook.arxiv.api import Progress
    from logbook.store import Store
    from logbook.store.paper_views import PaperMeta, PaperView

# The fields a report compares, and how it names them.
COMPARED = {
    "title": "title",
    "authors": "authors",
    "abstract": "abstract",
    "comment": "comment",
    "journal_ref": "journal reference",
    "doi": "DOI",
}
# Words of unchanged text kept on each side of a change in an abstract's word diff.
CONTEXT_WORDS = 4


@dataclass
class FieldChange:
    """One field that arXiv changed: its old and new value."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class PaperChange:
    """What changed for one paper since it was imported (or last applied)."""

    id: int
    arxiv_id: str
    title: str
    old_version: int
    new_version: int
    read_version: int | None
    changes: list[FieldChange] = field(default_factory=list)
    abstract_diff: str | None = None

    @property
    def read_is_outdated(self) -> bool:
        """Whether the reader read an older version than the latest."""
        return self.read_version is not None and self.read_version < self.new_version

    def lines(self) -> list[str]:
        """The change as short lines for a terminal: ``v1 → v2``, ``DOI: … → …``."""
        found = []
        if self.new_version != self.old_version:
            found.append(f"v{self.old_version} → v{self.new_version}")
        for change in self.changes:
            if change.field == "abstract":
                found.append(f"abstract: {self.abstract_diff}")
            elif change.field == "authors":
                found.append(f"authors: {_authors(change.old)} → {_authors(change.new)}")
            else:
                found.append(f"{COMPARED[change.field]}: {change.old or '—'} → {change.new or '—'}")
        if self.read_is_outdated:
            found.append(f"you read v{self.read_version}; the latest is v{self.new_version}")
        return found

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "id": self.id,
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "read_version": self.read_version,
            "read_is_outdated": self.read_is_outdated,
            "changes": [c.to_dict() for c in self.changes],
            "abstract_diff": self.abstract_diff,
        }


@dataclass
class UpdateReport:
    """The outcome of one check: the changed papers, what was skipped, what was written."""

    checked: int = 0
    skipped_recent: int = 0
    not_found: list[str] = field(default_factory=list)
    changed: list[PaperChange] = field(default_factory=list)
    applied: bool = False
    requests: int = 0

    def summary(self) -> str:
        """One line: ``3 of 250 papers changed (3 requests to arXiv); applied``."""
        plural = "" if self.requests == 1 else "s"
        line = (
            f"{len(self.changed)} of {self.checked} papers changed "
            f"({self.requests} request{plural} to arXiv)"
        )
        if self.skipped_recent:
            line += f"; {self.skipped_recent} checked recently, skipped (--force checks them)"
        if self.not_found:
            line += f"; not found on arXiv: {', '.join(self.not_found)}"
        if self.changed:
            line += "; stored" if self.applied else "; nothing stored (--apply stores them)"
        return line

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "checked": self.checked,
            "skipped_recent": self.skipped_recent,
            "not_found": self.not_found,
            "requests": self.requests,
            "applied": self.applied,
            "changed": [c.to_dict() for c in self.changed],
        }


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """A short word diff: ``… score of [-41.0-] {+41.8+} after …``, unchanged runs elided."""
    before, after = old.split(), new.split()
    pieces: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context or ((first or last) and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            pieces.extend(words)
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(before[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(after[j1:j2]) + "+}")
    return " ".join(pieces)


def compare(paper: PaperView, meta: PaperMeta) -> PaperChange | None:
    """What ``meta`` (arXiv's latest) changes in ``paper``; ``None`` when nothing reported
    changed, or when arXiv answered with an older version than the one stored."""
    if meta.version < paper.version:
        return None
    change = PaperChange(
        paper.id, paper.arxiv_id, paper.title, paper.version, meta.version, paper.read_version
    )
    for name in COMPARED:
        old, new = getattr(paper, name), getattr(meta, name)
        if (old or None) != (new or None):
            change.changes.append(FieldChange(name, old, new))
            if name == "abstract":
                change.abstract_diff = word_diff(old or "", new or "")
    if not change.changes and change.new_version == change.old_version:
        return None
    return change


def check_updates(
    store: Store,
    *,
    api_url: str,
    delay_seconds: float,
    interval: timedelta,
    statuses: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    since: datetime | None = None,
    force: bool = False,
    apply: bool = False,
    progress: Progress | None = None,
) -> UpdateReport:
    """Check the chosen papers against arXiv; see the module docstring for the flow.

    Raises ``ArxivError`` (one line) when arXiv cannot be reached; nothing is written then,
    nor without ``apply``.
    """
    from logbook.arxiv.api import fetch_papers
    from logbook.dates import now

    papers = store.papers.find(statuses=statuses, tags=tags, since=since)
    report = UpdateReport()
    if not force and papers:
        cutoff = now(UTC) - interval
        checked = store.paper_updates.checked_at([p.id for p in papers])
        fresh = {n for n, moment in checked.items() if moment > cutoff}
        report.skipped_recent = sum(p.id in fresh for p in papers)
        papers = [p for p in papers if p.id not in fresh]
    report.checked = len(papers)
    ids = [parsed for p in papers if (parsed := parse_arxiv_id(p.arxiv_id)) is not None]
    result = fetch_papers(ids, api_url=api_url, delay_seconds=delay_seconds, progress=progress)
    report.requests = result.requests
    report.not_found = sorted({*result.not_found, *result.rejected})
    for paper in papers:
        meta = result.papers.get(paper.arxiv_id)
        found = compare(paper, meta) if meta is not None else None
        if found is not None:
            report.changed.append(found)
    if apply:
        store.paper_updates.apply(list(result.papers.values()), list(result.papers))
        report.applied = True
    return report


def _authors(names: Sequence[str] | None) -> str:
    names = list(names or [])
    return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
