"""Entry numbers given on import, the same way on both backends.

SQLite's ``AUTOINCREMENT`` gives one more than the largest number the table ever held, even
right after a row was inserted with a number of its own (an import keeps the numbers of the
exported store). A PostgreSQL identity column only counts its own calls, so there the
numbers an import leaves open are given here, in order, by the same rule, and the sequence
is moved past them: the next ``idea add`` gets what it would get on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text


def _is_postgres(session: Any) -> bool:
    return bool(session.get_bind().dialect.name == "postgresql")


def claim_ids(session: Any, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Give every row of ``rows`` without an ``id`` the number SQLite would (PostgreSQL only).

    ``table`` is an entry table (idea, paper, post); on SQLite this does nothing and the
    database numbers the rows as they go in.
    """
    if not _is_postgres(session):
        return
    last = session.execute(
        text(
            f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {table}), "
            f"(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {table}_id_seq))"
        )
    ).scalar_one()
    for row in rows:
        if row.get("id") is None:
            last += 1
            row["id"] = last
        else:
            last = max(last, int(row["id"]))
    session.execute(text("SELECT setval(:seq, :last)"), {"seq": f"{table}_id_seq", "last": last})
