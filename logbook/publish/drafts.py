"""Entries → a draft post in memory: gathered (``digest``, the store's views), escaped
(``jekyll``, ``context``) and rendered (``templates``). Nothing touches the site until
``write.write_post``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.dates import now, parse_week
from logbook.errors import NotFoundError, PublishError, UsageError
from logbook.publish import jekyll
from logbook.publish.chart import themes_chart
from logbook.publish.context import (
    author_text,
    idea_context,
    idea_title,
    paper_context,
    week_context,
)
from logbook.publish.html_safety import front_matter_value
from logbook.publish.reading_page import page_link
from logbook.publish.settings import Settings
from logbook.publish.templates import render, template_env
from logbook.publish.week_words import EarlierPost, top_topics, week_summary, week_title

if TYPE_CHECKING:
    from jinja2 import Environment

    from logbook.dates import Week
    from logbook.store import Store
    from logbook.store.posts import PostView


CATEGORIES = {"week": ["research-log"], "paper": ["papers"], "idea": ["ideas"]}
MAX_TAGS = 10
# Front matter that Jekyll reads and no theme prints as text (a layout name, the date).
_NOT_PRINTED = {"layout", "date"}


@dataclass(frozen=True)
class _Request:
    """A post before it is placed in the site (placing it reads the recorded posts)."""

    settings: Settings
    kind: str
    source: str
    title: str
    date: datetime | None  # None: the earlier post's date, else now
    fallback_slug: str
    tags: list[str]
    excerpt: str
    body: str
    intro: str = ""  # a week's opening paragraph, recorded with the post
    slug_text: str = ""  # what the slug is made from, when not the title


@dataclass
class Draft:
    """A post ready to be written: where, its front matter values and the whole file."""

    kind: str
    source: str
    title: str
    slug: str
    path: str  # relative to the site: _posts/2020-10-19-slug.md
    date: datetime
    tags: list[str]
    categories: list[str]
    excerpt: str
    body: str
    text: str  # front matter + body: exactly the bytes that get written
    # What it was made from: ``write_post`` places it again inside its write transaction.
    request: _Request = field(repr=False, compare=False)
    empty: bool = False  # a week with nothing logged: written only when asked for
    # files written beside the post (relative to the site → text): the themes chart
    assets: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of a draft (without its text)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "title": self.title,
            "slug": self.slug,
            "path": self.path,
            "date": jekyll.jekyll_date(self.date),
            "tags": self.tags,
            "categories": self.categories,
            "excerpt": self.excerpt,
            "content_hash": jekyll.content_hash(self.text),
        }


def draft_week(
    store: Store,
    settings: Settings,
    spec: str = "this",
    *,
    title: str | None = None,
    intro: str | None = None,
    site: Path | None = None,
    env: Environment | None = None,
) -> Draft:
    """The post for a week: ``this``, ``last``, ``2020-W43`` or a date inside the week.

    ``intro`` is the opening paragraph; None keeps the one given when the week was published
    before. With ``site``, the themes sentence links only earlier posts whose file is there
    (a link to a missing post would stop ``jekyll build``).
    """
    from logbook.publish.digest import gather_week

    moment = now(settings.tz)
    week = parse_week(spec, settings.tz, settings.week_start, reference=moment)
    if week.start > moment:
        raise UsageError(f"the week {week.label} has not begun yet; nothing to publish")
    digest = gather_week(
        store,
        week,
        tz=settings.tz,
        week_start=settings.week_start,
        min_entries=settings.min_entries,
    )
    recorded = store.posts.lookup("week", week.label)
    if intro is None:
        intro = recorded.intro if recorded is not None else ""
    intro = intro.strip()
    # The generated title names the week's themes, which change as the week goes on; the
    # file name must not, so it is made from the week (a title given by hand names it).
    slug_text = jekyll.one_line(title) if title else f"week {week.label}"
    if title:
        title = jekyll.one_line(title)
    else:
        title = week_title(settings.title_pattern, week, top_topics(digest))
    earlier = _earlier_posts(store, settings, week, site)
    chart = themes_chart(
        store,
        week,
        digest.themes,
        tz=settings.tz,
        week_start=settings.week_start,
        weeks=settings.chart_weeks,
    )
    context = week_context(
        digest,
        settings,
        title,
        intro=intro,
        earlier=earlier,
        chart=chart,
        reading_page=page_link(settings, site),
    )
    body = render(env or template_env(settings.templates_dir), "week.md.j2", context)
    names = _by_count(digest.tag_counts())
    if settings.category_tags:
        papers = [*digest.papers_read, *digest.papers_added]
        names += [c.lower() for p in papers for c in p.categories]
    # A week that is over is dated its last moment, so the post sorts after the week's
    # entries; one still running is dated its first moment: stable (re-publishing rewrites
    # the same file) and never in the future, which Jekyll would skip.
    date = week.end - timedelta(seconds=1) if week.end <= moment else week.start
    draft = _draft(
        store,
        settings,
        kind="week",
        source=week.label,
        title=title,
        date=date,
        fallback_slug=f"week-{week.label}",
        tags=_tag_names(names),
        excerpt=week_summary(digest, intro),
        body=body,
        intro=intro,
        slug_text=slug_text,
    )
    draft.empty = digest.empty
    if chart is not None:
        draft.assets[chart.path] = chart.svg()
    return draft


def _earlier_posts(
    store: Store, settings: Settings, week: Week, site: Path | None
) -> list[EarlierPost]:
    """The week posts recorded before ``week`` (and, with ``site``, still in it)."""
    result = []
    for post in store.posts.find(kind="week"):
        try:
            other = parse_week(post.source, settings.tz, settings.week_start)
        except UsageError:
            continue
        if other.start >= week.start or not _valid_path(post.path):
            continue
        if site is not None and not jekyll.post_path(site, post.path).is_file():
            continue
        year, number = other.iso
        name = post.path.removeprefix(f"{jekyll.POSTS_DIR}/").removesuffix(".md")
        result.append(EarlierPost(other.start.date(), post.source, number, year, name))
    return result


def draft_paper(
    store: Store,
    settings: Settings,
    ref: str,
    *,
    title: str | None = None,
    env: Environment | None = None,
) -> Draft:
    """A post about one paper (number or arXiv id): metadata, abstract, notes, ideas."""
    try:
        paper = store.papers.get(ref, archived=False)
    except (NotFoundError, UsageError):  # a post names what it could not find, whatever ref was
        raise NotFoundError(f"no paper {str(ref).strip()} in the store") from None
    title = jekyll.one_line(title or paper.title) or paper.arxiv_id
    context = {
        "title": jekyll.plain_text(title, math=settings.math),
        "author": author_text(settings),
        "paper": paper_context(paper, settings),
    }
    body = render(env or template_env(settings.templates_dir), "paper.md.j2", context)
    tags = [*paper.user_tags, *([paper.primary_category] if paper.primary_category else [])]
    return _draft(
        store,
        settings,
        kind="paper",
        source=paper.uid,
        title=title,
        date=None,
        fallback_slug=f"paper-{paper.arxiv_id}",
        tags=_tag_names(tags),
        excerpt=jekyll.excerpt_of(_first_paragraph(paper.notes) or paper.abstract or title),
        body=body,
    )


def draft_idea(
    store: Store,
    settings: Settings,
    number: int,
    *,
    title: str | None = None,
    env: Environment | None = None,
) -> Draft:
    """A post that works out one idea: its text, status, tags and papers."""
    idea = store.ideas.get(number, archived=False, archived_papers=False)
    own_title = idea_title(idea.title)
    title = jekyll.one_line(title or own_title) or f"Idea {idea.id}"
    context = {
        "title": jekyll.plain_text(title, math=settings.math),
        "author": author_text(settings),
        "idea": idea_context(idea, settings),
        # With --title the idea's first line is no longer the post's title: keep it in the
        # body, or a one-line idea would leave nothing of its text in its own post.
        "retitled": title != jekyll.one_line(own_title),
    }
    body = render(env or template_env(settings.templates_dir), "idea.md.j2", context)
    return _draft(
        store,
        settings,
        kind="idea",
        source=idea.uid,
        title=title,
        date=None,
        fallback_slug=f"idea-{idea.id}",
        tags=_tag_names(idea.user_tags),
        excerpt=jekyll.excerpt_of(_first_paragraph(idea.body) or title),
        body=body,
    )


def _draft(
    store: Store,
    settings: Settings,
    *,
    kind: str,
    source: str,
    title: str,
    date: datetime | None,
    fallback_slug: str,
    tags: list[str],
    excerpt: str,
    body: str,
    intro: str = "",
    slug_text: str = "",
) -> Draft:
    request = _Request(
        settings, kind, source, title, date, fallback_slug, tags, excerpt, body, intro, slug_text
    )
    return place_draft(request, store.posts.lookup(kind, source), store.posts.paths())


def place_draft(
    request: _Request, existing: PostView | None, taken: dict[str, tuple[str, str]]
) -> Draft:
    """Place the post: a post published before keeps its file (and so its URL).

    ``existing`` is the post recorded for the same week or entry, ``taken`` every recorded
    path; a new post gets a path no other post has.
    """
    settings, kind, source, date = request.settings, request.kind, request.source, request.date
    if existing is not None and _valid_path(existing.path):
        slug, path = existing.slug, existing.path
        date = existing.published_at.astimezone(settings.tz) if date is None else date
        if not existing.path.startswith(f"{jekyll.POSTS_DIR}/{date:%Y-%m-%d}-"):
            date = existing.published_at.astimezone(settings.tz)
    else:
        date = now(settings.tz) if date is None else date
        slug = jekyll.slugify(request.slug_text or request.title, fallback=request.fallback_slug)
        path, number = jekyll.post_filename(date, slug), 1
        while path in taken and taken[path] != (kind, source):
            number += 1
            path = jekyll.post_filename(date, f"{slug}-{number}")
        slug = path.removeprefix(f"{jekyll.POSTS_DIR}/{date:%Y-%m-%d}-").removesuffix(".md")
    date = date.replace(microsecond=0)
    fields: dict[str, Any] = {
        "layout": settings.layout,
        "title": request.title,
        "date": jekyll.jekyll_date(date),
    }
    if settings.author:
        fields["author"] = settings.author
    categories = CATEGORIES[kind]
    fields.update({"tags": request.tags, "categories": categories, "excerpt": request.excerpt})
    # Themes print these values outside the markdown, some as they are: none may be markup.
    fields = {
        key: value if key in _NOT_PRINTED else front_matter_value(value, is_html=key == "excerpt")
        for key, value in fields.items()
    }
    body = request.body.strip("\n") + "\n"
    text = jekyll.front_matter(fields) + "\n" + body
    return Draft(
        kind,
        source,
        request.title,
        slug,
        path,
        date,
        request.tags,
        categories,
        request.excerpt,
        body,
        text,
        request,
    )


def _valid_path(relative: str) -> bool:
    try:
        jekyll.post_path(Path("."), relative)
    except PublishError:
        return False
    return True


# ---------------------------------------------------------------------------------------
# Writing


def _first_paragraph(text: str) -> str:
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.strip():
            return block
    return ""


def _by_count(counts: Any) -> list[str]:
    return [name for name, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def _tag_names(names: list[str]) -> list[str]:
    """Front matter tags: normalized like logbook tags, no repeats, at most ``MAX_TAGS``."""
    from logbook.tags import normalize_tag

    result: list[str] = []
    for name in names:
        try:
            tag = normalize_tag(name)
        except UsageError:
            continue  # a theme phrase that is no tag (punctuation): left out of the tags
        if tag not in result:
            result.append(tag)
    return result[:MAX_TAGS]
