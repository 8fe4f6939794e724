"""The reading list in the three forms a researcher needs: markdown, BibTeX and JSON.

Markdown is what gets pasted into a post: grouped by tag, one line per paper with title,
authors (et al. after three), year and abs link. BibTeX (``logbook.sync.bibtex``) uses the
stored citation keys and escapes text so that BibTeX (and any parser that follows its brace
rules) reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from logbook.sync.bibtex import bibtex_chunks

if TYPE_CHECKING:
    from logbook.store.paper_views import Citation, PaperView
    from logbook.store.papers import Papers

    Cited = PaperView | Citation  # what a markdown line shows

FORMATS = ("markdown", "bibtex", "json")
UNTAGGED = "Other papers"


def render(papers: Sequence[PaperView], fmt: str, *, tags: Sequence[str] = ()) -> str:
    """The reading list as ``fmt`` (one of ``FORMATS``)."""
    _check_format(fmt)
    if fmt == "markdown":
        return to_markdown(papers, tags=tags)
    return "".join(_chunks(papers, fmt))


def stream(
    papers: Papers,
    fmt: str,
    *,
    statuses: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> Iterator[str]:
    """The reading list of the store's ``papers`` as ``fmt``, in pieces, read as it is written.

    The same text as ``render`` of every paper ``find`` gives, but never all papers at once:
    rows come from the store a thousand at a time. The format is checked (and missing
    citation keys are given) before the first piece.
    """
    from logbook.store import reading_list as store_list

    _check_format(fmt)
    if fmt == "markdown":
        return markdown_chunks(store_list.reading_groups(papers, statuses=statuses, tags=tags))
    if fmt == "bibtex":
        return bibtex_chunks(store_list.iter_citations(papers, statuses=statuses, tags=tags))
    return json_chunks(store_list.iter_papers(papers, statuses=statuses, tags=tags))


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        from logbook.errors import UsageError

        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _chunks(papers: Sequence[PaperView], fmt: str) -> Iterator[str]:
    return bibtex_chunks(papers) if fmt == "bibtex" else json_chunks(papers)


def json_chunks(papers: Iterable[PaperView]) -> Iterator[str]:
    """``json.dumps([p.to_dict() …], ensure_ascii=False, indent=2)`` and a newline, piece by
    piece, a paper at a time."""
    from logbook import json_text

    return json_text.list_chunks(paper.to_dict() for paper in papers)


# -- markdown -------------------------------------------------------------------------------


def authors_line(authors: Sequence[str]) -> str:
    """``A, B and C``, or ``A, B, C et al.`` after three authors."""
    if len(authors) > 3:
        return ", ".join(authors[:3]) + " et al."
    if len(authors) > 1:
        return ", ".join(authors[:-1]) + " and " + authors[-1]
    return authors[0] if authors else ""


def markdown_line(paper: Cited) -> str:
    """``- [Title](https://arxiv.org/abs/ID) — A, B, C et al. (2017)``."""
    title = re.sub(r"([\[\]])", r"\\\1", paper.title)
    line = f"- [{title}]({paper.abs_url}) — {_md_text(authors_line(paper.authors))}"
    if paper.year:
        line += f" ({paper.year})"
    if paper.withdrawn:
        line += " *(withdrawn)*"
    return line


def to_markdown(papers: Sequence[PaperView], *, tags: Sequence[str] = ()) -> str:
    """Papers grouped under a heading per user tag (a paper with two tags is in both).

    Papers without a tag come last; with no tags at all the list has no headings. When
    ``tags`` were asked for, only those groups are shown.
    """
    return "".join(markdown_chunks(_grouped(papers, tags)))


def _grouped(papers: Sequence[PaperView], tags: Sequence[str]) -> Iterator[tuple[str, PaperView]]:
    """(group, paper) in the order of the markdown list, as ``Papers.reading_groups`` gives
    them from the store: each user tag (of ``tags``, when given) in code-point order, then
    ``""`` for the papers without one; only ``""`` when no paper has such a tag."""
    wanted = set(tags)
    groups: dict[str, list[PaperView]] = {}
    untagged: list[PaperView] = []
    for paper in papers:
        names = [t for t in paper.user_tags if not wanted or t in wanted]
        for name in names:
            groups.setdefault(name, []).append(paper)
        if not names:
            untagged.append(paper)
    for name in sorted(groups):
        yield from ((name, p) for p in groups[name])
    yield from (("", p) for p in (untagged if groups else papers))


def markdown_chunks(grouped: Iterable[tuple[str, Cited]]) -> Iterator[str]:
    """The markdown list from (group, paper) pairs in order: a ``## tag`` heading before each
    group, ``## Other papers`` before the ``""`` group, and no heading at all when ``""`` is
    the only group. Nothing for no papers."""
    current: str | None = None
    for group, paper in grouped:
        line = markdown_line(paper)
        if group == current:
            yield "\n" + line
            continue
        if current is None:
            yield f"## {group}\n\n{line}" if group else line
        else:
            yield f"\n\n## {group or UNTAGGED}\n\n{line}"
        current = group
    if current is not None:
        yield "\n"


def _md_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
