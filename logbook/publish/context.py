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
from logbook.publish import jekyll
from logbook.publish.digest import UNREAD
from logbook.publish.html_safety import safe_url
from logbook.publish.week_words import join_words, themes_sentence, week_range, week_summary

if TYPE_CHECKING:
    from collections.abc import Callable

    from logbook.publish.chart import ThemesChart
    from logbook.publish.digest import WeekDigest
    from logbook.publish.settings import Settings
    from logbook.publish.week_words import EarlierPost
    from logbook.store.ideas import IdeaView
    from logbook.store.paper_views import PaperView


def week_context(
    digest: WeekDigest,
    settings: Settings,
    title: str,
    *,
    intro: str = "",
    earlier: list[EarlierPost] | None = None,
    chart: ThemesChart | None = None,
    reading_page: str = "",
) -> dict[str, Any]:
    """The values ``week.md.j2`` receives: the intro, the ideas, the papers once each, the themes.

    ``earlier`` are the week posts published before (the themes sentence links them);
    ``chart`` is the themes chart written beside the post (``chart.src`` and ``chart.alt``);
    ``reading_page`` the link to the reading-list page in the site ("" when there is none),
    which "…and N more" uses when config ``post.reading_list_url`` is not set.
    """
    week = digest.week
    year, number = week.iso

    def plain(text: str) -> str:
        return jekyll.plain_text(text, math=settings.math)

    ideas = []
    for position, idea in enumerate([*digest.ideas_new, *digest.ideas_changed], start=1):
        item = idea_context(idea, settings)
        item["number"] = position
        item["revisited"] = idea in digest.ideas_changed
        # "1. " or "10. ": how far an item's later paragraphs are indented to stay in it
        item["indent"] = len(f"{position}. ")
        item["prose"] = _idea_prose(item)
        ideas.append(item)
    read = [paper_context(p, settings) for p in digest.papers_read]
    shown = {p.id for p in digest.papers_read}
    added = [paper_context(p, settings) for p in digest.papers_added if p.id not in shown]
    shown |= {p.id for p in digest.papers_added}
    updated = [paper_context(p, settings) for p in digest.papers_updated if p.id not in shown]
    shown |= {p.id for p in digest.papers_updated}
    reading = [paper_context(p, settings) for p in digest.reading_list if p.id not in shown]
    unread_shown = sum(
        1 for p in (*digest.papers_added, *digest.papers_updated) if p.status in UNREAD
    )
    return {
        "title": plain(title),
        "author": author_text(settings),
        "week": {
            "label": week.label,
            "year": year,
            "number": number,
            "start": f"{week.start:%Y-%m-%d}",
            "end": f"{week.end - timedelta(days=1):%Y-%m-%d}",
            "range": week_range(week),
        },
        "intro": jekyll.markdown_text(intro, math=settings.math),
        "summary": plain(week_summary(digest, intro)),
        "empty": digest.empty,
        "themes": [
            {"name": plain(t.name), "label": plain(t.label), "entries": t.entries, "weeks": t.weeks}
            for t in digest.themes
        ],
        "themes_sentence": themes_sentence(digest.themes, earlier or [], year, plain),
        "chart": _chart_context(chart, plain),
        "ideas": ideas,
        "ideas_new": [i for i in ideas if not i["revisited"]],
        "ideas_changed": [i for i in ideas if i["revisited"]],
        "papers_read": read,
        "papers_added": added,
        "papers_updated": updated,
        "reading_list": reading,
        "reading_more": max(0, digest.reading_total - len(reading) - unread_shown),
        "reading_list_url": (
            _url(settings.reading_list_url) if settings.reading_list_url else reading_page
        ),
    }


def _chart_context(chart: ThemesChart | None, plain: Callable[[str], str]) -> dict[str, str]:
    if chart is None:
        return {}
    # baseurl: the site may live under a path (GitHub project pages); Jekyll fills it in.
    return {"src": f"{{{{ site.baseurl }}}}/{chart.path}", "alt": plain(chart.alt_text())}


# Read-status markers: shapes, not colours, and each says its status in words too.
STATUS_MARKERS = {"read": "✓ read", "reading": "◐ reading", "to-read": "○ to read"}


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
        "marker": STATUS_MARKERS.get(paper.status, ""),
        "read_version": paper.read_version or "",
        "venue": plain(paper.journal_ref),
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


def _idea_prose(idea: dict[str, Any]) -> str:
    """An idea as a paragraph or more: its title in bold, its status when it is not "open",
    its text, and the papers it links to (inline when the text ends in prose)."""
    title, body = idea["title"], idea["body"]
    links = [f"[{p['title']}]({p['link']})" if p["link"] else p["title"] for p in idea["papers"]]
    see = f"see {join_words(links)}" if links else ""
    extras = [] if idea["status"] == "open" else [f"*{idea['status']}*"]
    if idea.get("revisited"):
        extras.append(f"back to an idea from {_day_words(idea['created'])}")
    if see and not body:
        extras.append(see)
    lead = f"**{title}**" + (f" ({'; '.join(extras)})" if extras else "")
    if extras or title[-1:] not in (".", "!", "?"):
        lead += "."
    if not body:
        return lead
    text = f"{lead} {body}"
    if see:
        last = text.rsplit("\n", 1)[-1].rstrip()
        if _NOT_PROSE.match(last) or last[-1:] not in (".", "!", "?"):
            text += f"\n\nSee {join_words(links)}."  # after a list, code or math: a paragraph
        else:
            text = text.rstrip()[:-1] + f" ({see})" + text.rstrip()[-1]
    return text


# A last line that a link cannot be appended to: a list item, quote, table, heading, fence.
_NOT_PROSE = re.compile(r"\s*(?:[-*+]\s|[>|#]|```|~~~|\d+[.)]\s|\{%|$)")


def _day_words(day: str) -> str:
    """``2020-10-05`` → ``Oct 5``."""
    from logbook.publish.week_words import MONTHS

    try:
        _, month, number = (int(part) for part in day.split("-"))
    except ValueError:
        return day
    return f"{MONTHS[month - 1]} {number}"


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
