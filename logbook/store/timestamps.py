"""How the store writes moments: fixed-width UTC ISO 8601 text, read back as aware datetimes.

The standard library only, so migrations and the hook's no-change check can use it without
loading SQLAlchemy; the column types in ``types.py`` apply the same rules.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Fixed width and always UTC, so that text order is time order and range queries can use
# the indexes on these columns. The year is padded by us: strftime's %Y writes year 999 as
# "999", which neither sorts nor parses as ISO 8601.
_FORMAT = "-%m-%dT%H:%M:%S.%f+00:00"
# Stores written before the padding fix may hold "999-01-01T..."; read such years as padded.
_SHORT_YEAR = re.compile(r"^\s*(\d{1,3})-")


def format_utc(moment: datetime) -> str:
    """The stored form of an aware datetime: fixed-width ISO 8601 in UTC, four-digit year."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored; attach a time zone first")
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}" + utc.strftime(_FORMAT)


def read_iso(text: str) -> datetime:
    """An ISO 8601 date and time as written (naive if it has no offset).

    A year written with fewer than four digits is read as if zero-padded. Raises
    ``ValueError`` for anything else that is not ISO 8601.
    """
    padded = _SHORT_YEAR.sub(lambda m: m.group(1).zfill(4) + "-", text, count=1)
    return datetime.fromisoformat(padded.strip())


def parse_utc(text: str) -> datetime:
    """Read a timestamp (stored or exported) back as an aware datetime in UTC (see ``read_iso``)."""
    if len(text) == 32 and text[4] == "-" and text.endswith("+00:00"):
        # the stored form itself (most of what is read): already UTC, nothing to pad
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # e.g. " 999-…": read_iso says what it is
    return read_iso(text).astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC, the form every ``to_dict()`` uses in JSON output."""
    return None if moment is None else moment.astimezone(UTC).isoformat()
