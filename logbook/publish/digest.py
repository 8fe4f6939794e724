"""What a weekly post is about, gathered from the store: its ideas, papers and themes.

The entries are the store's own views (``IdeaView``, ``PaperView``, from ``store.ideas`` and
``store.papers``); a post about one paper or one idea takes ``store.papers.get`` or
``store.ideas.get`` directly. Turning them into Jekyll-safe markdown is ``post_context.py``'s job.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from logbook.dates import Week, week_of

if TYPE_CHECKING:
    from logbook.store import Store
    from logbook.store.ideas import IdeaView
    from logbook.store.paper_views import PaperView

UNREAD = ("to-read", "reading")

READING_LIST_MAX = 10
THEMES_MAX = 8


@dataclass
class ThemeItem:
    """A theme of the week: a stored tag that recurs (see ``week_themes``).

    The tag is the user's own, an arXiv category, or a key-phrase theme saved as an ``auto`` tag.
    """

    name: str
    label: str
    entries: int
    weeks: int = 1
    # the first day of each earlier week with entries carrying it, newest first
    earlier: list[date] = field(default_factory=list)


@dataclass
class WeekDigest:
    """Everything a weekly post shows."""

    week: Week
    ideas_new: list[IdeaView]
    ideas_changed: list[IdeaView]
    papers_added: list[PaperView]
    papers_read: list[PaperView]
    themes: list[ThemeItem]
    reading_list: list[PaperView]
    reading_total: int
    # papers read before this week that arXiv updated this week (a version after the one read)
    papers_updated: list[PaperView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.ideas_new or self.ideas_changed or self.papers_added or self.papers_read)

    def tag_counts(self) -> Counter[str]:
        """How many of the week's entries carry each user tag."""
        counts: Counter[str] = Counter()
        for idea in (*self.ideas_new, *self.ideas_changed):
            counts.update(idea.user_tags)
        for paper in self.papers_added:
            counts.update(paper.user_tags)
        added = {p.id for p in self.papers_added}
        for paper in self.papers_read:
            if paper.id not in added:
                counts.update(paper.user_tags)
        return counts


def gather_week(
    store: Store,
    week: Week,
    *,
    tz: tzinfo,
    week_start: str = "monday",
    min_entries: int = 3,
    author: str | None = None,
) -> WeekDigest:
    """The ideas and papers of ``week``, its themes and the reading list.

    ``author`` keeps one person's ideas and the papers they added (the store records who
    added a paper, not who read it); None gathers the whole group's. Themes recur over
    everyone's entries either way.
    """
    start, end = week.start, week.end
    by = None if author is None else [author]
    # new, or changed this week; oldest first
    ideas = store.ideas.find(
        changed_since=start, changed_until=end, until=end, archived_papers=False, authors=by
    )
    added = store.papers.find(since=start, until=end, authors=by)
    read = store.papers.find(statuses=["read"], read_since=start, read_until=end, authors=by)
    read.sort(key=lambda p: (p.read_at or start, p.id))  # in the order they were read
    reading = store.papers.find(statuses=UNREAD, until=end, limit=READING_LIST_MAX, authors=by)
    reading.reverse()  # newest first
    digest = WeekDigest(
        week=week,
        ideas_new=[i for i in ideas if i.created_at >= start],
        ideas_changed=[i for i in ideas if i.created_at < start],
        papers_added=added,
        papers_read=read,
        themes=[],
        reading_list=reading,
        reading_total=store.papers.count(statuses=UNREAD, until=end, authors=by),
        papers_updated=[
            p for p in _new_versions(store, start, end) if author is None or p.author == author
        ],
    )
    digest.themes = week_themes(
        store, digest, tz=tz, week_start=week_start, min_entries=min_entries
    )
    return digest


def _new_versions(store: Store, start: datetime, end: datetime) -> list[PaperView]:
    """Papers read in an older version whose newer one logbook found this week
    (``paper check-updates --apply`` keeps the replaced version as a revision, dated when
    it was found), oldest find first."""
    found: dict[int, PaperView] = {}
    for update in store.paper_updates.updated_versions(start, end):
        paper = update.paper
        if paper.read_version is not None and paper.version > paper.read_version:
            found.setdefault(paper.id, paper)
    return list(found.values())


def week_themes(
    store: Store, digest: WeekDigest, *, tz: tzinfo, week_start: str, min_entries: int
) -> list[ThemeItem]:
    """The week's recurring themes, read from the tags stored on its ideas and papers.

    A theme follows the rule of ``logbook.themes``: it recurs, with at least ``min_entries``
    entries (up to the week's end) in at least two different weeks. The tags are the user's
    own, arXiv categories, and the key-phrase themes that ``logbook themes apply`` (or config
    ``themes.auto_apply``) stored as ``auto`` tags.

    Why not ``logbook.themes.week_themes`` itself: it re-analyses the text of every entry
    (about 1.6 s at 10k entries, numpy and scipy imports included), which does not fit a
    command that must answer in under a second, and it counts posts, so a weekly post would
    count itself and change on every re-publish.
    """
    entries = {("idea", i.id): i.tags for i in (*digest.ideas_new, *digest.ideas_changed)}
    entries |= {("paper", p.id): p.tags for p in (*digest.papers_added, *digest.papers_read)}
    if not entries:
        return []
    in_week: dict[str, set[tuple[str, int]]] = {}
    kinds: dict[str, str] = {}
    for entry, refs in entries.items():
        for ref in refs:
            in_week.setdefault(ref.name, set()).add(entry)
            if ref.kind == "category" or ref.name not in kinds:
                kinds[ref.name] = ref.kind
    end = digest.week.end

    def week_starts(first: datetime) -> list[datetime]:
        start = week_of(first, tz, week_start).start
        starts = []
        while start < end:
            starts.append(start)
            start = datetime.combine(start.date() + timedelta(days=7), time(), tzinfo=tz)
        return starts

    history = store.tag_weeks(list(in_week), end, week_starts)
    themes = []
    for name, members in in_week.items():
        spread = history.get(name)
        starts = {w.astimezone(tz).date() for w in spread.weeks} if spread else set()
        weeks = len(starts)
        if spread is None or spread.entries < min_entries or weeks < 2:
            continue  # does not recur
        label = name
        if kinds[name] == "category":
            from logbook.arxiv.categories import category_label

            label = category_label(name)
        this = digest.week.start.date()
        earlier = sorted((d for d in starts if d < this), reverse=True)
        themes.append(ThemeItem(name, label, len(members), weeks, earlier))
    themes.sort(key=lambda t: (-t.entries, -t.weeks, t.name))
    return themes[:THEMES_MAX]
