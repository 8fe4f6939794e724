"""The pragmas every connection to a store gets, with the standard library's sqlite3 only.

Kept apart from the engine so that code that must not load SQLAlchemy (opening and migrating
a store, the git hook's no-change check) applies the same rules.
"""

from __future__ import annotations

import os
import sqlite3


def busy_timeout() -> float:
    """Seconds a writer waits for another process's lock: ``LOGBOOK_BUSY_TIMEOUT`` or 15."""
    try:
        return max(0.0, float(os.environ.get("LOGBOOK_BUSY_TIMEOUT", "15")))
    except ValueError:
        return 15.0


def configure_connection(db: sqlite3.Connection) -> None:
    """Apply logbook's pragmas to a raw sqlite3 connection."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
    db.execute("PRAGMA foreign_keys = ON")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    # WAL is safe with NORMAL: a crash can lose the last transaction, never corrupt the file.
    db.execute("PRAGMA synchronous = NORMAL")
