"""A project store: a ``.logbook/`` folder inside a blog repository."""

from __future__ import annotations

from pathlib import Path

from logbook.config import CONFIG_NAME, DB_NAME, PROJECT_DIR
from logbook.errors import LogbookError
from logbook.store import open_store

# The database files never belong in git: the text export is what gets committed.
GITIGNORE = f"{DB_NAME}\n{DB_NAME}-wal\n{DB_NAME}-shm\n*.tmp\n"


def init_project(root: Path) -> Path:
    """Create ``root/.logbook/`` with a store, an empty config and a ``.gitignore``."""
    if not root.is_dir():
        raise LogbookError(f"{root} is not a folder")
    folder = root.resolve() / PROJECT_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(GITIGNORE, encoding="utf-8")
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text("# logbook settings for this project; see 'logbook config show'\n")
    open_store(folder / DB_NAME).close()
    return folder
