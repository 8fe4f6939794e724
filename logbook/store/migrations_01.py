"""The schema of logbook 0.1: migrations m001 to m004, frozen as they shipped.

``migrations.py`` lists them with the later ones and applies them by name.
"""

from __future__ import annotations

import sqlite3


def run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction before running, so run the
    # statements one by one; complete_statement() knows where a trigger body ends.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete statement in migration: {statement!r}")


def m001_ideas(db: sqlite3.Connection) -> None:
    # The first logbook held ideas, their tags and their revisions.
    run_script(
        db,
        """
        CREATE TABLE idea (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a removed number is never reused
            uid TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'exploring', 'done', 'dropped')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            archived_at TEXT
        );
        CREATE INDEX ix_idea_created_at ON idea (created_at);

        CREATE TABLE tag (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'auto', 'category')),
            UNIQUE (name, kind)
        );

        CREATE TABLE idea_tag (
            idea_id INTEGER NOT NULL REFERENCES idea (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            PRIMARY KEY (idea_id, tag_id)
        );
        CREATE INDEX ix_idea_tag_tag ON idea_tag (tag_id);

        CREATE TABLE revision (
            id INTEGER PRIMARY KEY,
            entry_kind TEXT NOT NULL,
            entry_uid TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            written_at TEXT NOT NULL,
            replaced_at TEXT NOT NULL
        );
        CREATE INDEX ix_revision_entry_uid ON revision (entry_uid);
        """,
    )


def m002_papers_and_posts(db: sqlite3.Connection) -> None:
    # Papers from arXiv and the posts written to a Jekyll site, with their links to tags
    # and ideas.
    run_script(
        db,
        """
        CREATE TABLE paper (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            arxiv_id TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL DEFAULT 1,
            title TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]',
            abstract TEXT NOT NULL DEFAULT '',
            categories TEXT NOT NULL DEFAULT '[]',
            primary_category TEXT,
            published TEXT,
            updated TEXT,
            doi TEXT,
            journal_ref TEXT,
            comment TEXT,
            pdf_url TEXT,
            withdrawn BOOLEAN NOT NULL DEFAULT 0,
            cite_key TEXT UNIQUE,
            status TEXT NOT NULL DEFAULT 'to-read' CHECK (status IN ('to-read', 'reading', 'read')),
            read_at TEXT,
            read_version INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            archived_at TEXT
        );
        CREATE INDEX ix_paper_created_at ON paper (created_at);

        CREATE TABLE paper_tag (
            paper_id INTEGER NOT NULL REFERENCES paper (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            PRIMARY KEY (paper_id, tag_id)
        );
        CREATE INDEX ix_paper_tag_tag ON paper_tag (tag_id);

        CREATE TABLE idea_paper (
            idea_id INTEGER NOT NULL REFERENCES idea (id) ON DELETE CASCADE,
            paper_id INTEGER NOT NULL REFERENCES paper (id) ON DELETE CASCADE,
            PRIMARY KEY (idea_id, paper_id)
        );
        CREATE INDEX ix_idea_paper_paper ON idea_paper (paper_id);

        CREATE TABLE post (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('week', 'paper', 'idea')),
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            slug TEXT NOT NULL,
            path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            published_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            archived_at TEXT,
            UNIQUE (kind, source)
        );
        CREATE INDEX ix_post_created_at ON post (created_at);

        CREATE TABLE post_tag (
            post_id INTEGER NOT NULL REFERENCES post (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            PRIMARY KEY (post_id, tag_id)
        );
        CREATE INDEX ix_post_tag_tag ON post_tag (tag_id);
        """,
    )


# The full-text index holds one row per entry. Its rowid encodes the entry (id * 4 + kind)
# so that triggers update and delete by rowid, which costs the same at 100 or 100k entries.
_IDEA_TITLE = "substr(NEW.text, 1, instr(NEW.text || char(10), char(10)) - 1)"
_PAPER_BODY = (
    "NEW.abstract || char(10) || "
    "(SELECT coalesce(group_concat(value, ', '), '') FROM json_each(NEW.authors)) "
    "|| char(10) || NEW.notes"
)


def m003_search_index(db: sqlite3.Connection) -> None:
    # One FTS5 index over ideas, papers and posts, kept in sync by triggers so that no
    # write path can forget it.
    run_script(
        db,
        f"""
        CREATE VIRTUAL TABLE search_index USING fts5 (
            kind UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TRIGGER idea_ai AFTER INSERT ON idea BEGIN
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 1, 'idea', {_IDEA_TITLE}, NEW.text);
        END;
        CREATE TRIGGER idea_au AFTER UPDATE OF text ON idea BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 1, 'idea', {_IDEA_TITLE}, NEW.text);
        END;
        CREATE TRIGGER idea_ad AFTER DELETE ON idea BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
        END;

        CREATE TRIGGER paper_ai AFTER INSERT ON paper BEGIN
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 2, 'paper', NEW.title, {_PAPER_BODY});
        END;
        CREATE TRIGGER paper_au AFTER UPDATE OF title, abstract, authors, notes ON paper BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 2, 'paper', NEW.title, {_PAPER_BODY});
        END;
        CREATE TRIGGER paper_ad AFTER DELETE ON paper BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2;
        END;

        CREATE TRIGGER post_ai AFTER INSERT ON post BEGIN
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 3, 'post', NEW.title, NEW.body);
        END;
        CREATE TRIGGER post_au AFTER UPDATE OF title, body ON post BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 3;
            INSERT INTO search_index (rowid, kind, title, body)
            VALUES (NEW.id * 4 + 3, 'post', NEW.title, NEW.body);
        END;
        CREATE TRIGGER post_ad AFTER DELETE ON post BEGIN
            DELETE FROM search_index WHERE rowid = OLD.id * 4 + 3;
        END;
        """,
    )
    # Stores made before this migration already hold entries: index them too.
    run_script(
        db,
        f"""
        INSERT INTO search_index (rowid, kind, title, body)
            SELECT id * 4 + 1, 'idea', {_IDEA_TITLE.replace("NEW.", "")}, text FROM idea;
        INSERT INTO search_index (rowid, kind, title, body)
            SELECT id * 4 + 2, 'paper', title, {_PAPER_BODY.replace("NEW.", "")} FROM paper;
        INSERT INTO search_index (rowid, kind, title, body)
            SELECT id * 4 + 3, 'post', title, body FROM post;
        """,
    )


_COUNTED_TABLES = (
    "idea", "paper", "post", "tag", "idea_tag", "paper_tag", "post_tag", "idea_paper", "revision",
)  # fmt: skip


def m004_change_counter(db: sqlite3.Connection) -> None:
    # The git hook must know in one read whether anything changed since the last export;
    # SQLite's data_version only compares within one connection, so keep a counter that
    # every write bumps, including a purge.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("INSERT INTO meta (key, value) VALUES ('changes', 0)")
    bump = "UPDATE meta SET value = value + 1 WHERE key = 'changes'"
    for table in _COUNTED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_count_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {bump}; END"
            )
