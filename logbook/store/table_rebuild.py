"""Changing what SQLite cannot ALTER (a CHECK, a constraint): rebuild the table, lose nothing.

The steps SQLite documents ("Making Other Kinds Of Table Schema Changes"), made safe for a
store whose connection has foreign keys on (the pragma cannot change inside a migration's
transaction): rows that reference the table through ``ON DELETE CASCADE`` would go with the
``DROP``, so they are kept aside and put back; the table's indexes and triggers are made
again from their recorded SQL; the AUTOINCREMENT high-water mark is kept, so a purged number
is still never reused. Ids are copied, so anything keyed on them (the search index) holds.

Migrations call this; a migration that has shipped relies on its behaviour, so change it
only by adding to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def rebuild_table(db: sqlite3.Connection, table: str, change: Callable[[str], str]) -> None:
    """Rebuild ``table`` with ``change(its CREATE TABLE statement)``, inside the caller's
    transaction. Columns the two shapes share are copied."""
    (create,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    new_create = change(create)
    if new_create == create:
        raise ValueError(f"the change leaves {table} as it was")
    kept = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        )
    ]
    sequence = db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    children = _referencing(db, table)
    for child in children:
        db.execute(f"CREATE TEMP TABLE saved_{child} AS SELECT * FROM {child}")
    old_columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    temporary = f"{table}_rebuilt"
    db.execute(new_create.replace(f"CREATE TABLE {table} ", f"CREATE TABLE {temporary} ", 1))
    new_columns = [row[1] for row in db.execute(f"PRAGMA table_info({temporary})")]
    shared = ", ".join(c for c in old_columns if c in new_columns)
    db.execute(f"INSERT INTO {temporary} ({shared}) SELECT {shared} FROM {table}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {temporary} RENAME TO {table}")
    for child in children:
        db.execute(f"INSERT OR IGNORE INTO {child} SELECT * FROM saved_{child}")
        db.execute(f"DROP TABLE saved_{child}")
    for statement in kept:
        db.execute(statement)
    if sequence is not None:
        db.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, sequence[0]))


def _referencing(db: sqlite3.Connection, table: str) -> list[str]:
    """The tables with a foreign key to ``table`` that a DROP would empty (cascade)."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
        )
    ]
    found = []
    for name in names:
        for key in db.execute(f"PRAGMA foreign_key_list({name})"):
            # (id, seq, table, from, to, on_update, on_delete, match)
            if key[2] == table and key[6] in ("CASCADE", "SET NULL", "SET DEFAULT"):
                found.append(name)
                break
    return found
