"""How tags spread over time: when the entries carrying each tag were created.

The weekly post judges its themes by this history (a theme recurs over weeks) without
re-analysing every text.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from logbook.store.models import Idea, IdeaTag, Paper, PaperTag, Tag

if TYPE_CHECKING:
    from logbook.store import Store


def tag_history(store: Store, names: list[str], end: datetime) -> dict[str, list[datetime]]:
    """For each tag name: when every entry carrying it (not archived) was created, up to ``end``."""
    found: dict[str, list[datetime]] = {}
    with store._read() as session:
        _history(session, names, end, found)
    return found


def _history(
    session: Session, names: list[str], end: datetime, found: dict[str, list[datetime]]
) -> None:
    for model, link, column in ((Idea, IdeaTag, IdeaTag.idea_id), (Paper, PaperTag, PaperTag.paper_id)):  # fmt: skip
        for start in range(0, len(names), 500):
            rows = session.exec(
                select(Tag.name, model.id, model.created_at)
                .join(link, col(link.tag_id) == Tag.id)
                .join(model, col(model.id) == column)
                .where(col(Tag.name).in_(names[start : start + 500]))
                .where(col(model.archived_at).is_(None), col(model.created_at) < end)
                .distinct()
            )
            for name, _, created in rows:
                found.setdefault(name, []).append(created)
