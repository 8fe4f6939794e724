"""A research group's logbook on PostgreSQL: choosing the store, the schema, search parity,
moving between stores, the hook, several clients at once, and a read-only role.

Every test here runs against a real PostgreSQL (``pg_url``: a fresh database on this
worker's private server); the behaviour shared with SQLite is also covered by the store
tests that run on both backends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from export_data import full_store

from logbook.store import open_store
from logbook.store.pg_migrations import LATER, known_names
from logbook.sync.export import export_store
from logbook.sync.folder_import import import_path as import_folder

pytestmark = pytest.mark.postgres


def logbook(
    *args: str, db: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``logbook --db DB ARGS…`` in a process of its own, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "logbook", "--db", db, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"logbook {' '.join(args)} failed: {result.stderr}")
    return result


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


# Choosing the store ---------------------------------------------------------------------


def test_a_postgres_url_is_a_store_like_a_file(pg_url: str) -> None:
    logbook("idea", "add", "Can two nets trained on the same data be combined? #merging", db=pg_url)
    listed = logbook("idea", "list", "--json", db=pg_url).stdout
    assert "Can two nets" in listed and "merging" in listed
    assert rows(pg_url, "SELECT count(*) FROM idea") == [(1,)]


def test_without_psycopg_a_postgres_url_says_what_to_install(pg_url: str, tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / "psycopg.py").write_text("raise ImportError('psycopg is not installed here')\n")
    result = logbook("idea", "list", db=pg_url, env={"PYTHONPATH": str(blocker)}, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'Error: a PostgreSQL store needs the psycopg driver: pip install "logbook[postgres]"'
    ]


def test_a_password_never_reaches_the_screen(pg_url: str) -> None:
    parts = urlsplit(pg_url)
    with_password = pg_url.replace("postgres@", "postgres:hunter2-secret@", 1)
    unreachable = with_password.replace(parts.query, "host=/nonexistent/socket")
    for args in (("idea", "list"), ("--debug", "idea", "list")):
        result = logbook(*args, db=unreachable, check=False)
        assert result.returncode == 1
        assert "hunter2-secret" not in result.stderr + result.stdout
        assert "postgres:***@" in result.stderr
    shown = logbook("config", "show", db=pg_url, env={"LOGBOOK_STORE": with_password}).stdout
    assert "hunter2-secret" not in shown


# The same schema on both ------------------------------------------------------------------


def test_a_new_store_records_the_same_migrations_as_sqlite(pg_url: str, tmp_path: Path) -> None:
    open_store(pg_url).close()
    names = [r[0] for r in rows(pg_url, "SELECT name FROM migration ORDER BY name")]
    assert names == sorted(known_names())
    assert set(known_names()[12:]) <= set(LATER), "every later migration has a PostgreSQL body"
    opened = open_store(tmp_path / "logbook.db")
    opened.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "logbook.db") as db:
        sqlite_names = sorted(r[0] for r in db.execute("SELECT name FROM migration"))
    assert names == sqlite_names


def test_the_tables_hold_every_column_of_the_models(pg_url: str) -> None:
    from sqlalchemy import create_engine, inspect
    from sqlmodel import SQLModel

    import logbook.store.models  # noqa: F401  (the tables)

    open_store(pg_url).close()
    engine = create_engine("postgresql+psycopg://" + pg_url.split("://", 1)[1])
    found = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        for column in table.columns:
            assert column.name in columns, f"{table.name}.{column.name}"
            assert columns[column.name]["nullable"] == column.nullable, (
                f"{table.name}.{column.name}"
            )
    engine.dispose()


def test_two_clients_opening_a_new_store_at_once_both_succeed(pg_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "logbook", "--db", pg_url, "idea", "add", f"idea {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert rows(pg_url, "SELECT count(*) FROM idea") == [(4,)]
    assert rows(pg_url, "SELECT count(*), count(DISTINCT name) FROM migration") == [
        (len(known_names()), len(known_names()))
    ]


def test_a_store_from_a_newer_logbook_is_refused(pg_url: str) -> None:
    open_store(pg_url).close()
    with psycopg.connect(pg_url) as db:
        db.execute("INSERT INTO migration (name) VALUES ('m999_from_the_future')")
    result = logbook("idea", "add", "never written", db=pg_url, check=False)
    assert result.returncode == 1
    assert "newer logbook" in result.stderr and len(result.stderr.splitlines()) == 1
    assert rows(pg_url, "SELECT count(*) FROM idea") == [(0,)]


def test_a_store_from_before_m014_is_upgraded_and_finds_the_same(pg_url: str) -> None:
    # A long abstract makes the paper's index row big enough to be toasted, as in a real
    # store; m014 rewrites such rows with their search vector kept in the row.
    words = " ".join(f"word{n}" for n in range(400))
    logbook("idea", "add", "Attention kernels for long contexts #kernels", db=pg_url)
    logbook("idea", "add", "A kernel without attention", db=pg_url)
    open_store(pg_url).close()
    with psycopg.connect(pg_url) as db:
        db.execute(
            "INSERT INTO paper (uid, arxiv_id, title, abstract, created_at, updated_at) "
            "VALUES ('p1', '2401.00001', 'Attention kernel', %s, "
            "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
            (f"attention {words} kernel",),
        )
    before = logbook("search", "attention kernel", "--json", db=pg_url).stdout
    with psycopg.connect(pg_url) as db:
        # As m013 left it: document stored EXTENDED, and m014 not recorded.
        db.execute("ALTER TABLE search_index ALTER COLUMN document SET STORAGE EXTENDED")
        db.execute("CLUSTER search_index USING search_index_pkey")
        db.execute("DELETE FROM migration WHERE name = 'm014_search_vectors_inline'")
    after = logbook("search", "attention kernel", "--json", db=pg_url).stdout  # upgrades
    assert after == before and "2401.00001" in after and "long contexts" in after
    assert rows(pg_url, "SELECT count(*) FROM migration") == [(len(known_names()),)]
    storage = "SELECT attstorage FROM pg_attribute WHERE attrelid = 'search_index'::regclass"
    assert rows(pg_url, f"{storage} AND attname = 'document'") == [("m",)]


def test_a_database_holding_other_tables_is_left_alone(pg_url: str) -> None:
    with psycopg.connect(pg_url) as db:
        db.execute("CREATE TABLE invoices (id int)")
    result = logbook("idea", "add", "x", db=pg_url, check=False)
    assert result.returncode == 1
    assert "not a logbook store" in result.stderr
    tables = rows(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert tables == [("invoices",)]


# Moving between stores --------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_export_import_export_is_byte_identical_across_backends(
    pg_url: str, tmp_path: Path
) -> None:
    personal = open_store(tmp_path / "personal.db")
    full_store(personal)
    export_store(personal, tmp_path / "from-sqlite")
    group = open_store(pg_url)
    import_folder(group, tmp_path / "from-sqlite")
    export_store(group, tmp_path / "from-postgres")
    assert _files(tmp_path / "from-postgres") == _files(tmp_path / "from-sqlite")
    back = open_store(tmp_path / "back.db")
    import_folder(back, tmp_path / "from-postgres")
    export_store(back, tmp_path / "back-again")
    assert _files(tmp_path / "back-again") == _files(tmp_path / "from-sqlite")
    for opened in (personal, group, back):
        opened.close()


def test_numbers_after_an_import_continue_as_on_sqlite(pg_url: str, tmp_path: Path) -> None:
    personal = open_store(tmp_path / "personal.db")
    full_store(personal)
    export_store(personal, tmp_path / "out")
    group = open_store(pg_url)
    import_folder(group, tmp_path / "out")
    import_folder(personal, tmp_path / "out")
    made_here = group.ideas.add("A new idea in the group store")
    made_there = personal.ideas.add("A new idea in the personal store")
    assert made_here.id == made_there.id
    group.close()
    personal.close()


# The git hook -----------------------------------------------------------------------------


def test_the_git_hook_exports_a_postgres_store(pg_url: str, tmp_path: Path, require_tool) -> None:
    require_tool("git")
    blog = tmp_path / "blog"
    subprocess.run(["git", "init", "-q", str(blog)], check=True)
    git = ["git", "-C", str(blog), "-c", "user.name=Ana", "-c", "user.email=ana@example.org"]
    logbook("idea", "add", "Group idea #lab", db=pg_url)
    logbook("hook", "install", "--repo", str(blog), db=pg_url)
    (blog / "index.md").write_text("hello\n")
    subprocess.run([*git, "add", "index.md"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True, capture_output=True)
    committed = subprocess.run(
        [*git, "show", "--name-only", "--format="], check=True, capture_output=True, text=True
    ).stdout.split()
    assert any(name.startswith("_logbook/ideas/") for name in committed), committed


def test_the_hook_refuses_to_keep_a_password(pg_url: str, tmp_path: Path, require_tool) -> None:
    require_tool("git")
    blog = tmp_path / "blog"
    subprocess.run(["git", "init", "-q", str(blog)], check=True)
    secret = pg_url.replace("postgres@", "postgres:hunter2@", 1)
    result = logbook("hook", "install", "--repo", str(blog), db=secret, check=False)
    assert result.returncode != 0
    assert "~/.pgpass" in result.stderr and "hunter2" not in result.stderr
    assert not (blog / ".git" / "hooks" / "pre-commit").exists()


# Permissions ------------------------------------------------------------------------------


def test_a_read_only_role_reads_everything_and_writes_nothing(
    pg_url: str, postgres_server, tmp_path: Path
) -> None:
    store = open_store(pg_url)
    full_store(store)
    store.close()
    database = urlsplit(pg_url).path.strip("/")
    reader = postgres_server.create_role(f"reader_{database}", database, read_only=True)
    for args in (
        ("idea", "list"),
        ("idea", "show", "1"),
        ("paper", "list"),
        ("search", "attention"),
        ("reading-list", "--format", "bibtex"),
        ("themes",),
        ("export", "--out", str(tmp_path / "export")),
        ("publish", "--week", "--dry-run", "--allow-empty"),
    ):
        result = logbook(*args, db=reader, check=False, env={"LOGBOOK_CACHE_DIR": "-"})
        assert result.returncode == 0, (args, result.stderr)
    before = rows(pg_url, "SELECT value FROM meta WHERE key = 'changes'")
    result = logbook("idea", "add", "not allowed", db=reader, check=False)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "may only read" in result.stderr
    assert rows(pg_url, "SELECT value FROM meta WHERE key = 'changes'") == before
    assert rows(pg_url, "SELECT count(*) FROM idea WHERE text = 'not allowed'") == [(0,)]


def test_the_documented_setup_with_one_role_per_person_works(
    pg_url: str, postgres_server, tmp_path: Path
) -> None:
    # docs/team.md, section 2, with this test's names.
    database = urlsplit(pg_url).path.strip("/")
    owner, ana, ben, reader = (f"{n}_{database}" for n in ("owner", "ana", "ben", "reader"))
    for statement in (
        f"CREATE ROLE {owner}",
        f"ALTER DATABASE {database} OWNER TO {owner}",
        f"CREATE ROLE {ana} LOGIN IN ROLE {owner}",
        f"ALTER ROLE {ana} SET role = '{owner}'",
        f"CREATE ROLE {ben} LOGIN IN ROLE {owner}",
        f"ALTER ROLE {ben} SET role = '{owner}'",
        f"CREATE ROLE {reader} LOGIN",
        f"GRANT CONNECT ON DATABASE {database} TO {reader}",
    ):
        postgres_server.execute(statement)
    for statement in (
        f"ALTER SCHEMA public OWNER TO {owner}",
        f"GRANT USAGE ON SCHEMA public TO {reader}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT SELECT ON TABLES TO {reader}",
    ):
        postgres_server.execute(statement, database=database)
    as_ana, as_ben, as_reader = (
        postgres_server.url_for(database, user=role) for role in (ana, ben, reader)
    )
    logbook("idea", "add", "Ana's idea", db=as_ana)  # creates the tables
    logbook("idea", "add", "Ben's idea", db=as_ben)
    logbook("idea", "edit", "1", "--text", "Ana's idea, edited by Ben", db=as_ben)
    listed = logbook("idea", "list", "--json", db=as_reader).stdout
    assert "Ben's idea" in listed and "edited by Ben" in listed
    refused = logbook("idea", "add", "Reader's idea", db=as_reader, check=False)
    assert refused.returncode == 1 and "may only read" in refused.stderr


def test_a_writer_waits_for_another_then_says_locked_in_one_line(pg_url: str) -> None:
    from logbook.store.engine import WRITE_LOCK

    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))  # another client writing
        result = logbook(
            "idea", "add", "typed text", db=pg_url, env={"LOGBOOK_BUSY_TIMEOUT": "0.2"}, check=False
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: the store {pg_url} is locked by another logbook client; try again"
    ]
    assert rows(pg_url, "SELECT count(*) FROM idea") == [(0,)]
    logbook("idea", "add", "typed text", db=pg_url)  # the lock gone, the write goes through
