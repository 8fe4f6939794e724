"""Store → plain-text files: one YAML file per entry (the default), or one of the other formats.

The YAML export holds everything in the store: every column of ideas, papers and posts, their
tags with kinds, idea → paper links (by arXiv id) and revisions. Keys keep a fixed order and no
export timestamp is written, so exporting twice changes no byte and one edited idea changes
one file. Files are rewritten only when their bytes change; files this store wrote for
entries now gone from it are removed, and no other file is. ``logbook.sync.folder_import`` reads it back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook import json_text
from logbook.errors import ExportError
from logbook.fileio import OutsideRootError, inside, write_atomic
from logbook.store.snapshot import KINDS, Snapshot
from logbook.sync import state as export_state
from logbook.sync import yamltext
from logbook.sync.state import ExportReport, check_format

if TYPE_CHECKING:
    from logbook.store import Store

FOLDERS = {"idea": "ideas", "paper": "papers", "post": "posts"}
BUNDLE_KEY = "logbook_export"  # marks a single-file export (json, or one YAML file)
BUNDLE_VERSION = 1


def entry_file(kind: str, record: dict[str, Any]) -> str | None:
    """Where an entry's file goes in the export: ``ideas/<uid>.yaml``, ``papers/<arxiv id>.yaml``.

    ``None`` when the entry's identity is not of the form that names a file (a uid that is
    not a UUID, an arXiv id that is not one): such text must never become a path.
    """
    if kind == "paper":
        from logbook.arxiv_ids import parse_arxiv_id

        raw = record["arxiv_id"]
        parsed = parse_arxiv_id(raw) if isinstance(raw, str) else None
        if parsed is None or parsed.id != raw or parsed.version is not None:
            return None
        name = parsed.path_safe
    else:
        uid = record["uid"]
        if not isinstance(uid, str) or not export_state.is_uuid(uid):
            return None
        name = uid
    return f"{FOLDERS[kind]}/{name}.yaml"


def bundle(snap: Snapshot) -> dict[str, Any]:
    """The whole store as one mapping (the JSON export and single-file YAML)."""
    return {
        BUNDLE_KEY: BUNDLE_VERSION,
        "ideas": snap.records["idea"],
        "papers": snap.records["paper"],
        "posts": snap.records["post"],
    }


def _path(root: Path, relative: str) -> Path:
    try:
        return inside(root, relative)
    except OutsideRootError as error:
        raise ExportError(f"refusing to write outside the export folder: {error}") from None


def _remove_stale_temp_files(root: Path, folders: Iterable[str]) -> None:
    """Remove the temp files a killed export left in ``folders`` (only our own naming)."""
    for folder in folders:
        directory = _path(root, folder) if folder else root
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        prefix = f"{folder}/" if folder else ""
        for name in names:
            if export_state.TEMP_NAME.fullmatch(name):
                _path(root, prefix + name).unlink(missing_ok=True)


def sync_files(root: Path, files: dict[str, str], owned: set[str], report: ExportReport) -> None:
    """Make ``root`` hold ``files``, and remove the files of ``owned`` that are not in it.

    Files whose bytes are already right are not touched. ``owned`` is what this store's
    last export wrote: a file it did not write (the user's, another store's) is left alone.
    """
    folders = {relative.rpartition("/")[0] for relative in [*files, *owned]}
    _remove_stale_temp_files(root, sorted(folders))
    for folder in {relative.rpartition("/")[0] for relative in files}:
        if folder:
            _path(root, folder).mkdir(parents=True, exist_ok=True)
    for relative, content in sorted(files.items()):
        target = _path(root, relative)
        data = content.encode("utf-8")
        try:
            with open(target, "rb") as handle:
                if handle.read() == data:
                    report.unchanged += 1
                    continue
        except FileNotFoundError:
            pass
        except OSError as error:
            raise ExportError(f"cannot read {target}: {error.strerror}") from None
        try:
            # A temp file and a rename, so a reader never sees half a file; no fsync per file
            # (the export is rebuilt from the store at any time, and 10k fsyncs take seconds).
            write_atomic(target, data, sync=False)
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error.strerror}") from None
        report.written.append(relative)
    for relative in sorted(owned - files.keys()):
        target = _path(root, relative)
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise ExportError(f"cannot remove {target}: {error.strerror}") from None
        report.removed.append(relative)


def render(store: Store, fmt: str) -> tuple[Snapshot, dict[str, str], list[str]]:
    """The files of the ``fmt`` export, relative to its root, the snapshot they show, and
    warnings about entries left out."""
    snap = store.snapshot()
    if fmt == "yaml":
        files: dict[str, str] = {}
        warnings = []
        for kind in KINDS:
            for record in snap.records[kind]:
                relative = entry_file(kind, record)
                if relative is None:
                    name = record["arxiv_id"] if kind == "paper" else record["uid"]
                    warnings.append(
                        f"{kind} {record['id']} was left out of the export: its identity "
                        f"{name!r} cannot name a file"
                    )
                    continue
                files[relative] = yamltext.dump(record)
        return snap, files, warnings
    if fmt == "json":
        body = json_text.dumps(bundle(snap)) + "\n"
        return snap, {"logbook.json": body}, []
    from logbook.sync import formats as export_formats

    return snap, export_formats.render(store, snap, fmt), []


def _count_not_in_store(root: Path, files: dict[str, str], owned: set[str]) -> int:
    """Entry files in the folder that this store neither writes now nor wrote before."""
    return sum(
        1
        for name in export_state.logbook_files(root)
        if name.partition("/")[0] in FOLDERS.values() and name not in files and name not in owned
    )


def export_store(
    store: Store, out: Path, fmt: str = "yaml", *, force: bool = False
) -> ExportReport:
    """Write the ``fmt`` export of ``store`` into ``out``, touching only what changed.

    Unless ``force``, nothing is read when the store has not changed since the last export
    into ``out`` and the exported files are as that export left them.
    """
    check_format(fmt)
    root = export_state.root_of(out, fmt)
    report = ExportReport(fmt, out)
    if not force and export_state.up_to_date(store.location, out, fmt):
        report.skipped = True
        return report
    store.papers.ensure_cite_keys()  # papers stored before keys were given on saving
    snap, files, report.warnings = render(store, fmt)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create the folder {root}: {error.strerror}") from None
    with export_state.locked(root):
        owned = export_state.owned_files(root, fmt, store.location, snap.store_id)
        sync_files(root, files, owned, report)
        if fmt == "yaml":
            report.not_in_store = _count_not_in_store(root, files, owned)
        try:
            export_state.record(store.location, out, fmt, snap.store_id, snap.changes, files)
        except OutsideRootError as error:
            raise ExportError(f"refusing to write outside the export folder: {error}") from None
        except OSError as error:
            raise ExportError(
                f"cannot write {root / export_state.STATE_NAME}: {error.strerror}"
            ) from None
    return report
