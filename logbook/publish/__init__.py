"""Posts for a Jekyll site: a week's ideas and papers, one paper, or one idea.

    publish()             choose what to draft and how (write, dry run, stdout)
    drafts.draft_*        gather (digest), escape (jekyll, context), render (templates)
    write.write_post      check the file, write it atomically, record it
    publish_reading_list() the reading-list page and its BibTeX (``reading_page``)

A draft is the whole file in memory; nothing touches the site until ``write_post``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from logbook.errors import PublishError, UsageError
from logbook.publish import reading_page
from logbook.publish.drafts import Draft, draft_idea, draft_paper, draft_week
from logbook.publish.settings import Settings
from logbook.publish.write import PublishResult, write_post

if TYPE_CHECKING:
    from collections.abc import Callable

    from logbook.store import Store

__all__ = [
    "MODES",
    "Draft",
    "PublishResult",
    "Settings",
    "draft_idea",
    "draft_paper",
    "draft_week",
    "publish",
    "publish_reading_list",
    "resolve_site",
    "write_post",
]

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
    intro: str | None = None,
    edit: Callable[[str], str] | None = None,
    allow_empty: bool = False,
) -> PublishResult:
    """Draft the post for a week (``week``: a spec, the default ``this``), a paper or an idea.

    ``mode`` ``write`` writes it into the site and records it (``write_post``); ``dry-run``
    runs the same checks and writes nothing (with no site given or configured, it only
    drafts); ``stdout`` only drafts. The site is ``resolve_site``'s. A week with nothing
    logged is written only with ``allow_empty``.

    ``intro`` sets a week's opening paragraph (None keeps the one it had); ``edit`` gets the
    text about to be written and returns the user's version of it (``publish --edit``).
    """
    if mode not in MODES:
        raise UsageError(f"{mode!r} is not a publish mode; use one of {', '.join(MODES)}")
    if sum(value is not None for value in (week, paper, idea)) > 1:
        raise UsageError("publish one thing at a time: --week [SPEC], --paper or --idea")
    if intro is not None and (paper is not None or idea is not None):
        raise UsageError("--intro is for a week's post")
    dry_run = mode == "dry-run"
    # Nothing to check against: the post and its place in a site are the answer.
    only_draft = mode == "stdout" or (dry_run and site is None and settings.site is None)
    folder = None if only_draft else resolve_site(site, settings.site, settings.site_source)
    if paper is not None:
        draft = draft_paper(store, settings, paper, title=title)
    elif idea is not None:
        draft = draft_idea(store, settings, idea, title=title)
    else:
        draft = draft_week(store, settings, week or "this", title=title, intro=intro, site=folder)
    if folder is None:
        return PublishResult(draft, None, None, dry_run=dry_run)
    if draft.empty and mode == "write" and not allow_empty:
        # An empty week is a post nobody meant to write ("A quiet week"), and once in the
        # blog's git history it is published.
        raise PublishError(
            f"nothing was logged in the week {draft.source}; nothing was written "
            "(--dry-run shows the post, --allow-empty writes it)"
        )
    assets = _asset_paths(folder, draft)  # checked first: a refused chart stops the post too
    result = write_post(
        store, draft, folder, force=force, dry_run=dry_run, edit=None if dry_run else edit
    )
    if not dry_run:
        _write_assets(assets)
    return result


def publish_reading_list(
    store: Store,
    settings: Settings,
    *,
    site: str | Path | None = None,
    title: str | None = None,
    mode: str = "write",
    force: bool = False,
) -> reading_page.PageResult:
    """Draft the reading-list page and, unless ``mode`` is ``stdout``, write it into the site
    (``dry-run``: check and write nothing). The site is ``publish.resolve_site``'s."""
    if mode not in MODES:
        raise UsageError(f"{mode!r} is not a publish mode; use one of {', '.join(MODES)}")
    dry_run = mode == "dry-run"
    only_draft = mode == "stdout" or (dry_run and site is None and settings.site is None)
    folder = None if only_draft else resolve_site(site, settings.site, settings.site_source)
    draft = reading_page.draft_reading_page(store, settings, title=title)
    if folder is None:
        return reading_page.PageResult(draft, None, None, None, dry_run=dry_run)
    return reading_page.write_reading_page(draft, folder, force=force, dry_run=dry_run)


def _asset_paths(site: Path, draft: Draft) -> dict[Path, str]:
    """Where each file the post refers to (its themes chart) goes, checked to be in ``site``."""
    from logbook import fileio

    paths = {}
    for relative, text in draft.assets.items():
        try:
            paths[fileio.inside(site, relative)] = text
        except fileio.OutsideRootError as error:
            raise PublishError(f"the chart would be written outside the site: {error}") from None
    return paths


def _write_assets(assets: dict[Path, str]) -> None:
    """Write the post's files beside it, after the post: a post whose write failed leaves
    no chart behind, and each file is written whole (by a rename)."""
    from logbook import fileio

    for target, text in assets.items():
        if target.is_file() and target.read_bytes() == text.encode("utf-8"):
            continue  # the same chart: leave the file (and its time) alone
        fileio.write_atomic(target, text, sync=False)


def resolve_site(
    flag: str | Path | None, configured: str | None, configured_in: str | None = None
) -> Path:
    """The Jekyll site: ``--site``; a ``site`` set in the project's config or in
    ``$LOGBOOK_SITE``; the project found from the current folder (the folder holding
    ``.logbook/``); else the ``site`` of the user's config.

    The project comes before the user's ``site``: that is set once, outside any blog, and
    must not send the posts of another blog repository there. A relative ``site`` set in a
    project's ``.logbook/config.yaml`` is read from the project folder (the blog repository),
    wherever the command runs.
    """
    from logbook.config import PROJECT_DIR, find_project_dir

    source = Path(configured_in) if configured_in and not configured_in.startswith("$") else None
    in_project = source is not None and source.parent.name == PROJECT_DIR
    project = None if flag or (configured and not source) or in_project else find_project_dir()
    if flag:
        site = Path(flag).expanduser()
    elif project is not None:
        site = project.parent
    elif configured:
        site = Path(configured).expanduser()
        if not site.is_absolute() and source is not None and in_project:
            site = source.parent.parent / site
    else:
        raise PublishError(
            "no Jekyll site: pass --site PATH or set one with 'logbook config set site PATH'"
        )
    if not site.is_dir():
        raise PublishError(f"the site folder {site} does not exist")
    return site
