"""Recurring themes: what keeps coming back across ideas, papers and posts, and its trend.

The public API: ``find_themes``, ``theme_detail`` and ``apply_themes``, each taking one
``ThemeSettings``. Nothing here prints or runs SQL; the store hands over the corpus
(``Store.corpus``) and stores auto tags (``Store.replace_auto_tags``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from logbook.dates import now, week_of
from logbook.errors import LogbookError
from logbook.themes.results import ApplyResult, EntryRef, Theme, ThemeDetail, WeekEntries
from logbook.themes.settings import DEFAULT_KINDS, ThemeSettings

if TYPE_CHECKING:
    from logbook.store import Store

__all__ = [
    "DEFAULT_KINDS",
    "ApplyResult",
    "EntryRef",
    "Theme",
    "ThemeDetail",
    "ThemeSettings",
    "WeekEntries",
    "apply_themes",
    "find_themes",
    "theme_detail",
]

APPLY_TOP = 50  # phrase themes that 'themes apply' turns into auto tags
APPLY_ATTEMPTS = 3  # analyses before apply gives up on a store that keeps changing


def find_themes(
    store: Store,
    settings: ThemeSettings | None = None,
    *,
    top: int | None = None,
    with_entries: bool = True,
) -> list[Theme]:
    """The themes that recur in the entries ``settings`` select, best first; ``top`` keeps
    the first N.

    Without ``with_entries`` the themes know their counts and trend but not their entries
    (``refs`` is empty): that list is kept in the themes cache until the store changes or a
    new week begins, so listing themes again loads neither the entries nor numpy.
    """
    from dataclasses import replace

    from logbook.themes import cache

    settings = settings or ThemeSettings()
    # the trend runs to this week when no end is given: a new week is a new list
    week = week_of(now(settings.tz), settings.tz, settings.week_start).start.isoformat()
    key = (settings.cache_key(), top, week)
    if not with_entries:
        listed = cache.load(store.location.key, (store.changes(), *key), "theme-list")
        if listed is not None:
            return list(listed)
    from logbook.themes.analysis import analyze, theme_of

    analysis = analyze(store, settings)
    columns = analysis.order if top is None else analysis.order[: max(top, 0)]
    found = [theme_of(analysis, c, settings.tz) for c in columns]
    if with_entries:
        return found
    # the change counter read with the entries: a write since then makes this a miss
    listed = [replace(theme, _rows=None, _corpus=None) for theme in found]
    cache.save(store.location.key, (analysis.corpus.changes, *key), listed, "theme-list")
    return listed


def theme_detail(store: Store, theme: str, settings: ThemeSettings | None = None) -> ThemeDetail:
    """One recurring theme, found by name, label or any variant, with its entries by week."""
    from logbook.themes.analysis import analyze, find_column, theme_of

    settings = settings or ThemeSettings()
    analysis = analyze(store, settings)
    found = theme_of(analysis, find_column(analysis, theme), settings.tz)
    tz, week_start = settings.tz, settings.week_start
    by_week: dict[datetime, list[EntryRef]] = {}
    for ref in sorted(found.refs, key=lambda r: r.created_at):
        by_week.setdefault(week_of(ref.created_at, tz, week_start).start, []).append(ref)
    weeks = [
        WeekEntries(week_of(begin, tz, week_start).label, begin, refs)
        for begin, refs in by_week.items()
    ]
    return ThemeDetail(found, weeks)


def apply_themes(
    store: Store, settings: ThemeSettings | None = None, *, top: int | None = APPLY_TOP
) -> ApplyResult:
    """Store the ``top`` best phrase themes as tags of kind ``auto`` on the entries they occur in.

    Themes are found in every entry that is not archived (``settings`` gives the rules, its
    span and kinds are not used). Idempotent: a second run changes nothing. User and
    category tags are never touched (a phrase that is a user tag is left to the user); auto
    tags that no longer apply are removed, and auto tags left on no entry are deleted.

    The themes are found outside the write transaction (counting takes a while); if another
    process wrote to the store meanwhile, they are found again (``APPLY_ATTEMPTS`` times in
    all) so that no tag goes to an entry that was removed or changed.
    """
    from logbook.themes import analysis as themes_analysis

    base = settings or ThemeSettings()
    everything = ThemeSettings(min_entries=base.min_entries, week_start=base.week_start, tz=base.tz)
    for _ in range(APPLY_ATTEMPTS):
        analysis = themes_analysis.analyze(store, everything)
        corpus = analysis.corpus
        matrix = analysis.matrix
        applied = [c for c in analysis.order if analysis.sources[c] == "phrase"][:top]
        entries = list(zip(corpus.kinds, corpus.ids, strict=True))
        wanted: dict[tuple[str, int], set[str]] = {entry: set() for entry in entries}
        for column in applied:
            name = analysis.names[column]
            for row in matrix.indices[matrix.indptr[column] : matrix.indptr[column + 1]].tolist():
                wanted[entries[row]].add(name)
        change = store.replace_auto_tags(wanted, corpus.changes)
        if change is None:
            continue  # the entries are not those the themes were found in
        return ApplyResult(
            themes=len(applied),
            entries=sum(1 for names in wanted.values() if names),
            added=change.added,
            removed=change.removed,
            names=[analysis.names[c] for c in applied],
        )
    raise LogbookError(
        "the store changed while themes were computed; run 'logbook themes apply' again"
    )
