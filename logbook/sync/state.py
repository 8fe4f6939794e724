"""Whether an export folder is already up to date, answered in a few milliseconds.

The git hook runs on every commit and must cost almost nothing when the store has not
changed. Every write to the store bumps a counter (``meta.changes``); after an export we
record that counter and a fingerprint (names, sizes, modification times) of the files
written, in a small state file next to them that git ignores. Same counter, same files:
nothing to do. The counter is read by ``logbook.store.meta`` with sqlite3 alone, so this
check runs before SQLAlchemy is loaded.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import UsageError
from logbook.fileio import inside, write_atomic
from logbook.location import StoreLocation, as_location
from logbook.store.meta import peek_stamp

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
    # Entry files in the folder this store never wrote (another machine's store): left alone.
    not_in_store: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "format": self.format,
            "out": str(self.out),
            "written": self.written,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "not_in_store": self.not_in_store,
            "warnings": self.warnings,
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
    db_path: StoreLocation | Path,
    out: Path,
    fmt: str,
    open_store: Callable[[], Store],
    *,
    force: bool = False,
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
    return inside(root, STATE_NAME)


def _read(root: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_state_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(db_path: StoreLocation | Path, out: Path, fmt: str) -> bool:
    """Whether the ``fmt`` export in ``out`` was made from the store as it is now.

    Keyed on the store's random identity as well as its path and counter: a store file
    replaced by another store starts its counter again and must not look "up to date".
    """
    root = root_of(out, fmt)
    recorded = _read(root).get(fmt)
    if not isinstance(recorded, dict) or "store_id" not in recorded:
        return False
    if recorded.get("store") != as_location(db_path).key:
        return False
    found = peek_stamp(as_location(db_path))
    if found is None or [recorded.get("store_id"), recorded.get("changes")] != [
        found.store_id,
        found.changes,
    ]:
        return False
    return recorded.get("fingerprint") == fingerprint(root, LAYOUT[fmt][1])


def owned_files(root: Path, fmt: str, db_path: StoreLocation | Path, store_id: str) -> set[str]:
    """The files of ``root`` that this store's ``fmt`` export wrote (and may remove).

    A state written before logbook listed its files is trusted only while the folder is as
    that export left it (same store path, same fingerprint): then every entry file there
    was written by this store. Anything else is another store's, or the user's.
    """
    recorded = _read(root).get(fmt)
    if not isinstance(recorded, dict):
        return set()
    if "store_id" in recorded:
        owned = recorded.get("owned")
        if recorded["store_id"] != store_id or not isinstance(owned, list):
            return set()
        return {name for name in owned if isinstance(name, str)}
    layout = LAYOUT[fmt][1]
    if recorded.get("store") != as_location(db_path).key:
        return set()
    if recorded.get("files") != fingerprint(root, layout):
        return set()
    return {name for name in logbook_files(root) if name.partition("/")[0] in layout}


def record(
    db_path: StoreLocation | Path,
    out: Path,
    fmt: str,
    store_id: str,
    changes: int,
    owned: Iterable[str],
) -> None:
    """Remember that ``out`` holds the ``fmt`` export of the store at ``changes``."""
    root = root_of(out, fmt)
    data = _read(root)
    data[fmt] = {
        "store_id": store_id,
        "store": as_location(db_path).key,
        "changes": changes,
        "fingerprint": fingerprint(root, LAYOUT[fmt][1]),
        "owned": sorted(owned),
    }
    root.mkdir(parents=True, exist_ok=True)
    state = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_atomic(_state_file(root), state, sync=False)
    ignore_in_git(root, STATE_NAME)


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ARXIV = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?_\d{7})"
# The names an export writes, by any store: what may be in a folder logbook owns.
_EXPORT_NAME = re.compile(
    rf"(?:(?:ideas|posts)/{_UUID}\.yaml|papers/{_ARXIV}\.yaml"
    r"|logbook\.json|papers\.bib|logbook\.md|papers\.yml|ideas\.yml|themes\.yml"
    rf"|\.gitignore|{re.escape(STATE_NAME)})"
)
# write_atomic's temp files: ".<name>.<random>.tmp" next to the file.
TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp")


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its canonical lowercase form (an entry's uid)."""
    return re.fullmatch(_UUID, text) is not None


def _walk(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = os.path.relpath(folder, root)
        for name in sorted(files):
            found.append(name if base == "." else f"{base}/{name}".replace(os.sep, "/"))
    return found


def logbook_files(root: Path) -> list[str]:
    """The files under ``root`` named as an export names them (by any store)."""
    return [name for name in _walk(root) if _EXPORT_NAME.fullmatch(name)]


def foreign_files(root: Path) -> list[str]:
    """The files under ``root`` that no logbook export writes (the user's, or another tool's)."""
    if not root.is_dir():
        return []
    return [
        name
        for name in _walk(root)
        if not _EXPORT_NAME.fullmatch(name) and not TEMP_NAME.fullmatch(name.rpartition("/")[2])
    ]


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder ``root`` while an export writes into it.

    With it, a temp file of our naming found in the folder belongs to no running export:
    it was left by one that was killed, and can go.
    """
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def ignore_in_git(root: Path, name: str) -> None:
    """Add ``/name`` to ``root/.gitignore`` unless it is there (never rewrites other lines)."""
    ignore = inside(root, ".gitignore")  # a planted symlink must not send the line elsewhere
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
