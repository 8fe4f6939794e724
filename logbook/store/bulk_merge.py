"""The fast lane of a merge: entries the store does not have, inserted in bulk.

Rebuilding a store from its export (or adding a machine's new entries) is almost all new
entries. Writing them one statement and one savepoint at a time cost ~1.5 ms each, so a
batch of new entries is written with one ``executemany`` per table inside one savepoint.
Only what the per-entry path (``merge._Merger``) would do for a new entry is done here: the
entry's number when it is free, its tags, paper links and revisions. An entry the store
may already have (its uid, or a paper's arXiv id or cite key, is taken) goes the per-entry
way. A batch the database refuses is rolled back and written entry by entry, so a conflict
is reported for the one entry it belongs to, exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from logbook.store.bulk_rows import insert_rows
from logbook.store.connection import refused_rows
from logbook.store.sequences import claim_ids
from logbook.store.snapshot import KINDS, TABLES
from logbook.store.sql import as_sql
from logbook.store.tags import LINKS
from logbook.store.types import JSONList, UTCDateTime, format_utc
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from sqlmodel import Session

    from logbook.store.merge import Entry, MergeResult, _Merger

# Entries per batch: big enough that statements are few, small enough that memory is flat.
BATCH = 2000
_NOTHING = "ON CONFLICT DO NOTHING"


class BulkInserter:
    """Collects new entries of one kind and inserts them a batch at a time."""

    def __init__(self, session: Session, result: MergeResult, merger: _Merger) -> None:
        self.session = session
        self.result = result
        self.merger = merger
        self.uids = {kind: _column(session, kind, "uid") for kind in KINDS}
        self.arxiv_ids = _column(session, "paper", "arxiv_id")
        self.cite_keys = _column(session, "paper", "cite_key")
        self.batch: list[Entry] = []
        self.tags: dict[tuple[str, str], int] = {}
        self.papers: dict[str, int] | None = None

    def take(self, entry: Entry) -> bool:
        """Queue ``entry`` if it is surely new; False: it needs the per-entry merge."""
        columns = entry.columns
        uid = columns["uid"]
        if uid in self.uids[entry.kind]:
            return False
        if entry.kind == "paper" and (
            columns["arxiv_id"] in self.arxiv_ids
            or columns["cite_key"] is None
            or columns["cite_key"] in self.cite_keys
        ):
            return False
        if self.batch and self.batch[0].kind != entry.kind:
            self.flush()
        self.batch.append(entry)
        self.seen(entry)
        if len(self.batch) >= BATCH:
            self.flush()
        return True

    def seen(self, entry: Entry) -> None:
        """Note an entry written (or queued) so that a later one with its uid is merged."""
        self.uids[entry.kind].add(entry.columns["uid"])
        if entry.kind == "paper":
            self.arxiv_ids.add(entry.columns["arxiv_id"])
            if entry.columns["cite_key"] is not None:
                self.cite_keys.add(entry.columns["cite_key"])

    def flush(self) -> None:
        """Insert the queued batch; on a refusal, write its entries one by one instead."""
        batch, self.batch = self.batch, []
        if not batch:
            return
        kind = batch[0].kind
        tags = dict(self.tags)
        refused: tuple[type[BaseException], ...] = (
            sa_exc.IntegrityError,
            sa_exc.StatementError,
            *refused_rows(self.backend),
        )
        try:
            with self.session.begin_nested():
                warnings = self._insert(kind, batch)
        except refused:
            self.tags = tags  # tag rows made in the rolled-back savepoint are gone
            for entry in batch:
                self.merger.write(entry)
            return
        self.result.added[kind] += len(batch)
        self.result.warnings.extend(warnings)

    def _insert(self, kind: str, batch: list[Entry]) -> list[str]:
        table = TABLES[kind]
        taken = self.merger.ids[kind]
        numbers: set[int] = set()
        rows = []
        for entry in batch:
            values = dict(entry.columns)
            if values["id"] in taken or values["id"] in numbers:
                values["id"] = None
            if values["id"] is not None:
                numbers.add(values["id"])
            rows.append(values)
        # Rows go in in order, so the numbers the store picks are those one-by-one inserts pick.
        claim_ids(self.session, kind, rows)
        numbered = all(row["id"] is not None for row in rows)
        if numbered:
            # Each row brings its number (an export's entries do): in number order, so the
            # search index takes its rows in rowid order (out of order, it writes its pending
            # entries out at every step back) and the table grows at its end.
            rows.sort(key=lambda row: row["id"])
        sql = as_sql(self.session)
        names = list(rows[0])
        if all(list(row) == names for row in rows):
            # the driver's own statements, the values in their stored form (the column types'
            # own rules): SQLAlchemy's work per row and column was a tenth of an import
            _to_stored(table, rows)
            insert_rows(sql, kind, names, rows)
        else:
            self.session.execute(table.insert(), rows)
        if numbered:
            ids = {row["uid"]: row["id"] for row in rows}
        else:
            ids = self._ids(kind, [e.columns["uid"] for e in batch])
        taken.update(ids.values())
        link, column = LINKS[kind]
        warnings: list[str] = []
        tag_rows: list[dict[str, int]] = []
        paper_rows: list[dict[str, int]] = []
        revision_rows: list[dict[str, Any]] = []
        for entry in batch:
            entry_id = ids[entry.columns["uid"]]
            tag_rows.extend({column: entry_id, "tag_id": self._tag(n, k)} for n, k in entry.tags)
            for arxiv_id in entry.papers:
                paper_id = self._paper(arxiv_id)
                if paper_id is None:
                    warnings.append(
                        f"{entry.where}: links to paper {arxiv_id}, which is not in the store; "
                        "link skipped"
                    )
                else:
                    paper_rows.append({"idea_id": entry_id, "paper_id": paper_id})
            revision_rows.extend(_revisions(kind, entry))
        if tag_rows:
            insert_rows(sql, link, [column, "tag_id"], tag_rows, on_conflict=_NOTHING)
        if paper_rows:
            insert_rows(
                sql, "idea_paper", ["idea_id", "paper_id"], paper_rows, on_conflict=_NOTHING
            )
        if revision_rows:
            from logbook.store.models import Revision

            _to_stored(Revision.__table__, revision_rows)  # type: ignore[attr-defined]
            insert_rows(sql, "revision", list(revision_rows[0]), revision_rows)
        return warnings

    @property
    def backend(self) -> str:
        return str(self.session.get_bind().dialect.name)

    def _ids(self, kind: str, uids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ", ".join(f":u{n}" for n in range(len(chunk)))
            rows = self.session.execute(
                text(f"SELECT uid, id FROM {kind} WHERE uid IN ({marks})"),
                {f"u{n}": uid for n, uid in enumerate(chunk)},
            )
            found.update((uid, int(row_id)) for uid, row_id in rows)
        return found

    def _tag(self, name: str, kind: str) -> int:
        key = (normalize_tag(name), kind)
        if key not in self.tags:
            self.session.execute(
                text("INSERT INTO tag (name, kind) VALUES (:n, :k) ON CONFLICT DO NOTHING"),
                {"n": key[0], "k": kind},
            )
            row = self.session.execute(
                text("SELECT id FROM tag WHERE name = :n AND kind = :k"), {"n": key[0], "k": kind}
            ).one()
            self.tags[key] = int(row[0])
        return self.tags[key]

    def _paper(self, arxiv_id: str) -> int | None:
        if self.papers is None:
            rows = self.session.execute(text("SELECT arxiv_id, id FROM paper"))
            self.papers = {a: int(i) for a, i in rows}
        if arxiv_id not in self.papers:
            # a paper the per-entry path wrote after the map was read
            row = self.session.execute(
                text("SELECT id FROM paper WHERE arxiv_id = :a"), {"a": arxiv_id}
            ).first()
            if row is None:
                return None
            self.papers[arxiv_id] = int(row[0])
        return self.papers[arxiv_id]


# SQLite's page cache for the one long transaction of an import, in KiB. With the default
# (2 MB) a 100k import spills dirty pages to the WAL and reads them back over and over (a
# third of its time went to system calls); a bounded larger cache keeps memory flat in the
# number of files all the same.
IMPORT_CACHE_KIB = 65536


@contextmanager
def larger_page_cache(session: Session) -> Iterator[None]:
    """SQLite only: a bigger page cache while the block runs, then the connection's own."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar_one()
    session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        # a failure here must not hide the one that ended the block
        with suppress(sa_exc.DBAPIError):
            session.execute(text(f"PRAGMA cache_size = {int(before)}"))


def _column(session: Session, kind: str, name: str) -> set[Any]:
    return {r[0] for r in session.execute(text(f"SELECT {name} FROM {kind}"))}


def _revisions(kind: str, entry: Entry) -> list[dict[str, Any]]:
    """The entry's revisions as rows, one per (field, text, written_at), as the per-entry
    path keeps them: the first one's place, the earliest ``replaced_at``."""
    kept: dict[tuple[str, str, str], dict[str, Any]] = {}
    for revision in entry.revisions:
        key = (revision["field"], revision["value"], format_utc(revision["written_at"]))
        if key not in kept:
            kept[key] = {"entry_kind": kind, "entry_uid": entry.columns["uid"], **revision}
        elif revision["replaced_at"] < kept[key]["replaced_at"]:
            kept[key]["replaced_at"] = revision["replaced_at"]
    return list(kept.values())


def _to_stored(table: Any, rows: list[dict[str, Any]]) -> None:
    """Turn the rows' values into their stored form, in place."""
    forms = list(_stored_forms(table).items())
    for row in rows:
        for name, form in forms:
            row[name] = form(row[name])


def _stored_forms(table: Any) -> dict[str, Any]:
    """Column name → the function that gives a value's stored form, for the columns whose
    type turns values into text (moments, JSON lists); others go to the driver as they are."""
    forms: dict[str, Any] = {}
    for column in table.columns:
        if isinstance(column.type, UTCDateTime | JSONList):
            forms[column.name] = partial(_bound, column.type)
    return forms


def _bound(column_type: Any, value: Any) -> Any:
    return column_type.process_bind_param(value, None)
