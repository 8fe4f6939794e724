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
POST_KINDS = ("week", "paper", "idea", "imported")
# Posts logbook generated from ideas and papers: search and themes leave them out by default
# (they repeat their entries); an "imported" post is the researcher's own writing and counts.
GENERATED_POST_KINDS = ("week", "paper", "idea")
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


# The largest text one entry (an idea, a paper's notes) may hold. Search and the themes
# look at every entry's text; one unbounded entry would slow every later command.
MAX_TEXT_BYTES = 1_000_000


def check_size(text: str, what: str) -> str:
    """``text`` if it fits in ``MAX_TEXT_BYTES`` as UTF-8; a one-line ``UsageError`` otherwise."""
    # Four bytes per character at most: short texts need no encoding to be measured.
    if len(text) * 4 > MAX_TEXT_BYTES:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            raise UsageError(
                f"{what} is {size / 1e6:.1f} MB; an entry holds at most "
                f"{MAX_TEXT_BYTES / 1e6:g} MB of text (keep large material in a file and "
                "link to it)"
            )
    return text


# Every field a kind may hold revisions of: a paper also keeps the arXiv metadata that
# ``paper check-updates --apply`` replaced (store/paper_updates.py).
REVISION_FIELDS = {
    "idea": ("text",),
    "paper": ("notes", "version", "title", "authors", "abstract", "comment", "journal_ref", "doi"),
    "post": ("body",),
}
