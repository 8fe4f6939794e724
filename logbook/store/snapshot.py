"""A snapshot of the whole store as export records, read in one transaction.

Every column of ideas, papers and posts (converted to plain values: timestamps as fixed-width
UTC text, lists, flags), their tags by kind, idea → paper links by arXiv id, and revisions,
with keys in the order the export writes them. ``logbook.sync.export`` turns it into files;
``logbook.sync.folder_import`` checks incoming files against the same tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, text

from logbook.store.models import Idea, Paper, Post
from logbook.store.types import JSONList, UTCDateTime, format_utc, parse_utc

if TYPE_CHECKING:
    from logbook.store import Store

KINDS = ("idea", "paper", "post")
TABLES: dict[str, Table] = {
    "idea": Idea.__table__,  # type: ignore[attr-defined]
    "paper": Paper.__table__,  # type: ignore[attr-defined]
    "post": Post.__table__,  # type: ignore[attr-defined]
}
# Columns that belong to one store, not to the entry: the edit version counts this store's
# updates (optimistic locking), so it is neither exported nor imported (an import starts at 1).
LOCAL_COLUMNS = frozenset({"row_version"})
# Long texts go at the end of a file, where they are easiest to read and diff.
LONG_FIELDS = {"idea": ("text",), "paper": ("abstract", "notes"), "post": ("body",)}
# The field whose earlier versions are kept as revisions (and made by a merge).
REVISED_FIELD = {"idea": "text", "paper": "notes", "post": "body"}


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
        if column.name in LOCAL_COLUMNS:
            continue
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
    columns = [c.name for c in TABLES[kind].columns if c.name not in LOCAL_COLUMNS]
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
    with store._read() as session:
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


@dataclass(frozen=True)
class Field:
    """One column of an entry, as an export file holds it: name, value type and rules."""

    name: str
    type: str  # time | list | bool | int | float | text
    nullable: bool
    default: Any  # the value a file may leave out (None: the field is required)
    has_default: bool


def _field(column: Any) -> Field:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        name = "time"
    elif isinstance(kind, JSONList):
        name = "list"
    else:
        name = {bool: "bool", int: "int", float: "float"}.get(kind.python_type, "text")
    default = getattr(column.default, "arg", None) if column.default is not None else None
    return Field(column.name, name, bool(column.nullable), default, column.default is not None)


@cache
def fields(kind: str) -> tuple[Field, ...]:
    """The columns of ``kind``'s table as plain fields, in table order (import checks them).

    Read from the table once per process: an import asks for every entry it checks.
    """
    return tuple(_field(c) for c in TABLES[kind].columns if c.name not in LOCAL_COLUMNS)
