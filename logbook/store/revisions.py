"""Revisions: the earlier texts of an entry's edited fields (idea text, paper notes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from logbook.dates import now
from logbook.store.types import iso


def keep_revision(
    session: Session,
    kind: str,
    uid: str,
    field: str,
    old_text: str,
    written_at: datetime,
    moment: datetime | None = None,
) -> datetime:
    """Keep ``old_text`` (written at ``written_at``) as replaced at ``moment`` (default now).

    Returns that moment: the entry's new ``updated_at``. An empty old text leaves no revision.
    """
    from logbook.store.models import Revision  # not at import time: see store/ideas.py

    moment = moment or now(UTC)
    if old_text:
        session.add(
            Revision(
                entry_kind=kind,
                entry_uid=uid,
                field=field,
                value=old_text,
                written_at=written_at,
                replaced_at=moment,
            )
        )
    return moment


def revisions_of(session: Session, uid: str) -> list[dict[str, Any]]:
    """An entry's revisions, oldest first, in the documented JSON form."""
    from logbook.store.models import Revision

    return [
        {
            "field": r.field,
            "text": r.value,
            "written_at": iso(r.written_at),
            "replaced_at": iso(r.replaced_at),
        }
        for r in session.exec(
            select(Revision).where(Revision.entry_uid == uid).order_by(col(Revision.id))
        )
    ]
