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
_LAST_DAY = re.compile(r"^(last|this)\s+(" + "|".join(DAYS) + r")$", re.IGNORECASE)
_DAYS_AGO = re.compile(r"^(\d+)\s+days?\s+ago$", re.IGNORECASE)


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


def parse_when(text: str, tz: tzinfo, *, reference: datetime | None = None) -> datetime:
    """A moment from what a user types.

    Accepts ``now``, ``today``, ``yesterday``, ``N days ago``, ``last monday`` (the most
    recent Monday before today), ``this friday``, an ISO date (midnight) or an ISO datetime
    (local time unless it has an offset). Raises ``UsageError`` otherwise.
    """
    current = reference or now(tz)
    word = text.strip().lower()
    midnight = datetime.combine(current.date(), time(), tzinfo=tz)
    if word == "now":
        return current
    if word == "today":
        return midnight
    if word == "yesterday":
        return midnight - timedelta(days=1)
    if match := _DAYS_AGO.match(word):
        return midnight - timedelta(days=int(match.group(1)))
    if match := _LAST_DAY.match(word):
        target = DAYS.index(match.group(2).lower())
        back = (current.weekday() - target) % 7
        if match.group(1).lower() == "last":
            back = back or 7
        return midnight - timedelta(days=back)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            return datetime.combine(date.fromisoformat(word), time(), tzinfo=tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"cannot read the date {text!r}: use YYYY-MM-DD, an ISO datetime, today, "
            "yesterday, 'N days ago' or 'last monday'"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


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
    if match := _ISO_WEEK.match(word):
        year, number = int(match.group(1)), int(match.group(2))
        try:
            thursday = date.fromisocalendar(year, number, 4)
        except ValueError:
            raise UsageError(f"{spec!r} is not a week of {year}") from None
        return week_of(datetime.combine(thursday, time(12), tzinfo=tz), tz, week_start)
    try:
        return week_of(parse_when(spec, tz, reference=current), tz, week_start)
    except UsageError:
        raise UsageError(
            f"cannot read the week {spec!r}: use this, last, YYYY-Www or a date in the week"
        ) from None
