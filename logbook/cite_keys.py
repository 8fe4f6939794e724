"""Citation keys in the Google Scholar style: first author's surname, year, first title word.

``Attention Is All You Need`` by Vaswani et al. (2017) → ``vaswani2017attention``. A key is
given once, when a paper enters the store, and never changes; a clash gets ``b``, ``c``, ….
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "and",
        "to",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "be",
        "its",
        "into",
        "via",
        "towards",
        "toward",
        "how",
        "what",
        "why",
        "when",
        "do",
        "does",
        "can",
        "we",
        "our",
        "using",
    ]
)
_GROUP = re.compile(r"collaboration|consortium|\bteam\b|\bgroup\b", re.IGNORECASE)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def ascii_word(text: str) -> str:
    """``text`` folded to lower-case ASCII letters and digits: ``Wübben`` → ``wubben``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def surname(author: str) -> str:
    """The family name of ``First Middle Last`` (or ``Last, First``), as an ASCII word."""
    if "," in author:
        return ascii_word(author.split(",", 1)[0])
    words = [w for w in re.split(r"\s+", author.strip()) if w]
    if _GROUP.search(author):  # The ATLAS Collaboration → atlas
        named = [w for w in words if ascii_word(w) not in _STOPWORDS]
        return ascii_word(named[0]) if named else ""
    while len(words) > 1 and ascii_word(words[-1]) in _SUFFIXES:
        words.pop()
    return ascii_word(words[-1]) if words else ""


def first_word(title: str) -> str:
    """The first title word that is not a stop word or maths, as an ASCII word."""
    plain = re.sub(r"\$[^$]*\$", " ", title)
    for word in re.split(r"[\s\-–—:/]+", plain):
        folded = ascii_word(word)
        if folded and folded not in _STOPWORDS and not folded.isdigit():
            return folded
    return ""


def base_key(authors: list[str], year: int | None, title: str) -> str:
    """The key before clashes are resolved: ``vaswani2017attention``."""
    name = surname(authors[0]) if authors else ""
    return f"{name or 'anon'}{year or ''}{first_word(title)}"


def unique_key(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base`` + b, c, … z, then a number: the first that is not ``taken``."""
    if not taken(base):
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if not taken(base + letter):
            return base + letter
    n = 2
    while taken(f"{base}{n}"):
        n += 1
    return f"{base}{n}"
