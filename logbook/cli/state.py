"""What every command shares: the store and config, opened once and only when needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logbook.config import Config
    from logbook.store import Store


@dataclass
class State:
    """Global options, and the store and config they lead to."""

    db_flag: Path | None = None
    debug: bool = False
    _store: Store | None = None
    _config: Config | None = None
    kept_text: Path | None = None

    def keep_text(self, path: Path) -> None:
        """Keep ``path`` (text the user typed) unless the command succeeds."""
        self.kept_text = path

    def store(self) -> Store:
        """The store for this run, opened (and migrated) on first use."""
        if self._store is None:
            from logbook.config import resolve_db_path
            from logbook.store import open_store

            self._store = open_store(resolve_db_path(self.db_flag))
        return self._store

    def config(self) -> Config:
        """The merged config for this run."""
        if self._config is None:
            from logbook.config import load_config

            self._config = load_config()
        return self._config


state = State()
