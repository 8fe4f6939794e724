"""Tags linked to entries: created on first use, normalized on the way in, read back by kind."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from logbook.store.kinds import TAG_KINDS, one_of
from logbook.store.sql import Sql, as_sql, id_lists, scalar
from logbook.tags import normalize_tag

if TYPE_CHECKING:
    from sqlmodel import Session

# link table and its entry column, per entry kind
LINKS = {"idea": ("idea_tag", "idea_id"), "paper": ("paper_tag", "paper_id"), "post": ("post_tag", "post_id")}  # fmt: skip


def tag_ids(target: Sql | Session, names: Iterable[str], kind: str = "user") -> list[int]:
    """The ids of tags ``names`` of ``kind``, creating the missing ones.

    Names are normalized here, whoever calls (a command, an import, arXiv's categories), so
    ``Deep Learning`` from an imported file is the tag ``deep-learning`` that
    ``--tag "deep learning"`` finds.
    """
    sql = as_sql(target)
    ids = []
    for name in map(normalize_tag, names):
        params = {"name": name, "kind": kind}
        sql.run("INSERT INTO tag (name, kind) VALUES (:name, :kind) ON CONFLICT DO NOTHING", params)
        ids.append(
            int(scalar(sql, "SELECT id FROM tag WHERE name = :name AND kind = :kind", params))
        )
    return ids


def link_tags(
    target: Sql | Session,
    entry_kind: str,
    entry_id: int,
    names: Iterable[str],
    kind: str = "user",
) -> None:
    """Attach tags to an entry; attaching one twice is harmless."""
    sql = as_sql(target)
    table, column = LINKS[entry_kind]
    for tag_id in tag_ids(sql, names, kind):
        sql.run(
            f"INSERT INTO {table} ({column}, tag_id) VALUES (:entry, :tag) ON CONFLICT DO NOTHING",
            {"entry": entry_id, "tag": tag_id},
        )


def unlink_tags(
    target: Sql | Session,
    entry_kind: str,
    entry_id: int,
    names: Iterable[str],
    kind: str = "user",
) -> None:
    """Detach tags of ``kind`` from an entry; tags it does not have are ignored."""
    sql = as_sql(target)
    table, column = LINKS[entry_kind]
    for name in map(normalize_tag, names):
        sql.run(
            f"DELETE FROM {table} WHERE {column} = :entry AND tag_id IN "
            "(SELECT id FROM tag WHERE name = :name AND kind = :kind)",
            {"entry": entry_id, "name": name, "kind": kind},
        )


def sync_auto_tags(
    session: Session, wanted: Mapping[tuple[str, int], Collection[str]]
) -> tuple[int, int]:
    """Make the ``auto`` tags of each entry in ``wanted`` ((kind, id) → tag names) exactly
    those names: the number of links added and removed.

    Entries not in ``wanted`` and tags of other kinds are left alone; auto tags left on no
    entry are deleted. Made for many entries at once (``logbook themes apply``: 250k links
    at 10k entries): the links are read as plain rows and written with one statement each
    for the inserts and the deletes of a link table.
    """
    from sqlalchemy import text

    connection = session.connection()

    def auto_tags() -> dict[str, int]:
        rows = connection.execute(text("SELECT name, id FROM tag WHERE kind = 'auto'"))
        return {name: int(tag_id) for name, tag_id in rows}

    ids = auto_tags()
    new = sorted({name for names in wanted.values() for name in names} - ids.keys())
    if new:
        connection.execute(
            text("INSERT INTO tag (name, kind) VALUES (:name, 'auto') ON CONFLICT DO NOTHING"),
            [{"name": name} for name in new],
        )
        ids = auto_tags()
    added = removed = 0
    for kind, (table, column) in LINKS.items():
        want = {
            (entry_id, ids[name])
            for (entry_kind, entry_id), names in wanted.items()
            if entry_kind == kind
            for name in names
        }
        rows = connection.execute(
            text(
                f"SELECT l.{column}, l.tag_id FROM {table} l JOIN tag t ON t.id = l.tag_id "
                "WHERE t.kind = 'auto'"
            )
        )
        have = {(entry_id, tag_id) for entry_id, tag_id in rows if (kind, entry_id) in wanted}
        adds = sorted(want - have)
        if adds:
            # in one statement, as an import's rows (logbook.store.bulk_rows): a statement
            # per link was most of the write at 100k entries (millions of links)
            from logbook.store.bulk_rows import insert_rows

            insert_rows(
                as_sql(session),
                table,
                [column, "tag_id"],
                ({column: entry_id, "tag_id": tag_id} for entry_id, tag_id in adds),
            )
            added += len(adds)
        drops = sorted(have - want)
        if drops:
            as_sql(session).run_many(
                f"DELETE FROM {table} WHERE {column} = :entry AND tag_id = :tag",
                [{"entry": entry_id, "tag": tag_id} for entry_id, tag_id in drops],
            )
            removed += len(drops)
    if removed:
        unused = " AND ".join(
            f"id NOT IN (SELECT tag_id FROM {table})" for table, _ in LINKS.values()
        )
        connection.execute(text(f"DELETE FROM tag WHERE kind = 'auto' AND {unused}"))
    return added, removed


def tags_of(
    target: Sql | Session, entry_kind: str, entry_ids: list[int], *, kind: str | None = None
) -> dict[int, list[TagRef]]:
    """The tags of many entries in one query: entry id → tags sorted by kind then name.

    ``kind`` (``user``, ``auto`` or ``category``) gives only the tags of that kind."""
    sql = as_sql(target)
    table, column = LINKS[entry_kind]
    result: dict[int, list[TagRef]] = {entry_id: [] for entry_id in entry_ids}
    if not entry_ids:
        return result
    of_kind = "" if kind is None else f" AND t.kind = '{one_of(kind, TAG_KINDS, 'a tag kind')}'"
    for marks in id_lists(entry_ids):
        rows = sql.rows(
            f"SELECT l.{column}, t.name, t.kind FROM {table} l JOIN tag t ON t.id = l.tag_id "
            f"WHERE l.{column} IN ({marks}){of_kind} ORDER BY t.kind DESC, t.name"
        )
        for entry_id, name, kind in rows:
            result[entry_id].append(TagRef(name, kind))
    return result


class TagRef(NamedTuple):
    """A tag on an entry."""

    name: str
    kind: str
