"""``publish --reading-list``: one Jekyll page with every paper of the reading list, and its
BibTeX beside it.

The page (config ``post.reading_list_page``, ``reading-list.md`` at the site root) groups the
papers by tag, then by status (✓ read, ◐ reading, ○ to read); every value comes from
``context.paper_context``, so text from arXiv is as HTML- and Liquid-safe as in a weekly post.
The BibTeX (``assets/logbook/<page name>.bib``) is ``sync.bibtex.to_bibtex``'s.

A page is not a post: the store keeps no record of it (and so no last generated text to
merge with). Instead the page carries the sha256 of its own text in its front matter
(``logbook_sha256``): a page whose text no longer matches it was edited by hand, and is
overwritten only with ``force``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from logbook import fileio
from logbook.errors import PublishError, UsageError
from logbook.publish import jekyll
from logbook.publish.chart import ASSETS_DIR
from logbook.publish.context import STATUS_MARKERS, paper_context
from logbook.publish.html_safety import front_matter_value
from logbook.publish.templates import render, template_env

if TYPE_CHECKING:
    from jinja2 import Environment

    from logbook.publish.settings import Settings
    from logbook.store import Store
    from logbook.store.paper_views import PaperView

TEMPLATE = "reading_list.md.j2"
HASH_KEY = "logbook_sha256"
STATUS_ORDER = ("read", "reading", "to-read")
UNTAGGED = "Other papers"
_HASH_LINE = re.compile(rf"^{HASH_KEY}: ([0-9a-f]{{64}})\n", re.MULTILINE)


@dataclass(frozen=True)
class PagePlace:
    """Where the page and its BibTeX go in the site, and the page's URL."""

    page: str  # relative to the site: reading-list.md
    bib: str  # assets/logbook/reading-list.bib
    url: str  # /reading-list.html (the page's permalink, without the site's baseurl)


def page_place(settings: Settings) -> PagePlace:
    """The page's place from config ``post.reading_list_page``, checked to be a page Jekyll
    builds: a relative ``.md`` path, no ``..``, no part Jekyll skips (``_…``, ``.…``)."""
    raw = settings.reading_list_page.strip()
    path = PurePosixPath(raw)
    if (
        not raw
        or path.is_absolute()
        or path.suffix not in (".md", ".markdown")
        or any(part in ("", "..") or part[0] in "_." for part in path.parts)
        or not re.fullmatch(r"[A-Za-z0-9._/-]+", raw)
    ):
        raise UsageError(
            f"post.reading_list_page {raw!r} is not a page path logbook writes: use a relative "
            "path such as reading-list.md or notes/papers.md (letters, digits, - and _ only)"
        )
    stem = path.with_suffix("")
    return PagePlace(str(path), f"{ASSETS_DIR}/{stem.name}.bib", f"/{stem}.html")


def page_link(settings: Settings, site: Path | None) -> str:
    """What a weekly post's "…and N more" links to: config ``post.reading_list_url``, else
    the reading-list page when it is in ``site`` (through ``{{ site.baseurl }}``), else ""."""
    if settings.reading_list_url:
        return ""  # the weekly post's own rule (context._url) writes the configured URL
    if site is None:
        return ""
    try:
        place = page_place(settings)
        present = fileio.inside(site, place.page).is_file()
    except (UsageError, fileio.OutsideRootError):
        return ""
    # baseurl: the site may live under a path (GitHub project pages); Jekyll fills it in.
    return f"{{{{ site.baseurl }}}}{place.url}" if present else ""


@dataclass
class PageDraft:
    """The page and its BibTeX, in memory."""

    place: PagePlace
    title: str
    text: str  # the whole page file, front matter (with its hash) included
    bib: str
    papers: int

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (without the texts)."""
        return {
            "kind": "reading-list",
            "title": self.title,
            "path": self.place.page,
            "bib_path": self.place.bib,
            "url": self.place.url,
            "papers": self.papers,
            "content_hash": jekyll.content_hash(self.text),
        }


@dataclass
class PageResult:
    """What ``publish_reading_list`` did, or in a dry run would do."""

    draft: PageDraft
    file: Path | None  # None: only drafted (stdout mode)
    bib_file: Path | None
    action: str | None  # created | updated | unchanged; None when only drafted
    dry_run: bool = False
    forced: bool = False

    @property
    def site(self) -> Path | None:
        """The site folder the page went (or would go) to."""
        if self.file is None:
            return None
        return self.file.parents[len(PurePosixPath(self.draft.place.page).parts) - 1]

    def elsewhere(self, here: Path) -> bool:
        """Whether the site is outside the folder ``here`` (a command run in another repo)."""
        site = self.site
        return site is not None and not here.resolve().is_relative_to(site.resolve())

    def to_dict(self) -> dict[str, Any]:
        """The draft's fields, then where it went and what was done."""
        data = self.draft.to_dict()
        data |= {
            "file": str(self.file) if self.file else None,
            "bib_file": str(self.bib_file) if self.bib_file else None,
            "action": self.action,
            "dry_run": self.dry_run,
            "forced": self.forced,
        }
        if self.file is None or self.dry_run:
            data["text"] = self.draft.text
        return data


def draft_reading_page(
    store: Store,
    settings: Settings,
    *,
    title: str | None = None,
    env: Environment | None = None,
) -> PageDraft:
    """The page of every paper on the reading list (removed papers are not on it)."""
    from logbook.sync.bibtex import to_bibtex

    place = page_place(settings)
    papers = store.papers.reading_list()
    title = jekyll.one_line(title or "") or "Reading list"
    context = reading_page_context(
        papers, settings, title, bib_url=f"{{{{ site.baseurl }}}}/{place.bib}"
    )
    body = render(env or template_env(settings.templates_dir), TEMPLATE, context)
    fields = {
        "layout": settings.page_layout,
        "title": front_matter_value(title),
        # A fixed URL, whatever the site's permalink style: the weekly posts link to it.
        "permalink": place.url,
    }
    text = with_hash(jekyll.front_matter(fields) + "\n" + body.strip("\n") + "\n")
    return PageDraft(place, title, text, to_bibtex(papers), len(papers))


def reading_page_context(
    papers: list[PaperView], settings: Settings, title: str, *, bib_url: str
) -> dict[str, Any]:
    """The values ``reading_list.md.j2`` receives: the papers by tag, then by status."""
    by_tag: dict[str, list[PaperView]] = {}
    untagged = []
    for paper in papers:
        for tag in paper.user_tags:
            by_tag.setdefault(tag, []).append(paper)
        if not paper.user_tags:
            untagged.append(paper)
    named = [(tag, by_tag[tag]) for tag in sorted(by_tag)]
    if untagged:
        named.append((UNTAGGED, untagged))
    contexts = {p.id: paper_context(p, settings) for p in papers}
    groups: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for name, members in named:
        # Two tags with the same slug (a-b and a_b) must not share an anchor.
        anchor = "tag-" + jekyll.slugify(name, fallback="tag", limit=40)
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] > 1:
            anchor += f"-{seen[anchor]}"
        statuses = [
            {
                "status": status,
                "marker": STATUS_MARKERS[status],
                "papers": [contexts[p.id] for p in members if p.status == status],
            }
            for status in STATUS_ORDER
        ]
        groups.append(
            {
                "name": jekyll.plain_text(name),
                "anchor": anchor,
                "count": len(members),
                "statuses": [s for s in statuses if s["papers"]],
            }
        )
    counts = {status: sum(1 for p in papers if p.status == status) for status in STATUS_ORDER}
    return {
        "title": jekyll.plain_text(title, math=settings.math),
        "total": len(papers),
        "counts": {
            "read": counts["read"],
            "reading": counts["reading"],
            "to_read": counts["to-read"],
        },
        "markers": {
            "read": STATUS_MARKERS["read"],
            "reading": STATUS_MARKERS["reading"],
            "to_read": STATUS_MARKERS["to-read"],
        },
        "groups": groups,
        "bib_url": bib_url,
    }


def with_hash(text: str) -> str:
    """The page with ``logbook_sha256: <sha256 of the page without this line>`` as the front
    matter's last line."""
    end = text.index("\n---\n", 3) + 1
    return text[:end] + f"{HASH_KEY}: {jekyll.content_hash(text)}\n" + text[end:]


def written_by_logbook(text: str) -> bool:
    """Whether ``text`` is a page exactly as logbook wrote it (its hash still matches)."""
    front_end = text.find("\n---\n", 3)
    match = _HASH_LINE.search(text, 0, front_end + 1 if front_end > 0 else 0)
    if match is None:
        return False
    rest = text[: match.start()] + text[match.end() :]
    return jekyll.content_hash(rest) == match.group(1)


def write_reading_page(
    draft: PageDraft, site: Path, *, force: bool = False, dry_run: bool = False
) -> PageResult:
    """Write the page and its BibTeX into ``site`` (both atomically, both inside it).

    A page file logbook did not write, or edited by hand since, is refused unless ``force``:
    the page holds no words of the user's that a later publish would keep. With ``dry_run``
    the same checks run and nothing is written.
    """
    try:
        target = fileio.inside(site, draft.place.page)
        bib = fileio.inside(site, draft.place.bib)
    except fileio.OutsideRootError as error:
        raise PublishError(
            f"the reading-list page would be written outside the site: {error}"
        ) from None
    action, forced = "created", False
    if target.exists():
        current = target.read_bytes()
        if current == draft.text.encode("utf-8"):
            action = "unchanged"
        else:
            action = "updated"
            if not written_by_logbook(current.decode("utf-8", errors="replace")):
                if not force:
                    raise PublishError(
                        f"{target} was edited by hand (or not written by logbook); edits to the "
                        "reading-list page are not kept: publish --reading-list --force to "
                        "overwrite it"
                    )
                forced = True
    if not dry_run:
        # The BibTeX first: the page never links to a file that is not there yet.
        if not bib.is_file() or bib.read_bytes() != draft.bib.encode("utf-8"):
            fileio.write_atomic(bib, draft.bib)
        if action != "unchanged":
            fileio.write_atomic(target, draft.text)
    return PageResult(draft, target, bib, action, dry_run=dry_run, forced=forced)
