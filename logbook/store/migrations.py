"""The schema's history: numbered migrations, each applied once in its own transaction.

Never edit a migration that has shipped; add the next one. Each is applied by name: the
``migration`` table records the names that ran, and ``PRAGMA user_version`` holds how many
have run so that opening an up-to-date store costs one read.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from logbook.errors import StoreError
from logbook.store.migrations_01 import (
    m001_ideas,
    m002_papers_and_posts,
    m003_search_index,
    m004_change_counter,
    run_script,
)
from logbook.store.timestamps import format_utc

Migration = Callable[[sqlite3.Connection], None]


def m005_store_id(db: sqlite3.Connection) -> None:
    # A random identity per store file: the export's up-to-date check keys on it, so a store
    # replaced by another one (recreated, restored) whose change counter happens to match is
    # still seen as a different store. A copy of the file keeps it, which is right: same data.
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('store_id', ?)", (secrets.randbits(62) | 1 << 62,)
    )


# Every timestamp column up to m004, as (table, column).
_TIMESTAMP_COLUMNS = (
    ("idea", "created_at"), ("idea", "updated_at"), ("idea", "archived_at"),
    ("revision", "written_at"), ("revision", "replaced_at"),
    ("paper", "published"), ("paper", "updated"), ("paper", "read_at"),
    ("paper", "created_at"), ("paper", "updated_at"), ("paper", "archived_at"),
    ("post", "published_at"), ("post", "created_at"), ("post", "updated_at"),
    ("post", "archived_at"), ("migration", "applied_at"),
)  # fmt: skip


def m006_four_digit_years(db: sqlite3.Connection) -> None:
    # Before the fix, strftime wrote year 999 as "999-01-01T…", which fromisoformat refuses
    # and which sorts after every real date. Pad such years to four digits, in SQL so that
    # this migration does not depend on how later code formats timestamps.
    for table, column in _TIMESTAMP_COLUMNS:
        for digits in (1, 2, 3):
            pattern = "[0-9]" * digits + "-*"
            db.execute(
                f"UPDATE {table} SET {column} = substr('000', 1, {4 - digits}) || {column} "
                f"WHERE {column} GLOB ?",
                (pattern,),
            )


def m007_unsafe_links_and_cite_keys(db: sqlite3.Connection) -> None:
    # Before import checked them, an imported file could store a ``javascript:`` pdf_url or a
    # cite key holding "}" and a newline. Such values go (the rules are copied here, frozen
    # as they were when this migration shipped): a missing pdf_url falls back to arXiv's, a
    # missing cite key is given again by ``Papers.ensure_cite_keys``.
    from urllib.parse import urlsplit

    key = re.compile(r"[A-Za-z0-9_:.\-]+")
    url = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&+,;=%]{1,2000}")

    def safe_link(value: str) -> bool:
        if not url.fullmatch(value):
            return False
        try:
            parts = urlsplit(value)
        except ValueError:
            return False
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)

    rows = db.execute("SELECT id, pdf_url, cite_key FROM paper").fetchall()
    for paper_id, pdf_url, cite_key in rows:
        if pdf_url is not None and not safe_link(pdf_url):
            db.execute("UPDATE paper SET pdf_url = NULL WHERE id = ?", (paper_id,))
        if cite_key is not None and not key.fullmatch(cite_key):
            db.execute("UPDATE paper SET cite_key = NULL WHERE id = ?", (paper_id,))


def m008_post_generated_and_intro(db: sqlite3.Connection) -> None:
    # Re-publishing merges three texts: what logbook generated last time, the file as the
    # user left it, and the new post. The first must be kept (``generated``; '' for posts
    # written before, which keep the old refuse-unless-forced rule), and so must the
    # week's opening paragraph given with ``publish --intro`` (``intro``).
    run_script(
        db,
        """
        ALTER TABLE post ADD COLUMN generated TEXT NOT NULL DEFAULT '';
        ALTER TABLE post ADD COLUMN intro TEXT NOT NULL DEFAULT '';
        """,
    )


def m009_stemmed_search(db: sqlite3.Connection) -> None:
    # English stemming ("mechanism" finds "mechanisms") and author:/id: searches need a new
    # tokenizer and two more columns; the frozen SQL is in m009_search (size limit here).
    from logbook.store.m009_search import stemmed_search_index

    stemmed_search_index(db)


def m010_paper_freshness(db: sqlite3.Connection) -> None:
    # When each paper's arXiv metadata was last confirmed by ``paper check-updates --apply``,
    # so that a run within the configured interval skips it. A table of its own rather than a
    # paper column: a check is not an edit of the paper (no updated_at, no export change).
    run_script(
        db,
        """
        CREATE TABLE paper_freshness (
            paper_id INTEGER PRIMARY KEY REFERENCES paper (id) ON DELETE CASCADE,
            checked_at TEXT NOT NULL
        );
        """,
    )


def m011_imported_posts(db: sqlite3.Connection) -> None:
    # ``post import``: posts of the researcher's own, the arXiv ids a post cites, its ideas.
    # A CHECK cannot change in place: post is rebuilt (ids, links, triggers, sequence kept).
    from logbook.store.table_rebuild import rebuild_table

    check = "CHECK (kind IN ('week', 'paper', 'idea'"
    rebuild_table(db, "post", lambda sql: sql.replace(check, check + ", 'imported'"))
    bump = "UPDATE meta SET value = value + 1 WHERE key = 'changes'"
    counters = "".join(f"CREATE TRIGGER {t}_count_{e.lower()} AFTER {e} ON {t} BEGIN {bump}; END;\n"
        for t in ("post_citation", "post_idea") for e in ("INSERT", "UPDATE", "DELETE"))  # fmt: skip
    run_script(db, """
        CREATE TABLE post_citation (
            post_id INTEGER NOT NULL REFERENCES post (id) ON DELETE CASCADE,
            arxiv_id TEXT NOT NULL, PRIMARY KEY (post_id, arxiv_id));
        CREATE INDEX ix_post_citation_arxiv_id ON post_citation (arxiv_id);
        CREATE TABLE post_idea (
            post_id INTEGER NOT NULL REFERENCES post (id) ON DELETE CASCADE,
            idea_id INTEGER NOT NULL REFERENCES idea (id) ON DELETE CASCADE,
            PRIMARY KEY (post_id, idea_id));
        CREATE INDEX ix_post_idea_idea ON post_idea (idea_id);
        """ + counters)  # fmt: skip


def m012_post_categories(db: sqlite3.Connection) -> None:
    # Jekyll keeps categories apart from tags (they make the URL, tags do not): an imported
    # post's categories are a JSON list of their own, as a paper's arXiv categories are.
    # Posts imported before keep their categories among the tags until the next import.
    run_script(db, "ALTER TABLE post ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';")


# m013's statements, kept portable (plain ADD COLUMN with constant defaults, CREATE INDEX) so
# that a PostgreSQL store runs exactly the same ones.
M013_STATEMENTS = (
    "ALTER TABLE idea ADD COLUMN author TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE paper ADD COLUMN author TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE post ADD COLUMN author TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE idea ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE paper ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE post ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1",
    "CREATE INDEX ix_idea_author ON idea (author)",
    "CREATE INDEX ix_paper_author ON paper (author)",
)


def m013_authors_and_versions(db: sqlite3.Connection) -> None:
    # Several people share a group's store: each entry records who wrote or added it
    # (``author``; '' for entries written before, shown as nothing), and an edit version
    # (``row_version``, bumped by every update) lets an edit that was read at version v
    # notice that someone else saved in between (optimistic locking). Not ``paper.version``:
    # that is arXiv's version of the paper.
    for statement in M013_STATEMENTS:
        db.execute(statement)


def m014_search_vectors_inline(db: sqlite3.Connection) -> None:
    # Nothing to do on SQLite (FTS5 keeps its own index). On PostgreSQL a search ranks every
    # matching row's tsvector, which was stored out of line: the body now goes there instead
    # (pg_migrations.M014_STATEMENTS). The name is recorded on both, so the schemas agree.
    del db


# m015's statements, portable: PostgreSQL runs the same ones.
M015_STATEMENTS = (
    "CREATE INDEX ix_paper_read_at ON paper (read_at)",
    "CREATE INDEX ix_paper_created_status ON paper (created_at, status, archived_at)",
)


def m015_week_indexes(db: sqlite3.Connection) -> None:
    # A weekly post asks for the papers read that week (read_at) and counts the unread ones
    # added before its end: at 100k papers each was a scan of every row (0.3 s apiece). The
    # second index covers that count; it leads with created_at so that SQLite, which keeps
    # no statistics, never prefers it where ix_paper_created_at served.
    for statement in M015_STATEMENTS:
        db.execute(statement)


MIGRATIONS: list[Migration] = [
    m001_ideas,
    m002_papers_and_posts,
    m003_search_index,
    m004_change_counter,
    m005_store_id,
    m006_four_digit_years,
    m007_unsafe_links_and_cite_keys,
    m008_post_generated_and_intro,
    m009_stemmed_search,
    m010_paper_freshness,
    m011_imported_posts,
    m012_post_categories,
    m013_authors_and_versions,
    m014_search_vectors_inline,
    m015_week_indexes,
]


def schema_version(db: sqlite3.Connection) -> int:
    """How many migrations this store has had applied."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _refuse_foreign_database(db: sqlite3.Connection) -> None:
    # A new store is an empty file. Tables there already mean someone else's database,
    # which logbook must not fill with its own schema.
    found = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != 'migration'"
    ).fetchone()[0]
    if found:
        raise StoreError("this SQLite database is not a logbook store; give another --db")


def _applied(db: sqlite3.Connection) -> set[str] | None:
    """The names recorded in the migration table, or None when there is no such table."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration'"
    ).fetchone()
    if not exists:
        return None
    return {row[0] for row in db.execute("SELECT name FROM migration")}


def _newer(current: int) -> StoreError:
    return StoreError(
        f"this store was written by a newer logbook (schema {current}, this logbook knows "
        f"{len(MIGRATIONS)}); upgrade logbook to open it"
    )


def refuse_foreign_file(db: sqlite3.Connection) -> None:
    """Refuse an SQLite file that logbook did not make, reading only.

    This runs before any pragma that writes (WAL above all), so a file given by mistake is
    left exactly as it was. A logbook store is empty (new) or has the ``migration`` table.
    """
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (names - {"migration"} or schema_version(db)) and "migration" not in names:
        raise StoreError("this SQLite database is not a logbook store; give another --db")


def migrate(db: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Bring the store up to date (or up to the first ``upto`` migrations); return what ran.

    Migrations are applied by recorded name, as llm does: each one whose name is not in the
    ``migration`` table runs, in order, so a store never depends on positions (a branch that
    added its own migration, or one skipped by an old bug, is still brought up to date).
    ``PRAGMA user_version`` holds how many known migrations have run: the one-read fast path.

    ``db`` must be in autocommit mode (``isolation_level = None``): each migration runs in
    its own ``BEGIN IMMEDIATE`` transaction, DDL included, so a failure leaves no half schema
    behind and two processes opening a new store do not both migrate it.
    """
    wanted = MIGRATIONS if upto is None else MIGRATIONS[:upto]
    current = schema_version(db)
    if current > len(MIGRATIONS):
        raise _newer(current)
    if current >= len(wanted) and upto is None:
        return []
    ran: list[str] = []
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Read inside the lock: another process may have migrated while we waited.
            applied = _applied(db)
            if applied is None:
                _refuse_foreign_database(db)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS migration (name TEXT PRIMARY KEY, applied_at TEXT)"
                )
                applied = set()
            known = {step.__name__ for step in MIGRATIONS}
            if applied - known:
                raise _newer(len(applied))
            pending = [step for step in wanted if step.__name__ not in applied]
            if not pending:
                db.execute("COMMIT")
                return ran
            step = pending[0]
            step(db)
            db.execute(
                "INSERT INTO migration (name, applied_at) VALUES (?, ?)",
                (step.__name__, format_utc(datetime.now(UTC))),
            )
            db.execute(f"PRAGMA user_version = {len(applied) + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        ran.append(step.__name__)
