"""A throwaway PostgreSQL server for the tests: one data folder, one Unix socket, no TCP.

Knows nothing of logbook. ``PostgresServer().start()`` runs ``initdb`` and ``pg_ctl start`` in
a temp folder; ``create_database(name)`` gives a URL of the form logbook accepts
(``postgresql://postgres@/NAME?host=/socket/dir``); ``stop()`` stops the server and removes
the folder. As root the server runs as the ``postgres`` user, since ``initdb`` refuses root.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

SUPERUSER = "postgres"
# A name of PostgreSQL's own form, so it can go into SQL unquoted without an injection risk.
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Durability costs time and a test server throws its data away anyway.
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server programs (initdb, pg_ctl, postgres) were found."""


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when PostgreSQL is missing.

    ``$PG_BINDIR`` alone when set; else ``pg_config --bindir`` (it names the installed
    server), then Debian's versioned folders (highest version first), then PATH. The folder
    must hold all three programs.
    """
    if override := os.environ.get("PG_BINDIR"):
        candidates = [Path(override)]
    else:
        candidates = []
        pg_config = shutil.which("pg_config")
        if pg_config:
            found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            if found.returncode == 0 and found.stdout.strip():
                candidates.append(Path(found.stdout.strip()))
        debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
        candidates += [Path(p) for p in debian]
        if initdb := shutil.which("initdb"):
            candidates.append(Path(initdb).parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _version(bindir: str) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin → (15,); numerically, so 15 sorts above 9.6.
    return tuple(int(p) for p in Path(bindir).parent.name.split(".") if p.isdigit())


def missing() -> str | None:
    """What is missing to run a server here (for a skip or a CI failure), or None."""
    if find_bindir() is None:
        return "PostgreSQL (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return f"the {SUPERUSER} user (root cannot run initdb; Debian's postgresql adds it)"
        if shutil.which("runuser") is None:
            return "runuser (util-linux)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return 'psycopg (pip install -e ".[test]")'
    return None


def default_parent() -> Path:
    """Where servers keep their folders: memory (/dev/shm) when it has room, else /tmp.

    Both are short enough for a socket path (about 107 bytes) and traversable by postgres.
    ``initdb`` and ``CREATE DATABASE`` write ~1,000 small files each, which on tmpfs is
    about twice as fast as on a disk.
    """
    shm = Path("/dev/shm")
    try:
        stats = os.statvfs(shm)
    except OSError:
        return Path("/tmp")
    # A container's default /dev/shm is 64 MB: far too small for a cluster (~40 MB) and
    # the databases of a run.
    room = stats.f_bavail * stats.f_frsize
    return shm if room >= 2 * 1024**3 and os.access(shm, os.W_OK) else Path("/tmp")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain PostgreSQL name: {name!r}")
    return name


class PostgresServer:
    """One private PostgreSQL cluster on a Unix socket; trust auth, no durability."""

    def __init__(self, bindir: Path | None = None, parent: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise PostgresUnavailable("PostgreSQL (initdb, pg_ctl, postgres) is not installed")
        self.bindir = found
        self.parent = parent or default_parent()
        self.base: Path | None = None
        self._admin: Any = None  # one psycopg connection to the postgres database, autocommit
        self._templates: set[str] = set()
        self._discarded: list[str] = []  # databases whose sessions were ended, to drop next

    # -- where it lives -------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.base is not None, "the server is not started"
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.base is not None, "the server is not started"
        return self.base / "socket"

    def url_for(self, database: str, user: str = SUPERUSER) -> str:
        """The Unix-socket URL logbook accepts for ``database`` as ``user``."""
        host = quote(str(self.socket_dir), safe="/")
        return f"postgresql://{user}@/{database}?host={host}"

    @property
    def url(self) -> str:
        """The URL of the maintenance database ``postgres`` (create test databases elsewhere)."""
        return self.url_for("postgres")

    # -- start and stop -------------------------------------------------------------------

    def _as_server_user(self, *args: str | Path) -> list[str]:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root.
            return ["runuser", "-u", SUPERUSER, "--", *command]
        return command

    def _run(self, *args: str | Path) -> None:
        done = subprocess.run(self._as_server_user(*args), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")

    def start(self) -> PostgresServer:
        """initdb a fresh cluster in a temp folder and start it; returns self."""
        base = Path(tempfile.mkdtemp(prefix="logbook-pg-", dir=self.parent))
        self.base = base
        (base / "socket").mkdir()
        if os.geteuid() == 0:
            for path in (base, base / "socket"):
                shutil.chown(path, user=SUPERUSER, group=None)
        try:
            self._run(
                self.bindir / "initdb",
                "-D", self.data_dir,
                "-A", "trust",
                "-U", SUPERUSER,
                "-E", "UTF8",
                # C collation sorts by code point, as SQLite's default BINARY collation does.
                "--locale=C",
                "--no-sync",
            )  # fmt: skip
            self._run(
                self.bindir / "pg_ctl",
                "start",
                "-w",
                "-s",
                "-D", self.data_dir,
                "-l", base / "server.log",
                "-o", f"-k {self.socket_dir} -c listen_addresses='' {_FAST}",
            )  # fmt: skip
        except RuntimeError as failed:
            # pg_ctl only says "examine the log output": the log says why.
            log = self.log()[-2000:]
            self.stop()  # and leave no folder behind
            raise RuntimeError(f"{failed}\n{log}".strip()) from None
        # A run that ends without its fixture's teardown still stops the server (a leaked
        # one would keep its memory, /dev/shm included, until the machine restarts).
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and remove its folder."""
        if self.base is None:
            return
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if (self.data_dir / "postmaster.pid").exists():
            self._run(self.bindir / "pg_ctl", "stop", "-m", "immediate", "-s", "-D", self.data_dir)
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None
        self._templates.clear()
        self._discarded.clear()
        atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        """The server's log so far (for a failing test's message)."""
        assert self.base is not None
        path = self.base / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- databases and roles --------------------------------------------------------------

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run each statement as the superuser in autocommit (CREATE DATABASE needs it)."""
        import psycopg

        if database != "postgres":
            with psycopg.connect(self.url_for(database), autocommit=True) as conn:
                for sql in statements:
                    conn.execute(sql)
            return
        # One connection for the server's life: a connection costs ~5 ms, a test needs two.
        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url, autocommit=True)
        for sql in statements:
            self._admin.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create an empty database (or a copy of ``template``); returns its URL.

        A template must have no open connections while it is copied.
        """
        sql = f"CREATE DATABASE {_check_name(name)}"
        if template is not None:
            sql += f" TEMPLATE {_check_name(template)}"
        self.execute(sql)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any session still connected to it."""
        self.execute(f"DROP DATABASE IF EXISTS {_check_name(name)} WITH (FORCE)")

    def discard_database(self, name: str) -> None:
        """Drop ``name`` soon: its sessions are ended now, the database itself at the next
        discard (or with the whole server when it stops first).

        For a test's teardown. ``DROP DATABASE`` waits in steps of 100 ms while a session
        is still on the database, and a test's last connection is often still closing when
        the test ends; one test later it has gone, and the drop takes a few milliseconds.
        """
        _check_name(name)
        for earlier in self._discarded:
            self.drop_database(earlier)
        self._discarded = [name]
        self.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        )

    def template(self, name: str, build: Callable[[str], object]) -> str:
        """A database built once per server by ``build(url)`` (e.g. migrated), for copying.

        Returns ``name`` for ``create_database(..., template=name)``: a copy costs about as
        much as an empty database, so each test need not run the migrations again. After the
        build, connections to it are ended (a pooled one would make every copy fail) and new
        ones refused, so no test can change the template under the others.
        """
        if name in self._templates:
            return name
        url = self.create_database(name)
        build(url)
        self.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true")
        self.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        )
        self._templates.add(name)
        return name

    def create_role(self, name: str, database: str, read_only: bool = True) -> str:
        """Create a LOGIN role that may connect to ``database``; returns a URL as that role.

        Roles belong to the whole server, not to one database: give each test its own name.

        A read-only role may read every table in schema public, including tables created
        later by the superuser (default privileges), and write none. Otherwise it may also
        write rows (every privilege on the tables and sequences), but not change the schema:
        PostgreSQL 15 gives no one but the owner CREATE on schema public.
        """
        role = _check_name(name)
        _check_name(database)
        self.execute(f"CREATE ROLE {role} LOGIN", f"GRANT CONNECT ON DATABASE {database} TO {role}")
        tables, sequences = ("SELECT", "SELECT") if read_only else ("ALL", "ALL")
        self.execute(
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT {tables} ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT {sequences} ON ALL SEQUENCES IN SCHEMA public TO {role}",
            # Tables the superuser creates later (migrations run after the role exists).
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {SUPERUSER} IN SCHEMA public "
            f"GRANT {tables} ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {SUPERUSER} IN SCHEMA public "
            f"GRANT {sequences} ON SEQUENCES TO {role}",
            database=database,
        )
        return self.url_for(database, user=role)
