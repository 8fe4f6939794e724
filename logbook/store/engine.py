"""One SQLAlchemy engine per store file, with the pragmas and transaction rules logbook needs.

Everything SQLite-specific about connections lives here: WAL, the busy timeout, foreign keys,
and transactions that logbook begins itself (``BEGIN`` to read, ``BEGIN IMMEDIATE`` to write)
so that two processes writing at once queue on the lock instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from logbook.store.pragmas import busy_timeout, configure_connection

WRITE_OPTION = "logbook_write"


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path``; connecting does not create tables."""
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
