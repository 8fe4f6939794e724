"""One SQLAlchemy engine per store, with the connection and transaction rules logbook needs.

SQLite: WAL, the busy timeout, foreign keys, and transactions that logbook begins itself
(``BEGIN`` to read, ``BEGIN IMMEDIATE`` to write) so that two processes writing at once queue
on the lock instead of failing. PostgreSQL: reads in one ``REPEATABLE READ`` snapshot (as
SQLite's ``BEGIN`` gives), writes in ``READ COMMITTED`` after taking one advisory lock, so
writers queue exactly as on SQLite and each sees what the one before committed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from logbook.location import StoreLocation
from logbook.store.connection import WRITE_LOCK
from logbook.store.pragmas import busy_timeout, configure_connection

WRITE_OPTION = "logbook_write"


def make_engine(location: StoreLocation) -> Engine:
    """An engine for the store; connecting does not create tables."""
    if location.is_postgres:
        return _postgres_engine(location)
    return _sqlite_engine(location.file())


def write_engine(engine: Engine, location: StoreLocation) -> Engine:
    """The same engine with the options of a write transaction."""
    options: dict[str, Any] = {WRITE_OPTION: True}
    if location.is_postgres:
        options["isolation_level"] = "READ COMMITTED"
    return engine.execution_options(**options)


def _sqlite_engine(path: Any) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": busy_timeout(), "check_same_thread": False},
        # A CLI process opens one connection; pooling would only keep file handles open.
        poolclass=NullPool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" below emits BEGIN itself, so
        # DDL is transactional and writers can take the lock up front.
        dbapi_connection.isolation_level = None
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgres_engine(location: StoreLocation) -> Engine:
    from logbook.store.pg_open import driver, libpq_url, session_options

    driver()  # one line naming the extra to install, before SQLAlchemy's own ImportError
    url = "postgresql+psycopg://" + libpq_url(location).split("://", 1)[1]
    engine = create_engine(
        url,
        connect_args={"options": session_options()},
        isolation_level="REPEATABLE READ",
        # One connection for the whole command: a new PostgreSQL connection costs a process.
        pool_size=1,
        max_overflow=2,
        # The URL (and any password in it) must never reach a log line or a traceback.
        hide_parameters=True,
    )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine
