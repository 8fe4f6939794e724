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

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from logbook.arxiv_ids import parse_arxiv_id
from logbook.dates import now
from logbook.errors import NotFoundError, UsageError
from logbook.ids import new_uid
from logbook.numbers import is_number, number_in_range
from logbook.store.kinds import READING_STATUSES, check_size, one_of, title_of
from logbook.store.models import Idea, IdeaPaper, Paper, PaperTag, Tag
from logbook.store.paper_views import ARXIV_FIELDS, Known, PaperMeta, PaperView, Saved
from logbook.store.removal import remove_entry, restore_entry
from logbook.store.revisions import keep_revision, keep_unsaved, revisions_of
from logbook.store.rules import link_or_none, new_cite_key
from logbook.store.tags import link_tags, tags_of, unlink_tags
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from logbook.store import Store


def check_status(status: str) -> str:
    """``status`` if it is a reading status, else a usage error listing the valid ones."""
    return one_of(status, READING_STATUSES, "a reading status")


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
        with self.store._read() as session:
            missing = session.exec(select(Paper.id).where(col(Paper.cite_key).is_(None))).first()
        if missing is None:
            return 0
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
        with self.store._read() as session:
            paper = _load(session, ref, archived=archived)
            view = self._views(session, [paper])[0]
            view.revisions = revisions_of(session, paper.uid)
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
        # plain rows, not ORM objects: a long list skips the identity map
        query = sa_select(*Paper.__table__.columns).where(*_filters(**filters))  # type: ignore[attr-defined]
        if limit is not None:
            query = query.order_by(col(Paper.created_at).desc(), col(Paper.id).desc()).limit(limit)
        else:
            query = query.order_by(col(Paper.created_at), col(Paper.id))
        return self._stream(query, newest_first=limit is not None)

    def _stream(self, query: Any, *, newest_first: bool = False) -> Iterator[PaperView]:
        with self.store._read() as session:
            if newest_first:
                papers = list(session.execute(query))
                papers.reverse()
                yield from self._views(session, papers)
                return
            # yield_per: the session would otherwise buffer every row before the first
            for chunk in session.execute(query.execution_options(yield_per=1000)).partitions():
                yield from self._views(session, chunk)

    def reading_list(
        self, *, statuses: Sequence[str] | None = None, tags: Sequence[str] | None = None
    ) -> list[PaperView]:
        """The papers of the reading list, each with its citation key (as the export has it).

        ``logbook.store.reading_list`` streams the same papers (and groups them by tag)."""
        self.ensure_cite_keys()
        return self.find(statuses=statuses, tags=tags)

    def count(self, **filters: Any) -> int:
        """How many papers ``find`` with the same filters (and no ``limit``) would give."""
        query = sa_select(func.count()).select_from(Paper).where(*_filters(**filters))
        with self.store._read() as session:
            return int(session.execute(query).scalar_one())

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

    def _views(self, session: Session, papers: Sequence[Any]) -> list[PaperView]:
        """Views of papers: ``Paper`` objects or rows with the same column names."""
        ids = [p.id for p in papers if p.id is not None]
        tags = tags_of(session, "paper", ids)
        ideas: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = session.exec(
                select(IdeaPaper.paper_id, Idea.id, Idea.text, Idea.status)
                .join(Idea, col(Idea.id) == IdeaPaper.idea_id)
                .where(col(IdeaPaper.paper_id).in_(chunk), col(Idea.archived_at).is_(None))
                .order_by(col(Idea.id))
            )
            for paper_id, idea_id, body, status in rows:
                ideas[paper_id].append({"id": idea_id, "title": title_of(body), "status": status})
        views = []
        for paper in papers:
            data = paper._asdict() if hasattr(paper, "_asdict") else _columns(paper)
            data["withdrawn"] = bool(data["withdrawn"])
            views.append(
                PaperView(**data, tags=tags.get(data["id"], []), ideas=ideas.get(data["id"], []))
            )
        return views


_COLUMNS = tuple(c.name for c in Paper.__table__.columns)  # type: ignore[attr-defined]


def _columns(paper: Paper) -> dict[str, Any]:
    return {name: getattr(paper, name) for name in _COLUMNS}


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


def _filters(
    *,
    statuses: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    authors: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    read_since: datetime | None = None,
    read_until: datetime | None = None,
    archived: bool = False,
) -> list[Any]:
    """The conditions of ``Papers.find`` and ``Papers.count``."""
    where: list[Any] = [
        col(Paper.archived_at).is_not(None) if archived else col(Paper.archived_at).is_(None)
    ]
    if statuses:
        where.append(col(Paper.status).in_([check_status(s) for s in statuses]))
    if authors is not None:  # who added them ('' for nobody known), not arXiv's authors
        where.append(col(Paper.author).in_([a.strip() for a in authors]))
    if since is not None:
        where.append(col(Paper.created_at) >= since)
    if until is not None:
        where.append(col(Paper.created_at) < until)
    if read_since is not None:
        where.append(col(Paper.read_at) >= read_since)
    if read_until is not None:
        where.append(col(Paper.read_at) < read_until)
    for name in tags or []:
        where.append(col(Paper.id).in_(_tagged(normalize_tag(name))))
    for name in categories or []:
        where.append(col(Paper.id).in_(_tagged(normalize_tag(name), "category")))
    return where


def _tagged(name: str, kind: str | None = None) -> Any:
    query = select(PaperTag.paper_id).join(Tag, col(Tag.id) == PaperTag.tag_id)
    query = query.where(Tag.name == name)
    if kind is not None:
        query = query.where(Tag.kind == kind)
    return query


def _load(session: Session, ref: str | int, *, archived: bool = True) -> Paper:
    """A paper by number or arXiv id (any form); ``NotFoundError`` when there is none.

    ``archived=False`` treats a removed paper as missing.
    """
    text_ref = str(ref).strip().lstrip("#")
    if is_number(text_ref):
        number = number_in_range(text_ref)
        paper = session.get(Paper, number) if number is not None else None
        if paper is None or (not archived and paper.archived_at is not None):
            raise NotFoundError(f"no paper #{text_ref}")
        return paper
    parsed = parse_arxiv_id(text_ref)
    if parsed is None:
        raise UsageError(
            f"{ref!r} is not a paper number or an arXiv id (e.g. 12, 1706.03762, hep-th/9901001)"
        )
    found = session.exec(select(Paper).where(Paper.arxiv_id == parsed.id)).first()
    if found is None or (not archived and found.archived_at is not None):
        raise NotFoundError(
            f"no paper {parsed.id} in the store (import it: logbook paper import {parsed.id})"
        )
    return found
