"""Template values for posts: the digest's data turned into Jekyll-safe markdown.

Every text value a template receives went through ``jekyll.markdown_text`` (the user's own
markdown) or ``jekyll.plain_text`` (text from arXiv), and every link through ``_url`` (http(s)
only), so a template prints values as they are and cannot forget to escape.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from logbook.arxiv_ids import abs_url
from logbook.dates import Week
from logbook.errors import ConfigError
from logbook.publish import jekyll
from logbook.publish.html_safety import safe_url

if TYPE_CHECKING:
    from logbook.publish.digest import WeekDigest
    from logbook.publish.settings import Settings
    from logbook.store.ideas import IdeaView
    from logbook.store.paper_views import PaperView

TITLE_FIELDS = "{week}, {year}, {number}, {start}, {end}"


def week_title(pattern: str, week: Week) -> str:
    """The weekly title from config ``post.title``: ``Research log, week {week}``."""
    year, number = week.iso
    values = {
        "week": week.label,
        "year": year,
        "number": number,
        "start": f"{week.start:%Y-%m-%d}",
        "end": f"{week.end - timedelta(days=1):%Y-%m-%d}",
    }
    try:
        return jekyll.one_line(pattern.format(**values))
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(
            f"post.title {pattern!r} cannot be filled ({error}); use {TITLE_FIELDS}"
        ) from None


def week_summary(digest: WeekDigest) -> str:
    """One plain sentence for the excerpt: what happened this week."""
    parts = []
    for count, one, many in (
        (len(digest.ideas_new), "new idea", "new ideas"),
        (len(digest.ideas_changed), "idea revisited", "ideas revisited"),
        (len(digest.papers_added), "paper added", "papers added"),
        (len(digest.papers_read), "paper read", "papers read"),
    ):
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if not parts:
        return f"A quiet week ({digest.week.label}): nothing was logged."
    summary = ", ".join(parts) + "."
    if digest.themes:
        summary += " Themes: " + ", ".join(t.label for t in digest.themes[:5]) + "."
    return jekyll.excerpt_of(summary[:1].upper() + summary[1:])


def week_context(digest: WeekDigest, settings: Settings, title: str) -> dict[str, Any]:
    """The values ``week.md.j2`` receives: the week, its summary, themes, entries, reading list."""
    week = digest.week
    year, number = week.iso

    def plain(text: str) -> str:
        return jekyll.plain_text(text, math=settings.math)

    return {
        "title": plain(title),
        "author": author_text(settings),
        "week": {
            "label": week.label,
            "year": year,
            "number": number,
            "start": f"{week.start:%Y-%m-%d}",
            "end": f"{week.end - timedelta(days=1):%Y-%m-%d}",
        },
        "summary": plain(week_summary(digest)),
        "empty": digest.empty,
        "themes": [
            {"name": plain(t.name), "label": plain(t.label), "entries": t.entries, "weeks": t.weeks}
            for t in digest.themes
        ],
        "ideas_new": [idea_context(i, settings) for i in digest.ideas_new],
        "ideas_changed": [idea_context(i, settings) for i in digest.ideas_changed],
        "papers_added": [paper_context(p, settings) for p in digest.papers_added],
        "papers_read": [paper_context(p, settings) for p in digest.papers_read],
        "reading_list": [paper_context(p, settings) for p in digest.reading_list],
        "reading_more": digest.reading_total - len(digest.reading_list),
    }


def idea_context(idea: IdeaView, settings: Settings) -> dict[str, Any]:
    """One idea as templates see it (``idea.md.j2``, and each idea of a week)."""

    def day(moment: datetime) -> str:
        return f"{moment.astimezone(settings.tz):%Y-%m-%d}"

    return {
        "id": idea.id,
        "title": jekyll.markdown_text(idea_title(idea.title), math=settings.math),
        "body": jekyll.markdown_text(idea.body, math=settings.math),
        "status": idea.status,
        "tags": [jekyll.plain_text(t) for t in idea.user_tags],
        "papers": [
            {
                "id": p["id"],
                "arxiv_id": p["arxiv_id"],
                "title": jekyll.plain_text(p["title"], math=settings.math),
                "link": _url(abs_url(p["arxiv_id"])),
            }
            for p in idea.papers
        ],
        "created": day(idea.created_at),
        "updated": day(idea.updated_at),
    }


def paper_context(paper: PaperView, settings: Settings) -> dict[str, Any]:
    """One paper as templates see it (``paper.md.j2``, and each paper of a week)."""

    def plain(text: str | None) -> str:
        return jekyll.plain_text(text or "", math=settings.math)

    def day(moment: datetime | None) -> str:
        return f"{moment.astimezone(settings.tz):%Y-%m-%d}" if moment else ""

    authors = paper.authors
    short = authors if len(authors) <= 3 else [*authors[:3], "et al."]
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "version": paper.version,
        "title": plain(paper.title),
        "authors": plain(", ".join(authors)),
        "authors_short": plain(", ".join(short)),
        "link": _url(paper.abs_url),
        "pdf_url": _url(paper.pdf_url),
        "abstract": jekyll.plain_text(paper.abstract, math=settings.math, paragraphs=True),
        "notes": jekyll.markdown_text(paper.notes, math=settings.math),
        "categories": [plain(c) for c in paper.categories],
        "primary_category": plain(paper.primary_category),
        "published": day(paper.published),
        "doi": plain(paper.doi),
        "doi_link": _url(f"https://doi.org/{paper.doi}") if paper.doi else "",
        "journal_ref": plain(paper.journal_ref),
        "comment": plain(paper.comment),
        "status": paper.status,
        "read": day(paper.read_at),
        "added": day(paper.created_at),
        "tags": [plain(t) for t in paper.user_tags],
        "ideas": [
            {
                "id": i["id"],
                "title": jekyll.markdown_text(idea_title(i["title"]), math=settings.math),
                "status": i["status"],
            }
            for i in paper.ideas
        ],
    }


def idea_title(title: str) -> str:
    """An idea's title without the ``#tags`` at its end (the post lists the tags)."""
    line = jekyll.one_line(title)
    bare = re.sub(r"(?:\s+#[^\s#]+)+$", "", line)
    return bare if bare.strip() else line


def author_text(settings: Settings) -> str:
    """Config ``author`` as Jekyll-safe text ("" when unset)."""
    return jekyll.plain_text(settings.author or "")


def _url(url: str | None) -> str:
    """An ``http(s)://`` URL safe inside ``(…)`` of a markdown link and inert for Liquid.

    Any other scheme (``javascript:``, ``data:``) gives "": the templates then print no link.
    """
    return jekyll.liquid_literal(safe_url(url))
