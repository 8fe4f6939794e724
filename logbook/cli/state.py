"""What every command shares: the store and config, opened once and only when needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logbook.config import Config
    from logbook.location import StoreLocation
    from logbook.store import Store


@dataclass
class State:
    """Global options, and the store and config they lead to."""

    db_flag: str | Path | None = None
    debug: bool = False
    _store: Store | None = None
    _config: Config | None = None
    _location: StoreLocation | None = None
    kept_text: Path | None = None

    def keep_text(self, path: Path) -> None:
        """Keep ``path`` (text the user typed) unless the command succeeds."""
        self.kept_text = path

    def drop_kept_text(self) -> None:
        """Delete the kept text file: the store holds what the user typed (a revision)."""
        if self.kept_text is not None:
            self.kept_text.unlink(missing_ok=True)
            self.kept_text = None

    def store(self, *, reading: bool = False) -> Store:
        """The store for this run, opened (and migrated) on first use.

        A command that only reads passes ``reading``: a store path the user named (``--db``,
        ``$LOGBOOK_DB``) that does not exist is then a mistyped path to report, not a new
        empty store to create and answer "nothing matches" from.
        """
        if self._store is None:
            from logbook.location import named_db_path
            from logbook.store import open_store

            location = self.location()
            named = named_db_path(self.db_flag)
            if reading and named is not None and not location.exists():
                from logbook.errors import NotFoundError

                raise NotFoundError(
                    f"no store at {location} (given by {named}); nothing was created"
                )
            self._store = open_store(location)
            self._store.set_author(self._author)
        return self._store

    def location(self) -> StoreLocation:
        """Where this run's store is (a file or a PostgreSQL URL), found once."""
        if self._location is None:
            from logbook.location import resolve_store

            self._location = resolve_store(self.db_flag)
        return self._location

    def _author(self) -> str:
        # asked by the store on its first write that credits someone, not before
        from logbook.authors import entry_author

        return entry_author(self.config())

    def reader(self) -> Store:
        """The store for a command that only reads (see ``store``)."""
        return self.store(reading=True)

    def config(self) -> Config:
        """The merged config for this run."""
        if self._config is None:
            from logbook.config import load_config

            self._config = load_config()
        return self._config


state = State()
