"""Whether an export folder is already up to date, answered in a few milliseconds.

The git hook runs on every commit and must cost almost nothing when the store has not
changed. Every write to the store bumps a counter (``meta.changes``); after an export we
record that counter and a fingerprint (names, sizes, modification times) of the files
written, in a small state file next to them that git ignores. Same counter, same files:
nothing to do. Only the standard library is imported here, so this check runs before
SQLAlchemy is loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import UsageError
from logbook.fileio import write_atomic

if TYPE_CHECKING:
    from collections.abc import Callable

    from logbook.store import Store

STATE_NAME = ".logbook-export-state.json"

# Per format: the folder (inside --out) that holds its files and state, and what it writes.
LAYOUT: dict[str, tuple[str, tuple[str, ...]]] = {
    "yaml": (".", ("ideas", "papers", "posts")),
    "json": (".", ("logbook.json",)),
    "bibtex": (".", ("papers.bib",)),
    "markdown": (".", ("logbook.md",)),
    "jekyll-data": ("_data/logbook", ("papers.yml", "ideas.yml", "themes.yml")),
}
FORMATS = tuple(LAYOUT)


@dataclass
class ExportReport:
    """What an export did to the folder."""

    format: str
    out: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: bool = False  # the store had not changed since the last export

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "format": self.format,
            "out": str(self.out),
            "written": self.written,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def check_format(fmt: str) -> str:
    """``fmt`` if it is an export format, else a usage error listing them."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def default_folder(setting: str) -> Path:
    """Where ``export`` writes without ``--out``: the ``export.dir`` setting, inside the
    project (the folder holding ``.logbook/``) when it is relative and there is one."""
    from logbook.config import find_project_dir

    folder = Path(setting).expanduser()
    project = find_project_dir()
    return folder if folder.is_absolute() or project is None else project.parent / folder


def export_when_changed(
    db_path: Path, out: Path, fmt: str, open_store: Callable[[], Store], *, force: bool = False
) -> ExportReport:
    """Export the store at ``db_path`` into ``out`` unless that export is up to date.

    The up-to-date answer comes without loading the store (or SQLAlchemy); only when
    there is work is ``open_store`` called and ``logbook.sync.export.export_store`` run.
    """
    check_format(fmt)
    if not force and up_to_date(db_path, out, fmt):
        return ExportReport(fmt, out, skipped=True)
    from logbook.sync.export import export_store

    return export_store(open_store(), out, fmt, force=True)


def root_of(out: Path, fmt: str) -> Path:
    """The folder the ``fmt`` export writes into (``out`` itself, or ``out/_data/logbook``)."""
    folder, _ = LAYOUT[fmt]
    return out if folder == "." else out / folder


def read_changes(db_path: Path) -> int | None:
    """The store's change counter, or ``None`` when it cannot be read cheaply."""
    if not db_path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'changes'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return int(row[0]) if row else None


def fingerprint(root: Path, paths: tuple[str, ...]) -> str:
    """A digest of the names, sizes and modification times of the files under ``paths``."""
    digest = hashlib.sha256()
    prefix = len(str(root))
    for relative in sorted(paths):
        target = root / relative
        if target.is_dir():
            entries = []
            for folder, _dirs, files in os.walk(target):
                for name in files:
                    entries.append(os.path.join(folder, name))
            entries.sort()
        else:
            entries = [str(target)]
        for entry in entries:
            try:
                info = os.stat(entry)
            except OSError:
                digest.update(f"{entry[prefix:]}\0missing\n".encode())
                continue
            digest.update(f"{entry[prefix:]}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _state_file(root: Path) -> Path:
    return root / STATE_NAME


def _read(root: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_state_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(db_path: Path, out: Path, fmt: str) -> bool:
    """Whether the ``fmt`` export in ``out`` was made from the store as it is now."""
    root = root_of(out, fmt)
    recorded = _read(root).get(fmt)
    if not isinstance(recorded, dict):
        return False
    if recorded.get("store") != str(db_path.resolve()):
        return False
    changes = read_changes(db_path)
    if changes is None or recorded.get("changes") != changes:
        return False
    return recorded.get("files") == fingerprint(root, LAYOUT[fmt][1])


def record(db_path: Path, out: Path, fmt: str, changes: int) -> None:
    """Remember that ``out`` holds the ``fmt`` export of the store at ``changes``."""
    root = root_of(out, fmt)
    data = _read(root)
    data[fmt] = {
        "store": str(db_path.resolve()),
        "changes": changes,
        "files": fingerprint(root, LAYOUT[fmt][1]),
    }
    root.mkdir(parents=True, exist_ok=True)
    state = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_atomic(_state_file(root), state, sync=False)
    ignore_in_git(root, STATE_NAME)


def ignore_in_git(root: Path, name: str) -> None:
    """Add ``/name`` to ``root/.gitignore`` unless it is there (never rewrites other lines)."""
    ignore = root / ".gitignore"
    line = f"/{name}"
    try:
        current = ignore.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = ""
    if line in current.splitlines():
        return
    prefix = "" if not current or current.endswith("\n") else "\n"
    with ignore.open("a", encoding="utf-8") as handle:
        handle.write(f"{prefix}{line}\n")
