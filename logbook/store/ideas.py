"""Ideas: the running log of thoughts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import text, true
from sqlmodel import Session, col, select

from logbook.dates import now
from logbook.errors import NotFoundError, UsageError
from logbook.ids import new_uid
from logbook.numbers import MAX_NUMBER, is_number, number_in_range
from logbook.store.idea_views import IdeaView
from logbook.store.kinds import IDEA_STATUSES, check_size, one_of
from logbook.store.removal import remove_entry, restore_entry
from logbook.store.revisions import keep_revision, keep_unsaved, revisions_of
from logbook.store.tags import TagRef, link_tags, tags_of, unlink_tags
from logbook.store.types import format_utc
from logbook.tags import inline_tags, normalize_tag

if TYPE_CHECKING:
    from logbook.store import Store
    from logbook.store.models import Idea

# The models are imported inside the methods that query through them: `add`, the command
# people run most, uses plain statements and must not pay for building the model classes.


def check_status(status: str) -> str:
    """``status`` if it is an idea status, else a usage error listing the valid ones."""
    return one_of(status, IDEA_STATUSES, "an idea status")


class Ideas:
    """The ideas in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        body: str,
        *,
        tags: list[str] | None = None,
        papers: list[str] | None = None,
        created_at: datetime | None = None,
        status: str = "open",
    ) -> IdeaView:
        """Record a new idea; ``#tags`` in the text and ``tags`` become user tags.

        ``papers`` are paper numbers or arXiv ids already in the store.
        """
        body = body.strip("\n")
        if not body.strip():
            raise UsageError("an idea needs some text")
        check_size(body, "the idea")
        names = list(dict.fromkeys([*inline_tags(body), *(normalize_tag(t) for t in tags or [])]))
        moment = now(UTC)
        created = created_at or moment
        if created > moment + timedelta(minutes=1):
            # A log records what was thought; a future date would also sort it after
            # everything written until then.
            raise UsageError(
                f"{created.date().isoformat()} is in the future; an idea is dated when it was had"
            )
        uid = new_uid()
        author = self.store.author  # before the transaction: it may run git
        # Plain statements, not the ORM: adding is the command people run most, and the
        # ORM's unit of work and mapper set-up would cost more than the whole insert.
        with self.store._write() as session:
            idea_id = session.execute(
                text(
                    "INSERT INTO idea (uid, text, status, created_at, updated_at, author) "
                    "VALUES (:uid, :text, :status, :created, :updated, :author) RETURNING id"
                ),
                {
                    "uid": uid,
                    "text": body,
                    "status": check_status(status),
                    "created": format_utc(created),
                    "updated": format_utc(moment),
                    "author": author,
                },
            ).scalar_one()
            link_tags(session, "idea", idea_id, names)
            linked = []
            for ref in dict.fromkeys(papers or []):
                paper = _paper_ref(session, ref)
                session.execute(
                    text(
                        "INSERT INTO idea_paper (idea_id, paper_id) VALUES (:i, :p) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    {"i": idea_id, "p": paper["id"]},
                )
                linked.append(paper)
        return IdeaView(
            id=idea_id,
            uid=uid,
            text=body,
            status=check_status(status),
            created_at=created,
            updated_at=moment,
            author=author,
            tags=[TagRef(name, "user") for name in sorted(names)],
            papers=sorted({p["id"]: p for p in linked}.values(), key=lambda p: p["id"]),
        )

    def get(self, number: int, *, archived: bool = True, archived_papers: bool = True) -> IdeaView:
        """The idea numbered ``number``, with its revisions.

        ``archived=False`` treats a removed idea as missing; ``archived_papers=False`` leaves
        removed papers out of its linked papers.
        """
        with self.store._read() as session:
            idea = _load(session, number, archived=archived)
            view = self._views(session, [idea], archived_papers=archived_papers)[0]
            view.revisions = revisions_of(session, idea.uid)
            return view

    def find(
        self,
        *,
        tags: list[str] | None = None,
        statuses: list[str] | None = None,
        authors: list[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        changed_since: datetime | None = None,
        changed_until: datetime | None = None,
        archived: bool = False,
        archived_papers: bool = True,
        limit: int | None = None,
    ) -> list[IdeaView]:
        """Ideas matching every filter given, oldest first.

        ``since``/``until`` bound the creation time (until is exclusive); ``changed_since``
        also keeps ideas edited after that moment, and ``changed_until`` (exclusive) bounds
        that creation or edit from above. ``authors`` keeps ideas written by one of them
        (``""``: by nobody known). ``archived`` lists removed ideas instead;
        ``archived_papers=False`` leaves removed papers out of the linked papers.
        """
        from logbook.store.models import Idea, IdeaTag, Tag

        query = select(Idea)
        query = query.where(
            col(Idea.archived_at).is_not(None) if archived else col(Idea.archived_at).is_(None)
        )
        if statuses:
            query = query.where(col(Idea.status).in_([check_status(s) for s in statuses]))
        if authors is not None:
            query = query.where(col(Idea.author).in_([a.strip() for a in authors]))
        if since is not None and changed_since is not None:
            raise ValueError("give since or changed_since, not both")
        if since is not None:
            query = query.where(col(Idea.created_at) >= since)
        if changed_since is not None or changed_until is not None:
            created = _within(col(Idea.created_at), changed_since, changed_until)
            updated = _within(col(Idea.updated_at), changed_since, changed_until)
            query = query.where(created | updated)
        if until is not None:
            query = query.where(col(Idea.created_at) < until)
        for name in tags or []:
            tagged = (
                select(IdeaTag.idea_id)
                .join(Tag, col(Tag.id) == IdeaTag.tag_id)
                .where(Tag.name == normalize_tag(name))
            )
            query = query.where(col(Idea.id).in_(tagged))
        if limit is not None:
            # the newest ``limit`` ideas, still shown oldest first
            query = query.order_by(col(Idea.created_at).desc(), col(Idea.id).desc()).limit(limit)
        else:
            query = query.order_by(col(Idea.created_at), col(Idea.id))
        with self.store._read() as session:
            ideas = list(session.exec(query))
            if limit is not None:
                ideas.reverse()
            return self._views(session, ideas, archived_papers=archived_papers)

    def edit(self, number: int, body: str, *, base_version: int | None = None) -> IdeaView:
        """Replace an idea's text, keeping the old text as a revision.

        ``base_version`` is the ``row_version`` the text was read at (an edit in $EDITOR):
        if another edit was saved since, nothing is replaced; ``body`` is kept as the
        newest revision and ``ConflictError`` says how to see it or bring it back.

        Tags written in the text follow it: inline ``#tags`` of the new text are added, and
        those the old text had inline and the new one drops are removed. Tags that came
        another way (``--tag``, ``idea tag``) stay, unless the old text also had them inline:
        the store keeps no record of where a tag came from, so the text is the evidence.
        """
        body = body.strip("\n")
        if not body.strip():
            raise UsageError("an idea needs some text; use 'idea rm' to remove it")
        check_size(body, "the idea")
        conflict = None
        with self.store._write() as session:
            idea = _load(session, number)
            if base_version is not None and idea.row_version != base_version:
                if idea.text != body:
                    conflict = keep_unsaved(session, "idea", idea.uid, "text", body, number)
            elif idea.text != body:
                moment = keep_revision(
                    session, "idea", idea.uid, "text", idea.text, idea.updated_at
                )
                dropped = set(inline_tags(idea.text)) - set(inline_tags(body))
                idea.text = body
                idea.updated_at = moment
                session.add(idea)
                # the ORM's version counter: UPDATE … SET row_version = v + 1
                # WHERE id = :id AND row_version = v, v being the version read above
                session.flush()
                assert idea.id is not None
                unlink_tags(session, "idea", idea.id, sorted(dropped))
                link_tags(session, "idea", idea.id, inline_tags(body))
            view = self._view(session, idea)
        if conflict is not None:
            raise conflict  # after the commit: the kept text must be saved
        return view

    def revert(self, number: int, revision: int | None = None) -> IdeaView:
        """Bring back an earlier text: revision ``revision`` (1 is the oldest, as
        ``revisions`` lists them), by default the latest. The current text becomes a revision,
        so a revert is itself undone by reverting again."""
        with self.store.batch():
            texts = [r["text"] for r in self.get(number).revisions if r["field"] == "text"]
            if not texts:
                raise UsageError(f"idea #{number} has no earlier text")
            chosen = len(texts) if revision is None else revision
            if not 1 <= chosen <= len(texts):
                raise UsageError(f"idea #{number} has earlier texts 1 to {len(texts)}")
            return self.edit(number, texts[chosen - 1])

    def set_status(self, number: int, status: str) -> IdeaView:
        """Move an idea to ``open``, ``exploring``, ``done`` or ``dropped``."""
        value = check_status(status)
        with self.store._write() as session:
            idea = _load(session, number)
            if idea.status != value:
                idea.status = value
                idea.updated_at = now(UTC)
                session.add(idea)
                session.flush()
            return self._view(session, idea)

    def tag(self, number: int, names: list[str], *, remove: bool = False) -> IdeaView:
        """Add (or with ``remove`` take away) user tags."""
        normalized = [normalize_tag(n) for n in names]
        with self.store._write() as session:
            idea = _load(session, number)
            assert idea.id is not None
            if remove:
                unlink_tags(session, "idea", idea.id, normalized)
            else:
                link_tags(session, "idea", idea.id, normalized)
            idea.updated_at = now(UTC)
            session.add(idea)
            session.flush()
            return self._view(session, idea)

    def link_papers(self, number: int, papers: list[str], *, remove: bool = False) -> IdeaView:
        """Link an idea to papers (numbers or arXiv ids), or unlink them."""
        with self.store._write() as session:
            idea = _load(session, number)
            assert idea.id is not None
            for ref in papers:
                paper_id = _paper_ref(session, ref)["id"]
                session.execute(
                    text(
                        "DELETE FROM idea_paper WHERE idea_id = :i AND paper_id = :p"
                        if remove
                        else "INSERT INTO idea_paper (idea_id, paper_id) VALUES (:i, :p) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    {"i": idea.id, "p": paper_id},
                )
            return self._view(session, idea)

    def remove(self, number: int, *, purge: bool = False) -> IdeaView:
        """Archive an idea (hidden, restorable), or with ``purge`` delete it for good."""
        with self.store._write() as session:
            idea = _load(session, number)
            view = self._view(session, idea)
            remove_entry(session, idea, purge=purge)
            return view

    def restore(self, number: int) -> IdeaView:
        """Bring back an archived idea."""
        with self.store._write() as session:
            idea = _load(session, number)
            restore_entry(session, idea, f"idea #{number}")
            return self._view(session, idea)

    def _view(self, session: Session, idea: Idea) -> IdeaView:
        return self._views(session, [idea])[0]

    def _views(
        self, session: Session, ideas: list[Idea], *, archived_papers: bool = True
    ) -> list[IdeaView]:
        from logbook.store.models import IdeaPaper, Paper

        ids = [i.id for i in ideas if i.id is not None]
        tags = tags_of(session, "idea", ids)
        papers: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = (
                select(IdeaPaper.idea_id, Paper.id, Paper.arxiv_id, Paper.title)
                .join(Paper, col(Paper.id) == IdeaPaper.paper_id)
                .where(col(IdeaPaper.idea_id).in_(chunk))
                .order_by(col(Paper.id))
            )
            if not archived_papers:
                query = query.where(col(Paper.archived_at).is_(None))
            rows = session.exec(query)
            for idea_id, paper_id, arxiv_id, title in rows:
                papers[idea_id].append({"id": paper_id, "arxiv_id": arxiv_id, "title": title})
        return [
            IdeaView(
                id=i.id or 0,
                uid=i.uid,
                text=i.text,
                status=i.status,
                created_at=i.created_at,
                updated_at=i.updated_at,
                archived_at=i.archived_at,
                author=i.author,
                row_version=i.row_version,
                tags=tags.get(i.id or 0, []),
                papers=papers.get(i.id or 0, []),
            )
            for i in ideas
        ]


def _within(column: Any, since: datetime | None, until: datetime | None) -> Any:
    """``since <= column < until``, either bound left out when ``None``."""
    condition = true()
    if since is not None:
        condition = condition & (column >= since)
    if until is not None:
        condition = condition & (column < until)
    return condition


def _load(session: Session, number: int, *, archived: bool = True) -> Idea:
    from logbook.store.models import Idea

    # A number SQLite cannot hold names no idea; asking SQLite would overflow.
    idea = session.get(Idea, number) if 0 < number <= MAX_NUMBER else None
    if idea is None or (not archived and idea.archived_at is not None):
        raise NotFoundError(f"no idea #{number}")
    return idea


def _paper_ref(session: Session, ref: str) -> dict[str, Any]:
    """A paper's number, arXiv id and title from its number or arXiv id (any pasted form)."""
    ref = str(ref).strip().lstrip("#")
    # A removed paper is not offered for new links; restore it first.
    query = "SELECT id, arxiv_id, title FROM paper WHERE archived_at IS NULL AND "
    row = None
    if is_number(ref):
        number = number_in_range(ref)
        if number is not None:
            row = session.execute(text(query + "id = :id"), {"id": number}).first()
    else:
        from logbook.arxiv_ids import parse_arxiv_id

        parsed = parse_arxiv_id(ref)
        if parsed is None:
            raise UsageError(f"{ref!r} is not a paper number or an arXiv id")
        row = session.execute(text(query + "arxiv_id = :a"), {"a": parsed.id}).first()
    if row is None:
        raise NotFoundError(
            f"no paper {ref} in the store (import it first: logbook paper import {ref})"
        )
    return {"id": row[0], "arxiv_id": row[1], "title": row[2]}
