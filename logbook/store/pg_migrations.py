"""Migrations on PostgreSQL: the same names as on SQLite, applied under an advisory lock.

A new database gets ``pg_schema.baseline()`` (SQLite's m001–m012 in PostgreSQL's terms) and
the names m001…m012 recorded; every later migration in ``migrations.MIGRATIONS`` must have a
PostgreSQL body here under the same name (a test checks). All run in one transaction that
holds ``pg_advisory_xact_lock``: two clients upgrading at once queue instead of colliding,
and a failure leaves no half schema behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from logbook.errors import StoreError
from logbook.store import migrations
from logbook.store.timestamps import format_utc

# Any fixed number: every logbook client that migrates a database takes this lock.
MIGRATION_LOCK = 7_042_013_001

BASELINE = [step.__name__ for step in migrations.MIGRATIONS[:12]]

PgMigration = Callable[[Any], None]


def _portable(statements: tuple[str, ...]) -> PgMigration:
    def run(db: Any) -> None:
        for statement in statements:
            db.execute(statement)

    return run


# A search ranks every matching row with ts_rank, which reads the row's ``document``. A
# paper's row (title, abstract, authors, three tsvectors) passes the 2 kB at which rows are
# toasted, and ``document``, stored EXTENDED, was the column moved out of line: each match
# cost a TOAST index lookup and two more buffers (85k matches of the 100k bench store:
# 218k buffers, half the query's time). MAIN keeps it in the row; the body (read only
# for the snippets shown) goes out instead. A tsvector barely compresses, so it is kept
# as it is. CLUSTER rewrites the rows stored before in this transaction (VACUUM FULL
# cannot run in one) under the new storage, holding the index table for the while
# (~8 s for 200k entries); the statistics follow the new pages.
M014_STATEMENTS = (
    "ALTER TABLE search_index ALTER COLUMN document SET STORAGE MAIN",
    "CLUSTER search_index USING search_index_pkey",
    "ANALYZE search_index",
)


def _later() -> dict[str, PgMigration]:
    # Migrations after the baseline, by name. Where SQLite and PostgreSQL share the SQL the
    # SQLite module exports the statements and both run them.
    later: dict[str, PgMigration] = {}
    statements = getattr(migrations, "M013_STATEMENTS", None)
    if statements is not None:
        later["m013_authors_and_versions"] = _portable(statements)
    later["m014_search_vectors_inline"] = _portable(M014_STATEMENTS)
    later["m015_week_indexes"] = _portable(migrations.M015_STATEMENTS)
    return later


LATER = _later()


def known_names() -> list[str]:
    """Every migration name, in order, as this logbook knows them."""
    return [step.__name__ for step in migrations.MIGRATIONS]


def _newer(applied: set[str]) -> StoreError:
    return StoreError(
        f"this store was written by a newer logbook (schema {len(applied)}, this logbook knows "
        f"{len(known_names())}); upgrade logbook to open it"
    )


def _applied(db: Any) -> set[str] | None:
    # A query of the catalog, not to_regclass(): after waiting on an advisory lock the
    # relation cache may not yet know of a table another client just committed.
    found = db.execute(
        "SELECT count(*) FROM pg_tables "
        "WHERE schemaname = current_schema() AND tablename = 'migration'"
    ).fetchone()[0]
    if not found:
        return None
    return {row[0] for row in db.execute("SELECT name FROM migration")}


def _create(db: Any) -> set[str]:
    # A logbook database is empty when first opened. Tables already there mean someone
    # else's database, which logbook must not fill with its own schema.
    tables = db.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchone()[0]
    if tables:
        raise StoreError("this PostgreSQL database is not a logbook store; give another --db")
    from logbook.store.pg_schema import baseline

    db.execute("CREATE TABLE migration (name TEXT PRIMARY KEY, applied_at TEXT)")
    db.execute(baseline())
    db.execute("INSERT INTO meta (key, value) VALUES ('changes', 0)")
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('store_id', %s)", (secrets.randbits(62) | 1 << 62,)
    )
    now = format_utc(datetime.now(UTC))
    for name in BASELINE:
        db.execute("INSERT INTO migration (name, applied_at) VALUES (%s, %s)", (name, now))
    return set(BASELINE)


def migrate(db: Any) -> list[str]:
    """Bring the PostgreSQL store on connection ``db`` (autocommit) up to date; what ran."""
    names = known_names()
    applied = _applied(db)
    if applied is not None:
        if applied - set(names):
            raise _newer(applied)
        if set(names) <= applied:
            return []
    ran: list[str] = []
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        # Read again inside the lock: another client may have migrated while we waited.
        applied = _applied(db)
        if applied is None:
            applied = _create(db)
            ran.extend(BASELINE)
        if applied - set(names):
            raise _newer(applied)
        for name in names:
            if name in applied:
                continue
            step = LATER.get(name)
            if step is None:
                raise StoreError(f"migration {name} has no PostgreSQL form in this logbook")
            step(db)
            db.execute(
                "INSERT INTO migration (name, applied_at) VALUES (%s, %s)",
                (name, format_utc(datetime.now(UTC))),
            )
            ran.append(name)
    return ran
