"""Many rows into one table in one statement: the bulk inserts of an import.

SQLite runs each statement in a statement journal of its own, and FTS5 writes its pending
index entries out at every statement's savepoint. Through ``executemany`` each row is a
statement, so the search index trigger left one tiny index segment per entry (then merged
them, over and over) and every row paid for its own statement: two thirds of SQLite's time
in an import. On SQLite the rows therefore go first into a temporary table of the
connection (no triggers, no indexes, columns without a type: each value stays exactly as it
was bound) and then into the table with one ``INSERT … SELECT`` in the same order. Every
trigger still fires once per row — the search index, the change counter — so the store ends
exactly as row-by-row inserts leave it. The temporary table lives in the connection's
``temp`` schema, never in the store's file, and goes when the rows are in; if the insert is
refused, the savepoint around it takes the table back with everything else.

PostgreSQL keeps ``executemany`` (psycopg sends the rows in one pipeline, and its search
index and change counter are statement triggers already).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from logbook.store.sql import Params, Sql

# The one temporary table (dropped before each use: a failure outside a savepoint may have
# left it behind; it never outlives the connection).
STAGE = "logbook_rows"


def insert_rows(
    sql: Sql,
    table: str,
    names: Sequence[str],
    rows: Iterable[Params],
    *,
    on_conflict: str = "",
) -> None:
    """Insert ``rows`` (values of the columns ``names``) into ``table`` in their order.

    ``on_conflict`` is an upsert clause for every row (``ON CONFLICT DO NOTHING``).
    """
    columns = ", ".join(names)
    marks = ", ".join(":" + name for name in names)
    if sql.backend != "sqlite":
        sql.run_many(f"INSERT INTO {table} ({columns}) VALUES ({marks}) {on_conflict}", rows)
        return
    quoted = ", ".join(f'"{name}"' for name in names)  # a column may be a keyword (generated)
    sql.run(f"DROP TABLE IF EXISTS temp.{STAGE}")
    sql.run(f"CREATE TEMP TABLE {STAGE} ({quoted})")
    sql.run_many(f"INSERT INTO temp.{STAGE} ({quoted}) VALUES ({marks})", rows)
    # "WHERE true": SQLite's parser needs it before an upsert clause.
    sql.run(
        f"INSERT INTO main.{table} ({quoted}) SELECT {quoted} FROM temp.{STAGE} "
        f"WHERE true ORDER BY rowid {on_conflict}"
    )
    sql.run(f"DROP TABLE temp.{STAGE}")
