"""A week in words: its title, its excerpt and the sentence that links its themes to earlier
weeks. Plain text out (``context`` makes it Jekyll-safe), except the links of
``themes_sentence``, which are logbook's own Liquid (``post_url``) and markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from logbook.errors import ConfigError
from logbook.publish import jekyll

if TYPE_CHECKING:
    from collections.abc import Callable

    from logbook.dates import Week
    from logbook.publish.digest import ThemeItem, WeekDigest

TITLE_FIELDS = "{week}, {year}, {number}, {start}, {end}, {range}, {themes}"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TITLE_THEMES = 2
LINKED_WEEKS = 3  # earlier weeks linked per theme, newest first
# A name Jekyll's post_url can look up, as logbook's slugs always are.
_POST_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class EarlierPost:
    """A week post published before: its week's first day, label and file name (no ``.md``)."""

    start: date
    label: str
    number: int
    year: int
    name: str


def week_range(week: Week) -> str:
    """The days of the week in words: ``Oct 19–25``, ``Nov 30–Dec 6``."""
    first, last = week.start.date(), (week.end - timedelta(days=1)).date()
    if first.month == last.month:
        return f"{MONTHS[first.month - 1]} {first.day}–{last.day}"
    return f"{MONTHS[first.month - 1]} {first.day}–{MONTHS[last.month - 1]} {last.day}"


def theme_words(label: str) -> str:
    """A theme as words in a sentence: ``Machine Learning (cs.LG)`` → ``machine learning``."""
    words = re.sub(r"\s*\([^()]*\)$", "", label).replace("-", " ").replace("_", " ").strip()
    return words.lower() if words else label


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def top_topics(digest: WeekDigest, count: int = TITLE_THEMES) -> list[str]:
    """The week's top themes in words; without recurring themes, its most used user tags."""
    names = [theme_words(t.label) for t in digest.themes]
    tags = sorted(digest.tag_counts().items(), key=lambda pair: (-pair[1], pair[0]))
    names += [theme_words(name) for name, _ in tags]
    return list(dict.fromkeys(n for n in names if n))[:count]


def week_title(pattern: str, week: Week, topics: list[str]) -> str:
    """The weekly title from config ``post.title``: ``Week 43 (Oct 19–25): attention``.

    With no topics, a ``{themes}`` at the end takes its separator with it.
    """
    year, number = week.iso
    values = {
        "week": week.label,
        "year": year,
        "number": number,
        "start": f"{week.start:%Y-%m-%d}",
        "end": f"{week.end - timedelta(days=1):%Y-%m-%d}",
        "range": week_range(week),
        "themes": join_words(topics),
    }
    try:
        title = pattern.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(
            f"post.title {pattern!r} cannot be filled ({error}); use {TITLE_FIELDS}"
        ) from None
    if not topics:
        title = title.rstrip(" :;,–—-")
    return jekyll.one_line(title)


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph of prose (markdown marks left as they are)."""
    paragraph = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]
    line = " ".join(paragraph.split())
    match = re.match(r"(.+?[.!?])(?=\s+[A-Z0-9\"'(*_\[]|$)", line)
    return match.group(1) if match else line


def week_summary(digest: WeekDigest, intro: str = "") -> str:
    """The excerpt: the intro's first sentence, else one plain sentence about the week."""
    if intro.strip():
        return jekyll.excerpt_of(first_sentence(intro))
    _, number = digest.week.iso
    if digest.empty:
        return f"A quiet week ({digest.week.label}): nothing was logged."
    topics = top_topics(digest, 3)
    about = f" on {join_words(topics)}" if topics else ""
    return jekyll.excerpt_of(f"Notes from week {number}{about}: ideas and papers.")


def themes_sentence(
    themes: list[ThemeItem],
    earlier: list[EarlierPost],
    this_year: int,
    plain: Callable[[str], str],
) -> str:
    """One sentence on the week's themes, linking the earlier weeks that share them.

    ``Attention came up again — see weeks [41](…) and [42](…); kernels keep coming up.``
    ``plain`` makes a theme's words Jekyll-safe (``jekyll.plain_text`` with the math mode).
    """
    by_start = {post.start: post for post in earlier}
    linked: dict[tuple[str, ...], list[str]] = {}  # the same earlier weeks: one clause
    others: list[str] = []
    for theme in themes:
        words = plain(theme_words(theme.label))
        posts = [by_start[d] for d in theme.earlier if d in by_start][:LINKED_WEEKS]
        if not posts:
            others.append(words)
            continue
        posts.reverse()  # oldest first reads naturally: "weeks 41 and 42"
        linked.setdefault(tuple(_week_link(p, this_year) for p in posts), []).append(words)
    again = []
    for links, names in linked.items():
        weeks = "week" if len(links) == 1 else "weeks"
        again.append(f"{join_words(names)} came up again — see {weeks} {join_words(list(links))}")
    if not again and not others:
        return ""
    clauses = list(again)
    if others:
        verb = "keeps" if len(others) == 1 else "keep"
        clauses.append(f"{join_words(others)} {verb} coming up")
    sentence = "; ".join(clauses) + "."
    return sentence[:1].upper() + sentence[1:]


def _week_link(post: EarlierPost, this_year: int) -> str:
    text = str(post.number) if post.year == this_year else f"{post.number} of {post.year}"
    if not _POST_NAME.fullmatch(post.name):
        return text
    # post_url finds the post whatever the site's permalink style; baseurl is not in it.
    return f"[{text}]({{{{ site.baseurl }}}}{{% post_url {post.name} %}})"
