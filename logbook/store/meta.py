"""A store's identity and change counter, read in a few milliseconds with sqlite3 alone.

The git hook runs on every commit: when the store has not changed since the last export it
must answer without loading SQLAlchemy, so this reads the ``meta`` table directly, read-only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoreStamp:
    """Which store (a random id made when it was created) and how far its writes have gone."""

    store_id: str
    changes: int


def peek_stamp(db_path: Path) -> StoreStamp | None:
    """The stamp of the store at ``db_path``, or None when it cannot be read cheaply."""
    if not db_path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('changes', 'store_id')"))
    except sqlite3.Error:
        return None
    finally:
        db.close()
    if "changes" not in rows or "store_id" not in rows:
        return None
    return StoreStamp(str(rows["store_id"]), int(rows["changes"]))
