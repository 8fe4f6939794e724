"""Whole numbers typed by the user (entry numbers, limits), parsed once with bounds.

SQLite integers stop at 2**63 - 1 and JSON readers at 2**53; a number beyond what logbook
can store is refused here with one line, instead of overflowing deep in a query.
"""

from __future__ import annotations

from logbook.errors import UsageError

# The largest entry number logbook hands out or accepts (safe in JSON and in SQLite).
MAX_NUMBER = 2**53


def parse_number(text: str, *, what: str, minimum: int = 1, maximum: int = MAX_NUMBER) -> int:
    """``text`` as a whole number from ``minimum`` to ``maximum``; ``UsageError`` otherwise.

    Only ASCII digits (with an optional sign) count: ``"²"`` or ``"١٢"`` are not numbers here.
    """
    value = text.strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()):
        raise UsageError(f"{what} must be a whole number, not {text!r}")
    if len(digits) > len(str(maximum)) or not minimum <= int(value) <= maximum:
        raise UsageError(f"{what} must be from {minimum} to {maximum}, not {text}")
    return int(value)


def is_number(text: str) -> bool:
    """Whether ``text`` is written as an entry number (ASCII digits only), in range or not."""
    value = text.strip()
    return value.isascii() and value.isdigit()


def parse_limit(text: str) -> int | None:
    """A ``--limit``: a positive whole number, or 0 for no limit (``None``)."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()):
        raise UsageError(f"a limit is a whole number (0 for no limit), not {text!r}")
    return parse_number(value, what="a limit", minimum=0) or None


def number_in_range(text: str) -> int | None:
    """``text`` as an entry number if it is written as one and logbook could hold it."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_NUMBER)):
        return None
    number = int(value)
    return number if number <= MAX_NUMBER else None
