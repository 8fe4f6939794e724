"""Entries + templates → Jekyll post files.

    draft_week / draft_paper / draft_idea   gather (digest.py, the store's views), escape
                                            (jekyll.py), render
    write_post                              check the file, write it atomically, record it

A draft is the whole file in memory; nothing touches the site until ``write_post``. The
templates are Jinja2 (``StrictUndefined``): the user's ``templates_dir`` first, file by file,
then the built-in ones shipped as the package ``logbook.templates``. Every value a template
receives is already Jekyll-safe markdown, so a template cannot forget to escape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.dates import now, parse_week
from logbook.errors import ConfigError, NotFoundError, PublishError, UsageError
from logbook.publish import jekyll
from logbook.publish.context import (
    author_text,
    idea_context,
    idea_title,
    paper_context,
    week_context,
    week_summary,
    week_title,
)
from logbook.publish.html_safety import front_matter_value

if TYPE_CHECKING:
    from jinja2 import Environment

    from logbook.config import Config
    from logbook.store import Store
    from logbook.store.posts import PostView

CATEGORIES = {"week": ["research-log"], "paper": ["papers"], "idea": ["ideas"]}
MAX_TAGS = 10
# Front matter that Jekyll reads and no theme prints as text (a layout name, the date).
_NOT_PRINTED = {"layout", "date"}


@dataclass(frozen=True)
class Settings:
    """The config values publishing needs."""

    tz: tzinfo
    week_start: str = "monday"
    layout: str = "post"
    title_pattern: str = "Research log, week {week}"
    math: str = "mathjax"
    author: str | None = None
    templates_dir: Path | None = None
    min_entries: int = 3
    site: str | None = None  # config ``site``
    site_source: str | None = None  # the config file that set it (a relative site is read there)

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        """The publishing settings from config (``post.*``, ``author``, ``templates_dir``, …)."""
        folder = config.get("templates_dir")
        return cls(
            tz=config.tz,
            week_start=config.get("week_start"),
            layout=config.get("post.layout"),
            title_pattern=config.get("post.title"),
            math=config.get("post.math"),
            author=config.get("author"),
            templates_dir=Path(folder).expanduser() if folder else None,
            min_entries=config.get("themes.min_entries"),
            site=config.get("site"),
            site_source=config.source("site"),
        )


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


@dataclass
class PublishResult:
    """What ``publish`` / ``write_post`` did (or, in a dry run, would do) with a draft."""

    draft: Draft
    file: Path | None  # None: only drafted (``stdout`` mode, or a dry run with no site)
    action: str | None  # created | updated | unchanged; None when only drafted
    dry_run: bool = False
    forced: bool = False
    post: PostView | None = None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form: the draft's fields, then what was done with it.

        A dry run, or a post only drafted, also carries the whole ``text``.
        """
        data = self.draft.to_dict()
        if self.file is None:
            extra = {"file": None, "dry_run": True} if self.dry_run else {}
            return {**data, **extra, "text": self.draft.text}
        data |= {
            "file": str(self.file),
            "action": self.action,
            "dry_run": self.dry_run,
            "forced": self.forced,
            "post_id": self.post.id if self.post else None,
        }
        if self.dry_run:
            data["text"] = self.draft.text
        return data


MODES = ("write", "dry-run", "stdout")


def publish(
    store: Store,
    settings: Settings,
    *,
    week: str | None = None,
    paper: str | None = None,
    idea: int | None = None,
    site: str | Path | None = None,
    title: str | None = None,
    mode: str = "write",
    force: bool = False,
) -> PublishResult:
    """Draft the post for a week (``week``: a spec, the default ``this``), a paper or an idea.

    ``mode`` ``write`` writes it into the site and records it (``write_post``); ``dry-run``
    runs the same checks and writes nothing (with no site given or configured, it only
    drafts); ``stdout`` only drafts. The site is ``site``, else config ``site``, else the
    folder holding ``.logbook/`` (``resolve_site``).
    """
    if mode not in MODES:
        raise UsageError(f"{mode!r} is not a publish mode; use one of {', '.join(MODES)}")
    if sum(value is not None for value in (week, paper, idea)) > 1:
        raise UsageError("publish one thing at a time: --week [SPEC], --paper or --idea")
    if paper is not None:
        draft = draft_paper(store, settings, paper, title=title)
    elif idea is not None:
        draft = draft_idea(store, settings, idea, title=title)
    else:
        draft = draft_week(store, settings, week or "this", title=title)
    dry_run = mode == "dry-run"
    if mode == "stdout" or (dry_run and site is None and settings.site is None):
        # Nothing to check against: the post and its place in a site are the answer.
        return PublishResult(draft, None, None, dry_run=dry_run)
    folder = resolve_site(site, settings.site, settings.site_source)
    return write_post(store, draft, folder, force=force, dry_run=dry_run)


# ---------------------------------------------------------------------------------------
# Templates


def template_env(templates_dir: Path | None) -> Environment:
    """Jinja2 with ``StrictUndefined``: the user's folder first, then the built-in templates."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"templates_dir {templates_dir} is not a folder")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(_builtin_loader())
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _builtin_loader_class() -> Any:
    import jinja2

    class BuiltinLoader(jinja2.BaseLoader):
        """The templates shipped in the wheel as ``logbook.templates`` (works from a zip too)."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str | None, Any]:
            from importlib.resources import files

            if "/" in template or "\\" in template:
                raise jinja2.TemplateNotFound(template)
            resource = files("logbook.templates").joinpath(template)
            if not resource.is_file():
                raise jinja2.TemplateNotFound(template)
            return resource.read_text(encoding="utf-8"), f"(built-in) {template}", lambda: True

        def list_templates(self) -> list[str]:
            from importlib.resources import files

            found = files("logbook.templates").iterdir()
            return sorted(p.name for p in found if p.name.endswith(".j2"))

    return BuiltinLoader


def _builtin_loader() -> Any:
    """A loader of the built-in templates (the class is made on first use: jinja2 is heavy)."""
    return _builtin_loader_class()()


def builtin_template(name: str) -> str:
    """The text of a built-in template (for users who want to copy and change one)."""
    from importlib.resources import files

    return files("logbook.templates").joinpath(name).read_text(encoding="utf-8")


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; a template error names the file and line."""
    import jinja2

    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateNotFound:
        raise PublishError(f"no template {name} (built-in or in templates_dir)") from None
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or name
        raise PublishError(f"template {where}, line {error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        line = _template_line(error, name)
        at = f", line {line}" if line else ""
        raise PublishError(f"template {name}{at}: {error.message or error}") from None


def _template_line(error: BaseException, name: str) -> int | None:
    """The template line an error was raised on (Jinja rewrites frames to template lines)."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(name):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


# ---------------------------------------------------------------------------------------
# Drafts


def draft_week(
    store: Store,
    settings: Settings,
    spec: str = "this",
    *,
    title: str | None = None,
    env: Environment | None = None,
) -> Draft:
    """The post for a week: ``this``, ``last``, ``2020-W43`` or a date inside the week."""
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
    title = jekyll.one_line(title) if title else week_title(settings.title_pattern, week)
    context = week_context(digest, settings, title)
    body = render(env or template_env(settings.templates_dir), "week.md.j2", context)
    tags = _tag_names([*(t.name for t in digest.themes), *_by_count(digest.tag_counts())])
    return _draft(
        store,
        settings,
        kind="week",
        source=week.label,
        title=title,
        # The week's first moment: stable, so re-publishing rewrites the same file, and
        # never in the future for a week that has begun.
        date=min(week.start, moment),
        fallback_slug=f"week-{week.label}",
        tags=tags,
        excerpt=week_summary(digest),
        body=body,
    )


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
) -> Draft:
    request = _Request(settings, kind, source, title, date, fallback_slug, tags, excerpt, body)
    return _place(request, store.posts.lookup(kind, source), store.posts.paths())


def _place(
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
        slug = jekyll.slugify(request.title, fallback=request.fallback_slug)
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


def resolve_site(
    flag: str | Path | None, configured: str | None, configured_in: str | None = None
) -> Path:
    """The Jekyll site: ``--site``, config ``site``, else the folder holding ``.logbook/``.

    A relative ``site`` set in a project's ``.logbook/config.yaml`` is read from the project
    folder (the blog repository), wherever the command runs.
    """
    from logbook.config import PROJECT_DIR, find_project_dir

    if flag:
        site = Path(flag).expanduser()
    elif configured:
        site = Path(configured).expanduser()
        source = Path(configured_in) if configured_in else None
        if not site.is_absolute() and source is not None and source.parent.name == PROJECT_DIR:
            site = source.parent.parent / site
    else:
        project = find_project_dir()
        if project is None:
            raise PublishError(
                "no Jekyll site: pass --site PATH or set one with 'logbook config set site PATH'"
            )
        site = project.parent
    if not site.is_dir():
        raise PublishError(f"the site folder {site} does not exist")
    return site


def write_post(
    store: Store, draft: Draft, site: Path, *, force: bool = False, dry_run: bool = False
) -> PublishResult:
    """Write ``draft`` into ``site`` atomically and record it.

    A file logbook wrote before is rewritten; a file that changed since (its hash differs
    from the one recorded), or that logbook never wrote, is left alone unless ``force``.
    With ``dry_run`` the same checks run and nothing is written or recorded.

    Placing the draft and the checks run again inside the write transaction (``BEGIN
    IMMEDIATE``, so publishes run one after the other) on the record and the file as they
    are then. The file is written after the record is updated and before the commit; if
    that commit (or the write) fails, the file is put back as it was, so the file and the
    record still agree. A crash between the write and the commit can still leave the new
    file next to the old hash: ``_check`` accepts a file that already holds exactly what
    logbook writes now, so publishing again just records it.
    """
    from logbook.fileio import write_atomic
    from logbook.store.posts import post_by_source, record_post, recorded_paths

    if dry_run:
        existing = store.posts.lookup(draft.kind, draft.source)
        target, action, forced, _ = _check(site, draft, existing, force)
        return PublishResult(draft, target, action, dry_run=True, forced=forced, post=existing)
    touched, before = False, None
    try:
        with store.write() as session:
            existing = post_by_source(session, draft.kind, draft.source)
            draft = _place(draft.request, existing, recorded_paths(session))
            target, action, forced, before = _check(site, draft, existing, force)
            data = draft.text.encode("utf-8")
            post = record_post(
                session,
                kind=draft.kind,
                source=draft.source,
                title=draft.title,
                slug=draft.slug,
                path=draft.path,
                content_hash=jekyll.content_hash(data),
                body=draft.body,
                published_at=draft.date,
                tags=draft.tags,
            )
            if action != "unchanged":
                touched = True
                write_atomic(target, data)
    except BaseException:
        if touched:  # the record was rolled back: the file goes back to what it knows
            if before is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, before)
        raise
    return PublishResult(draft, target, action, forced=forced, post=post)


def _check(
    site: Path, draft: Draft, existing: PostView | None, force: bool
) -> tuple[Path, str, bool, bytes | None]:
    """Where ``draft`` goes and what writing it does: (file, action, forced, its bytes now).

    Raises ``PublishError`` for a file edited by hand, or that logbook did not write,
    unless ``force``.
    """
    target = jekyll.post_path(site, draft.path)
    if not target.exists():
        return target, "created", False, None
    current = target.read_bytes()
    if current == draft.text.encode("utf-8"):
        # Exactly what logbook writes now, whatever the record says: nobody's edits are lost.
        return target, "unchanged", False, current
    ours = existing is not None and existing.path == draft.path
    if ours and existing is not None and jekyll.content_hash(current) == existing.content_hash:
        return target, "updated", False, current
    if force:
        return target, "updated", True, current
    if ours:
        raise PublishError(
            f"{target} was edited by hand since logbook wrote it; "
            "publish with --force to overwrite it"
        )
    raise PublishError(
        f"{target} exists and logbook did not write it; publish with --force to overwrite it"
    )


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
