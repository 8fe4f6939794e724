"""Store → plain-text files: one YAML file per entry (the default), or one of the other formats.

The YAML export holds everything in the store: every column of ideas, papers and posts, their
tags with kinds, idea → paper links (by arXiv id) and revisions. Keys keep a fixed order and no
export timestamp is written, so exporting twice changes no byte and one edited idea changes
one file. Files are rewritten only when their bytes change; files this store wrote for
entries now gone from it are removed, and no other file is. ``logbook.importer`` reads it back.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, text

from logbook import export_state, yamltext
from logbook.errors import ExportError
from logbook.export_state import ExportReport, check_format
from logbook.fileio import OutsideRootError, inside, write_atomic
from logbook.store.models import Idea, Paper, Post
from logbook.store.types import JSONList, UTCDateTime, format_utc, parse_utc

if TYPE_CHECKING:
    from logbook.store import Store

KINDS = ("idea", "paper", "post")
FOLDERS = {"idea": "ideas", "paper": "papers", "post": "posts"}
TABLES: dict[str, Table] = {
    "idea": Idea.__table__,  # type: ignore[attr-defined]
    "paper": Paper.__table__,  # type: ignore[attr-defined]
    "post": Post.__table__,  # type: ignore[attr-defined]
}
# Long texts go at the end of a file, where they are easiest to read and diff.
LONG_FIELDS = {"idea": ("text",), "paper": ("abstract", "notes"), "post": ("body",)}
# The field whose earlier versions are kept as revisions (and made by a merge).
REVISED_FIELD = {"idea": "text", "paper": "notes", "post": "body"}
BUNDLE_KEY = "logbook_export"  # marks a single-file export (json, or one YAML file)
BUNDLE_VERSION = 1


@dataclass
class Snapshot:
    """Every entry of a store as export records, read in one transaction."""

    changes: int
    records: dict[str, list[dict[str, Any]]]
    store_id: str = ""


def _stamp(raw: str | None) -> str | None:
    # Stored timestamps are already fixed-width UTC text; anything else is normalized.
    if raw is None or (len(raw) == 32 and raw.endswith("+00:00")):
        return raw
    return format_utc(parse_utc(raw))


def _text_list(raw: str | None) -> list[str] | None:
    return None if raw is None else [str(v) for v in json.loads(raw)]


def _flag(raw: Any) -> bool | None:
    return None if raw is None else bool(raw)


def _same(raw: Any) -> Any:
    return raw


def _converters(table: Table) -> list[tuple[str, Callable[[Any], Any]]]:
    """(column, raw SQLite value → export value) for every column of ``table``."""
    result: list[tuple[str, Callable[[Any], Any]]] = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, UTCDateTime):
            result.append((column.name, _stamp))
        elif isinstance(kind, JSONList):
            result.append((column.name, _text_list))
        elif kind.python_type is bool:
            result.append((column.name, _flag))
        else:
            result.append((column.name, _same))
    return result


def record_order(kind: str) -> list[str]:
    """Keys of an entry's record in file order: columns, links, long texts, revisions."""
    columns = [c.name for c in TABLES[kind].columns]
    long = LONG_FIELDS[kind]
    keys = ["uid", "id"] + [c for c in columns if c not in ("uid", "id") and c not in long]
    keys.append("tags")
    if kind == "idea":
        keys.append("papers")
    return [*keys, *long, "revisions"]


def _tags_by_entry(session: Any, kind: str) -> dict[int, dict[str, list[str]]]:
    column = f"{kind}_id"
    rows = session.execute(
        text(
            f"SELECT l.{column}, t.kind, t.name FROM {kind}_tag l JOIN tag t ON t.id = l.tag_id "
            "ORDER BY t.kind DESC, t.name"
        )
    )
    tags: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for entry_id, tag_kind, name in rows:
        tags[entry_id].setdefault(tag_kind, []).append(name)
    return tags


def revision_key(revision: dict[str, Any]) -> tuple[str, str, str, str]:
    """The order of revisions in a file: when replaced, when written, field, text."""
    return (revision["replaced_at"], revision["written_at"], revision["field"], revision["value"])


def snapshot(store: Store) -> Snapshot:
    """Read every idea, paper and post with its tags, links and revisions."""
    with store.read() as session:
        meta = dict(
            session.execute(
                text("SELECT key, value FROM meta WHERE key IN ('changes', 'store_id')")
            ).all()
        )
        changes = int(meta["changes"])
        raw = session.connection().exec_driver_sql
        revisions: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for kind, uid, name, written, replaced, value in raw(
            "SELECT entry_kind, entry_uid, field, written_at, replaced_at, value FROM revision"
        ):
            revisions[(kind, uid)].append(
                {
                    "field": name,
                    "written_at": _stamp(written),
                    "replaced_at": _stamp(replaced),
                    "value": value,
                }
            )
        links: dict[int, list[str]] = defaultdict(list)
        for idea_id, arxiv_id in session.execute(
            text(
                "SELECT l.idea_id, p.arxiv_id FROM idea_paper l JOIN paper p ON p.id = l.paper_id "
                "ORDER BY p.arxiv_id"
            )
        ):
            links[idea_id].append(arxiv_id)
        records: dict[str, list[dict[str, Any]]] = {}
        for kind in KINDS:
            table = TABLES[kind]
            tags = _tags_by_entry(session, kind)
            order = record_order(kind)
            converters = _converters(table)
            names = ", ".join(name for name, _ in converters)
            found = []
            for row in raw(f"SELECT {names} FROM {table.name} ORDER BY id"):
                values = {
                    name: convert(v) for (name, convert), v in zip(converters, row, strict=True)
                }
                values["tags"] = tags.get(values["id"], {})
                if kind == "idea":
                    values["papers"] = links.get(values["id"], [])
                values["revisions"] = sorted(
                    revisions.get((kind, values["uid"]), []), key=revision_key
                )
                found.append({key: values[key] for key in order})
            records[kind] = found
        return Snapshot(changes, records, str(meta.get("store_id", "")))


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
    snap = snapshot(store)
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
        body = json.dumps(bundle(snap), ensure_ascii=False, indent=2) + "\n"
        return snap, {"logbook.json": body}, []
    from logbook import export_formats

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
    if not force and export_state.up_to_date(store.path, out, fmt):
        report.skipped = True
        return report
    store.papers.ensure_cite_keys()  # papers stored before keys were given on saving
    snap, files, report.warnings = render(store, fmt)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create the folder {root}: {error.strerror}") from None
    with export_state.locked(root):
        owned = export_state.owned_files(root, fmt, store.path, snap.store_id)
        sync_files(root, files, owned, report)
        if fmt == "yaml":
            report.not_in_store = _count_not_in_store(root, files, owned)
        try:
            export_state.record(store.path, out, fmt, snap.store_id, snap.changes, files)
        except OutsideRootError as error:
            raise ExportError(f"refusing to write outside the export folder: {error}") from None
        except OSError as error:
            raise ExportError(
                f"cannot write {root / export_state.STATE_NAME}: {error.strerror}"
            ) from None
    return report
