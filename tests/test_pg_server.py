"""The PostgreSQL the tests run against: a private server per worker, a fresh database per test."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pg_server import PostgresServer

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")


@pytest.fixture
def connect(postgres_server: PostgresServer) -> Callable[..., Any]:
    """psycopg.connect (imported once postgres_server has checked that psycopg is there)."""
    import psycopg

    return psycopg.connect


def _tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [name for (name,) in rows]


def test_a_fresh_database_takes_writes_and_gives_them_back(pg_url, connect):
    with connect(pg_url) as conn:
        conn.execute("CREATE TABLE idea (id bigserial PRIMARY KEY, text text NOT NULL)")
        conn.execute("INSERT INTO idea (text) VALUES (%s), (%s)", ("Try NTK", "Ask Ana"))
    with connect(pg_url) as conn:  # a second connection sees what the first committed
        texts = [t for (t,) in conn.execute("SELECT text FROM idea ORDER BY id")]
    assert texts == ["Try NTK", "Ask Ana"]


@pytest.mark.parametrize("turn", ["first", "second"])
def test_every_test_gets_its_own_empty_database(pg_url, connect, turn):
    # Whichever of the two runs second (on the same worker's server or not) finds nothing
    # the other left behind.
    with connect(pg_url) as conn:
        assert _tables(conn) == []
        conn.execute("CREATE TABLE left_behind (turn text)")
        conn.execute("INSERT INTO left_behind VALUES (%s)", (turn,))


def test_the_url_is_a_unix_socket_one_and_the_server_listens_on_no_port(
    pg_url, postgres_server, connect
):
    socket_dir = str(postgres_server.socket_dir)
    assert re.fullmatch(r"postgresql://postgres@/test_\d+\?host=(.+)", pg_url)[1] == socket_dir
    with connect(pg_url) as conn:
        assert conn.info.host == socket_dir
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)
        # Debian's 15, the version the product promises.
        assert conn.info.server_version // 10000 >= 15


def test_a_read_only_role_can_read_every_table_and_write_none(pg_url, postgres_server, connect):
    import psycopg

    database = pg_url.split("/")[3].split("?")[0]
    with connect(pg_url) as conn:
        conn.execute("CREATE TABLE idea (id bigserial PRIMARY KEY, text text NOT NULL)")
        conn.execute("INSERT INTO idea (text) VALUES ('before the role')")
    reader_url = postgres_server.create_role(f"reader_{database}", database=database)
    with connect(pg_url) as conn:  # a migration that runs after the role was made
        conn.execute("CREATE TABLE paper (id bigserial PRIMARY KEY, title text NOT NULL)")
        conn.execute("INSERT INTO paper (title) VALUES ('after the role')")

    with connect(reader_url) as reader:
        assert reader.execute("SELECT current_user").fetchone() == (f"reader_{database}",)
        assert reader.execute("SELECT text FROM idea").fetchall() == [("before the role",)]
        assert reader.execute("SELECT title FROM paper").fetchall() == [("after the role",)]
    for write in (
        "INSERT INTO idea (text) VALUES ('sneaked in')",
        "UPDATE paper SET title = 'changed'",
        "DELETE FROM idea",
        "CREATE TABLE mine (x int)",
    ):
        with connect(reader_url) as reader, pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute(write)
    with connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM idea").fetchone() == (1,)
        assert conn.execute("SELECT title FROM paper").fetchall() == [("after the role",)]


def test_copies_of_a_template_start_from_its_tables_and_stay_apart(
    postgres_server, pg_database, connect
):
    left_open = []

    def migrate(url: str) -> None:
        conn = connect(url, autocommit=True)
        conn.execute("CREATE TABLE idea (id bigserial PRIMARY KEY, text text NOT NULL)")
        conn.execute("INSERT INTO idea (text) VALUES ('from the template')")
        left_open.append(conn)  # as an engine's pool would: copying must still work

    name = "tmpl_" + pg_database().split("/")[3].split("?")[0]  # a name no other test has
    assert postgres_server.template(name, migrate) == name
    assert postgres_server.template(name, migrate) == name  # built once
    assert len(left_open) == 1
    first, second = pg_database(template=name), pg_database(template=name)
    assert first != second
    with connect(first) as conn:
        conn.execute("INSERT INTO idea (text) VALUES ('only in the first')")
    with connect(second) as conn:
        assert conn.execute("SELECT text FROM idea").fetchall() == [("from the template",)]
    with connect(pg_database()) as conn:  # and a plain one is still empty
        assert _tables(conn) == []


def test_a_stopped_server_leaves_no_process_and_no_folder_behind(postgres_server, connect):
    # A second server beside the worker's own: its socket and data are its own.
    server = PostgresServer().start()
    base = server.base
    pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    with connect(server.create_database("scratch")) as conn:
        assert conn.execute("SELECT pg_backend_pid() <> %s", (pid,)).fetchone() == (True,)
    server.stop()
    assert base is not None and not base.exists()
    assert _ended(pid)


def _ended(pid: int) -> bool:
    # pg_ctl returns once the server has removed its pid file, a moment before it exits.
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):  # exited, waiting for its parent to collect it
            return True
        time.sleep(0.05)
    return False


NEEDS_POSTGRES = """
def test_needs_it(pg_url):
    pass
"""


@pytest.fixture
def without_postgres(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(NEEDS_POSTGRES)
    monkeypatch.setenv("PG_BINDIR", os.fspath(pytester.path / "no-postgres-here"))
    return pytester


def test_without_postgresql_its_tests_skip_on_a_developer_machine(without_postgres, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = without_postgres.runpytest("-p", "no:xdist", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*PostgreSQL (Debian: apt-get install postgresql) is not*"])


def test_without_postgresql_its_tests_fail_under_ci(without_postgres, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = without_postgres.runpytest("-p", "no:xdist")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*PostgreSQL*is not installed, and CI=true needs it*"])
    assert result.ret != 0
