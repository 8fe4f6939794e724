"""The store: migrations, pragmas, and nothing lost when processes write at once."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from processes import start_together
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from logbook.errors import StoreError
from logbook.store import migrations, open_store, pg_migrations

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py), but those about
# SQLite's own file, pragmas and old SQLite stores (PostgreSQL's begin at the m012 baseline).
pytestmark = pytest.mark.backends


def _recorded(store) -> set[str]:  # type: ignore[no-untyped-def]
    with store._read() as session:
        return {row[0] for row in session.execute(text("SELECT name FROM migration"))}


def _with_migration(monkeypatch, step) -> None:  # type: ignore[no-untyped-def]
    """Be a logbook that knows one more migration, ``step``, on either backend."""
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setitem(pg_migrations.LATER, step.__name__, step)


def test_a_new_store_has_every_migration_recorded(store):
    assert _recorded(store) == {m.__name__ for m in migrations.MIGRATIONS}


@pytest.mark.sqlite_only  # PRAGMA user_version, SQLite's one-read fast path
def test_a_new_sqlite_store_counts_its_migrations_in_order(tmp_path):
    open_store(tmp_path / "new.db").close()
    db = sqlite3.connect(tmp_path / "new.db")
    names = [row[0] for row in db.execute("SELECT name FROM migration ORDER BY rowid")]
    assert names == [m.__name__ for m in migrations.MIGRATIONS]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_every_connection_uses_wal_foreign_keys_and_a_busy_timeout(store):
    with store._read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def _affinity(declared: str) -> str:
    # SQLite's type affinity rules: what a declared type means for stored values.
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "BLOB" if not upper else "NUMERIC"


def _shape(db: sqlite3.Connection, table: str) -> dict[str, object]:
    """What a table guarantees: column types, NOT NULL, keys, UNIQUE, CHECK and indexes."""
    columns = {
        name: (_affinity(kind), bool(notnull) or bool(pk), pk)
        for _, name, kind, notnull, _default, pk in db.execute(f"PRAGMA table_info({table})")
    }
    unique, indexes = set(), set()
    for _, name, is_unique, origin, _partial in db.execute(f"PRAGMA index_list({table})"):
        cols = tuple(row[2] for row in db.execute(f"PRAGMA index_info({name})"))
        if origin == "pk":
            continue
        (unique if is_unique else indexes).add(cols)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    checks = {
        re.sub(r"\s+", "", body).replace('"', "'").lower()
        for body in re.findall(r"CHECK\s*\(([^()]*\([^()]*\)[^()]*)\)", sql, flags=re.I)
    }
    foreign = {
        (row[3], row[2], row[4], row[6])  # column, table, its column, on delete
        for row in db.execute(f"PRAGMA foreign_key_list({table})")
    }
    return {
        "columns": columns,
        "unique": unique,
        "indexes": indexes,
        "checks": checks,
        "fk": foreign,
    }


@pytest.mark.sqlite_only  # SQLite's catalogue: affinities, CHECK texts, ON DELETE (keys: below)
def test_the_migrated_schema_matches_the_models(store, tmp_path):
    """The models declare what the migrations create: types, NOT NULL, UNIQUE, CHECK, indexes."""
    import sqlalchemy

    import logbook.store.models  # noqa: F401  (registers the tables)

    declared_path = tmp_path / "declared.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{declared_path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    migrated, declared = sqlite3.connect(store.path), sqlite3.connect(declared_path)
    for table in SQLModel.metadata.sorted_tables:
        assert _shape(migrated, table.name) == _shape(declared, table.name), table.name


def _guarantees(engine, table: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What a table guarantees, as the database reports it: NOT NULL, keys, UNIQUE, indexes,
    foreign keys and how many CHECKs (their text, and ON DELETE, are each dialect's own)."""
    found = inspect(engine)
    key = found.get_pk_constraint(table)["constrained_columns"]
    unique = {tuple(u["column_names"]) for u in found.get_unique_constraints(table)}
    indexes = set()
    for index in found.get_indexes(table):
        (unique if index["unique"] else indexes).add(tuple(index["column_names"]))
    return {
        "not null": {c["name"] for c in found.get_columns(table) if not c["nullable"]} | set(key),
        "primary key": key,
        "unique": unique,
        "indexes": indexes,
        "foreign keys": {
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in found.get_foreign_keys(table)
        },
        "checks": len(found.get_check_constraints(table)),
    }


@pytest.fixture
def empty_database(backend, tmp_path, request) -> str:  # type: ignore[no-untyped-def]
    """The SQLAlchemy URL of an empty database on the test's backend."""
    if backend == "postgresql":
        return "postgresql+psycopg://" + request.getfixturevalue("pg_url").split("://", 1)[1]
    return f"sqlite:///{tmp_path / 'empty.db'}"


def test_the_migrated_store_has_the_keys_and_indexes_of_the_models(store, empty_database):
    """On either backend, what the migrations (or PostgreSQL's baseline) create holds the keys,
    UNIQUEs, indexes and foreign keys that the models declare."""
    import sqlalchemy

    import logbook.store.models  # noqa: F401  (registers the tables)

    declared = sqlalchemy.create_engine(empty_database)
    SQLModel.metadata.create_all(declared)
    try:
        for table in SQLModel.metadata.sorted_tables:
            assert _guarantees(store.engine, table.name) == _guarantees(declared, table.name), (
                table.name
            )
    finally:
        declared.dispose()


@pytest.mark.sqlite_only  # an old SQLite store: a PostgreSQL one begins at the baseline
def test_a_version_1_store_is_migrated_and_keeps_its_ideas(tmp_path):
    path = tmp_path / "v1.db"
    open_store(path, upto=1).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.execute(
        "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES "
        "('0190a1b2-0000-7000-8000-000000000001', 'Old idea about kernels', 'open', "
        "'2020-01-01T00:00:00.000000+00:00', '2020-01-01T00:00:00.000000+00:00')"
    )
    db.commit()
    db.close()

    store = open_store(path)
    assert [i.text for i in store.ideas.find()] == ["Old idea about kernels"]
    assert [h.title for h in store.search("kernels")] == ["Old idea about kernels"]
    assert store.ideas.add("New idea").id == 2
    store.close()


def test_a_store_from_a_newer_logbook_is_refused(store, cli, monkeypatch):
    def m999_from_the_future(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE future (x INTEGER)")

    store.ideas.add("Written before the upgrade")
    with monkeypatch.context() as newer:
        _with_migration(newer, m999_from_the_future)
        open_store(os.environ["LOGBOOK_DB"]).close()  # a newer logbook opened it
    with pytest.raises(StoreError, match="newer logbook"):
        open_store(os.environ["LOGBOOK_DB"])
    result = cli("idea", "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: this store was written by a newer logbook")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failed_migration_leaves_no_half_schema(store, monkeypatch):
    def m999_half_done(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        raise RuntimeError("disk on fire")

    _with_migration(monkeypatch, m999_half_done)
    with pytest.raises(RuntimeError):
        open_store(os.environ["LOGBOOK_DB"])
    assert "half_done" not in inspect(store.engine).get_table_names()
    assert "m999_half_done" not in _recorded(store)
    assert store.ideas.add("Still a store").id == 1


WRITER = textwrap.dedent(
    """
    import sys
    from logbook.store import open_store

    location, who = sys.argv[1], sys.argv[2]
    store = open_store(location)
    print("ready", flush=True)
    sys.stdin.readline()  # the go: every writer has imported and opened the store
    for n in range(100):
        store.ideas.add(f"idea {n} from writer {who} #w{who}")
    """
)


@pytest.mark.slow
def test_four_processes_adding_at_once_lose_nothing(store):
    location = os.environ["LOGBOOK_DB"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, location, str(who)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in range(4)
    ]
    start_together(procs)
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert not any("locked" in e for e in errors)
    ideas = store.ideas.find()
    assert len(ideas) == 400
    assert len({i.uid for i in ideas}) == 400
    assert len(store.ideas.find(tags=["w3"])) == 100
    assert len(store.search("writer")) == 20  # the default limit; the index has them all


@pytest.mark.slow
def test_cli_processes_at_once_lose_nothing(store):
    location = os.environ["LOGBOOK_DB"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "logbook", "--db", location, "idea", "add", f"from cli {n}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    assert len(store.ideas.find()) == 8


def test_changes_counter_moves_on_every_write(store):
    before = store.changes()
    store.ideas.add("One")
    after_add = store.changes()
    assert after_add > before
    store.ideas.remove(1, purge=True)
    assert store.changes() > after_add


@pytest.mark.sqlite_only  # a file that is not SQLite, named in the message
def test_an_unreadable_store_is_one_clear_line(tmp_path, cli):
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    result = cli("--db", str(bad), "idea", "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bad} is not a logbook store (or it is damaged)"


@pytest.mark.sqlite_only  # SQLite's file lock; test_postgres has PostgreSQL's lock_timeout
def test_a_locked_store_is_one_clear_line(tmp_path, cli, monkeypatch):
    path = tmp_path / "locked.db"
    open_store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setenv("LOGBOOK_BUSY_TIMEOUT", "0.2")
    try:
        result = cli("--db", str(path), "idea", "add", "blocked", ok=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "is locked by another logbook process" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert open_store(path).ideas.find() == []


@pytest.mark.sqlite_only  # the folder of a store file
def test_store_folder_that_cannot_be_created_is_one_clear_line(tmp_path, cli):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--db", str(blocker / "sub" / "x.db"), "idea", "add", "x", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot create the folder")
    assert Path(blocker).read_text() == "x"


@pytest.mark.sqlite_only  # m005 is inside PostgreSQL's baseline, applied whole
def test_migrations_are_applied_by_name_not_by_position(tmp_path, monkeypatch):
    """A store that missed a migration in the middle still gets it, and only it."""
    path = tmp_path / "gap.db"
    everything = list(migrations.MIGRATIONS)
    # m005 depends on nothing later; m003 would not do, m009 rebuilds its index.
    missed = migrations.m005_store_id
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in everything if m is not missed])
    open_store(path).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", everything)
    db = sqlite3.connect(path, isolation_level=None)
    assert migrations.migrate(db) == [missed.__name__]
    names = {row[0] for row in db.execute("SELECT name FROM migration")}
    assert names == {m.__name__ for m in everything}
    assert migrations.migrate(db) == []


@pytest.mark.sqlite_only  # SQLite's user_version fast path
def test_a_store_with_a_migration_this_logbook_does_not_know_is_refused(tmp_path):
    path = tmp_path / "branch.db"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migration (name, applied_at) VALUES ('m999_from_the_future', '')")
    db.execute("PRAGMA user_version = 0")  # the fast path must not hide it
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer logbook"):
        open_store(path)


@pytest.mark.sqlite_only  # a foreign SQLite file; test_postgres has a foreign database
@pytest.mark.parametrize("schema", ["CREATE TABLE t (x)", "PRAGMA user_version = 3"])
def test_a_foreign_sqlite_file_is_refused_before_anything_changes(cli, tmp_path, schema):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute(schema)
    db.execute("CREATE TABLE IF NOT EXISTS kept (x)")
    db.execute("INSERT INTO kept VALUES (1)")
    db.commit()
    db.close()
    before = other.read_bytes()
    result = cli("--db", str(other), "idea", "list", ok=False)
    assert result.exit_code == 1
    assert "not a logbook store" in result.stderr
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]
    db = sqlite3.connect(other)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.sqlite_only  # an old SQLite store: a PostgreSQL one begins at the baseline
def test_m011_rebuilds_posts_keeping_ids_tags_search_and_purged_numbers(tmp_path):
    """The post table is rebuilt for the 'imported' kind: nothing a store held is lost."""
    from datetime import UTC, datetime

    path = tmp_path / "m010.db"
    open_store(path, upto=10).close()  # every migration before the post rebuild
    when = datetime(2020, 10, 19, 9, tzinfo=UTC)
    # plain SQL: today's models have columns later migrations add, a store at m010 does not
    old = sqlite3.connect(path)
    old.execute("INSERT INTO tag (name, kind) VALUES ('kernels', 'user')")
    stamp = "2020-10-19T09:00:00.000000+00:00"
    for number, week in enumerate(("2020-W42", "2020-W43"), 1):
        old.execute(
            "INSERT INTO post (uid, kind, source, title, slug, path, content_hash, body,"
            " published_at, created_at, updated_at) VALUES (?, 'week', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f"0190a1b2-0000-7000-8000-00000000000{number}", week, f"Week {week[-2:]} on kernels",
             f"w{week[-2:]}", f"_posts/2020-10-19-w{week[-2:]}.md", "0" * 64,
             f"body of {week}", stamp, stamp, stamp),
        )  # fmt: skip
        old.execute("INSERT INTO post_tag (post_id, tag_id) VALUES (?, 1)", (number,))
    old.execute("DELETE FROM post WHERE id = 2")  # purged: its number must not come back
    old.commit()
    old.close()

    store = open_store(path)
    [post] = store.posts.find()
    assert (post.id, post.source, [t.name for t in post.tags]) == (1, "2020-W42", ["kernels"])
    assert [hit.title for hit in store.search("kernels", kinds=["post"])] == ["Week 42 on kernels"]
    before = store.changes()
    again = store.posts.record(
        kind="imported", source="_posts/2019-01-01-old.md", title="Old", slug="old",
        path="_posts/2019-01-01-old.md", content_hash="1" * 64, body="old kernels",
        published_at=when,
    )  # fmt: skip
    assert again.id == 3  # the purged number 2 is not reused
    assert store.changes() > before  # the change counter's triggers are back
    assert len(store.search("kernels", kinds=["post"])) == 2
    assert [hit.title for hit in store.search("kernels")] == ["Old"]  # imported posts count
    store.close()
