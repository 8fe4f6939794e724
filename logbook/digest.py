"""What a post is about, gathered from the store: a week, one paper, or one idea.

Only data here (dataclasses of plain values); turning it into Jekyll-safe markdown is
``publish.py``'s job.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from sqlmodel import Session, col, func, select

from logbook.dates import DAYS, Week
from logbook.errors import NotFoundError
from logbook.store.models import Idea, IdeaPaper, IdeaTag, Paper, PaperTag, Tag, title_of
from logbook.store.tags import tags_of

if TYPE_CHECKING:
    from logbook.store import Store

READING_LIST_MAX = 10
THEMES_MAX = 8


@dataclass
class PaperRef:
    """A paper linked from an idea."""

    id: int
    arxiv_id: str
    title: str

    @property
    def link(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


@dataclass
class IdeaRef:
    """An idea linked to a paper."""

    id: int
    title: str
    status: str


@dataclass
class IdeaItem:
    """An idea with its tags and papers."""

    id: int
    uid: str
    text: str
    status: str
    created_at: datetime
    updated_at: datetime
    tags: list[str] = field(default_factory=list)
    papers: list[PaperRef] = field(default_factory=list)

    @property
    def title(self) -> str:
        return title_of(self.text)

    @property
    def body(self) -> str:
        """The text below the title line."""
        lines = self.text.strip("\n").splitlines()
        for index, line in enumerate(lines):
            if line.strip():
                return "\n".join(lines[index + 1 :]).strip("\n")
        return ""


@dataclass
class PaperItem:
    """A paper with the metadata arXiv gave, the user's notes, tags and linked ideas."""

    id: int
    uid: str
    arxiv_id: str
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str]
    primary_category: str | None
    published: datetime | None
    doi: str | None
    journal_ref: str | None
    comment: str | None
    pdf_url: str | None
    status: str
    read_at: datetime | None
    notes: str
    created_at: datetime
    tags: list[str] = field(default_factory=list)
    ideas: list[IdeaRef] = field(default_factory=list)

    @property
    def link(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


@dataclass
class ThemeItem:
    """A theme of the week: a phrase (or, until themes are computed, a tag) that recurs."""

    name: str
    label: str
    entries: int
    weeks: int = 1


@dataclass
class WeekDigest:
    """Everything a weekly post shows."""

    week: Week
    ideas_new: list[IdeaItem]
    ideas_changed: list[IdeaItem]
    papers_added: list[PaperItem]
    papers_read: list[PaperItem]
    themes: list[ThemeItem]
    reading_list: list[PaperItem]
    reading_total: int

    @property
    def empty(self) -> bool:
        return not (self.ideas_new or self.ideas_changed or self.papers_added or self.papers_read)

    def tag_counts(self) -> Counter[str]:
        """How many of the week's entries carry each user tag."""
        counts: Counter[str] = Counter()
        for idea in (*self.ideas_new, *self.ideas_changed):
            counts.update(idea.tags)
        for paper in self.papers_added:
            counts.update(paper.tags)
        added = {p.id for p in self.papers_added}
        for paper in self.papers_read:
            if paper.id not in added:
                counts.update(paper.tags)
        return counts


def gather_week(
    store: Store,
    week: Week,
    *,
    tz: tzinfo,
    week_start: str = "monday",
    min_entries: int = 3,
) -> WeekDigest:
    """The ideas and papers of ``week``, its themes and the reading list."""
    start, end = week.start, week.end
    with store.read() as session:
        ideas = list(
            session.exec(
                select(Idea)
                .where(col(Idea.archived_at).is_(None))
                .where(
                    ((col(Idea.created_at) >= start) & (col(Idea.created_at) < end))
                    | ((col(Idea.updated_at) >= start) & (col(Idea.updated_at) < end))
                )
                .where(col(Idea.created_at) < end)
                .order_by(col(Idea.created_at), col(Idea.id))
            )
        )
        items = _idea_items(session, ideas)
        added = list(
            session.exec(
                select(Paper)
                .where(col(Paper.archived_at).is_(None))
                .where(col(Paper.created_at) >= start, col(Paper.created_at) < end)
                .order_by(col(Paper.created_at), col(Paper.id))
            )
        )
        read = list(
            session.exec(
                select(Paper)
                .where(col(Paper.archived_at).is_(None), Paper.status == "read")
                .where(col(Paper.read_at) >= start, col(Paper.read_at) < end)
                .order_by(col(Paper.read_at), col(Paper.id))
            )
        )
        unread = (
            col(Paper.archived_at).is_(None),
            col(Paper.status).in_(("to-read", "reading")),
            col(Paper.created_at) < end,
        )
        reading = list(
            session.exec(
                select(Paper)
                .where(*unread)
                .order_by(col(Paper.created_at).desc(), col(Paper.id).desc())
                .limit(READING_LIST_MAX)
            )
        )
        reading_total = session.exec(select(func.count()).select_from(Paper).where(*unread)).one()
        papers = _paper_items(session, [*added, *read, *reading])
    digest = WeekDigest(
        week=week,
        ideas_new=[i for i in items if i.created_at >= start],
        ideas_changed=[i for i in items if i.created_at < start],
        papers_added=[papers[p.id or 0] for p in added],
        papers_read=[papers[p.id or 0] for p in read],
        themes=[],
        reading_list=[papers[p.id or 0] for p in reading],
        reading_total=int(reading_total),
    )
    digest.themes = week_themes(
        store, digest, tz=tz, week_start=week_start, min_entries=min_entries
    )
    return digest


def week_themes(
    store: Store, digest: WeekDigest, *, tz: tzinfo, week_start: str, min_entries: int
) -> list[ThemeItem]:
    """The week's recurring themes, read from the tags stored on its ideas and papers.

    A theme follows the rule of ``logbook.themes``: it recurs, with at least ``min_entries``
    entries (up to the week's end) in at least two different weeks. The tags are the user's
    own, arXiv categories, and the key-phrase themes that ``logbook themes apply`` (or config
    ``themes.auto_apply``) stored as ``auto`` tags.

    Why not ``logbook.themes.week_themes`` itself: it re-analyses the text of every entry with
    scikit-learn (importing it alone takes about 0.9 s; 30 s on a 12k-entry store), which
    does not fit a command that must answer in under a second, and it counts posts, so a
    weekly post would count itself and change on every re-publish.
    """
    entries = [("idea", i.id) for i in (*digest.ideas_new, *digest.ideas_changed)]
    entries += [("paper", p.id) for p in (*digest.papers_added, *digest.papers_read)]
    entries = list(dict.fromkeys(entries))
    if not entries:
        return []
    in_week: dict[str, set[tuple[str, int]]] = {}
    kinds: dict[str, str] = {}
    with store.read() as session:
        for entry_kind in ("idea", "paper"):
            ids = [i for k, i in entries if k == entry_kind]
            for entry_id, refs in tags_of(session, entry_kind, ids).items():
                for ref in refs:
                    in_week.setdefault(ref.name, set()).add((entry_kind, entry_id))
                    if ref.kind == "category" or ref.name not in kinds:
                        kinds[ref.name] = ref.kind
        history = _tag_history(session, list(in_week), digest.week.end)
    themes = []
    for name, members in in_week.items():
        moments = history.get(name, [])
        weeks = _weeks(moments, tz, week_start)
        if len(moments) < min_entries or weeks < 2:
            continue  # does not recur
        label = name
        if kinds[name] == "category":
            from logbook.categories import category_label

            label = category_label(name)
        themes.append(ThemeItem(name, label, len(members), weeks))
    themes.sort(key=lambda t: (-t.entries, -t.weeks, t.name))
    return themes[:THEMES_MAX]


def _weeks(moments: list[datetime], tz: tzinfo, week_start: str) -> int:
    """In how many different weeks (starting on ``week_start`` in ``tz``) these moments fall."""
    first = DAYS.index(week_start)
    days = {m.astimezone(tz).date() for m in moments}
    return len({d - timedelta(days=(d.weekday() - first) % 7) for d in days})


def _tag_history(session: Session, names: list[str], end: datetime) -> dict[str, list[datetime]]:
    """For each tag name: when every entry carrying it (not archived) was created, up to ``end``."""
    found: dict[str, list[datetime]] = {}
    for model, link, column in ((Idea, IdeaTag, IdeaTag.idea_id), (Paper, PaperTag, PaperTag.paper_id)):  # fmt: skip
        for start in range(0, len(names), 500):
            rows = session.exec(
                select(Tag.name, model.id, model.created_at)
                .join(link, col(link.tag_id) == Tag.id)
                .join(model, col(model.id) == column)
                .where(col(Tag.name).in_(names[start : start + 500]))
                .where(col(model.archived_at).is_(None), col(model.created_at) < end)
                .distinct()
            )
            for name, _, created in rows:
                found.setdefault(name, []).append(created)
    return found


def find_paper(store: Store, ref: str) -> PaperItem:
    """A paper by its number or its arXiv id (any form: bare, versioned, a link)."""
    ref = str(ref).strip()
    with store.read() as session:
        paper: Paper | None = None
        if ref.isdigit():
            paper = session.get(Paper, int(ref))
        else:
            from logbook.arxiv_ids import parse_arxiv_id

            parsed = parse_arxiv_id(ref)
            if parsed is not None:
                paper = session.exec(select(Paper).where(Paper.arxiv_id == parsed.id)).first()
        if paper is None or paper.archived_at is not None:
            raise NotFoundError(f"no paper {ref} in the store")
        return _paper_items(session, [paper], with_ideas=True)[paper.id or 0]


def find_idea(store: Store, number: int) -> IdeaItem:
    """The idea numbered ``number`` with its tags and papers."""
    with store.read() as session:
        idea = session.get(Idea, number)
        if idea is None or idea.archived_at is not None:
            raise NotFoundError(f"no idea #{number}")
        return _idea_items(session, [idea])[0]


def _idea_items(session: Session, ideas: list[Idea]) -> list[IdeaItem]:
    ids = [i.id for i in ideas if i.id is not None]
    tags = tags_of(session, "idea", ids)
    papers: dict[int, list[PaperRef]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(IdeaPaper.idea_id, Paper.id, Paper.arxiv_id, Paper.title)
            .join(Paper, col(Paper.id) == IdeaPaper.paper_id)
            .where(col(IdeaPaper.idea_id).in_(ids[start : start + 500]))
            .where(col(Paper.archived_at).is_(None))
            .order_by(col(Paper.id))
        )
        for idea_id, paper_id, arxiv_id, title in rows:
            papers[idea_id].append(PaperRef(paper_id or 0, arxiv_id, title))
    return [
        IdeaItem(
            id=i.id or 0,
            uid=i.uid,
            text=i.text,
            status=i.status,
            created_at=i.created_at,
            updated_at=i.updated_at,
            tags=[t.name for t in tags.get(i.id or 0, []) if t.kind == "user"],
            papers=papers.get(i.id or 0, []),
        )
        for i in ideas
    ]


def _paper_items(
    session: Session, papers: list[Paper], *, with_ideas: bool = False
) -> dict[int, PaperItem]:
    ids = list(dict.fromkeys(p.id for p in papers if p.id is not None))
    tags = tags_of(session, "paper", ids)
    ideas: dict[int, list[IdeaRef]] = {i: [] for i in ids}
    if with_ideas:
        rows = session.exec(
            select(IdeaPaper.paper_id, Idea.id, Idea.text, Idea.status)
            .join(Idea, col(Idea.id) == IdeaPaper.idea_id)
            .where(col(IdeaPaper.paper_id).in_(ids), col(Idea.archived_at).is_(None))
            .order_by(col(Idea.id))
        )
        for paper_id, idea_id, text, status in rows:
            ideas[paper_id].append(IdeaRef(idea_id or 0, title_of(text), status))
    return {
        p.id or 0: PaperItem(
            id=p.id or 0,
            uid=p.uid,
            arxiv_id=p.arxiv_id,
            version=p.version,
            title=p.title,
            authors=list(p.authors or []),
            abstract=p.abstract,
            categories=list(p.categories or []),
            primary_category=p.primary_category,
            published=p.published,
            doi=p.doi,
            journal_ref=p.journal_ref,
            comment=p.comment,
            pdf_url=p.pdf_url,
            status=p.status,
            read_at=p.read_at,
            notes=p.notes,
            created_at=p.created_at,
            tags=[t.name for t in tags.get(p.id or 0, []) if t.kind == "user"],
            ideas=ideas.get(p.id or 0, []),
        )
        for p in papers
    }
