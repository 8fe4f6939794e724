"""The store's own DB-API connection, and transactions on it with the engine's rules.

The same rules as ``logbook.store.engine`` gives SQLAlchemy's connections, so a statement
means the same whichever way it runs: on SQLite ``BEGIN`` to read and ``BEGIN IMMEDIATE`` to
write (writers queue on the lock up to the busy timeout); on PostgreSQL reads in one
``REPEATABLE READ`` snapshot, writes in ``READ COMMITTED`` after the one advisory lock every
logbook writer takes first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from logbook.errors import LogbookError
from logbook.location import StoreLocation
from logbook.store.pragmas import busy_timeout, configure_connection
from logbook.store.sql import DbapiSql

# Any fixed number: every logbook writer to a PostgreSQL store takes this lock first.
WRITE_LOCK = 7_042_013_002


def sqlite_file(path: Any) -> sqlite3.Connection:
    """A connection to the SQLite file at ``path``, in autocommit mode (the store begins its
    transactions), with no pragma set yet: opening checks the file is a store first."""
    return sqlite3.connect(
        path, timeout=busy_timeout(), isolation_level=None, check_same_thread=False
    )


def connect_sqlite(location: StoreLocation) -> sqlite3.Connection:
    """A configured connection to the (migrated) SQLite store at ``location``."""
    db = sqlite_file(location.file())
    configure_connection(db)
    return db


def connect(location: StoreLocation) -> Any:
    """A DB-API connection to the store at ``location`` (already migrated)."""
    if location.is_postgres:
        from logbook.store.pg_open import connect as pg_connect

        return pg_connect(location)
    from logbook.store import store_error

    try:
        return connect_sqlite(location)
    except sqlite3.Error as error:
        raise store_error(location, error) from error


@contextmanager
def transaction(location: StoreLocation, db: Any, *, write: bool) -> Iterator[Any]:
    """One transaction on ``db``: committed when the block ends, rolled back on any error.

    A driver's error leaves as one ``StoreError`` line (``store_error``), never its password.
    """
    from logbook.store import store_error

    errors = driver_errors(location)
    try:
        if location.is_postgres:
            if write:
                db.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                db.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            else:
                db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        else:
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    except errors as error:
        _roll_back(db)
        raise store_error(location, error) from error
    try:
        yield db
        db.execute("COMMIT")
    except LogbookError:
        _roll_back(db)
        raise
    except errors as error:
        _roll_back(db)
        raise store_error(location, error) from error
    except BaseException:
        _roll_back(db)
        raise


def _roll_back(db: Any) -> None:
    # the connection may be gone already: the error that led here is the one to report
    with suppress(Exception):
        db.execute("ROLLBACK")


def driver_errors(location: StoreLocation) -> tuple[type[BaseException], ...]:
    """Every error the store's driver raises (psycopg's or sqlite3's)."""
    if location.is_postgres:
        import psycopg

        return (psycopg.Error,)
    return (sqlite3.Error,)


def refused_rows(backend: str) -> tuple[type[BaseException], ...]:
    """What the driver raises for rows the database refuses: a key or a constraint, or a
    value it cannot hold (PostgreSQL's text holds no NUL); and a value whose stored form
    cannot be made (a moment without a time zone)."""
    refused: tuple[type[BaseException], ...] = (sqlite3.IntegrityError, ValueError, TypeError)
    if backend == "postgresql":
        import psycopg

        refused += (psycopg.IntegrityError, psycopg.DataError)
    return refused


@dataclass
class _Open:
    """The transaction under way on the store's own connection."""

    sql: DbapiSql
    writing: bool


class OwnConnection:
    """The store's own DB-API connection (made on first use if opening gave none), and the
    transaction under way on it."""

    def __init__(self, location: StoreLocation, db: Any = None) -> None:
        self.location = location
        self.db = db
        self._open: _Open | None = None

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[DbapiSql]:
        """One transaction's statements. Inside an open one that allows it (a read while
        papers stream, a helper's write inside a write) they take part in it; a write
        while a read is open gets a transaction of its own, as the ORM's would."""
        if self._open is not None and (self._open.writing or not write):
            yield self._open.sql
            return
        backend = self.location.backend
        if self._open is not None:
            db = connect(self.location)
            try:
                with transaction(self.location, db, write=True) as raw:
                    yield DbapiSql(raw, backend)
            finally:
                db.close()
            return
        if self.db is None:
            self.db = connect(self.location)
        with transaction(self.location, self.db, write=write) as raw:
            self._open = _Open(DbapiSql(raw, backend), write)
            try:
                yield self._open.sql
            finally:
                self._open = None

    def close(self) -> None:
        """Close the connection (a later statement opens a new one)."""
        if self.db is not None:
            self.db.close()
            self.db = None
