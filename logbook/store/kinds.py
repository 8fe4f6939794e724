"""The fixed vocabularies of the store, and the title rule, without importing the models.

Kept apart from ``models.py`` so that code on the start-up path (``idea add``) can use them
without paying for building the SQLModel classes.
"""

import re
from collections.abc import Sequence

from logbook.errors import UsageError

IDEA_STATUSES = ("open", "exploring", "done", "dropped")
READING_STATUSES = ("to-read", "reading", "read")
TAG_KINDS = ("user", "auto", "category")
POST_KINDS = ("week", "paper", "idea")
ENTRY_KINDS = ("idea", "paper", "post")


def one_of(value: str, choices: Sequence[str], what: str) -> str:
    """``value`` normalized (trimmed, lower case) if it is one of ``choices``.

    Otherwise a usage error: "'x' is not <what>; use one of …".
    """
    normalized = value.strip().lower()
    if normalized not in choices:
        raise UsageError(f"{value!r} is not {what}; use one of {', '.join(choices)}")
    return normalized


def title_of(text: str) -> str:
    """The title of a markdown text: its first non-empty line, heading marks removed."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            # "# Heading" is a heading; "#tag first" is a tag, not a heading mark.
            return re.sub(r"^#{1,6}\s+", "", line)
    return ""
