"""The export formats for reading rather than re-importing: BibTeX, markdown, Jekyll data.

Each takes the snapshot the YAML export is made from and returns file name → text. The
``jekyll-data`` files (``_data/logbook/{papers,ideas,themes}.yml``) are lists of flat
mappings that a Liquid template loops over, e.g.
``{% for paper in site.data.logbook.papers %}{{ paper.title }}{% endfor %}``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from logbook import yamltext
from logbook.store.models import title_of

if TYPE_CHECKING:
    from logbook.export import Snapshot
    from logbook.store import Store


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


def _bib_escape(value: str) -> str:
    # Balanced braces are kept; a stray one would end the field early, so it is dropped.
    depth, kept = 0, []
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept) + "}" * depth


def _cite_key(paper: dict[str, Any]) -> str:
    return str(paper.get("cite_key") or "arxiv:" + paper["arxiv_id"])


def bibtex(snap: Snapshot) -> str:
    """A BibTeX entry for every paper on the reading list, in arXiv id order."""
    try:  # the reading list's own BibTeX writer, when that module is installed
        from logbook import reading_list  # type: ignore[attr-defined]

        writer = getattr(reading_list, "bibtex_from_records", None)
    except ImportError:
        writer = None
    papers = sorted(_live(snap.records["paper"]), key=lambda p: p["arxiv_id"])
    if writer is not None:
        return str(writer(papers))
    entries = []
    for paper in papers:
        fields = [
            ("title", "{" + _bib_escape(paper["title"]) + "}"),
            ("author", " and ".join(_bib_escape(a) for a in paper["authors"])),
            ("year", (paper["published"] or paper["created_at"])[:4]),
            ("eprint", paper["arxiv_id"]),
            ("archivePrefix", "arXiv"),
            ("primaryClass", paper["primary_category"]),
            ("doi", paper["doi"]),
            ("journal", paper["journal_ref"]),
            ("url", f"https://arxiv.org/abs/{paper['arxiv_id']}"),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        entries.append(f"@misc{{{_cite_key(paper)},\n{body}\n}}\n")
    return "\n".join(entries)


def markdown(snap: Snapshot) -> str:
    """Ideas by status and the reading list by reading status, as one markdown page."""
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
    papers = _live(snap.records["paper"])
    for status in ("reading", "to-read", "read"):
        group = [p for p in papers if p["status"] == status]
        if not group:
            continue
        lines += [f"### {status.capitalize()}", ""]
        for paper in sorted(group, key=lambda p: p["arxiv_id"]):
            authors = ", ".join(paper["authors"][:3]) + (
                " et al." if len(paper["authors"]) > 3 else ""
            )
            lines.append(
                f"- [{paper['title']}](https://arxiv.org/abs/{paper['arxiv_id']})"
                + (f" — {authors}" if authors else "")
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _themes(store: Store, snap: Snapshot) -> list[dict[str, Any]]:
    """Recurring themes (from logbook.themes when available), else the most used tags."""
    try:
        from logbook import themes
    except ImportError:  # pragma: no cover - themes ship with logbook; kept for safety
        themes = None  # type: ignore[assignment]
    if themes is not None:
        try:
            found = themes.find_themes(store)
        except Exception:  # noqa: BLE001 - themes are a bonus here; fall back to tag counts
            found = None
        if found is not None:
            return [
                {
                    **theme.to_dict(),
                    "refs": [
                        {"kind": r.kind, "id": r.id, "uid": r.uid, "title": r.title}
                        for r in theme.refs
                    ],
                }
                for theme in found
            ]
    counts: Counter[str] = Counter()
    ideas: dict[str, list[int]] = {}
    papers: dict[str, list[str]] = {}
    for idea in _live(snap.records["idea"]):
        for tags in idea["tags"].values():
            for name in tags:
                counts[name] += 1
                ideas.setdefault(name, []).append(idea["id"])
    for paper in _live(snap.records["paper"]):
        for tags in paper["tags"].values():
            for name in tags:
                counts[name] += 1
                papers.setdefault(name, []).append(paper["arxiv_id"])
    return [
        {"name": name, "count": count, "ideas": ideas.get(name, []), "papers": papers.get(name, [])}
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def jekyll_data(store: Store, snap: Snapshot) -> dict[str, str]:
    """``papers.yml``, ``ideas.yml`` and ``themes.yml`` for a Jekyll site's ``_data/logbook/``."""
    papers = [
        {
            "arxiv_id": p["arxiv_id"],
            "title": p["title"],
            "authors": p["authors"],
            "url": f"https://arxiv.org/abs/{p['arxiv_id']}",
            "pdf_url": p["pdf_url"] or f"https://arxiv.org/pdf/{p['arxiv_id']}",
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
        "themes.yml": yamltext.dump(_themes(store, snap)),
    }
