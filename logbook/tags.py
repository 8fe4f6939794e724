"""Tag names as text: how they are written inline (``#kernels``) and their stored form.

Text rules only: the store links tags to entries, the themes package reads them in text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from logbook.errors import UsageError

# "#tag" inline, but not inside a word, a URL fragment ("/#x") or an escaped "\#".
INLINE_TAG = re.compile(r"(?<![\w&#/\\])#([^\W\d_][\w\-./]*|\d+[^\W\d][\w\-./]*)", re.UNICODE)


# Cached: an import normalizes the same few hundred names tens of thousands of times.
@lru_cache(maxsize=4096)
def normalize_tag(name: str) -> str:
    """The stored form of a tag: lower case, NFC, no leading '#', spaces as '-'."""
    cleaned = unicodedata.normalize("NFC", name).strip().lstrip("#").strip().lower()
    cleaned = re.sub(r"\s+", "-", cleaned).strip("-./")
    if not cleaned or not re.fullmatch(r"[\w\-./+]+", cleaned):
        raise UsageError(f"{name!r} is not a tag: use letters, digits, '-', '_', '.' or '/'")
    return cleaned


def inline_tags(body: str) -> list[str]:
    """The ``#tags`` written in a text, normalized, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in INLINE_TAG.finditer(body):
        seen[normalize_tag(match.group(1))] = None
    return list(seen)
