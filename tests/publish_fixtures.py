"""A fixed store for the publish tests: week 2020-W43 (19–25 Oct 2020) in Europe/Paris.

Entries are written with explicit ``created_at`` and with the clock frozen through
``LOGBOOK_NOW`` while they are written, so that every timestamp is the same on every run.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from logbook.ids import new_uid
from logbook.store import Store
from logbook.store.models import Paper
from logbook.store.tags import link_tags

PARIS = ZoneInfo("Europe/Paris")
WEEK = "2020-W43"
NOW = "2020-10-23T18:00:00+02:00"  # a Friday inside the week


def at(text: str) -> datetime:
    """A moment in Paris: ``at("2020-10-19 09:30")``."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def freeze(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    monkeypatch.setenv("LOGBOOK_NOW", moment)


def add_paper(
    store: Store,
    *,
    arxiv_id: str,
    title: str,
    authors: list[str],
    abstract: str,
    added: datetime,
    status: str = "to-read",
    read_at: datetime | None = None,
    notes: str = "",
    tags: list[str] | None = None,
    categories: list[str] | None = None,
    pdf_url: str | None = None,
) -> int:
    """Insert a paper as the arXiv import would have left it (no network)."""
    categories = categories or ["cs.LG"]
    with store._write() as session:
        paper = Paper(
            uid=new_uid(),
            arxiv_id=arxiv_id,
            version=1,
            title=title,
            authors=authors,
            abstract=abstract,
            categories=categories,
            primary_category=categories[0],
            published=added,
            updated=added,
            pdf_url=pdf_url or f"https://arxiv.org/pdf/{arxiv_id}v1",
            status=status,
            read_at=read_at,
            read_version=1 if read_at else None,
            notes=notes,
            created_at=added,
            updated_at=read_at or added,
        )
        session.add(paper)
        session.flush()
        assert paper.id is not None
        if tags:
            link_tags(session, "paper", paper.id, tags)
        # as the arXiv import stores them: categories are tags of kind "category"
        link_tags(session, "paper", paper.id, [c.lower() for c in categories], kind="category")
        return paper.id


def build_week_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ideas and papers around week 2020-W43, with tags, a status change and links."""
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "Europe/Paris")
    performer = add_paper(
        store,
        arxiv_id="2009.14794",
        title="Rethinking Attention with Performers",
        authors=["Krzysztof Choromanski", "Valerii Likhosherstov", "David Dohan", "Xingyou Song"],
        abstract=(
            "We introduce Performers, Transformer architectures which can estimate regular\n"
            "(softmax) full-rank-attention Transformers with provable accuracy, using only\n"
            "linear space and time complexity $O(L)$ instead of $O(L^2)$."
        ),
        added=at("2020-10-19 08:00"),
        status="read",
        read_at=at("2020-10-21 20:00"),
        notes="FAVOR+ is a *positive* random-feature map.\n\nCompare with {{ x }} kernels.",
        tags=["attention", "kernels"],
    )
    add_paper(
        store,
        arxiv_id="1706.03762",
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        abstract="The dominant sequence transduction models are based on recurrent networks.",
        added=at("2020-10-01 10:00"),
        status="read",
        read_at=at("2020-10-22 21:15"),
        tags=["attention"],
    )
    add_paper(
        store,
        arxiv_id="2001.08361",
        title="Scaling Laws for Neural Language Models",
        authors=["Jared Kaplan", "Sam McCandlish"],
        abstract="We study empirical scaling laws for language model performance.",
        added=at("2020-10-20 11:00"),
        tags=["scaling"],
    )
    add_paper(
        store,
        arxiv_id="1803.03635",
        title="The Lottery Ticket Hypothesis",
        authors=["Jonathan Frankle", "Michael Carbin"],
        abstract="Neural network pruning techniques can reduce the parameter counts.",
        added=at("2020-09-01 09:00"),
        status="reading",
    )
    add_paper(  # added after the week: not on that week's reading list
        store,
        arxiv_id="2010.11929",
        title="An Image is Worth 16x16 Words",
        authors=["Alexey Dosovitskiy"],
        abstract="Transformers for image recognition at scale.",
        added=at("2020-10-26 09:00"),
    )

    ideas = store.ideas
    freeze(monkeypatch, "2020-10-05T10:00:00+02:00")
    old = ideas.add("Lottery tickets in transformers #pruning", created_at=at("2020-10-05 10:00"))
    freeze(monkeypatch, "2020-10-19T09:30:00+02:00")
    ideas.add(
        "Does attention need softmax? #attention #kernels\n\n"
        "Try random features $\\phi(x)^\\top \\phi(y)$ instead; keep `$cost` in mind.",
        papers=[str(performer)],
        created_at=at("2020-10-19 09:30"),
    )
    freeze(monkeypatch, "2020-10-20T14:00:00+02:00")
    ideas.add("Scaling laws for tiny models #scaling #kernels", created_at=at("2020-10-20 14:00"))
    freeze(monkeypatch, "2020-10-21T16:45:00+02:00")
    ideas.set_status(old.id, "exploring")
    freeze(monkeypatch, "2020-10-22T11:00:00+02:00")
    ideas.add(
        "Kernel view of attention, again #attention #kernels\n\nSee the Performer notes.",
        created_at=at("2020-10-22 11:00"),
    )
    freeze(monkeypatch, "2020-10-22T12:00:00+02:00")  # idea add refuses a date in the future
    gone = ideas.add("A removed idea #kernels", created_at=at("2020-10-22 12:00"))
    ideas.remove(gone.id)
    freeze(monkeypatch, NOW)


def site(tmp_path: Path) -> Path:
    """An empty Jekyll site folder."""
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    return folder


# A tiny model of how Liquid (Ruby, 4.x/5.x) reads a template: the tokenizer regex and the
# raw tag's end pattern copied from Liquid's source. test_jekyll_build checks the real thing.
_TOKENS = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}?|\{%|\{\{)", re.DOTALL)
_RAW_END = re.compile(r"\A(.*)\{%-?\s*(\w+)\s*(.*)?-?%\}\Z", re.DOTALL)


def liquid(source: str) -> str:
    """What Liquid outputs for ``source``, failing if any tag but raw or our "{%" would run."""
    tokens = iter(t for t in _TOKENS.split(source) if t)
    out = []
    for token in tokens:
        if token.startswith("{%"):
            assert re.fullmatch(r"\{%\s*raw\s*%\}", token), f"a Liquid tag would run: {token!r}"
            for inner in tokens:
                end = _RAW_END.match(inner)
                if end and end.group(2) == "endraw":
                    out.append(end.group(1))
                    break
                out.append(inner)
            else:
                raise AssertionError("a raw block is never closed")
        elif token.startswith("{{"):
            assert token == '{{ "{%" }}', f"a Liquid variable would run: {token!r}"
            out.append("{%")
        else:
            out.append(token)
    return "".join(out)
