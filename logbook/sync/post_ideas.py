"""Ideas in a post: list items under a heading that names ideas, or after a sentence that does.

``post import --ideas`` makes each such item an idea. The markdown is walked with
markdown-it-py, so a list inside code, or a line that only looks like a list item, is not
taken; only the items of the list itself count (their first paragraph, nested lists left
out).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

DEFAULT_HEADINGS = ("Ideas", "Ramblings", "Thoughts", "Questions", "Open questions")
# "here are some of my thoughts", "a few ideas:", "some open questions I have"
_INTRODUCING = re.compile(r"\b(?:here are|here's|here is|some of my|a few|some|my)\b", re.I)


def _names(text: str, headings: Sequence[str]) -> bool:
    lowered = f" {re.sub(r'[^a-z0-9]+', ' ', text.lower())} "
    return any(f" {re.sub(r'[^a-z0-9]+', ' ', h.lower()).strip()} " in lowered for h in headings)


@functools.cache
def _markdown() -> Any:
    # one parser for every post: building one costs more than parsing a post
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def ideas_in(body: str, headings: Sequence[str] = DEFAULT_HEADINGS) -> list[str]:
    """The texts of the idea list items in a markdown ``body``, in order, without repeats."""
    tokens = _markdown().parse(body)
    found: dict[str, None] = {}
    heading_names = False  # the section we are in is headed by an idea word
    previous_paragraph = ""
    depth = 0  # list nesting
    in_idea_list = False
    item_text: str | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and depth == 0:
            heading_names = _names(tokens[index + 1].content, headings)
            previous_paragraph = ""
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            if depth == 0:
                introduced = _names(previous_paragraph, headings) and bool(
                    _INTRODUCING.search(previous_paragraph)
                )
                in_idea_list = heading_names or introduced
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                in_idea_list = False
                previous_paragraph = ""
        elif token.type == "list_item_open" and depth == 1:
            item_text = None
        elif token.type == "inline":
            if depth == 0 and tokens[index - 1].type == "paragraph_open":
                previous_paragraph = token.content
            elif depth == 1 and in_idea_list and item_text is None:
                item_text = token.content.strip()
                if item_text:
                    found.setdefault(item_text)
    return list(found)
