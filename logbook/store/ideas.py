"""Ideas: the running log of thoughts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from logbook.dates import now
from logbook.errors import NotFoundError, UsageError
from logbook.ids import new_uid
from logbook.numbers import MAX_NUMBER, is_number, number_in_range
from logbook.store.idea_views import IdeaView
from logbook.store.kinds import IDEA_STATUSES, check_size, one_of
from logbook.store.removal import remove_entry, restore_entry
from logbook.store.revisions import keep_revision, keep_unsaved, revisions_of
from logbook.store.sql import Sql, as_sql, first, id_lists, in_list, scalar, within
from logbook.store.tags import TagRef, link_tags, tags_of, unlink_tags
from logbook.store.timestamps import format_utc, parse_utc
from logbook.tags import inline_tags, normalize_tag

if TYPE_CHECKING:
    from sqlmodel import Session

    from logbook.store import Store
    from logbook.store.models import Idea

# Adding, listing and showing run plain statements on the store's own connection: they are
# the commands people run most, and must not pay for importing SQLAlchemy and building the
# model classes. Edits, which need the version check, go through the ORM.
_COLUMNS = "id, uid, text, status, created_at, updated_at, archived_at, author, row_version"


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
        with self.store._write_sql() as sql:
            idea_id = scalar(
                sql,
                "INSERT INTO idea (uid, text, status, created_at, updated_at, author) "
                "VALUES (:uid, :text, :status, :created, :updated, :author) RETURNING id",
                {
                    "uid": uid,
                    "text": body,
                    "status": check_status(status),
                    "created": format_utc(created),
                    "updated": format_utc(moment),
                    "author": author,
                },
            )
            link_tags(sql, "idea", idea_id, names)
            linked = []
            for ref in dict.fromkeys(papers or []):
                paper = _paper_ref(sql, ref)
                sql.run(
                    "INSERT INTO idea_paper (idea_id, paper_id) VALUES (:i, :p) "
                    "ON CONFLICT DO NOTHING",
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
        with self.store._read_sql() as sql:
            found = _rows(sql, "id = :id", {"id": number}) if 0 < number <= MAX_NUMBER else []
            if not found or (not archived and found[0].archived_at is not None):
                raise NotFoundError(f"no idea #{number}")
            view = _attach(sql, found, archived_papers=archived_papers)[0]
            view.revisions = revisions_of(sql, view.uid)
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
        params: dict[str, Any] = {}
        where = ["archived_at IS NOT NULL" if archived else "archived_at IS NULL"]
        if statuses:
            wanted = [check_status(s) for s in statuses]
            where.append("status IN " + in_list("status", wanted, params))
        if authors is not None:
            where.append("author IN " + in_list("author", [a.strip() for a in authors], params))
        if since is not None and changed_since is not None:
            raise ValueError("give since or changed_since, not both")
        where += within("created_at", since, until, params, "created")
        if changed_since is not None or changed_until is not None:
            created = within("created_at", changed_since, changed_until, params, "changed")
            updated = within("updated_at", changed_since, changed_until, params, "changed")
            where.append(f"(({' AND '.join(created)}) OR ({' AND '.join(updated)}))")
        for n, name in enumerate(tags or []):
            where.append(
                "id IN (SELECT idea_tag.idea_id FROM idea_tag JOIN tag ON tag.id = "
                f"idea_tag.tag_id WHERE tag.name = :tag{n})"
            )
            params[f"tag{n}"] = normalize_tag(name)
        condition = " AND ".join(where)
        if limit is not None:
            # the newest ``limit`` ideas, still shown oldest first
            condition += " ORDER BY created_at DESC, id DESC LIMIT :limit"
            params["limit"] = limit
        else:
            condition += " ORDER BY created_at, id"
        with self.store._read_sql() as sql:
            ideas = _rows(sql, condition, params)
            if limit is not None:
                ideas.reverse()
            return _attach(sql, ideas, archived_papers=archived_papers)

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
                as_sql(session).run(
                    "DELETE FROM idea_paper WHERE idea_id = :i AND paper_id = :p"
                    if remove
                    else "INSERT INTO idea_paper (idea_id, paper_id) VALUES (:i, :p) "
                    "ON CONFLICT DO NOTHING",
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
        return _attach(as_sql(session), [_of(idea)])[0]


def _of(idea: Idea) -> IdeaView:
    """The view of an idea the ORM loaded (tags and papers still to attach)."""
    return IdeaView(
        id=idea.id or 0,
        uid=idea.uid,
        text=idea.text,
        status=idea.status,
        created_at=idea.created_at,
        updated_at=idea.updated_at,
        archived_at=idea.archived_at,
        author=idea.author,
        row_version=idea.row_version,
    )


def _rows(sql: Sql, condition: str, params: dict[str, Any]) -> list[IdeaView]:
    """Ideas whose row meets ``condition`` (which may end in ORDER BY and LIMIT)."""
    rows = sql.rows(f"SELECT {_COLUMNS} FROM idea WHERE {condition}", params)
    return [
        IdeaView(
            id=row[0],
            uid=row[1],
            text=row[2],
            status=row[3],
            created_at=parse_utc(row[4]),
            updated_at=parse_utc(row[5]),
            archived_at=parse_utc(row[6]) if row[6] is not None else None,
            author=row[7],
            row_version=row[8],
        )
        for row in rows
    ]


def _attach(sql: Sql, views: Sequence[IdeaView], *, archived_papers: bool = True) -> list[IdeaView]:
    """``views`` with their tags and linked papers, read in a few queries for all of them."""
    ids = [v.id for v in views]
    tags = tags_of(sql, "idea", ids)
    papers: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    shown = "" if archived_papers else " AND p.archived_at IS NULL"
    for marks in id_lists(ids):
        rows = sql.rows(
            "SELECT l.idea_id, p.id, p.arxiv_id, p.title FROM idea_paper l "
            f"JOIN paper p ON p.id = l.paper_id WHERE l.idea_id IN ({marks}){shown} "
            "ORDER BY p.id"
        )
        for idea_id, paper_id, arxiv_id, title in rows:
            papers[idea_id].append({"id": paper_id, "arxiv_id": arxiv_id, "title": title})
    for view in views:
        view.tags = tags.get(view.id, [])
        view.papers = papers.get(view.id, [])
    return list(views)


def _load(session: Session, number: int, *, archived: bool = True) -> Idea:
    from logbook.store.models import Idea

    # A number SQLite cannot hold names no idea; asking SQLite would overflow.
    idea = session.get(Idea, number) if 0 < number <= MAX_NUMBER else None
    if idea is None or (not archived and idea.archived_at is not None):
        raise NotFoundError(f"no idea #{number}")
    return idea


def _paper_ref(target: Sql | Session, ref: str) -> dict[str, Any]:
    """A paper's number, arXiv id and title from its number or arXiv id (any pasted form)."""
    sql = as_sql(target)
    ref = str(ref).strip().lstrip("#")
    # A removed paper is not offered for new links; restore it first.
    query = "SELECT id, arxiv_id, title FROM paper WHERE archived_at IS NULL AND "
    row = None
    if is_number(ref):
        number = number_in_range(ref)
        if number is not None:
            row = first(sql, query + "id = :id", {"id": number})
    else:
        from logbook.arxiv_ids import parse_arxiv_id

        parsed = parse_arxiv_id(ref)
        if parsed is None:
            raise UsageError(f"{ref!r} is not a paper number or an arXiv id")
        row = first(sql, query + "arxiv_id = :a", {"a": parsed.id})
    if row is None:
        raise NotFoundError(
            f"no paper {ref} in the store (import it first: logbook paper import {ref})"
        )
    return {"id": row[0], "arxiv_id": row[1], "title": row[2]}
