"""Plain-text export → store: rebuild an empty store, or merge into one that has entries.

Every file is read and checked (``import_check``) before anything of it is written; the
store merges the checked entries as they come (``Store.merge``: by uid, the newer text wins and the other is
kept as a revision). A malformed or conflicting file is reported with its path, in words,
and nothing of it reaches the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.store.merge import MergeResult
from logbook.sync.import_check import Entry, Malformed, Problem, check_entry, read_source

__all__ = ["Entry", "FolderImportSummary", "Malformed", "Problem", "check_entry", "import_path"]

if TYPE_CHECKING:
    from logbook.store import Store


@dataclass
class FolderImportSummary(MergeResult):
    """What an import added, updated and left alone, per kind, and the files it skipped."""

    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": self.warnings,
        }


def import_path(store: Store, path: Path) -> FolderImportSummary:
    """Import an export folder, or one exported file, into ``store``.

    Files are read, checked and merged one at a time (memory stays flat in the size of
    the export); what failed is reported in the order: unreadable files, malformed
    entries, entries the store could not take.
    """
    unreadable: list[Problem] = []
    malformed: list[Problem] = []
    records = read_source(path, unreadable)

    def checked() -> Iterator[Entry]:
        for kind, where, record in records:
            try:
                yield check_entry(kind, where, record)
            except Malformed as error:
                malformed.append(Problem(where, str(error)))

    merged = store.merge(checked())
    problems = unreadable + malformed + [Problem(s.where, s.message) for s in merged.skipped]
    return FolderImportSummary(**{**vars(merged), "skipped": []}, problems=problems)
