"""Search snippets made in Python from a bounded window of an entry's text.

FTS5's own ``snippet()`` scores every possible fragment against every match, so its cost
grows with the square of the matches in one entry (a 1 MB idea took 16 s). Here the work per
entry is bounded: one scan of at most ``SCAN_CHARS`` characters for the first match, then at
most ``WINDOW_CHARS`` characters around it are split into words and marked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Marks around matched words in snippets; the CLI turns them into highlighting.
MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
SNIPPET_WORDS = 12
WORDS_BEFORE = 3
# How far into an entry the first match is looked for, and the text cut around it.
SCAN_CHARS = 1_000_000
WINDOW_CHARS = 600

# A word as FTS5's unicode61 tokenizer sees it: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")


@dataclass
class SnippetWork:
    """What one snippet cost: characters scanned and words looked at (a work counter)."""

    scanned: int = 0
    words: int = 0


class _Fold(dict[int, str]):
    """Lower case without diacritics, one character for one, so positions stay valid."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[:1].lower()
        folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` folded as the search index folds words (case, diacritics), same length."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


def words_of(texts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The words of query texts, folded, each with whether it is a prefix (``attn*``).

    A prefix text (``self-att*``) makes only its last word a prefix.
    """
    terms: dict[tuple[str, bool], None] = {}
    for text, prefix in texts:
        words = _WORD.findall(text)
        for n, word in enumerate(words):
            terms[(fold(word), prefix and n == len(words) - 1)] = None
    return list(terms)


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The words a match of ``query`` (logbook's query language) shows, for ``make_snippet``."""
    from logbook.query import parse_query, wanted_texts

    return words_of(wanted_texts(parse_query(query)))


# The index stems English words (porter): "mechanism" finds "mechanisms", "transformers"
# finds "Transformer". Marking approximates that with common endings, so that the words
# shown as matches are the ones the index matched, give or take.
_ENDINGS = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "isms", "ism", "ions",
            "ion", "ers", "er", "ies", "ive", "ed", "es", "ly", "al", "s", "e")  # fmt: skip
_ENDING = "(?:" + "|".join(_ENDINGS) + ")?"


def _word_pattern(word: str, prefix: bool) -> str:
    if prefix:
        return re.escape(word) + r"[^\W_]*"
    if not word.isascii() or not word.isalpha():
        return re.escape(word)
    root = word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            root = word[: -len(ending)]
            break
    return re.escape(root) + _ENDING


def _pattern(terms: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so that a prefix term does not hide a longer whole word.
    longest_first = sorted(terms, key=lambda t: -len(t[0]))
    parts = [_word_pattern(word, prefix) for word, prefix in longest_first]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])")


def make_snippet(
    text: str, terms: list[tuple[str, bool]], *, work: SnippetWork | None = None
) -> str:
    """About ``SNIPPET_WORDS`` words of ``text`` around its first match, matches marked.

    ``…`` stands for text left out at either end. The work is bounded whatever ``text``
    holds; ``work`` (if given) counts it.
    """
    work = work if work is not None else SnippetWork()
    pattern = _pattern(terms)
    scan = text[:SCAN_CHARS]
    folded_scan = fold(scan)
    work.scanned += len(scan)
    first = pattern.search(folded_scan) if pattern else None
    at = first.start() if first else 0
    start = max(0, at - WINDOW_CHARS // 3)
    end = min(len(text), start + WINDOW_CHARS)
    folded = folded_scan[start:end] if end <= len(scan) else fold(text[start:end])
    words = list(_WORD.finditer(folded))
    work.words += len(words)
    # A word cut by the window's edge is not a word of the text.
    if words and start > 0 and words[0].start() == 0:
        words.pop(0)
    if words and end < len(text) and words[-1].end() == len(folded):
        words.pop()
    if not words:
        return ""
    hit = next((n for n, w in enumerate(words) if w.start() + start >= at), 0)
    first_word = max(0, min(hit - WORDS_BEFORE, len(words) - SNIPPET_WORDS))
    chosen = words[first_word : first_word + SNIPPET_WORDS]
    pieces = []
    position = chosen[0].start()
    for word in chosen:
        pieces.append(text[start + position : start + word.start()])
        original = text[start + word.start() : start + word.end()]
        if pattern is not None and pattern.fullmatch(word.group(0)):
            original = f"{MARK_START}{original}{MARK_END}"
        pieces.append(original)
        position = word.end()
    before = ELLIPSIS if start + chosen[0].start() > 0 and (start > 0 or first_word > 0) else ""
    more = first_word + SNIPPET_WORDS < len(words) or end < len(text)
    after = ELLIPSIS if more else ""
    return before + "".join(pieces) + after
