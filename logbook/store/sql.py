"""SQL text with ``:name`` parameters, run the same way on every backend and connection.

The store's statements are written once, as text. They run either on the store's own DB-API
connection (``sqlite3`` or psycopg), which is how the commands people run most (``idea add``,
``idea list``, ``search``, ``paper show``) start without importing SQLAlchemy, or inside an
ORM session's transaction, when an operation that needs the ORM calls the same helpers
(``as_sql(session)``). Either way a statement is one string: there is no second copy of a
query for the fast path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from logbook.store.timestamps import format_utc

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

Params = Mapping[str, Any]

# SQLAlchemy's own rule for a bind name in text(): a colon not after a word character or
# another colon (so PostgreSQL's ``::text`` casts are left alone), not before a colon.
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@lru_cache(maxsize=256)
def pyformat(statement: str) -> str:
    """``statement`` with ``:name`` written as psycopg's ``%(name)s`` (and ``%`` doubled)."""
    return _BIND.sub(r"%(\1)s", statement.replace("%", "%%"))


class Sql(Protocol):
    """One transaction's way to run statements; rows come back as tuples."""

    backend: str

    def rows(self, statement: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""

    def stream(
        self, statement: str, params: Params | None = None, size: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in lists of at most ``size``, read as they are needed."""

    def run(self, statement: str, params: Params | None = None) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""

    def run_many(self, statement: str, params: Iterable[Params]) -> None:
        """Run a statement once per set of parameters."""


def first(sql: Sql, statement: str, params: Params | None = None) -> tuple[Any, ...] | None:
    """The first row, or None."""
    found = sql.rows(statement, params)
    return found[0] if found else None


def scalar(sql: Sql, statement: str, params: Params | None = None) -> Any:
    """The first column of the one row the statement returns."""
    found = sql.rows(statement, params)
    if len(found) != 1:
        raise LookupError(f"expected one row, got {len(found)}")
    return found[0][0]


class DbapiSql:
    """Statements on a DB-API connection that the store begins and ends itself."""

    def __init__(self, connection: Any, backend: str) -> None:
        self.connection = connection
        self.backend = backend
        self._postgres = backend == "postgresql"

    def _spelled(self, statement: str) -> str:
        return pyformat(statement) if self._postgres else statement

    def rows(self, statement: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""
        cursor = self.connection.execute(self._spelled(statement), dict(params or {}))
        return list(cursor.fetchall())

    def stream(
        self, statement: str, params: Params | None = None, size: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in lists of at most ``size``, read as they are needed."""
        cursor = self.connection.execute(self._spelled(statement), dict(params or {}))
        while chunk := cursor.fetchmany(size):
            yield list(chunk)

    def run(self, statement: str, params: Params | None = None) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""
        cursor = self.connection.execute(self._spelled(statement), dict(params or {}))
        return int(cursor.rowcount)

    def run_many(self, statement: str, params: Iterable[Params]) -> None:
        """Run a statement once per set of parameters."""
        many = [p if type(p) is dict else dict(p) for p in params]
        if not many:
            return
        cursor = self.connection.cursor()
        try:
            cursor.executemany(self._spelled(statement), many)
        finally:
            cursor.close()


class SessionSql:
    """Statements inside an ORM session's transaction (SQLAlchemy is loaded already)."""

    def __init__(self, session: Session, backend: str) -> None:
        self.session = session
        self.backend = backend

    def rows(self, statement: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""
        from sqlalchemy import text

        return [tuple(row) for row in self.session.execute(text(statement), dict(params or {}))]

    def stream(
        self, statement: str, params: Params | None = None, size: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows in lists of at most ``size``, read as they are needed."""
        from sqlalchemy import text

        result = self.session.execute(
            text(statement).execution_options(yield_per=size), dict(params or {})
        )
        for chunk in result.partitions():
            yield [tuple(row) for row in chunk]

    def run(self, statement: str, params: Params | None = None) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""
        from sqlalchemy import text

        result = self.session.execute(text(statement), dict(params or {}))
        return int(getattr(result, "rowcount", 0))

    def run_many(self, statement: str, params: Iterable[Params]) -> None:
        """Run a statement once per set of parameters, on the driver's own cursor: in the
        session's transaction (and savepoint), without SQLAlchemy's work per row (an
        import's bulk inserts). The driver's errors come out as they are."""
        raw = self.session.connection().connection.driver_connection
        DbapiSql(raw, self.backend).run_many(statement, params)


def as_sql(target: Sql | Session) -> Sql:
    """``target`` if it runs SQL text already, else its ORM session's transaction."""
    if isinstance(target, DbapiSql | SessionSql):
        return target
    session: Session = target  # type: ignore[assignment]
    return SessionSql(session, session.get_bind().dialect.name)


def in_list(prefix: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """``(:prefix0, :prefix1, …)`` for ``values``, binding each in ``params`` (never empty:
    ``IN (NULL)`` matches nothing, as an empty list should)."""
    names = []
    for n, value in enumerate(values):
        params[f"{prefix}{n}"] = value
        names.append(f":{prefix}{n}")
    return "(" + (", ".join(names) or "NULL") + ")"


def within(
    column: str,
    since: datetime | None,
    until: datetime | None,
    params: dict[str, Any],
    name: str,
) -> list[str]:
    """The conditions ``since <= column < until`` (a bound that is None left out), their
    moments bound in ``params`` in their stored form as ``:{name}_since``/``:{name}_until``."""
    found = []
    if since is not None:
        params[f"{name}_since"] = format_utc(since)
        found.append(f"{column} >= :{name}_since")
    if until is not None:
        params[f"{name}_until"] = format_utc(until)
        found.append(f"{column} < :{name}_until")
    return found


def id_lists(ids: Sequence[int], size: int = 500) -> Iterator[str]:
    """``ids`` as comma-separated integer literals, ``size`` at a time, for ``IN (…)``.

    Inlined, not bound: a 100k-row listing would otherwise pass 100k parameters, and
    ``int()`` makes each one a number whatever it was.
    """
    for start in range(0, len(ids), size):
        yield ",".join(str(int(i)) for i in ids[start : start + size])
