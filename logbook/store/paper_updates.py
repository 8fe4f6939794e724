"""Keeping papers current with arXiv: when each was last checked, storing what changed, and
the new versions found in a period (for the weekly post).

A check that is applied replaces arXiv's fields like a refresh does (status, the version the
reader read, notes, user tags and the cite key stay) and keeps every replaced value that a
reader may want back (version, title, authors, abstract, comment, journal reference, DOI) as
a revision, so ``updated_versions`` can say when a new version was found.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.store import paper_reads
from logbook.store.kinds import REVISION_FIELDS
from logbook.store.paper_views import PaperMeta, PaperView
from logbook.store.revisions import keep_revision
from logbook.store.sql import in_list
from logbook.store.timestamps import format_utc, parse_utc

if TYPE_CHECKING:
    from logbook.store import Store

# The fields whose replaced values are kept as revisions (the import accepts them too).
TRACKED_FIELDS = REVISION_FIELDS["paper"][1:]


def stored_form(value: Any) -> str:
    """A field value as a revision holds it: lists as JSON, None as empty, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass
class VersionUpdate:
    """A new version of a paper the reader had read, and when logbook found it."""

    paper: PaperView
    previous: int  # the version stored before
    version: int  # the version found
    found_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.paper.id,
            "arxiv_id": self.paper.arxiv_id,
            "title": self.paper.title,
            "read_version": self.paper.read_version,
            "previous": self.previous,
            "version": self.version,
            "found_at": self.found_at.isoformat(),
        }


class PaperUpdates:
    """The update checks of the papers in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def checked_at(self, paper_ids: Sequence[int]) -> dict[int, datetime]:
        from sqlmodel import col, select

        from logbook.store.models import PaperFreshness

        """When each of ``paper_ids`` was last checked (papers never checked are absent)."""
        found: dict[int, datetime] = {}
        with self.store._read() as session:
            for start in range(0, len(paper_ids), 500):
                chunk = list(paper_ids[start : start + 500])
                rows = session.exec(
                    select(PaperFreshness.paper_id, PaperFreshness.checked_at).where(
                        col(PaperFreshness.paper_id).in_(chunk)
                    )
                )
                found.update(dict(rows.all()))
        return found

    def apply(self, metas: Sequence[PaperMeta], checked: Sequence[str]) -> list[str]:
        """Store newer metadata and mark the papers ``checked`` (versionless ids), in one
        transaction; the ids whose stored metadata changed.

        An older version than the one stored never replaces it; replaced values of
        ``TRACKED_FIELDS`` are kept as revisions, all at the same moment.
        """
        from logbook.store.papers import _apply, _sync_categories

        moment = now(UTC)
        changed: list[str] = []
        by_id = {m.arxiv_id: m for m in metas}
        from sqlmodel import select

        from logbook.store.models import Paper, PaperFreshness

        with self.store._write() as session:
            for arxiv_id in checked:
                paper = session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).first()
                if paper is None or paper.id is None:
                    continue
                meta = by_id.get(arxiv_id)
                if meta is not None and meta.version >= paper.version:
                    old = {name: stored_form(getattr(paper, name)) for name in TRACKED_FIELDS}
                    written = paper.updated_at
                    if _apply(paper, meta):
                        for name in TRACKED_FIELDS:
                            if stored_form(getattr(paper, name)) != old[name]:
                                keep_revision(
                                    session, "paper", paper.uid, name, old[name], written, moment
                                )
                        paper.updated_at = moment
                        session.add(paper)
                        session.flush()
                        _sync_categories(session, paper.id, paper.categories)
                        changed.append(arxiv_id)
                mark = session.get(PaperFreshness, paper.id)
                if mark is None:
                    mark = PaperFreshness(paper_id=paper.id, checked_at=moment)
                mark.checked_at = moment
                session.add(mark)
        return changed

    def updated_versions(self, since: datetime, until: datetime) -> list[VersionUpdate]:
        """New versions, found in [since, until), of papers the reader has read (and not
        removed), oldest find first: what a weekly post lists as "new versions of papers
        you read"."""
        with self.store._read_sql() as sql:
            rows = sql.rows(
                "SELECT entry_uid, value, replaced_at FROM revision WHERE entry_kind = 'paper' "
                "AND field = 'version' AND replaced_at >= :since AND replaced_at < :until "
                "ORDER BY replaced_at, id",
                {"since": format_utc(since), "until": format_utc(until)},
            )
            rows = [(uid, value, parse_utc(moment)) for uid, value, moment in rows]
            uids = list(dict.fromkeys(uid for uid, _, _ in rows))
            params: dict[str, Any] = {}
            conditions = [
                "p.archived_at IS NULL",
                "p.read_version IS NOT NULL",
                "p.uid IN " + in_list("uid", uids, params),
            ]
            views = {v.uid: v for v in paper_reads.stream(sql, conditions, params)}
            # the version found is the next revision's old value, or the current version
            found: list[VersionUpdate] = []
            for index, (uid, value, moment) in enumerate(rows):
                view = views.get(uid)
                if view is None or not value.isdigit():
                    continue
                later = [int(v) for u, v, _ in rows[index + 1 :] if u == uid and v.isdigit()]
                version = later[0] if later else view.version
                found.append(VersionUpdate(view, int(value), version, moment))
            return found
