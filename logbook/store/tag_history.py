"""How tags spread over time: how many entries carry each tag, and in how many weeks.

The weekly post judges its themes by this history (a theme recurs over weeks) without
re-analysing every text. It is one grouped query: each entry is put in its week by an
index lookup in a temporary table of week starts, and the database counts, so the answer costs
one row per tag however many entries carry it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from logbook.store.sql import Sql
from logbook.store.timestamps import format_utc, parse_utc

if TYPE_CHECKING:
    from logbook.store import Store

# Entries of one kind carrying a wanted tag, with the start of the week each was created in.
_PART = """
SELECT DISTINCT t.name AS name, '{kind}' AS kind, e.id AS id,
       (SELECT max(start) FROM history_week WHERE start <= e.created_at) AS week
FROM tag t
JOIN history_name n ON n.name = t.name
JOIN {kind}_tag l ON l.tag_id = t.id
JOIN {kind} e ON e.id = l.{kind}_id
WHERE e.archived_at IS NULL AND e.created_at < :end
"""
# {weeks}: the distinct weeks joined by commas, in each backend's spelling.
_HISTORY = (
    "SELECT name, count(*), {weeks} FROM ("
    + _PART.format(kind="idea")
    + " UNION ALL "
    + _PART.format(kind="paper")
    + ") AS tagged GROUP BY name"
)
_WEEKS = {"sqlite": "group_concat(DISTINCT week)", "postgresql": "string_agg(DISTINCT week, ',')"}
# The same entries counted per tag and week: what the weekly post's themes chart draws.
_PER_WEEK = (
    "SELECT name, week, count(*) FROM ("
    + _PART.format(kind="idea")
    + " UNION ALL "
    + _PART.format(kind="paper")
    + ") AS tagged WHERE week >= :since GROUP BY name, week"
)


@dataclass(frozen=True)
class TagWeeks:
    """How far one tag spread: the entries carrying it and the starts of their weeks."""

    entries: int
    weeks: list[datetime]  # week starts, oldest first


def tag_weeks(
    store: Store,
    names: list[str],
    end: datetime,
    week_starts: Callable[[datetime], Sequence[datetime]],
) -> dict[str, TagWeeks]:
    """For each tag name: the entries carrying it and the weeks they were created in,
    before ``end``.

    Ideas and papers count, not archived ones. ``week_starts(first)`` gives the starts of
    the weeks (in order) from the one holding ``first``, the earliest entry, to ``end``.
    """
    if not names:
        return {}
    with store._read_sql() as sql, _weeks_and_names(sql, names, week_starts) as ready:
        if not ready:
            return {}
        query = _HISTORY.replace("{weeks}", _WEEKS[store.backend])
        rows = sql.rows(query, {"end": format_utc(end)})
        return {
            name: TagWeeks(
                int(entries), sorted(parse_utc(w) for w in (weeks or "").split(",") if w)
            )
            for name, entries, weeks in rows
        }


def tag_week_counts(
    store: Store,
    names: list[str],
    since: datetime,
    end: datetime,
    week_starts: Callable[[datetime], Sequence[datetime]],
) -> dict[str, dict[datetime, int]]:
    """For each tag name: how many entries carrying it were created in each week from the
    one starting at ``since`` to ``end`` (weeks with none are left out).

    Counted as ``tag_weeks`` counts (ideas and papers, not archived ones), so a chart of
    these numbers agrees with the themes the weekly post names.
    """
    if not names:
        return {}
    with store._read_sql() as sql, _weeks_and_names(sql, names, week_starts) as ready:
        if not ready:
            return {}
        rows = sql.rows(_PER_WEEK, {"end": format_utc(end), "since": format_utc(since)})
        counts: dict[str, dict[datetime, int]] = {}
        for name, week, count in rows:
            if week is not None:
                counts.setdefault(name, {})[parse_utc(week)] = int(count)
        return counts


@contextmanager
def _weeks_and_names(
    sql: Sql, names: list[str], week_starts: Callable[[datetime], Sequence[datetime]]
) -> Iterator[bool]:
    """The temporary tables the queries join (week starts from the earliest entry, the
    wanted names), dropped afterwards; yields False when the store has no entries."""
    first = sql.rows(
        "SELECT min(m) FROM (SELECT min(created_at) AS m FROM idea "
        "UNION ALL SELECT min(created_at) FROM paper) AS firsts"
    )[0][0]
    if first is None:
        yield False
        return
    sql.run("CREATE TEMP TABLE history_week (start TEXT PRIMARY KEY)")
    sql.run("CREATE TEMP TABLE history_name (name TEXT PRIMARY KEY)")
    try:
        starts = {format_utc(s) for s in week_starts(parse_utc(first))}
        sql.run_many(
            "INSERT INTO history_week (start) VALUES (:s)", [{"s": s} for s in sorted(starts)]
        )
        sql.run_many(
            "INSERT INTO history_name (name) VALUES (:n) ON CONFLICT DO NOTHING",
            [{"n": n} for n in names],
        )
        yield True
    finally:
        sql.run("DROP TABLE history_week")
        sql.run("DROP TABLE history_name")
