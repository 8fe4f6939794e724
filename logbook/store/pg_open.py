"""Opening a PostgreSQL store: the driver, the connection, migrations and the error lines.

psycopg is an extra (``pip install "logbook[postgres]"``) and is imported only here and in
the engine, when a PostgreSQL URL is opened. Passwords come from libpq's usual places
(``~/.pgpass``, ``PGPASSWORD``) or the URL, and never reach a message: every error text
goes through ``location.mask_in``.
"""

from __future__ import annotations

from typing import Any

from logbook.errors import StoreError
from logbook.location import StoreLocation, mask_in, masked
from logbook.store.pragmas import busy_timeout

INSTALL_HINT = 'a PostgreSQL store needs the psycopg driver: pip install "logbook[postgres]"'


def driver() -> Any:
    """The psycopg module, or one line saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(INSTALL_HINT) from None
    return psycopg


def libpq_url(location: StoreLocation) -> str:
    """The URL as libpq reads it (``postgres://`` and SQLAlchemy's ``+psycopg`` undone)."""
    url = location.url or ""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.lower() != "postgresql" else url


def session_options() -> str:
    """Server settings every logbook connection gets: how long a writer waits for a lock."""
    return f"-c lock_timeout={int(busy_timeout() * 1000)}"


def connect(location: StoreLocation, *, autocommit: bool = True) -> Any:
    """A raw psycopg connection to the store (for migrations and the hook's quick check)."""
    psycopg = driver()
    try:
        return psycopg.connect(
            libpq_url(location), autocommit=autocommit, options=session_options()
        )
    except psycopg.Error as error:
        raise postgres_error(location, mask_in(_first_line(error), location)) from None


def open_postgres(location: StoreLocation) -> Any:
    """Connect and bring the schema up to date; the connection, kept for the store's own
    statements (a new PostgreSQL connection costs the server a process)."""
    from logbook.store.pg_migrations import migrate

    psycopg = driver()
    db = connect(location)
    try:
        migrate(db)
    except BaseException as error:
        db.close()
        if isinstance(error, psycopg.Error):
            raise postgres_error(location, mask_in(_first_line(error), location)) from None
        raise
    return db


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def postgres_error(location: StoreLocation, text: str) -> StoreError:
    """One line for what went wrong with a PostgreSQL store; ``text`` is already masked."""
    where = masked(location.url or "")
    lowered = text.lower()
    if "permission denied" in lowered or "read-only" in lowered:
        return StoreError(
            f"the store {where} refused a write: this database role may only read it ({text})"
        )
    if "lock timeout" in lowered:
        return StoreError(f"the store {where} is locked by another logbook client; try again")
    if "connection" in lowered or ("does not exist" in lowered and "database" in lowered):
        return StoreError(f"cannot connect to the store {where}: {text}")
    return StoreError(f"store {where}: {text}")
