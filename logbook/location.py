"""Where a store lives: an SQLite file, or a PostgreSQL database named by a URL.

``--db``, ``LOGBOOK_DB`` and the config's ``store`` all take either form; this module finds
the one that applies (``resolve_store``), tells them apart and gives each a form that is
safe to print. It imports nothing heavy: the CLI
resolves a location before it knows whether a command needs the store at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from logbook.errors import UsageError

_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# Any other "name://" is a mistake to report, not a file called "mysql:" to create.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class StoreLocation:
    """A store's place: ``path`` for SQLite, ``url`` (with any password) for PostgreSQL."""

    path: Path | None = None
    url: str | None = None

    @property
    def is_postgres(self) -> bool:
        """Whether the store is a PostgreSQL database."""
        return self.url is not None

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "postgresql" if self.url is not None else "sqlite"

    def file(self) -> Path:
        """The SQLite file; an error for a PostgreSQL store (callers check ``is_postgres``)."""
        if self.path is None:
            raise ValueError(f"{self} is not a file")
        return self.path

    @property
    def key(self) -> str:
        """A stable name for caches and export state: the resolved path, or the masked URL."""
        if self.path is not None:
            return str(self.path.resolve())
        return masked(self.url or "")

    def exists(self) -> bool:
        """Whether the SQLite file exists (a database server is asked only when opened)."""
        return self.path is None or self.path.exists()

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else masked(self.url or "")


def parse_location(value: str | Path) -> StoreLocation:
    """The location ``value`` names: a ``postgresql://`` URL or a file path.

    A URL with another scheme is refused (one line), so ``mysql://…`` never becomes a file.
    """
    if isinstance(value, Path):
        return StoreLocation(path=value.expanduser())
    text = value.strip()
    if _URL.match(text):
        scheme = text.split("://", 1)[0].lower()
        if scheme not in _SCHEMES:
            raise UsageError(
                f"unknown store URL scheme {scheme}://; give a file path or a postgresql:// URL"
            )
        parts = urlsplit(text)
        if not parts.path.strip("/"):
            raise UsageError(
                f"the store URL {masked(text)} names no database: postgresql://user@host/dbname"
            )
        return StoreLocation(url=text)
    return StoreLocation(path=Path(text).expanduser())


def as_location(value: StoreLocation | Path | str) -> StoreLocation:
    """``value`` as a location (a ``Path`` is always a file)."""
    return value if isinstance(value, StoreLocation) else parse_location(value)


def masked(url: str) -> str:
    """``url`` with its password (in the authority or a ``password=`` parameter) as ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^@/]*@", "//***@", url)
    netloc = parts.netloc
    secret_query = any(n.lower() == "password" for n, _ in parse_qsl(parts.query))
    if ":" not in netloc.rpartition("@")[0] and not secret_query:
        return url  # nothing to hide: shown exactly as typed
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        if ":" in credentials:
            credentials = credentials.split(":", 1)[0] + ":***"
        netloc = f"{credentials}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(name.lower() == "password" for name, _ in pairs):
            query = "&".join(
                f"{name}={'***' if name.lower() == 'password' else quote(value, safe='/')}"
                for name, value in pairs
            )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def mask_in(text: str, location: StoreLocation | None) -> str:
    """``text`` (an error message, a traceback) with the location's password masked."""
    if location is None or location.url is None:
        return text
    parts = urlsplit(location.url)
    secrets = [p for p in (parts.password, unquote(parts.password or "")) if p]
    secrets += [v for k, v in parse_qsl(parts.query) if k.lower() == "password" and v]
    text = text.replace(location.url, masked(location.url))
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def named_db_path(flag: str | Path | None = None) -> str | None:
    """How the user named the store (``--db`` or ``$LOGBOOK_DB``), or ``None``."""
    if flag:
        return "--db"
    if os.environ.get("LOGBOOK_DB"):
        return "$LOGBOOK_DB"
    return None


def _configured_store(config_file: Path, base: Path) -> StoreLocation | None:
    from logbook.config import read_file

    # Only a file that names a store is parsed: finding the store must not load YAML for
    # every command of everyone who has a config file (the parse is kept for load_config).
    try:
        if "store" not in config_file.read_text(encoding="utf-8", errors="replace"):
            return None
    except OSError:
        return None  # missing or unreadable: load_config says why when it is needed
    value = read_file(config_file).get("store")
    if not value:
        return None
    location = parse_location(value)
    if location.path is not None and not location.path.is_absolute():
        location = StoreLocation(path=base / location.path)
    return location


def resolve_store(flag: str | Path | None = None, start: Path | None = None) -> StoreLocation:
    """Where the store lives, a file or a PostgreSQL URL: the first of ``--db``
    (``flag``), ``LOGBOOK_DB``, the nearest ``.logbook/`` folder at or above ``start`` (its
    config's ``store``, else its ``logbook.db``), the user config's ``store``, the user data
    folder."""
    from logbook.config import (
        CONFIG_NAME,
        DB_NAME,
        find_project_dir,
        user_config_file,
        user_data_dir,
    )

    if flag:
        return parse_location(flag)
    env = os.environ.get("LOGBOOK_DB")
    if env:
        return parse_location(env)
    project = find_project_dir(start)
    if project is not None:
        return _configured_store(project / CONFIG_NAME, project.parent) or StoreLocation(
            path=project / DB_NAME
        )
    user = user_config_file()
    return _configured_store(user, user.parent) or StoreLocation(path=user_data_dir() / DB_NAME)
