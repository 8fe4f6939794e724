"""Papers: arXiv metadata as fetched, plus what the reader adds (status, notes, tags).

Saving fetched metadata is an upsert by versionless arXiv id. A refresh replaces arXiv's
fields but never the reader's: status, ``read_at``/``read_version``, notes, user tags and the
citation key stay as they were. arXiv categories are tags of kind ``category``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.errors import UsageError
from logbook.ids import new_uid
from logbook.store import paper_reads
from logbook.store.kinds import check_size
from logbook.store.paper_reads import check_status as check_status
from logbook.store.paper_views import ARXIV_FIELDS, Known, PaperLine, PaperMeta, PaperView, Saved
from logbook.store.removal import remove_entry, restore_entry
from logbook.store.revisions import keep_revision, keep_unsaved, revisions_of
from logbook.store.rules import link_or_none, new_cite_key
from logbook.store.sql import as_sql
from logbook.store.tags import link_tags, tags_of, unlink_tags
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from sqlmodel import Session

    from logbook.store import Store
    from logbook.store.models import Paper

# Reading (``get``, ``find``, ``count``) runs plain statements (``logbook.store.paper_reads``)
# and loads no ORM; the changes below import SQLModel and the models when they run.


def category_tags(categories: Iterable[str]) -> list[str]:
    """Tag names for arXiv categories (``cs.LG`` → ``cs.lg``); odd ones like ``F.2.2; I.2`` split."""
    names: dict[str, None] = {}
    for category in categories:
        for piece in re.split(r"[;,\s]+", category):
            try:
                names[normalize_tag(piece)] = None
            except UsageError:
                continue
    return list(names)


class Papers:
    """The papers in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- saving what arXiv said ------------------------------------------------------------

    def known(self, arxiv_ids: Sequence[str]) -> dict[str, Known]:
        """Which of ``arxiv_ids`` (versionless) are in the store already."""
        from sqlmodel import col, select

        from logbook.store.models import Paper

        found: dict[str, Known] = {}
        with self.store._read() as session:
            for start in range(0, len(arxiv_ids), 500):
                chunk = list(arxiv_ids[start : start + 500])
                rows = session.exec(
                    select(Paper.arxiv_id, Paper.id, Paper.title, Paper.archived_at).where(
                        col(Paper.arxiv_id).in_(chunk)
                    )
                )
                for arxiv_id, number, title, archived_at in rows:
                    found[arxiv_id] = Known(number or 0, title, archived_at is not None)
        return found

    def save(
        self,
        metas: Sequence[PaperMeta],
        *,
        tags: Sequence[str] = (),
        added_at: datetime | None = None,
    ) -> list[Saved]:
        """Insert new papers and refresh known ones, in one transaction.

        A known paper is ``updated`` only when arXiv's fields changed; an older version than
        the one stored never replaces it. Archived papers come back. ``tags`` are user tags
        given to every paper saved; ``added_at`` dates the new ones (default now).
        """
        from sqlmodel import select

        from logbook.store.models import Paper

        names = [normalize_tag(t) for t in tags]
        moment = now(UTC)
        saved = []
        author = self.store.author  # who adds them; asked before the transaction (git)
        with self.store._write() as session:
            for meta in metas:
                paper = session.exec(select(Paper).where(Paper.arxiv_id == meta.arxiv_id)).first()
                if paper is None:
                    paper = Paper(
                        uid=new_uid(),
                        arxiv_id=meta.arxiv_id,
                        title=meta.title,
                        cite_key=new_cite_key(session, meta),
                        created_at=added_at or moment,
                        updated_at=moment,
                        author=author,
                    )
                    _apply(paper, meta)
                    outcome = "imported"
                elif meta.version >= paper.version and _apply(paper, meta):
                    paper.updated_at = moment
                    outcome = "updated"
                else:
                    outcome = "known"
                paper.archived_at = None
                session.add(paper)
                session.flush()
                assert paper.id is not None
                _sync_categories(session, paper.id, paper.categories)
                link_tags(session, "paper", paper.id, names)
                saved.append(Saved(paper.arxiv_id, paper.id, paper.title, outcome))
        return saved

    def unarchive(self, arxiv_ids: Sequence[str], *, tags: Sequence[str] = ()) -> None:
        """Bring back known papers imported again, and give them ``tags``."""
        from sqlmodel import select

        from logbook.store.models import Paper

        names = [normalize_tag(t) for t in tags]
        with self.store._write() as session:
            for arxiv_id in arxiv_ids:
                paper = session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).first()
                if paper is None or paper.id is None:
                    continue
                if paper.archived_at is not None:
                    paper.archived_at = None
                    session.add(paper)
                link_tags(session, "paper", paper.id, names)

    def ensure_cite_keys(self) -> int:
        """Give a citation key to papers that have none; how many. Keys never change once given.

        ``save`` and ``logbook import`` give every new paper its key; this catches papers
        stored before they did.
        """
        with self.store._read_sql() as sql:
            missing = sql.rows("SELECT id FROM paper WHERE cite_key IS NULL LIMIT 1")
        if not missing:
            return 0
        from sqlmodel import col, select

        from logbook.store.models import Paper

        count = 0
        with self.store._write() as session:
            for paper in session.exec(
                select(Paper).where(col(Paper.cite_key).is_(None)).order_by(col(Paper.id))
            ):
                paper.cite_key = new_cite_key(session, paper)
                session.add(paper)
                session.flush()
                count += 1
        return count

    # -- reading ----------------------------------------------------------------------------

    def get(self, ref: str | int, *, archived: bool = True) -> PaperView:
        """A paper by its number or any form of its arXiv id, with its revisions (notes, replaced metadata).

        ``archived=False`` treats a removed paper as missing.
        """
        with self.store._read_sql() as sql:
            view = paper_reads.find_one(sql, ref, archived=archived)
            view.revisions = revisions_of(sql, view.uid)
            return view

    def find(self, **filters: Any) -> list[PaperView]:
        """Papers matching every filter given, in the order they were added.

        Filters: ``statuses``, ``tags`` (any kind of tag of that name), ``categories``
        (arXiv categories, ``cs.LG``), ``authors`` (who added them), ``since``/``until`` (when the paper was added),
        ``read_since``/``read_until`` (when it was read; the ``until`` bounds are
        exclusive), ``archived``; ``limit`` keeps the newest.
        """
        return list(self.iter_find(**filters))

    def iter_find(self, *, limit: int | None = None, **filters: Any) -> Iterator[PaperView]:
        """``find`` one view at a time: rows are read a thousand at a time, so listing 100k
        papers never holds them all. The read lasts until the iterator is done."""
        conditions, params = paper_reads.where(**filters)
        with self.store._read_sql() as sql:
            if limit is not None:
                yield from paper_reads.newest(sql, conditions, params, limit)
            else:
                yield from paper_reads.stream(sql, conditions, params)

    def iter_lines(self, *, limit: int | None = None, **filters: Any) -> Iterator[PaperLine]:
        """``iter_find``'s papers as the rows of a list (``PaperLine``): only what a row
        shows is read."""
        conditions, params = paper_reads.where(**filters)
        with self.store._read_sql() as sql:
            yield from paper_reads.lines(sql, conditions, params, limit)

    def reading_list(
        self, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
    ) -> list[PaperView]:
        """The papers of the reading list, each with its citation key (as the export has it).

        ``logbook.store.reading_list`` streams the same papers (and groups them by tag)."""
        self.ensure_cite_keys()
        return self.find(statuses=statuses, tags=tags)

    def count(self, **filters: Any) -> int:
        """How many papers ``find`` with the same filters (and no ``limit``) would give."""
        conditions, params = paper_reads.where(**filters)
        with self.store._read_sql() as sql:
            return paper_reads.count(sql, conditions, params)

    # -- the reader's changes ---------------------------------------------------------------

    def set_status(self, ref: str | int, status: str, *, at: datetime | None = None) -> PaperView:
        """Move a paper to ``to-read``, ``reading`` or ``read``.

        ``read`` records when (``at``, default now) and which version; leaving ``read``
        forgets both. A paper read again at another ``at`` gets the new date.
        """
        value = check_status(status)
        with self.store._write() as session:
            paper = _load(session, ref)
            redated = at is not None and paper.read_at != at
            if paper.status != value or (value == "read" and (paper.read_at is None or redated)):
                moment = now(UTC)
                paper.status = value
                if value == "read":
                    paper.read_at = at or moment
                    paper.read_version = paper.version
                else:
                    paper.read_at = None
                    paper.read_version = None
                paper.updated_at = moment
                session.add(paper)
                session.flush()
            return self._views(session, [paper])[0]

    def note(
        self,
        ref: str | int,
        body: str,
        *,
        replace: bool = False,
        at: datetime | None = None,
        base_version: int | None = None,
    ) -> PaperView:
        """Add a paragraph to a paper's notes (or replace them); the old notes are kept.

        ``at`` is when the note was written (default now): the old notes' end.
        ``base_version``: the ``row_version`` the notes were read at (edited in $EDITOR); if
        the paper changed since, ``body`` is kept as a revision and ``ConflictError`` raised.
        """
        body = body.strip("\n")
        if not body.strip() and not replace:
            raise UsageError("a note needs some text")
        conflict = None
        with self.store._write() as session:
            paper = _load(session, ref)
            if base_version is not None and paper.row_version != base_version:
                conflict = keep_unsaved(session, "paper", paper.uid, "notes", body, ref)
                body, replace = paper.notes, True  # nothing of theirs is replaced
            new = body if replace or not paper.notes.strip() else f"{paper.notes}\n\n{body}"
            check_size(new, "the notes")
            if new != paper.notes:
                moment = keep_revision(
                    session, "paper", paper.uid, "notes", paper.notes, paper.updated_at, at
                )
                paper.notes = new
                paper.updated_at = moment
                session.add(paper)
                session.flush()
            view = self._views(session, [paper])[0]
        if conflict is not None:
            raise conflict  # after the commit: the kept notes must be saved
        return view

    def tag(self, ref: str | int, names: Sequence[str], *, remove: bool = False) -> PaperView:
        """Add (or with ``remove`` take away) user tags."""
        normalized = [normalize_tag(n) for n in names]
        with self.store._write() as session:
            paper = _load(session, ref)
            assert paper.id is not None
            if remove:
                unlink_tags(session, "paper", paper.id, normalized)
            else:
                link_tags(session, "paper", paper.id, normalized)
            paper.updated_at = now(UTC)
            session.add(paper)
            session.flush()
            return self._views(session, [paper])[0]

    def remove(self, ref: str | int, *, purge: bool = False) -> PaperView:
        """Archive a paper (hidden, restorable), or with ``purge`` delete it for good."""
        with self.store._write() as session:
            paper = _load(session, ref)
            view = self._views(session, [paper])[0]
            remove_entry(session, paper, purge=purge)
            return view

    def restore(self, ref: str | int) -> PaperView:
        """Bring back an archived paper."""
        with self.store._write() as session:
            paper = _load(session, ref)
            restore_entry(session, paper, f"paper {paper.arxiv_id}")
            return self._views(session, [paper])[0]

    # -- views ------------------------------------------------------------------------------

    def _views(self, session: Session, papers: Sequence[Paper]) -> list[PaperView]:
        """Views of papers the ORM loaded, with their tags and linked ideas."""
        views = [
            PaperView(**{name: getattr(paper, name) for name in paper_reads.COLUMNS})
            for paper in papers
        ]
        return paper_reads.attach(as_sql(session), views)


def _apply(paper: Paper, meta: PaperMeta) -> bool:
    """Copy arXiv's fields from ``meta``; whether anything changed."""
    changed = False
    for name in ARXIV_FIELDS:
        value = getattr(meta, name)
        if name == "pdf_url":  # a link arXiv sends is held to the rule an imported one is
            value = link_or_none(value)
        if isinstance(value, list):
            value = list(value)
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changed = True
    return changed


def _sync_categories(session: Session, paper_id: int, categories: list[str]) -> None:
    wanted = category_tags(categories)
    current = [t.name for t in tags_of(session, "paper", [paper_id])[paper_id] if t.kind == "category"]  # fmt: skip
    stale = [name for name in current if name not in wanted]
    if stale:
        unlink_tags(session, "paper", paper_id, stale, kind="category")
    missing = [name for name in wanted if name not in current]
    if missing:
        link_tags(session, "paper", paper_id, missing, kind="category")


def _load(session: Session, ref: str | int, *, archived: bool = True) -> Paper:
    """A paper by number or arXiv id (any form); ``NotFoundError`` when there is none.

    ``archived=False`` treats a removed paper as missing.
    """
    from logbook.store.models import Paper

    # the same lookup (and messages) as reading, then the ORM object to change
    number = paper_reads.lookup(as_sql(session), ref, archived=archived).id
    paper = session.get(Paper, number)
    assert paper is not None
    return paper
