"""The settings one analysis of themes runs with, in one frozen object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from logbook.errors import UsageError
from logbook.store.kinds import ENTRY_KINDS, one_of

# Posts logbook made from ideas and papers would count those entries twice (and once more
# with every post published), so by default only imported posts (the researcher's own
# writing, ``post import``) count among posts; ``--kind post`` counts every post.
DEFAULT_KINDS = ("idea", "paper", "post")


@dataclass(frozen=True)
class ThemeSettings:
    """Which entries themes are found in, and the rules a theme must meet.

    A theme needs ``min_entries`` entries in two weeks or more; weeks start on
    ``week_start`` in the time zone ``tz``; only entries of ``kinds`` created in
    [since, until) count.
    """

    since: datetime | None = None
    until: datetime | None = None
    kinds: tuple[str, ...] = DEFAULT_KINDS
    min_entries: int = 3
    week_start: str = "monday"
    tz: tzinfo = UTC
    generated_posts: bool = False

    def __post_init__(self) -> None:
        if self.min_entries < 1:
            raise UsageError("themes need at least 1 entry (themes.min_entries)")

    @classmethod
    def make(
        cls,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Iterable[str] | None = None,
        min_entries: int = 3,
        week_start: str = "monday",
        tz: tzinfo = UTC,
    ) -> ThemeSettings:
        """Settings with ``kinds`` checked against the entry kinds (none: the defaults)."""
        checked = (
            tuple(dict.fromkeys(one_of(k, ENTRY_KINDS, "a kind of entry") for k in kinds))
            if kinds
            else DEFAULT_KINDS
        )
        # kinds named by the user mean every entry of them, generated posts included
        return cls(since, until, checked, min_entries, week_start, tz, generated_posts=bool(kinds))

    def cache_key(self) -> tuple[object, ...]:
        """The settings as the themes cache keys them (plain values that pickle stably)."""
        return (
            self.kinds,
            self.generated_posts,
            self.since.isoformat() if self.since else None,
            self.until.isoformat() if self.until else None,
            self.min_entries,
            self.week_start,
            str(self.tz),
        )
