"""``paper import``: turn what the user pasted into papers in the store, and say what happened.

The flow: parse every id locally (malformed ones are reported and never sent), skip the
ones the store already has (no request unless ``refresh``), fetch the rest from arXiv, then
write everything in one transaction, so a failed fetch leaves the store as it was.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logbook.arxiv_ids import (
    FIND_IN_TEXT,
    ArxivId,
    find_arxiv_ids,
    id_problem,
    parse_arxiv_id,
)
from logbook.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from logbook.arxiv.api import Progress
    from logbook.store import Store

OUTCOMES = ("imported", "updated", "known", "not-found", "invalid")
OUTCOME_LABELS = {
    "imported": "imported",
    "updated": "updated",
    "known": "already known",
    "not-found": "not found",
    "invalid": "invalid",
}
ID_FORMS = "1706.03762, 1706.03762v5, arXiv:1706.03762, an arxiv.org abs/pdf link, hep-th/9901001"


@dataclass
class ImportItem:
    """What happened to one id the user gave."""

    input: str
    outcome: str
    arxiv_id: str | None = None
    number: int | None = None
    title: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "input": self.input,
            "outcome": self.outcome,
            "arxiv_id": self.arxiv_id,
            "id": self.number,
            "title": self.title,
            "message": self.message,
        }


@dataclass
class FetchReport:
    """The outcome of one import, per id, and how many requests arXiv got."""

    items: list[ImportItem] = field(default_factory=list)
    requests: int = 0

    def of(self, outcome: str) -> list[ImportItem]:
        """The items with ``outcome``."""
        return [i for i in self.items if i.outcome == outcome]

    @property
    def ok(self) -> bool:
        """Whether every id given ended up in the store."""
        return not self.of("not-found") and not self.of("invalid")

    def summary(self) -> str:
        """One line: ``imported 3, already known 1, not found 1 (1 request to arXiv)``."""
        parts = [f"{OUTCOME_LABELS[o]} {len(self.of(o))}" for o in OUTCOMES if self.of(o)] or [
            "nothing to do"
        ]
        plural = "" if self.requests == 1 else "s"
        return f"{', '.join(parts).capitalize()} ({self.requests} request{plural} to arXiv)"

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form: ids per outcome, the request count, every item."""
        data: dict[str, Any] = {
            o.replace("-", "_"): [i.arxiv_id or i.input for i in self.of(o)] for o in OUTCOMES
        }
        data["requests"] = self.requests
        data["items"] = [i.to_dict() for i in self.items]
        return data


def add_papers(
    store: Store,
    refs: Sequence[str],
    *,
    api_url: str,
    delay_seconds: float,
    refresh: bool = False,
    tags: Sequence[str] = (),
    added_at: datetime | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> FetchReport:
    """Import the papers ``refs`` name (any id form); see the module docstring for the flow.

    ``added_at`` dates the papers new to the store (default now), to backfill a reading log.

    Raises ``UsageError`` when no ref is an arXiv id, ``ArxivError`` when arXiv cannot be
    reached (and then nothing is written).
    """
    report = FetchReport()
    wanted: dict[str, tuple[ImportItem, ArxivId]] = {}
    for ref in refs:
        parsed = parse_arxiv_id(ref)
        if parsed is None:
            report.items.append(
                ImportItem(ref, "invalid", message=f"not an arXiv id (use {ID_FORMS})")
            )
        elif id_problem(parsed):
            report.items.append(ImportItem(ref, "invalid", message=id_problem(parsed)))
        elif parsed.id not in wanted:
            item = ImportItem(ref, "known", arxiv_id=parsed.id)
            report.items.append(item)
            wanted[parsed.id] = (item, parsed)
    if not wanted:
        if not report.items:
            raise UsageError("no arXiv ids given")
        names = ", ".join(repr(i.input) for i in report.items)
        raise UsageError(f"not an arXiv id: {names} (use {ID_FORMS})")

    papers = store.papers
    known = papers.known(list(wanted))
    to_fetch = [
        ArxivId(ident) if ident in known else parsed
        for ident, (_item, parsed) in wanted.items()
        if refresh or ident not in known
    ]
    saved = []
    if to_fetch:
        from logbook.arxiv.api import TIMEOUT_SECONDS, fetch_papers

        fetched = fetch_papers(
            to_fetch,
            api_url=api_url,
            delay_seconds=delay_seconds,
            timeout=timeout or TIMEOUT_SECONDS,
            progress=progress,
        )
        report.requests = fetched.requests
        for requested in fetched.not_found:
            item = wanted[_versionless(requested)][0]
            if item.arxiv_id in known:
                item.message = "arXiv did not return it; the stored copy is kept"
            else:
                item.outcome, item.message = "not-found", "arXiv has no paper with this id"
        for requested, reason in fetched.rejected.items():
            item = wanted[_versionless(requested)][0]
            item.outcome, item.message = "invalid", reason
        # in the order the user gave, not arXiv's, so numbers follow the list
        metas = [fetched.papers[ident] for ident in wanted if ident in fetched.papers]
        saved = papers.save(metas, tags=tags, added_at=added_at)
    for one in saved:
        item = wanted[one.arxiv_id][0]
        item.outcome, item.number, item.title = one.outcome, one.number, one.title
    fetched_ids = {s.arxiv_id for s in saved}
    untouched = [ident for ident in known if ident not in fetched_ids]
    # a write only when there is something to change: removed papers, or tags to add
    revive = untouched if tags else [i for i in untouched if known[i].archived]
    if revive:
        papers.unarchive(revive, tags=tags)
    for ident in untouched:
        item = wanted[ident][0]
        item.number, item.title = known[ident].number, known[ident].title
        if known[ident].archived and item.outcome == "known":
            item.message = "restored from the removed papers"
    return report


def _versionless(requested: str) -> str:
    parsed = parse_arxiv_id(requested)
    return parsed.id if parsed else requested


@dataclass
class FoundIds:
    """The arXiv ids in a file, and the lines of a plain-text file that held none."""

    ids: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, line)


# A word that may be an id in any form parse_arxiv_id reads (an old-style hep-th/9711200
# too, which the running-text pattern leaves out), with its list bullet or punctuation.
_WORD = re.compile(r"[^\s,;]+")
_EDGES = ".,;:!?\"'*_`"


def _ids_in_line(line: str) -> list[str]:
    found = [(m.start(), m.group(0)) for m in FIND_IN_TEXT.finditer(line)]
    for word in _WORD.finditer(line):
        candidate = word.group(0).strip(_EDGES)
        if candidate and parse_arxiv_id(candidate) is not None:
            found.append((word.start(), candidate))
    return [ref for _start, ref in sorted(found)]


def _unique(found: list[str]) -> list[str]:
    unique: dict[str, str] = {}
    for ref in found:
        parsed = parse_arxiv_id(ref)
        unique.setdefault(parsed.id if parsed else ref, ref)
    return list(unique.values())


@functools.cache
def _markdown() -> Any:
    # Building the parser costs ~5 ms; ``post import`` walks hundreds of bodies with it.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def find_ids(content: str, *, markdown: bool) -> FoundIds:
    """The arXiv ids and links in a file, in order, without repeats.

    Markdown is walked with markdown-it-py: link targets (inline, reference-style and
    autolinks) and ids written in the text; code is skipped. Plain text is read line by
    line: a line that is an id in any form counts, and a non-blank line with no id is
    listed in ``skipped`` so that the caller can say so.
    """
    if not markdown:
        result = FoundIds()
        for number, line in enumerate(content.splitlines(), 1):
            in_line = _ids_in_line(line)
            if in_line:
                result.ids.extend(in_line)
            elif line.strip():
                result.skipped.append((number, line.strip()))
        result.ids = _unique(result.ids)
        return result
    found: list[str] = []
    for token in _markdown().parse(content):
        for child in token.children or []:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if parse_arxiv_id(href) is not None:
                    found.append(href)
                else:
                    found.extend(find_arxiv_ids(href))
            elif child.type == "text":
                found.extend(_ids_in_line(child.content))
        if token.type == "html_block":
            found.extend(find_arxiv_ids(token.content))
    return FoundIds(_unique(found))


def ids_in_document(content: str, *, markdown: bool) -> list[str]:
    """The arXiv ids and links in a file, in order, without repeats (see ``find_ids``)."""
    return find_ids(content, markdown=markdown).ids


def looks_like_markdown(name: str, content: str) -> bool:
    """Whether a file is markdown: by its suffix, or for stdin by markdown links in it."""
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown", ".mdown", ".mkd")):
        return True
    if lowered.endswith((".txt", ".text")):
        return False
    return "](" in content or "]: " in content
