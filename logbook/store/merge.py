"""Merging entries read from an export into the store, in one write transaction.

Entries are matched by stable identity (``uid``; papers also by arXiv id). A new entry is
added with its uid, and with its number when that number is free. For an entry on both
sides, the version with the newer ``updated_at`` wins and the other text is kept as a
revision; tags, paper links and revisions are united (a revision is its field, text and
``written_at``). A paper whose cite key another paper holds gets a fresh key and a warning.
Each entry is written inside its own savepoint, so a conflicting entry is skipped (said in
words, never the database's message) and nothing of it reaches the store.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from logbook.store.sequences import claim_ids
from logbook.store.snapshot import KINDS, REVISED_FIELD, TABLES
from logbook.store.tags import link_tags
from logbook.store.types import format_utc, parse_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from logbook.store import Store


@dataclass
class Entry:
    """One entry read from a file and checked: typed columns, tags, links, revisions."""

    kind: str
    where: str
    columns: dict[str, Any]
    tags: list[tuple[str, str]]  # (name, kind)
    papers: list[str]  # arXiv ids (ideas only)
    revisions: list[dict[str, Any]]


@dataclass(frozen=True)
class Skipped:
    """An entry the store could not take, and why (in words)."""

    where: str
    message: str


@dataclass
class MergeResult:
    """What a merge added, updated and left alone, per kind, and what it skipped."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def merge_entries(store: Store, entries: Iterable[Entry]) -> MergeResult:
    """Write checked ``entries`` into ``store`` in one transaction (see the module).

    ``entries`` may be a stream (an import reads one file at a time); it should come papers
    first, then ideas, then posts, so that ideas find the papers they link to. New entries
    are inserted in bulk (``bulk_merge``); the per-entry merge is for the ones the store has.
    """
    from logbook.store.bulk_merge import BulkInserter, larger_page_cache

    result = MergeResult()
    with store._write() as session, larger_page_cache(session):
        merger = _Merger(session, result)
        bulk = BulkInserter(session, result, merger)
        for entry in _in_order(entries):
            if not bulk.take(entry):
                bulk.flush()  # the entry may be one of the queued ones
                merger.write(entry)
                bulk.seen(entry)
        bulk.flush()
    return result


def _in_order(entries: Iterable[Entry]) -> Iterator[Entry]:
    """Papers that hold their own natural cite key first, then the other papers, then the
    rest: when a hand-edited file claims another paper's key, the edited paper is the one
    given a fresh key. Only the papers that do not own their key are held back."""
    held: _HeldBack | None = _HeldBack()
    for entry in entries:
        if held is not None and entry.kind == "paper" and not _owns_its_key(entry):
            held.add(entry)
            continue
        if held is not None and entry.kind != "paper":
            yield from held.drain()
            held = None
        yield entry
    if held is not None:
        yield from held.drain()


class _HeldBack:
    """Entries kept for later, in order; past a few hundred they wait in a temporary file.

    An export whose papers all carry keys of their own choosing (a store of keys typed by
    hand) would otherwise hold every paper, abstract and all, in memory until the ideas come.
    The file is this process's own anonymous temporary file, written and read back by it.
    """

    IN_MEMORY = 256

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.spilled = 0
        self.file: IO[bytes] | None = None

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if len(self.entries) >= self.IN_MEMORY:
            if self.file is None:
                self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by drain()
            pickle.dump(self.entries, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.spilled += 1
            self.entries = []

    def drain(self) -> Iterator[Entry]:
        if self.file is not None:
            with self.file:
                self.file.seek(0)
                for _ in range(self.spilled):
                    yield from pickle.load(self.file)  # our own file, just written
        yield from self.entries
        self.entries = []


def _conflict(entry: Entry, error: sa_exc.IntegrityError | sa_exc.DataError) -> str:
    """An integrity error as a sentence (the database's own text never reaches the user)."""
    message = _sqlite_words(error.orig) if error.orig is not None else str(error)
    kind = entry.kind
    if "NUL (0x00)" in message:
        return "PostgreSQL cannot store the NUL character (U+0000) this file holds"
    if "UNIQUE" in message:
        names = [part.strip().split(".")[-1] for part in message.split(":", 1)[-1].split(",")]
        what = " and ".join(
            f"{name.replace('_', ' ')} {entry.columns[name]!r}"
            if entry.columns.get(name) is not None
            else name.replace("_", " ")
            for name in names
        )
        return f"another {kind} in the store already has the same {what}"
    if "NOT NULL" in message:
        name = message.rsplit(".", 1)[-1].strip()
        return f"{name.replace('_', ' ')} cannot be empty"
    if "FOREIGN KEY" in message:
        return f"this {kind} refers to an entry that is not in the store"
    if "CHECK" in message:
        return f"a value of this {kind} is not allowed by the store"
    return f"this {kind} conflicts with an entry in the store"


def _sqlite_words(orig: BaseException) -> str:
    """The driver's error as SQLite words it (``UNIQUE constraint failed: post.kind, …``).

    PostgreSQL says the same things with an SQLSTATE and a detail line; putting them in
    SQLite's form lets one function turn both into a sentence.
    """
    diag = getattr(orig, "diag", None)
    state = getattr(orig, "sqlstate", None)
    if diag is None or state is None:
        return str(orig)
    if state == "23505":  # unique_violation: "Key (kind, source)=(week, 2026-W47) already …"
        detail = diag.message_detail or ""
        columns = detail[detail.find("(") + 1 : detail.find(")")] if "(" in detail else ""
        return f"UNIQUE constraint failed: {columns}"
    if state == "23502":
        return f"NOT NULL constraint failed: {diag.table_name}.{diag.column_name}"
    if state == "23503":
        return "FOREIGN KEY constraint failed"
    if state == "23514":
        return "CHECK constraint failed"
    return str(orig)


def _owns_its_key(entry: Entry) -> bool:
    """Whether a paper's cite key is the one its authors, year and title make."""
    from logbook.cite_keys import base_key

    columns = entry.columns
    published = columns.get("published")
    year = published.year if published else None
    return columns.get("cite_key") == base_key(columns["authors"], year, columns["title"])


def _revision_key(revision: dict[str, Any]) -> tuple[str, str, str]:
    """What makes two revisions the same one: field, text and when that text was written.

    ``replaced_at`` is left out: after both stores edit an entry, each has the text they
    shared as a revision, replaced at a different moment; it is still one revision.
    """
    return (revision["field"], revision["value"], format_utc(revision["written_at"]))


# revision key → (row id, replaced_at) of the revision in the store
_Known = dict[tuple[str, str, str], tuple[int, datetime]]


class _Merger:
    """Writes checked entries into one session, one savepoint per entry."""

    def __init__(self, session: Session, result: MergeResult) -> None:
        self.session = session
        self.result = result
        self.ids: dict[str, set[int]] = {}
        for kind in KINDS:
            rows = session.execute(text(f"SELECT id FROM {kind}"))
            self.ids[kind] = {int(r[0]) for r in rows}

    def _existing(self, entry: Entry) -> dict[str, Any] | None:
        table = TABLES[entry.kind]
        row = (
            self.session.execute(select(table).where(table.c.uid == entry.columns["uid"]))
            .mappings()
            .first()
        )
        if row is None and entry.kind == "paper":
            row = (
                self.session.execute(
                    select(table).where(table.c.arxiv_id == entry.columns["arxiv_id"])
                )
                .mappings()
                .first()
            )
        return dict(row) if row is not None else None

    def write(self, entry: Entry) -> None:
        try:
            with self.session.begin_nested():
                outcome = self._write(entry)
        except (sa_exc.IntegrityError, sa_exc.DataError) as error:
            self.result.skipped.append(Skipped(entry.where, _conflict(entry, error)))
            return
        except sa_exc.StatementError:
            # Checking should have caught it; if a value still cannot be bound, it is this
            # entry's problem, not the end of the whole import.
            self.result.skipped.append(
                Skipped(entry.where, f"a value of this {entry.kind} cannot be stored")
            )
            return
        getattr(self.result, outcome)[entry.kind] += 1

    def _write(self, entry: Entry) -> str:
        existing = self._existing(entry)
        if existing is None:
            self._insert(entry)
            return "added"
        changed = self._merge(entry, existing)
        return "updated" if changed else "unchanged"

    def _insert(self, entry: Entry) -> None:
        table = TABLES[entry.kind]
        values = dict(entry.columns)
        if values["id"] is None or values["id"] in self.ids[entry.kind]:
            values.pop("id")
        claim_ids(self.session, entry.kind, [values])
        if entry.kind == "paper":
            values["cite_key"] = self._cite_key(entry, values, paper_id=None)
        result: Any = self.session.execute(table.insert().values(**values))
        entry_id = int(result.inserted_primary_key[0])
        self.ids[entry.kind].add(entry_id)
        self._link(entry, entry_id, uid=values["uid"], known={})

    def _cite_key(self, entry: Entry, values: dict[str, Any], paper_id: int | None) -> str:
        """The paper's cite key, or a fresh one (and a note) when another paper has it."""
        from types import SimpleNamespace

        from logbook.store.rules import new_cite_key

        wanted = values["cite_key"]
        if wanted is None:
            return new_cite_key(self.session, SimpleNamespace(**values))
        other = "" if paper_id is None else " AND id <> :id"
        holder = self.session.execute(
            text("SELECT arxiv_id FROM paper WHERE cite_key = :key" + other),
            {"key": wanted, "id": paper_id},
        ).first()
        if holder is None:
            return wanted
        fresh = new_cite_key(self.session, SimpleNamespace(**values))
        self.result.warnings.append(
            f"{entry.where}: cite key {wanted} is already paper {holder[0]}'s; "
            f"paper {values['arxiv_id']} gets {fresh} instead"
        )
        return fresh

    def _merge(self, entry: Entry, existing: dict[str, Any]) -> bool:
        table = TABLES[entry.kind]
        entry_id = int(existing["id"])
        uid = existing["uid"]
        ours, theirs = existing, entry.columns
        changed = False
        revised = REVISED_FIELD[entry.kind]
        newer = theirs["updated_at"] > ours["updated_at"]
        if ours[revised] != theirs[revised]:
            winner, loser = (theirs, ours) if newer else (ours, theirs)
            changed = self._add_revision(
                entry.kind,
                uid,
                {
                    "field": revised,
                    "value": loser[revised],
                    "written_at": loser["updated_at"],
                    "replaced_at": max(winner["updated_at"], loser["updated_at"]),
                },
            )
        if newer:
            updates = {
                name: value
                for name, value in theirs.items()
                if name not in ("id", "uid") and value != ours[name]
            }
            if not theirs.get("author"):
                updates.pop("author", None)  # a file from before authors names nobody
            if entry.kind == "paper" and ours["cite_key"] is not None:
                updates.pop("cite_key", None)  # a citation key never changes once given
            elif entry.kind == "paper" and "cite_key" in updates:
                updates["cite_key"] = self._cite_key(entry, theirs, paper_id=entry_id)
            if updates:
                # a merge is an update too: an edit read before it must see a new version
                updates["row_version"] = table.c.row_version + 1
                self.session.execute(table.update().where(table.c.id == entry_id).values(**updates))
                changed = True
        return self._link(entry, entry_id, uid=uid, known=None) or changed

    def _known_revisions(self, kind: str, uid: str) -> _Known:
        rows = self.session.execute(
            text(
                "SELECT id, field, value, written_at, replaced_at FROM revision "
                "WHERE entry_kind = :kind AND entry_uid = :uid ORDER BY id"
            ),
            {"kind": kind, "uid": uid},
        )
        known: _Known = {}
        for row_id, name, value, written_at, replaced_at in rows:
            key = (name, value, format_utc(parse_utc(written_at)))
            known.setdefault(key, (int(row_id), parse_utc(replaced_at)))
        return known

    def _add_revision(
        self, kind: str, uid: str, revision: dict[str, Any], known: _Known | None = None
    ) -> bool:
        """Keep ``revision`` unless the store has it; whether anything changed.

        A revision the store already has keeps the earlier of the two ``replaced_at``
        (when the text was first replaced), so merging either way round ends the same.
        """
        known = self._known_revisions(kind, uid) if known is None else known
        key = _revision_key(revision)
        if key in known:
            row_id, replaced_at = known[key]
            if revision["replaced_at"] >= replaced_at:
                return False
            self.session.execute(
                text("UPDATE revision SET replaced_at = :at WHERE id = :id"),
                {"at": format_utc(revision["replaced_at"]), "id": row_id},
            )
            known[key] = (row_id, revision["replaced_at"])
            return True
        from logbook.store.models import Revision

        result: Any = self.session.execute(
            Revision.__table__.insert().values(  # type: ignore[attr-defined]
                entry_kind=kind, entry_uid=uid, **revision
            )
        )
        known[key] = (int(result.inserted_primary_key[0]), revision["replaced_at"])
        return True

    def _link(self, entry: Entry, entry_id: int, *, uid: str, known: _Known | None) -> bool:
        """Add the entry's tags, paper links and revisions it lacks; whether any was new."""
        kind = entry.kind
        changed = False
        column = f"{kind}_id"
        have = {
            (r[0], r[1])
            for r in self.session.execute(
                text(
                    f"SELECT t.name, t.kind FROM {kind}_tag l JOIN tag t ON t.id = l.tag_id "
                    f"WHERE l.{column} = :id"
                ),
                {"id": entry_id},
            )
        }
        for name, tag_kind in entry.tags:
            if (name, tag_kind) not in have:
                link_tags(self.session, kind, entry_id, [name], tag_kind)
                changed = True
        for arxiv_id in entry.papers:
            paper = self.session.execute(
                text("SELECT id FROM paper WHERE arxiv_id = :a"), {"a": arxiv_id}
            ).first()
            if paper is None:
                self.result.warnings.append(
                    f"{entry.where}: links to paper {arxiv_id}, which is not in the store; "
                    "link skipped"
                )
                continue
            result = self.session.execute(
                text(
                    "INSERT INTO idea_paper (idea_id, paper_id) VALUES (:i, :p) "
                    "ON CONFLICT DO NOTHING"
                ),
                {"i": entry_id, "p": int(paper[0])},
            )
            changed = changed or bool(getattr(result, "rowcount", 0))
        seen = self._known_revisions(kind, uid) if known is None else known
        for revision in entry.revisions:
            changed = self._add_revision(kind, uid, revision, seen) or changed
        return changed
