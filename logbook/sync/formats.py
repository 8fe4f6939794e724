"""The export formats for reading rather than re-importing: BibTeX, markdown, Jekyll data.

Each takes the snapshot the YAML export is made from and returns file name → text. The
``jekyll-data`` files (``_data/logbook/{papers,ideas,themes}.yml``) are lists of flat
mappings that a Liquid template loops over, e.g.
``{% for paper in site.data.logbook.papers %}{{ paper.title }}{% endfor %}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logbook.arxiv_ids import abs_url, pdf_url
from logbook.store.models import title_of
from logbook.sync import yamltext

if TYPE_CHECKING:
    from logbook.store import Store
    from logbook.store.paper_views import PaperView
    from logbook.store.snapshot import Snapshot


def _live(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r.get("archived_at") is None]


def _user_tags(record: dict[str, Any]) -> list[str]:
    return list(record["tags"].get("user", []))


def render(store: Store, snap: Snapshot, fmt: str) -> dict[str, str]:
    """The files of ``fmt`` (``bibtex``, ``markdown`` or ``jekyll-data``)."""
    if fmt == "bibtex":
        return {"papers.bib": bibtex(snap)}
    if fmt == "markdown":
        return {"logbook.md": markdown(snap)}
    if fmt == "jekyll-data":
        return jekyll_data(store, snap)
    raise ValueError(f"no renderer for {fmt}")


def _paper_views(papers: list[dict[str, Any]]) -> list[PaperView]:
    """Exported paper records as the ``PaperView`` that ``logbook.sync.reading_list`` renders."""
    from logbook.store.paper_views import PaperView
    from logbook.store.tags import TagRef
    from logbook.store.types import parse_utc

    times = ("published", "updated", "read_at", "created_at", "updated_at", "archived_at")
    views = []
    for paper in papers:
        fields: dict[str, Any] = {
            k: (parse_utc(v) if k in times and v is not None else v)
            for k, v in paper.items()
            if k not in ("tags", "revisions")
        }
        tags = [TagRef(name, kind) for kind, names in paper["tags"].items() for name in names]
        views.append(PaperView(**fields, tags=tags))
    return views


def _papers_in_order(snap: Snapshot) -> list[dict[str, Any]]:
    return sorted(_live(snap.records["paper"]), key=lambda p: p["arxiv_id"])


def bibtex(snap: Snapshot) -> str:
    """A BibTeX entry for every paper on the reading list, in arXiv id order.

    Uses the reading list's writer (its TeX escaping) and the stored citation keys, so that
    ``logbook reading-list --format bibtex`` and this export agree.
    """
    from logbook.sync.bibtex import to_bibtex

    return to_bibtex(_paper_views(_papers_in_order(snap)))


def markdown(snap: Snapshot) -> str:
    """Ideas by status, then the reading list (as ``logbook reading-list`` writes it)."""
    lines = ["# Logbook", "", "## Ideas", ""]
    ideas = _live(snap.records["idea"])
    for status in ("open", "exploring", "done", "dropped"):
        group = [i for i in ideas if i["status"] == status]
        if not group:
            continue
        lines += [f"### {status.capitalize()}", ""]
        for idea in group:
            tags = " ".join(f"#{t}" for t in _user_tags(idea))
            day = idea["created_at"][:10]
            lines.append(f"- {day} — {title_of(idea['text'])}" + (f" ({tags})" if tags else ""))
        lines.append("")
    lines += ["## Reading list", ""]
    from logbook.sync import reading_list

    # The reading list's tag headings are one level below "Reading list".
    listing = reading_list.to_markdown(_paper_views(_papers_in_order(snap)))
    listing = listing.replace("\n## ", "\n### ")
    lines.append(listing.replace("## ", "### ", 1) if listing.startswith("## ") else listing)
    return "\n".join(lines).rstrip("\n") + "\n"


def _themes(store: Store) -> list[dict[str, Any]]:
    """The recurring themes (``logbook themes``), each with the entries it occurs in."""
    from logbook.themes import find_themes

    return [
        {**theme.to_dict(), "refs": [ref.to_dict() for ref in theme.refs]}
        for theme in find_themes(store)
    ]


def jekyll_data(store: Store, snap: Snapshot) -> dict[str, str]:
    """``papers.yml``, ``ideas.yml`` and ``themes.yml`` for a Jekyll site's ``_data/logbook/``."""
    papers = [
        {
            "arxiv_id": p["arxiv_id"],
            "title": p["title"],
            "authors": p["authors"],
            "url": abs_url(p["arxiv_id"]),
            "pdf_url": p["pdf_url"] or pdf_url(p["arxiv_id"]),
            "status": p["status"],
            "read_at": p["read_at"],
            "published": p["published"],
            "primary_category": p["primary_category"],
            "cite_key": p["cite_key"],
            "tags": _user_tags(p),
            "notes": p["notes"],
            "abstract": p["abstract"],
        }
        for p in sorted(_live(snap.records["paper"]), key=lambda p: p["created_at"])
    ]
    ideas = [
        {
            "id": i["id"],
            "uid": i["uid"],
            "title": title_of(i["text"]),
            "status": i["status"],
            "created_at": i["created_at"],
            "updated_at": i["updated_at"],
            "tags": _user_tags(i),
            "papers": i["papers"],
            "text": i["text"],
        }
        for i in sorted(_live(snap.records["idea"]), key=lambda i: i["created_at"])
    ]
    return {
        "papers.yml": yamltext.dump(papers),
        "ideas.yml": yamltext.dump(ideas),
        "themes.yml": yamltext.dump(_themes(store)),
    }
