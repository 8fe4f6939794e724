"""The store: the only package that holds SQL. ``open_store`` opens (and migrates) one.

What logbook does with its data, and nothing else, is public here:

- ``store.ideas``, ``store.papers``, ``store.posts``: one repository per entry kind (add,
  find, edit, tag, remove/restore/purge, publishing a post in one transaction);
- ``store.search(query)``: full-text search;
- ``store.snapshot()``: every entry as export records; ``store.corpus(...)`` and
  ``store.replace_auto_tags(...)``: what themes read and write; ``store.tag_weeks(...)``:
  how tags spread over weeks; ``store.changes()``: the change counter;
- ``logbook.store.meta.peek_stamp``: the store's identity and counter, without SQLAlchemy.

Sessions and transactions (``_read``, ``_write``) are private to this package: pragmas,
FTS5 and upserts stay here, so another backend (PostgreSQL for a research group) can stand
behind the same interface.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import ConflictError, LogbookError, StoreError
from logbook.location import StoreLocation, mask_in, parse_location
from logbook.store import migrations
from logbook.store.pragmas import configure_connection

# SQLAlchemy and SQLModel are imported when a store is first opened, not with this package:
# the git hook's no-change check (``logbook.store.meta``) and ``--help`` must not pay for them.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from logbook.store.corpus import AutoTagChange, Corpus
    from logbook.store.ideas import Ideas
    from logbook.store.imported_posts import IncomingPost, PostImportCounts
    from logbook.store.merge import Entry, MergeResult
    from logbook.store.paper_updates import PaperUpdates
    from logbook.store.papers import Papers
    from logbook.store.posts import Posts
    from logbook.store.search import Hit
    from logbook.store.snapshot import Snapshot
    from logbook.store.sql import Sql
    from logbook.store.tag_history import TagWeeks


class Store:
    """An open logbook store. Use ``open_store`` to get one."""

    def __init__(self, location: StoreLocation | Path, connection: Any = None) -> None:
        if isinstance(location, Path):
            location = StoreLocation(path=location)
        self.location = location
        # The SQLite file (None for a PostgreSQL store): caches and the export state key on
        # ``location.key`` instead, which every store has.
        self.path = location.path
        # The DB-API connection that opening the store used, kept for the statements that
        # run without the ORM (``_read_sql``/``_write_sql``).
        from logbook.store.connection import OwnConnection

        self._own = OwnConnection(location, connection)
        self._batch: Session | None = None
        self._session: Session | None = None  # the ORM write transaction under way, if any
        self._author: str | Callable[[], str] = ""

    @cached_property
    def engine(self) -> Engine:
        """SQLAlchemy's engine, made on first use: the commands people run most never ask."""
        from logbook.store.engine import make_engine

        return make_engine(self.location)

    @cached_property
    def _write_engine(self) -> Engine:
        from logbook.store.engine import write_engine

        return write_engine(self.engine, self.location)

    def set_author(self, author: str | Callable[[], str]) -> None:
        """Credit this store's new entries to ``author``: a name, or a function asked once,
        on the first write that records one (reading git's config costs nothing otherwise)."""
        self._author = author

    @property
    def author(self) -> str:
        """Who new entries are credited to ('' when nobody is known). Read it before a write
        transaction begins: the function behind it may run ``git``."""
        if callable(self._author):
            self._author = self._author().strip()
        return self._author

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``: the few SQL spellings that differ ask this."""
        return self.location.backend

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run several operations in one write transaction: all are saved, or none is.

        ``idea rm 1 2 3`` must not remove 1 and 2 and then stop at a missing 3. Inside a
        batch every ``_read``/``_write`` joins the batch's session, so each operation sees
        the ones before it.
        """
        if self._batch is not None:
            yield
            return
        with self._write() as session:
            self._batch = session
            try:
                yield
            finally:
                self._batch = None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A session in one read transaction: a consistent snapshot."""
        from sqlmodel import Session

        if self._batch is not None:
            yield self._batch
            return
        with (
            self._translate(),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error.

        It begins with ``BEGIN IMMEDIATE`` so that concurrent writers wait for each other
        (up to the busy timeout) instead of failing half-way.
        """
        from sqlmodel import Session

        if self._batch is not None:
            yield self._batch
            return
        with (
            self._translate(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            outer, self._session = self._session, session
            try:
                yield session
            finally:
                self._session = outer

    @contextmanager
    def _read_sql(self) -> Iterator[Sql]:
        """Statements in one read transaction on the store's DB-API connection (no ORM).

        Inside a batch or an ORM write they join that transaction instead.
        """
        with self._sql(write=False) as sql:
            yield sql

    @contextmanager
    def _write_sql(self) -> Iterator[Sql]:
        """Statements in one write transaction on the store's DB-API connection, which
        writers take in turn exactly as ``_write``'s (see ``logbook.store.connection``)."""
        with self._sql(write=True) as sql:
            yield sql

    @contextmanager
    def _sql(self, *, write: bool) -> Iterator[Sql]:
        from logbook.store.sql import SessionSql

        joined = self._batch or self._session
        if joined is not None:
            yield SessionSql(joined, self.backend)
            return
        with self._own.transaction(write=write) as sql:
            yield sql

    @contextmanager
    def _translate(self) -> Iterator[None]:
        from sqlalchemy import exc as sa_exc
        from sqlalchemy.orm.exc import StaleDataError

        try:
            yield
        except LogbookError:
            raise
        except StaleDataError as error:
            # An update's row_version no longer matched: another writer saved in between
            # (under SQLite's write lock this cannot happen; a server backend may see it).
            raise ConflictError(
                "an entry changed in the store while this command was writing it; nothing "
                "was saved, try again"
            ) from error
        except self._database_errors(sa_exc) as error:
            raise store_error(self.location, error) from error

    def _database_errors(self, sa_exc: Any) -> tuple[type[BaseException], ...]:
        # SQLAlchemy's, and what a statement run on the driver's own cursor (``Sql``) raises
        from logbook.store.connection import driver_errors

        return (sa_exc.OperationalError, sa_exc.DatabaseError, *driver_errors(self.location))

    @cached_property
    def ideas(self) -> Ideas:
        """Ideas: add, list, edit, tag, remove."""
        from logbook.store.ideas import Ideas

        return Ideas(self)

    @cached_property
    def papers(self) -> Papers:
        """Papers on the reading list."""
        from logbook.store.papers import Papers

        return Papers(self)

    @cached_property
    def paper_updates(self) -> PaperUpdates:
        """Update checks: when papers were checked, applying what arXiv changed, new versions."""
        from logbook.store.paper_updates import PaperUpdates

        return PaperUpdates(self)

    @cached_property
    def posts(self) -> Posts:
        """Posts written to the Jekyll site."""
        from logbook.store.posts import Posts

        return Posts(self)

    def import_posts(self, posts: Sequence[IncomingPost]) -> PostImportCounts:
        """Record posts read from a blog, in one transaction (``logbook.store.imported_posts``)."""
        from logbook.store.imported_posts import import_posts

        return import_posts(self, posts)

    def imported_sources(self) -> set[str]:
        """The site paths of the imported posts (not removed)."""
        from logbook.store.imported_posts import imported_sources

        return imported_sources(self)

    def post_citations(self, post_id: int) -> list[tuple[str, int | None]]:
        """The arXiv ids a post cites, each with its stored paper's number or None."""
        from logbook.store.imported_posts import citations

        return citations(self, post_id)

    def pending_citations(self) -> list[str]:
        """ArXiv ids imported posts cite that no stored paper has yet."""
        from logbook.store.imported_posts import pending_citations

        return pending_citations(self)

    def search(
        self,
        query: str,
        *,
        kinds: list[str] | None = None,
        tags: list[str] | None = None,
        since: object = None,
        authors: list[str] | None = None,
        limit: int | None = 20,
    ) -> list[Hit]:
        """Full-text search over ideas, papers and posts, best match first; ``authors``
        keeps entries written (papers: added) by one of them."""
        from logbook.store.search import search

        return search(
            self,
            query,
            kinds=kinds,
            tags=tags,
            since=since,  # type: ignore[arg-type]
            authors=authors,
            limit=limit,
        )

    def changes(self) -> int:
        """A counter that every write to the store increases (for the git hook)."""
        from logbook.store.sql import scalar

        with self._read_sql() as sql:
            return int(scalar(sql, "SELECT value FROM meta WHERE key = 'changes'"))

    def tag_weeks(
        self, names: list[str], end: datetime, week_starts: Callable[[datetime], Sequence[datetime]]
    ) -> dict[str, TagWeeks]:
        """For each tag: the entries carrying it and the starts of their weeks, before ``end``."""
        from logbook.store.tag_history import tag_weeks

        return tag_weeks(self, names, end, week_starts)

    def tag_week_counts(
        self,
        names: list[str],
        since: datetime,
        end: datetime,
        week_starts: Callable[[datetime], Sequence[datetime]],
    ) -> dict[str, dict[datetime, int]]:
        """For each tag: its entries per week (by week start), from ``since`` to ``end``."""
        from logbook.store.tag_history import tag_week_counts

        return tag_week_counts(self, names, since, end, week_starts)

    def merge(self, entries: Iterable[Entry]) -> MergeResult:
        """Merge entries read from an export, in one transaction (``logbook.store.merge``)."""
        from logbook.store.merge import merge_entries

        return merge_entries(self, entries)

    def snapshot(self) -> Snapshot:
        """Every entry with its tags, links and revisions, as export records (one read)."""
        from logbook.store.snapshot import snapshot

        return snapshot(self)

    def corpus(
        self,
        kinds: Sequence[str],
        since: datetime | None,
        until: datetime | None,
        *,
        generated_posts: bool = True,
    ) -> Corpus:
        """The entries themes are judged on (``logbook.store.corpus``)."""
        from logbook.store.corpus import load_corpus

        return load_corpus(self, kinds, since, until, generated_posts=generated_posts)

    def replace_auto_tags(
        self, wanted: Mapping[tuple[str, int], Collection[str]], read_at: int
    ) -> AutoTagChange | None:
        """Set the auto tags of entries, unless the store changed since ``read_at``."""
        from logbook.store.corpus import replace_auto_tags

        return replace_auto_tags(self, wanted, read_at)

    def close(self) -> None:
        """Release the store's connections."""
        self._own.close()
        if "engine" in self.__dict__:
            self.engine.dispose()


def store_error(location: StoreLocation | Path, error: BaseException) -> StoreError:
    """Say in one line what is wrong with the store at ``location`` (never its password)."""
    if isinstance(location, Path):
        location = StoreLocation(path=location)
    message = str(getattr(error, "orig", None) or error).strip().splitlines()[0:1]
    text = mask_in(message[0] if message else type(error).__name__, location)
    if location.is_postgres:
        from logbook.store.pg_open import postgres_error

        return postgres_error(location, text)
    path = location.path
    if "locked" in text or "busy" in text:
        return StoreError(f"the store {path} is locked by another logbook process; try again")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is not a logbook store (or it is damaged)")
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return StoreError(f"cannot open the store {path}: check the folder exists and is writable")
    return StoreError(f"store {path}: {text}")


def open_store(
    location: StoreLocation | Path | str, *, create: bool = True, upto: int | None = None
) -> Store:
    """Open the store at ``location`` (a file or a PostgreSQL URL), migrating it as needed.

    ``upto`` stops migrating at that migration number (tests use it to build old stores).
    """
    if not isinstance(location, StoreLocation):
        location = parse_location(location)
    if location.is_postgres:
        from logbook.store.pg_open import open_postgres

        return Store(location, open_postgres(location))
    path = location.file()
    if not create and not path.exists():
        raise StoreError(f"no store at {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the folder {path.parent}: {error.strerror}") from None
    from logbook.store.connection import sqlite_file

    try:
        db = sqlite_file(path)
    except sqlite3.Error as error:
        raise store_error(path, error) from error
    try:
        migrations.refuse_foreign_file(db)
        configure_connection(db)
        migrations.migrate(db, upto)
    except BaseException as error:
        db.close()
        if isinstance(error, sqlite3.Error):
            raise store_error(path, error) from error
        raise
    # the same connection serves the statements that need no ORM (``Store._read_sql``)
    return Store(location, db)
