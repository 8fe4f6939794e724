"""What an identity, a number, a link or a cite key may be, whoever writes it.

One set of rules for every way a value reaches the store (a command, arXiv, an imported
file): a uid becomes a file name on export, a number becomes part of the search-index key,
a link is put in a post and a cite key in a BibTeX file, so each must be checked before it
is stored, not where it is used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from logbook.errors import UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

# Entry numbers stay exact in JSON (2^53) and keep the search-index key (id * 4 + kind,
# see migrations.py) far inside SQLite's 64-bit integers.
MAX_NUMBER = 2**53

# The canonical text form of a UUID (RFC 9562): lower case, hyphenated, nothing around it.
_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Generated keys are lower-case letters and digits (``vaswani2017attention``); a key edited
# by hand may add upper case, '_', ':', '.' and '-'. Nothing that ends a BibTeX entry.
CITE_KEY = re.compile(r"[A-Za-z0-9_:.\-]+")

# URL characters that are inert in a markdown link, an HTML attribute and a YAML scalar:
# RFC 3986's unreserved and delimiter characters without quotes, parentheses and brackets.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&+,;=%]{1,2000}")
_LINK_SCHEMES = ("https", "http")


class InvalidValue(UsageError):
    """A value the store does not accept; the message says which and why."""


def check_uid(value: Any, what: str = "uid") -> str:
    """``value`` if it is a uid in canonical form (lower-case hyphenated UUID)."""
    if not isinstance(value, str) or not _UID.fullmatch(value):
        raise InvalidValue(f"{what} {value!r} is not a uid (a lower-case UUID)")
    return value


def check_number(value: Any, what: str) -> int:
    """``value`` if it is a whole number from 1 to ``MAX_NUMBER``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{what} must be a whole number, not {value!r}")
    if not 1 <= value <= MAX_NUMBER:
        raise InvalidValue(f"{what} {value} is out of range (1 to 2^53)")
    return value


def check_cite_key(value: Any) -> str:
    """``value`` if it is a safe citation key (letters, digits, '_', ':', '.', '-')."""
    if not isinstance(value, str) or not CITE_KEY.fullmatch(value):
        raise InvalidValue(
            f"cite key {value!r} is not allowed: use letters, digits, '_', ':', '.' or '-'"
        )
    return value


def is_link(value: str) -> bool:
    """Whether ``value`` is an http(s) URL with a host, made only of inert characters."""
    if not _URL_CHARS.fullmatch(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in _LINK_SCHEMES and bool(parts.hostname)


def check_link(value: Any, what: str = "link") -> str:
    """``value`` if ``is_link`` accepts it."""
    if not isinstance(value, str) or not is_link(value):
        raise InvalidValue(f"{what} {value!r} is not an http(s) link")
    return value


def link_or_none(value: str | None) -> str | None:
    """``value`` if it is a link ``is_link`` accepts, else ``None`` (for data arXiv sends)."""
    return value if value and is_link(value) else None


def new_cite_key(session: Session, paper: Any) -> str:
    """A citation key for ``paper`` (``authors``, ``published``, ``title``) no paper has yet."""
    from sqlmodel import col, select

    from logbook.cite_keys import base_key, unique_key
    from logbook.store.models import Paper

    year = paper.published.year if paper.published else None
    base = base_key(list(paper.authors), year, paper.title)

    # every key that starts with ``base``, in one query, however many clash
    taken = set(
        session.exec(
            select(Paper.cite_key).where(
                col(Paper.cite_key) >= base, col(Paper.cite_key) < base + "\uffff"
            )
        )
    )
    return check_cite_key(unique_key(base, taken.__contains__))
