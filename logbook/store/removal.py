"""Removing and restoring entries: one rule for ideas, papers and posts.

Removal is soft (``archived_at`` hides the entry until it is restored); ``purge`` deletes the
entry and the revisions kept of it, for good. Restoring an entry that was not removed is a
usage error, whatever its kind.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.errors import UsageError
from logbook.store.sql import as_sql

if TYPE_CHECKING:
    from sqlmodel import Session


def remove_entry(session: Session, entry: Any, *, purge: bool = False) -> None:
    """Archive ``entry`` (a model object) in ``session``'s transaction, or purge it."""
    if purge:
        as_sql(session).run("DELETE FROM revision WHERE entry_uid = :uid", {"uid": entry.uid})
        session.delete(entry)
    elif entry.archived_at is None:
        entry.archived_at = now(UTC)
        session.add(entry)
    session.flush()


def restore_entry(session: Session, entry: Any, label: str) -> None:
    """Bring back an archived ``entry``; ``label`` names it in the error when it was not."""
    if entry.archived_at is None:
        raise UsageError(f"{label} was not removed; nothing to restore")
    entry.archived_at = None
    session.add(entry)
    session.flush()
