"""Dates as researchers type them, ISO weeks, and the configured time zone.

Everything here returns aware datetimes. A week runs from ``week_start`` (a day name) at
midnight in the configured zone to the same moment seven days later.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from logbook.errors import ConfigError, UsageError

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_LAST_DAY = re.compile(r"^(?:(last|this)\s+)?(" + "|".join(DAYS) + r")$", re.IGNORECASE)
_DAYS_AGO = re.compile(r"^(\d+)\s+(day|week)s?\s+ago$", re.IGNORECASE)
# "… at 9am", "at 14:30", "yesterday at 9:15 pm": a time of day after any day.
_AT_TIME = re.compile(
    r"^(?:(.*?)\s+)?at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE | re.DOTALL
)
# Older dates are typos (0202 for 2020) or junk; a research logbook has nothing before 1900.
EARLIEST = date(1900, 1, 1)
RANGE = "dates run from 1900-01-01 to tomorrow"


def zone(name: str | None) -> tzinfo:
    """The time zone called ``name`` (IANA), or the machine's local zone when ``None``."""
    if not name:
        return _local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Paris)"
        ) from error


def _local_zone() -> tzinfo:
    # The machine's zone with its daylight-saving rules: a fixed offset read today would put
    # week boundaries an hour off for half the year.
    configured = os.environ.get("TZ", "").lstrip(":")
    candidates = [configured] if configured else []
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    for key in candidates:
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


def now(tz: tzinfo) -> datetime:
    """The current moment in ``tz``. ``LOGBOOK_NOW`` (ISO datetime) freezes the clock."""
    frozen = os.environ.get("LOGBOOK_NOW")
    if frozen:
        try:
            moment = datetime.fromisoformat(frozen)
        except ValueError:
            raise ConfigError(
                f"$LOGBOOK_NOW: {frozen!r} is not an ISO datetime (e.g. 2026-11-20T09:00+01:00)"
            ) from None
        return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(tz)
    return datetime.now(tz)


def range_problem(
    moment: datetime, *, reference: datetime | None = None, future: bool = False
) -> str | None:
    """Why ``moment`` is not a date logbook keeps, or ``None`` when it is one.

    Every date that enters the store (typed, imported, from arXiv) must fall between
    ``EARLIEST`` and tomorrow, both read in the moment's own time zone: the answer is a
    phrase to follow the value, e.g. ``"is before 1900-01-01 (dates run from …)"``.
    ``future`` lifts the upper bound, for the one date that may lie ahead: a Jekyll post
    scheduled by its author (Jekyll publishes it when the day comes).
    """
    day = moment.date()
    if day < EARLIEST:
        return f"is before {EARLIEST.isoformat()} ({RANGE})"
    if future:
        return None
    current = reference or now(UTC)
    try:
        today = current.astimezone(moment.tzinfo).date() if moment.tzinfo else current.date()
        tomorrow = today + timedelta(days=1)
    except OverflowError:  # a clock frozen at the end of time: nothing is later
        return None
    if day > tomorrow:
        return f"is after tomorrow, {tomorrow.isoformat()} ({RANGE})"
    return None


def parse_when(
    text: str, tz: tzinfo, *, reference: datetime | None = None, clamp_future: bool = False
) -> datetime:
    """A moment from what a user types.

    Accepts ``now``, ``today``, ``yesterday``, ``N days ago``, ``N weeks ago``, ``last
    week`` (seven days ago), ``monday`` (the most recent Monday, today included), ``last
    monday`` (the most recent before today), ``this friday`` (the Friday of this ISO
    week, even if it is still to come), an ISO date (midnight) or an ISO datetime (local
    time unless it has an offset); any of the day forms may end with ``at 9am``, ``at
    9:30pm`` or ``at 14:30`` (``at 9am`` alone is today). Between 1900-01-01 and tomorrow
    (see ``range_problem``). Raises ``UsageError`` otherwise.

    Filters pass ``clamp_future``: a later moment is read as the end of tomorrow, which
    selects the same entries (none is dated later) and keeps ``--until 9999-12-31`` working.
    """
    current = reference or now(tz)
    moment = _read_when(text, tz, current)
    problem = range_problem(moment, reference=current)
    if problem and clamp_future and moment > current:
        return datetime.combine(current.date() + timedelta(days=2), time(), tzinfo=tz)
    if problem:
        raise UsageError(f"the date {text.strip()!r} {problem}")
    return moment


def _read_when(text: str, tz: tzinfo, current: datetime) -> datetime:
    if match := _AT_TIME.match(text.strip()):
        day = _read_day(match.group(1) or "today", tz, current)
        return day.replace(hour=_hour(match, text), minute=int(match.group(3) or 0))
    return _read_day(text, tz, current)


def _hour(match: re.Match[str], text: str) -> int:
    hour, minute, half = int(match.group(2)), int(match.group(3) or 0), match.group(4)
    if half:
        if not 1 <= hour <= 12:
            raise UsageError(f"cannot read the time in {text.strip()!r}: 1am to 12pm")
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise UsageError(f"cannot read the time in {text.strip()!r}: use 9am, 9:30pm or 14:30")
    return hour


def _read_day(text: str, tz: tzinfo, current: datetime) -> datetime:
    word = " ".join(text.strip().lower().split())
    midnight = datetime.combine(current.date(), time(), tzinfo=tz)
    if word == "now":
        return current
    if word == "today":
        return midnight
    if word == "yesterday":
        return midnight - timedelta(days=1)
    if word == "last week":
        word = "1 week ago"
    if match := _DAYS_AGO.match(word):
        try:
            days = int(match.group(1)) * (7 if match.group(2) == "week" else 1)
            return midnight - timedelta(days=days)
        except (OverflowError, ValueError):  # before year 1, or too many digits for int()
            raise UsageError(f"the date {text.strip()!r} is before 1900-01-01 ({RANGE})") from None
    if match := _LAST_DAY.match(word):
        return midnight + timedelta(days=_day_offset(match.group(1), match.group(2), current))
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            return datetime.combine(date.fromisoformat(word), time(), tzinfo=tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"cannot read the date {text!r}: use YYYY-MM-DD, an ISO datetime, now, today, "
            "yesterday, 'N days ago', 'last week', 'monday', 'last monday', '… at 9am'"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _day_offset(which: str | None, day: str, current: datetime) -> int:
    """Days from today to the named day: ``this`` is in the current (ISO) week, ``last``
    strictly before today, and a bare day name the most recent one, today included."""
    target = DAYS.index(day)
    if which == "this":
        return target - current.weekday()
    back = (current.weekday() - target) % 7
    if which == "last":
        back = back or 7
    return -back


@dataclass(frozen=True)
class Week:
    """A week in the configured zone: ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime

    @property
    def iso(self) -> tuple[int, int]:
        """The ISO (year, week number) of the week's Thursday-or-middle day: ``(2020, 43)``."""
        year, number, _ = (self.start + timedelta(days=3)).isocalendar()
        return year, number

    @property
    def label(self) -> str:
        """The ISO week as ``2020-W43`` (see ``iso``)."""
        year, number = self.iso
        return f"{year}-W{number:02d}"

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def week_of(moment: datetime, tz: tzinfo, week_start: str = "monday") -> Week:
    """The week that contains ``moment``."""
    local = moment.astimezone(tz)
    first = DAYS.index(week_start)
    back = (local.weekday() - first) % 7
    start = datetime.combine(local.date() - timedelta(days=back), time(), tzinfo=tz)
    end = datetime.combine(start.date() + timedelta(days=7), time(), tzinfo=tz)
    return Week(start, end)


def week_start_ordinal(moment: datetime, tz: tzinfo, week_start: str = "monday") -> int:
    """``week_of(moment, tz, week_start).start.toordinal()``, without making the week:
    the themes put every entry of a store in its week."""
    day = moment.astimezone(tz).toordinal()
    # date.fromordinal(1) is a Monday, so a day's weekday is (ordinal - 1) % 7
    return day - (day - 1 - DAYS.index(week_start)) % 7


def parse_week(
    spec: str, tz: tzinfo, week_start: str = "monday", *, reference: datetime | None = None
) -> Week:
    """The week a user means: ``this``, ``last``, ``2020-W43`` or any date inside it."""
    current = reference or now(tz)
    word = spec.strip().lower()
    if word in ("", "this"):
        return week_of(current, tz, week_start)
    if word == "last":
        return week_of(current - timedelta(days=7), tz, week_start)
    try:
        week = _named_week(spec, tz, week_start, current)
    except OverflowError:  # a week at the edge of the calendar, e.g. 9999-W52
        raise UsageError(f"the week {spec.strip()!r} is out of range ({RANGE})") from None
    # A week that has not begun is the caller's to refuse; what may be stored of a week is
    # its start, so only that is held to the range.
    problem = range_problem(min(week.start, current), reference=current)
    if problem:
        raise UsageError(f"the week {spec.strip()!r} {problem}")
    return week


def _named_week(spec: str, tz: tzinfo, week_start: str, current: datetime) -> Week:
    if match := _ISO_WEEK.match(spec.strip()):
        year, number = int(match.group(1)), int(match.group(2))
        try:
            thursday = date.fromisocalendar(year, number, 4)
        except ValueError:
            raise UsageError(f"{spec!r} is not a week of {year}") from None
        return week_of(datetime.combine(thursday, time(12), tzinfo=tz), tz, week_start)
    try:
        moment = _read_when(spec, tz, current)
    except UsageError:
        raise UsageError(
            f"cannot read the week {spec!r}: use this, last, YYYY-Www or a date in the week"
        ) from None
    return week_of(moment, tz, week_start)
