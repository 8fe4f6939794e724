"""Fixtures shared by every test: an isolated home, a real store, the CLI, real programs
(PostgreSQL among them)."""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from typer.testing import CliRunner

from logbook.store import Store, open_store

if TYPE_CHECKING:
    from pg_server import PostgresServer

# pytester runs a small test session inside a test (tests/test_safety_ci.py).
pytest_plugins = ["pytester"]


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of modules marked ``backends`` once per store backend.

    A test there that is about SQLite itself (WAL, the file, its permissions) is marked
    ``sqlite_only``, and one that never opens the store ``$LOGBOOK_DB`` names (a pure
    function, or stores of its own) ``store_free``: both run once. Every other test must
    pass on PostgreSQL as it does on SQLite.
    """
    if "backend" not in metafunc.fixturenames:
        return
    marked = metafunc.definition.get_closest_marker("backends") is not None
    once = any(metafunc.definition.get_closest_marker(m) for m in ("sqlite_only", "store_free"))
    if marked and not once:
        # The PostgreSQL case also carries the ``postgres`` mark: `pytest -m "not postgres"`
        # is the quick loop on a machine without PostgreSQL.
        params = [
            pytest.param(b, marks=pytest.mark.postgres) if b == "postgresql" else b
            for b in BACKENDS
        ]
        metafunc.parametrize("backend", params, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend of this test: ``sqlite`` unless the module runs on both."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(autouse=True)
def isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, request: pytest.FixtureRequest
) -> Path:
    """Point every path logbook could touch at tmp_path, so no test reaches real user data.

    ``LOGBOOK_DB`` is the test's store: a file in tmp_path, or (backend ``postgresql``) a
    fresh migrated database on this worker's PostgreSQL server.
    """
    for name in list(os.environ):
        # PG*: libpq's settings (PGHOST, PGPASSWORD, PGSERVICE…) must not steer a test's
        # database connection to the developer's own server.
        if name.startswith("LOGBOOK_") or (name.startswith("PG") and name != "PG_BINDIR"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    if backend == "postgresql":
        monkeypatch.setenv("LOGBOOK_DB", request.getfixturevalue("pg_store_url"))
    else:
        monkeypatch.setenv("LOGBOOK_DB", str(tmp_path / "logbook.db"))
    monkeypatch.setenv("LOGBOOK_CONFIG", str(tmp_path / "config.yaml"))
    monkeypatch.setenv("LOGBOOK_ARXIV_DELAY_SECONDS", "0")
    # A test that forgets the local arXiv server must fail, not reach export.arxiv.org.
    monkeypatch.setenv("LOGBOOK_ARXIV_API_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "UTC")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # A test on a terminal must never wait in `less` (or the developer's pager).
    monkeypatch.setenv("PAGER", "cat")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _missing(what: str) -> NoReturn:
    """Skip the test on a developer's machine; fail it when ``CI=true`` (see require_tool)."""
    if _under_ci():
        pytest.fail(f"{what} is not installed, and CI=true needs it", pytrace=False)
    pytest.skip(f"{what} is not installed")


@pytest.fixture
def require_tool() -> Callable[[str], str]:
    """Ask for a real program a test needs (``require_tool("jekyll")``); returns its path.

    Without it the test is skipped on a developer's machine, but fails when ``CI=true``:
    CI installs every real part, so a missing one there means the suite stopped testing
    what it claims to, and a skip would hide that.
    """

    def require(name: str) -> str:
        found = shutil.which(name)
        if found is None:
            _missing(name)
        return found

    return require


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated SQLite store made once per test process, to copy.

    Migrating a new file costs ~50 ms (its schema, WAL, the checkpoint when it is closed);
    a copy of this one costs ~2 ms and is the same file, as a copy of the PostgreSQL
    template is the same database.
    """
    path = tmp_path_factory.mktemp("store-template") / "logbook.db"
    open_store(path).close()
    return path


@pytest.fixture
def store(isolated: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A real, empty, fully migrated store: the one the CLI uses too (``$LOGBOOK_DB``), a
    file in tmp_path or, for the PostgreSQL backend, a database of its own."""
    location = os.environ["LOGBOOK_DB"]
    if "://" not in location and not Path(location).exists() and Path(location).parent.is_dir():
        shutil.copy(request.getfixturevalue("sqlite_template"), location)
    opened = open_store(location)
    yield opened
    opened.close()


# Database names on this worker's server (each xdist worker is its own process and server).
_DATABASE_NUMBERS = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for this xdist worker (tests/pg_server.py), on a Unix socket.

    Started once per worker (about a second), stopped at the end of its session. Without
    PostgreSQL's programs or psycopg, the tests that ask for it are skipped on a developer's
    machine and fail when ``CI=true``, like ``require_tool``. ``PG_BINDIR`` picks the programs.
    """
    # Imported here, not at the top: a conftest copied into a pytester session works without it.
    from pg_server import PostgresServer, missing

    if (what := missing()) is not None:
        _missing(what)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_database(postgres_server: PostgresServer) -> Iterator[Callable[..., str]]:
    """Make more databases on this worker's server: ``pg_database()`` gives a fresh empty
    one, ``pg_database(template=name)`` a copy of a ``postgres_server.template``; each is
    dropped after the test. For a test with two stores, or one per Hypothesis example.
    """
    made: list[str] = []

    def make(template: str | None = None) -> str:
        name = f"test_{next(_DATABASE_NUMBERS)}"
        url = postgres_server.create_database(name, template=template)
        made.append(name)
        return url

    yield make
    # Dropped so a worker's memory stays small (each copy of template1 is ~7.5 MB, on
    # /dev/shm), after any connection a test left open was ended.
    for name in made:
        postgres_server.discard_database(name)


@pytest.fixture
def pg_url(pg_database: Callable[..., str]) -> str:
    """The URL of a fresh, empty database on this worker's server (dropped afterwards).

    Of the form logbook accepts: ``postgresql://postgres@/test_N?host=/SOCKET/DIR``.
    """
    return pg_database()


@dataclass
class Run:
    """What one CLI invocation did."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@functools.cache
def _logbook_command() -> Any:
    """The whole ``logbook`` command tree, built once per test process: Typer builds it
    anew for every CliRunner run otherwise (~30 ms each, thousands of runs)."""
    import typer

    from logbook.cli import app

    return typer.main.get_command(app)


class _PrebuiltRunner(CliRunner):
    """Typer's CliRunner, given the command tree ``_logbook_command`` built."""

    def invoke(self, app: Any, *args: Any, **kwargs: Any) -> Any:
        import typer.testing

        built = _logbook_command()
        original = typer.testing._get_command
        typer.testing._get_command = lambda _app: built  # type: ignore[assignment]
        try:
            return super().invoke(app, *args, **kwargs)
        finally:
            typer.testing._get_command = original


@pytest.fixture
def one_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Typer CliRunner of the test runs the whole command tree built once per process
    (``_logbook_command``), whatever app it is given: for code that invokes ``build_app()``
    itself, as the docs generator does for each ``--help`` it shows."""
    import typer.testing

    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: _logbook_command())


@pytest.fixture
def cli() -> Callable[..., Run]:
    """Run ``logbook ARGS…`` in-process through Typer's CliRunner (``env``: variables set
    for that run only)."""
    runner = _PrebuiltRunner()

    def run(
        *args: str, input: str | None = None, ok: bool = True, env: dict[str, str] | None = None
    ) -> Run:
        result = runner.invoke(None, list(args), input=input, env=env, catch_exceptions=False)
        run = Run(result.exit_code, result.stdout, result.stderr)
        if ok and run.exit_code != 0:
            raise AssertionError(f"logbook {' '.join(args)} failed ({run.exit_code}): {run.stderr}")
        return run

    return run


@pytest.fixture
def jekyll(require_tool: Callable[[str], str]) -> str:
    """The ``jekyll`` program (``require_tool``: skipped without it, failed when CI=true)."""
    return require_tool("jekyll")


@pytest.fixture
def pg_store_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh database holding an empty, migrated logbook store.

    Copied from a template migrated once per worker: a copy costs less than migrating.
    """
    template = postgres_server.template("logbook_template", lambda url: open_store(url).close())
    name = f"test_{next(_DATABASE_NUMBERS)}"
    url = postgres_server.create_database(name, template=template)
    yield url
    postgres_server.discard_database(name)
