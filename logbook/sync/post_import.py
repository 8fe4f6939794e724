"""``post import``: bring an existing blog's posts in, with the arXiv papers they cite.

The flow: read every file (``post_reader``: problems are collected, never raised), find the
arXiv references in each body (markdown-it-py, as ``paper import --from-file`` does), record
the posts in one transaction (``Store.import_posts``), then fetch the papers cited by the
posts that are new or changed, in one batched fetch (``add_papers``: ≤ 100 ids a request).
With ``ideas``, the items of idea lists (``post_ideas``) become ideas linked to their post.
A second run over the same files records nothing and sends no request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.arxiv_ids import parse_arxiv_id
from logbook.errors import UsageError
from logbook.sync.post_reader import Problem, SourcePost, read_posts

if TYPE_CHECKING:
    from logbook.arxiv.api import Progress
    from logbook.arxiv.fetch import FetchReport
    from logbook.store import Store


@dataclass
class PostImportReport:
    """What one import did: posts by outcome, papers by outcome, and every problem."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    papers_found: list[str] = field(default_factory=list)
    papers_fetched: list[str] = field(default_factory=list)
    papers_known: list[str] = field(default_factory=list)
    papers_not_found: list[str] = field(default_factory=list)
    papers_pending: list[str] = field(default_factory=list)
    requests: int = 0
    ideas: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every post file was imported (problems that left a post out make it false)."""
        return not self.skipped

    def summary(self) -> str:
        """Two lines: the posts, then the papers."""
        posts = (
            f"Posts: {len(self.imported)} imported, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )
        if self.missing:
            posts += f", {len(self.missing)} no longer on disk (kept)"
        papers = (
            f"Papers: {len(self.papers_found)} found, {len(self.papers_fetched)} fetched, "
            f"{len(self.papers_known)} already known, {len(self.papers_not_found)} not found"
        )
        if self.papers_pending:
            papers += f", {len(self.papers_pending)} left to fetch"
        plural = "" if self.requests == 1 else "s"
        ideas = f"Ideas: {len(self.ideas)} created"
        return f"{posts}\n{papers} ({self.requests} request{plural} to arXiv)\n{ideas}"

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "posts": {
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                "missing": self.missing,
            },
            "papers": {
                "found": self.papers_found,
                "fetched": self.papers_fetched,
                "known": self.papers_known,
                "not_found": self.papers_not_found,
                "pending": self.papers_pending,
                "requests": self.requests,
            },
            "ideas": {"created": self.ideas},
            "problems": [p.to_dict() for p in self.problems],
        }


def cited_ids(body: str) -> list[str]:
    """The versionless arXiv ids a markdown body cites (links, autolinks, ``arXiv:`` ids)."""
    from logbook.arxiv.fetch import ids_in_document

    found: dict[str, None] = {}
    for ref in ids_in_document(body, markdown=True):
        parsed = parse_arxiv_id(ref)
        if parsed is not None:
            found.setdefault(parsed.id)
    return list(found)


def import_blog(
    store: Store,
    paths: Sequence[Path],
    *,
    tz: tzinfo,
    now: datetime,
    lenient: bool = False,
    fetch: bool = True,
    ideas: bool = False,
    idea_headings: Sequence[str] = (),
    api_url: str = "",
    delay_seconds: float = 3.0,
    progress: Progress | None = None,
    read_progress: Progress | None = None,
) -> PostImportReport:
    """Import the posts under ``paths`` (see the module docstring). Raises ``UsageError`` for
    a path that does not exist, ``ArxivError`` when arXiv cannot be reached (the posts are
    recorded by then; their papers stay pending, fetched by the next run or ``paper import``).
    ``read_progress(done, total)`` follows the files being read, ``progress`` the fetch."""
    from logbook.store.imported_posts import IncomingPost

    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    read = read_posts(paths, tz=tz, now=now, lenient=lenient, progress=read_progress)
    report = PostImportReport(skipped=read.skipped, problems=read.problems)
    citations = {post.path: cited_ids(post.body) for post in read.posts}
    if ideas:
        from logbook.sync.post_ideas import DEFAULT_HEADINGS, ideas_in

        headings = tuple(idea_headings) or DEFAULT_HEADINGS
    incoming = [
        _incoming(IncomingPost, p, citations[p.path], ideas_in(p.body, headings) if ideas else [])
        for p in read.posts
    ]
    counts = store.import_posts(incoming)
    report.ideas = counts.ideas
    report.imported, report.updated, report.unchanged = (
        counts.imported,
        counts.updated,
        counts.unchanged,
    )
    seen = {p.path for p in read.posts} | set(read.skipped)
    report.missing = sorted(
        source
        for source in store.imported_sources()
        if source not in seen and any(_under(source, folder) for folder in read.folders)
    )
    for source in report.missing:
        report.problems.append(
            Problem(source, None, "imported before, no longer on disk: the post is kept")
        )
    changed = [*counts.imported, *counts.updated]
    wanted = list(dict.fromkeys(i for source in changed for i in citations[source]))
    report.papers_found = wanted
    if not wanted:
        return report
    known = store.papers.known(wanted)
    report.papers_known = [i for i in wanted if i in known]
    new = [i for i in wanted if i not in known]
    if not fetch:
        report.papers_pending = new
        return report
    if new:
        _fetch(store, new, report, api_url=api_url, delay=delay_seconds, progress=progress)
    return report


def _incoming(make: Any, post: SourcePost, citations: list[str], ideas: list[str]) -> Any:
    return make(
        source=post.path,
        title=post.title,
        slug=post.slug,
        body=post.body,
        content_hash=post.content_hash,
        published_at=post.date,
        tags=post.tags,
        categories=post.categories,
        citations=citations,
        ideas=ideas,
    )


def _under(source: str, folder: str) -> bool:
    return folder in ("", ".") or source == folder or source.startswith(folder.rstrip("/") + "/")


def _fetch(
    store: Store,
    ids: list[str],
    report: PostImportReport,
    *,
    api_url: str,
    delay: float,
    progress: Progress | None,
) -> None:
    from logbook.arxiv.fetch import add_papers
    from logbook.errors import ArxivError

    try:
        fetched: FetchReport = add_papers(
            store, ids, api_url=api_url, delay_seconds=delay, progress=progress
        )
    except ArxivError as error:
        # the posts are recorded: a second import sees them unchanged and fetches nothing
        raise ArxivError(
            f"{error}; the posts were imported, fetch their papers with: "
            "logbook paper import --pending"
        ) from error
    report.requests = fetched.requests
    report.papers_fetched = [i.arxiv_id or i.input for i in fetched.of("imported")]
    report.papers_not_found = [
        i.arxiv_id or i.input for i in (*fetched.of("not-found"), *fetched.of("invalid"))
    ]
