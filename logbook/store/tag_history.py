"""How tags spread over time: how many entries carry each tag, and in how many weeks.

The weekly post judges its themes by this history (a theme recurs over weeks) without
re-analysing every text, and its chart draws the same counts week by week. Both come from
one grouped query: each entry is put in its week by a binary search written out as nested
CASE expressions over the week starts, and the database counts, so the answer is one row
per tag and week however many entries carry it. The answer is kept until the store changes, so the chart, which
asks for some of the same tags right after the post did, costs no second query.
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
# A name that several tags share (a user tag and an auto tag "attention") could bring an entry
# twice, so those names need DISTINCT; the others cannot (an entry links a tag once), and
# skip its sort, the largest part of the query when a few tags are on most entries.
_PART = """
SELECT {distinct} t.name AS name, '{kind}' AS kind, e.id AS id, {{week}} AS week
FROM tag t
JOIN history_name n ON n.name = t.name
JOIN {kind}_tag l ON l.tag_id = t.id
JOIN {kind} e ON e.id = l.{kind}_id
WHERE e.archived_at IS NULL AND e.created_at < :end AND n.shared = {shared}
"""
# Ideas and papers carrying each wanted tag, counted per tag and week (an entry is in one
# week, so a tag's entries are the sum over its weeks).
_PER_WEEK = (  # {week}: the start of the week of e.created_at (see _week_of)
    "SELECT name, week, count(*) FROM ("
    + " UNION ALL ".join(
        _PART.format(kind=kind, distinct="DISTINCT" if shared else "", shared=shared)
        for kind in ("idea", "paper")
        for shared in (0, 1)
    )
    + ") AS tagged GROUP BY name, week"
)

# tag → week start (stored form; None before the first start) → entries
Weekly = dict[str, dict[str | None, int]]
# The last answer: (store, change counter, end, week starts), its tag names, the counts.
_kept: tuple[tuple[object, ...], frozenset[str], Weekly] | None = None


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
    return {
        name: TagWeeks(
            sum(counts.values()), sorted(parse_utc(week) for week in counts if week is not None)
        )
        for name, counts in _weekly(store, names, end, week_starts).items()
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
    first = format_utc(since)
    counts: dict[str, dict[datetime, int]] = {}
    for name, weeks in _weekly(store, names, end, week_starts).items():
        for week, count in weeks.items():
            if week is not None and week >= first:
                counts.setdefault(name, {})[parse_utc(week)] = count
    return counts


def _weekly(
    store: Store,
    names: list[str],
    end: datetime,
    week_starts: Callable[[datetime], Sequence[datetime]],
) -> Weekly:
    global _kept
    wanted = frozenset(names)
    if not wanted:
        return {}
    from logbook.store.corpus import changes_in

    with store._read_sql() as sql:
        first = _first_entry(sql)
        if first is None:
            return {}
        starts = tuple(format_utc(s) for s in week_starts(first))
        key = (store.location.key, changes_in(sql), format_utc(end), starts)
        if _kept is not None and _kept[0] == key and wanted <= _kept[1]:
            return {name: weeks for name, weeks in _kept[2].items() if name in wanted}
        params = {"end": format_utc(end)}
        statement = _PER_WEEK.format(week=_week_of(sorted(set(starts)), params))
        with _names(sql, sorted(wanted)):
            weekly: Weekly = {}
            for name, week, count in sql.rows(statement, params):
                weekly.setdefault(name, {})[week] = int(count)
    _kept = (key, wanted, weekly)
    return weekly


def _first_entry(sql: Sql) -> datetime | None:
    first = sql.rows(
        "SELECT min(m) FROM (SELECT min(created_at) AS m FROM idea "
        "UNION ALL SELECT min(created_at) FROM paper) AS firsts"
    )[0][0]
    return None if first is None else parse_utc(first)


def _week_of(starts: list[str], params: dict[str, str]) -> str:
    """The start of the week ``e.created_at`` falls in (None before the first), as nested
    CASE expressions that halve ``starts`` at each level: seven comparisons for two years
    of weeks, where a lookup in a table of starts cost a subquery per tagged entry (a
    third of the query at 100k entries). ``params`` gets the starts."""
    for n, start in enumerate(starts):
        params[f"week{n}"] = start

    def among(low: int, high: int) -> str:  # created_at is at or after starts[low]
        if high - low == 1:
            return f":week{low}"
        middle = (low + high) // 2
        return f"CASE WHEN e.created_at < :week{middle} THEN {among(low, middle)} ELSE {among(middle, high)} END"  # fmt: skip

    if not starts:
        return "NULL"
    return f"CASE WHEN e.created_at < :week0 THEN NULL ELSE {among(0, len(starts))} END"


@contextmanager
def _names(sql: Sql, names: list[str]) -> Iterator[None]:
    """The temporary table of the wanted names the query joins, dropped after; ``shared``
    marks a name that more than one tag has."""
    sql.run("CREATE TEMP TABLE history_name (name TEXT PRIMARY KEY, shared INTEGER)")
    try:
        sql.run_many(
            "INSERT INTO history_name (name, shared) VALUES (:n, 0) ON CONFLICT DO NOTHING",
            [{"n": n} for n in names],
        )
        sql.run(
            "UPDATE history_name SET shared = 1 WHERE "
            "(SELECT count(*) FROM tag t WHERE t.name = history_name.name) > 1"
        )
        yield
    finally:
        sql.run("DROP TABLE history_name")
