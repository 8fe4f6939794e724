"""A store's identity and change counter, read in a few milliseconds without SQLAlchemy.

The git hook runs on every commit: when the store has not changed since the last export it
must answer without loading SQLAlchemy, so this reads the ``meta`` table directly, read-only
(sqlite3 for a file, psycopg for a PostgreSQL store).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from logbook.location import StoreLocation, as_location

_QUERY = "SELECT key, value FROM meta WHERE key IN ('changes', 'store_id')"


@dataclass(frozen=True)
class StoreStamp:
    """Which store (a random id made when it was created) and how far its writes have gone."""

    store_id: str
    changes: int


def peek_stamp(location: StoreLocation | Path) -> StoreStamp | None:
    """The stamp of the store at ``location``, or None when it cannot be read cheaply."""
    location = as_location(location)
    rows = _postgres_rows(location) if location.is_postgres else _sqlite_rows(location.file())
    if rows is None or "changes" not in rows or "store_id" not in rows:
        return None
    return StoreStamp(str(rows["store_id"]), int(str(rows["changes"])))


def _sqlite_rows(db_path: Path) -> dict[str, object] | None:
    if not db_path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        return dict(db.execute(_QUERY))
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _postgres_rows(location: StoreLocation) -> dict[str, object] | None:
    # Any failure (no driver, no server, no table) means "cannot tell cheaply": the full
    # run that follows reports it properly.
    try:
        from logbook.store.pg_open import connect

        db = connect(location)
    except Exception:
        return None
    try:
        return dict(db.execute(_QUERY).fetchall())
    except Exception:
        return None
    finally:
        db.close()
