"""Revisions: the earlier texts of an entry's edited fields (idea text, paper notes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.errors import ConflictError
from logbook.store.sql import Sql, as_sql
from logbook.store.timestamps import iso, parse_utc

if TYPE_CHECKING:
    from sqlmodel import Session


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


def keep_unsaved(
    session: Session, kind: str, uid: str, field: str, value: str, number: int | str
) -> ConflictError:
    """Keep text the user saved over an entry that changed since they read it, as the
    entry's newest revision (nothing typed is lost); return the error that says where."""
    from sqlmodel import col, select

    from logbook.store.models import Revision

    moment = now(UTC)
    keep_revision(session, kind, uid, field, value, moment, moment)
    session.flush()
    rows = session.exec(
        select(Revision.id).where(col(Revision.entry_uid) == uid, col(Revision.field) == field)
    )
    kept = len(list(rows))
    if kind == "idea":
        return ConflictError(
            f"idea {number} changed while you were editing it (by another logbook); your text "
            f"is kept as revision {kept}: see `logbook idea show {number}`, bring it back with "
            f"`logbook idea revert {number} {kept}`",
            kept_in_store=True,
        )
    return ConflictError(
        f"{kind} {number} changed while you were editing its {field} (by another logbook); "
        f"your text is kept as revision {kept}: see `logbook {kind} show {number} --json`",
        kept_in_store=True,
    )


def revisions_of(target: Sql | Session, uid: str) -> list[dict[str, Any]]:
    """An entry's revisions, oldest first, in the documented JSON form."""
    rows = as_sql(target).rows(
        "SELECT field, value, written_at, replaced_at FROM revision "
        "WHERE entry_uid = :uid ORDER BY id",
        {"uid": uid},
    )
    return [
        {
            "field": field,
            "text": value,
            "written_at": iso(parse_utc(written_at)),
            "replaced_at": iso(parse_utc(replaced_at)),
        }
        for field, value, written_at, replaced_at in rows
    ]
