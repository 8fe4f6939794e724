"""``logbook paper …`` and ``logbook reading-list``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from logbook.cli import complete
from logbook.cli import output as out
from logbook.cli.common import (
    AddedByOption,
    JsonOption,
    ListLimitOption,
    YesOption,
    confirm,
    edit_text,
    emit,
    list_limit,
    local,
    note_limit,
    piped_text,
    read_text,
    when,
)
from logbook.cli.state import state
from logbook.errors import UsageError

if TYPE_CHECKING:
    from logbook.arxiv.fetch import FetchReport
    from logbook.store.paper_views import PaperView

app = typer.Typer(help="Import arXiv papers and keep the reading list.", no_args_is_help=True)

PaperArg = Annotated[
    str,
    typer.Argument(
        help="The paper: its number (see 'paper list') or any arXiv id form.",
        autocompletion=complete.paper_numbers,
    ),
]
PapersArg = Annotated[
    list[str],
    typer.Argument(
        help="The papers: numbers (see 'paper list') or arXiv ids.",
        autocompletion=complete.paper_numbers,
    ),
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status", "-s", help="to-read, reading or read.", autocompletion=complete.reading_statuses
    ),
]
DateOption = Annotated[
    str | None, typer.Option("--date", "-d", help="When: 2026-11-20, yesterday, last monday.")
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only with this tag.", autocompletion=complete.tag_names),
]


def _done(paper: PaperView, verb: str, as_json: bool) -> None:
    if as_json:
        out.print_json(paper.to_dict())
    else:
        out.info(f"{verb} paper #{paper.id} ({paper.arxiv_id}): {paper.title}")


@app.command("import")
def import_(
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="arXiv ids or links: 1706.03762, arXiv:…, abs/pdf URLs, hep-th/…"),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            "-f",
            help="Read every arXiv id or link in a text or markdown file; '-' reads stdin.",
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch known papers again for newer versions.")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", help="Tag every imported paper.", autocompletion=complete.tag_names
        ),
    ] = None,
    date: DateOption = None,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="Also the papers imported posts cite, not fetched yet."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import papers from arXiv; known ones cost no request. Example: logbook paper import 1706.03762 arXiv:2103.00001"""
    from logbook.arxiv.fetch import add_papers

    refs = list(ids or [])
    if from_file is not None:
        refs.extend(_ids_from_file(from_file))
    elif not refs and (piped := piped_text()) is not None:
        # `echo 1706.03762 | logbook paper import`: what is piped is read as --from-file -.
        refs.extend(_ids_in(piped, "-"))
    added_at = when(date, stored=True)
    if pending:
        refs.extend(state.store().pending_citations())
        if not refs:
            out.info("No papers left to fetch: imported posts cite none that is missing")
            return
    if not refs:
        raise UsageError("give arXiv ids, or --from-file PATH ('-' for stdin)")
    config = state.config()
    bar = _ProgressBar()
    try:
        report = add_papers(
            state.store(),
            refs,
            api_url=config.get("arxiv.api_url"),
            delay_seconds=config.get("arxiv.delay_seconds"),
            refresh=refresh,
            tags=tag or [],
            added_at=added_at,
            progress=bar.update,
        )
    finally:
        bar.close()
    _report(report, as_json)
    if state.config().get("themes.auto_apply") and (report.of("imported") or report.of("updated")):
        from logbook.cli.themes import apply_quietly

        apply_quietly()
    if not report.ok:
        raise typer.Exit(1)


def _ids_from_file(name: str) -> list[str]:
    from logbook.cli.common import decode_text, read_stdin

    if name == "-":
        content = read_stdin()
    else:
        try:
            content = decode_text(Path(name).expanduser().read_bytes(), name)
        except FileNotFoundError:
            raise UsageError(f"no file {name}") from None
        except OSError as error:
            raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
    return _ids_in(content, name)


def _ids_in(content: str, name: str) -> list[str]:
    from logbook.arxiv.fetch import find_ids, looks_like_markdown

    where = "stdin" if name == "-" else name
    found = find_ids(content, markdown=looks_like_markdown(name, content))
    if not found.ids:
        raise UsageError(f"no arXiv ids or links in {where}")
    for number, line in found.skipped[:_SKIPPED_SHOWN]:
        out.info(f"Skipped line {number} of {where} (no arXiv id in it): {line[:80]!r}")
    if len(found.skipped) > _SKIPPED_SHOWN:
        out.info(f"… and {len(found.skipped) - _SKIPPED_SHOWN} more lines with no arXiv id")
    return found.ids


# Enough skipped lines to see what went wrong, not a screenful per stray line.
_SKIPPED_SHOWN = 10


class _ProgressBar:
    """A Rich bar on stderr while more than one thing is done (only on a terminal)."""

    def __init__(self, label: str = "Fetching from arXiv") -> None:
        self._label = label
        self._progress: Any = None
        self._task: Any = None

    def update(self, done: int, total: int) -> None:
        if total <= 1 or not sys.stderr.isatty() or (done >= total and self._progress is None):
            return
        if self._progress is None:
            from rich.progress import Progress

            from logbook.cli.output import _console

            self._progress = Progress(console=_console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=total)
        self._progress.update(self._task, completed=done)
        if done >= total:  # Rich shows one bar at a time: the next step may start its own
            self.close()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _report(report: FetchReport, as_json: bool) -> None:
    from logbook.arxiv.fetch import OUTCOME_LABELS

    if as_json:
        out.print_json(report.to_dict())
        return
    out.table(
        [
            [
                OUTCOME_LABELS[i.outcome],
                i.arxiv_id or i.input,
                i.number or "",
                i.title or "",
                i.message or "",
            ]
            for i in report.items
        ],
        ["result", "arXiv id", "#", "title", "note"],
        title="Import",
    )
    out.info(report.summary())


@app.command("list")
def list_(
    status: StatusOption = None,
    tag: TagOption = None,
    category: Annotated[
        list[str] | None, typer.Option("--category", "-c", help="Only in this arXiv category.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Added on or after this date.")] = None,
    added_by: AddedByOption = None,
    limit: ListLimitOption = None,
    archived: Annotated[bool, typer.Option(help="List removed papers instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List papers in the order they were added. Example: logbook paper list --status to-read --category cs.LG"""
    limit, capped = list_limit(limit, as_json=as_json)
    filters: dict[str, Any] = {"statuses": status, "tags": tag, "categories": category}
    filters.update(authors=added_by, since=when(since), archived=archived)
    store = state.reader()
    if as_json:
        out.print_json_list(p.to_dict() for p in store.papers.iter_find(**filters, limit=limit))
        return
    with out.paged():
        out.table(
            (
                [
                    p.id,
                    p.arxiv_id,
                    p.status + (" (withdrawn)" if p.withdrawn else ""),
                    p.year or "",
                    p.title,
                    " ".join(f"#{t}" for t in p.tags),
                ]
                for p in store.papers.iter_lines(**filters, limit=limit)
            ),
            ["#", "arXiv", "status", "year", "title", "tags"],
            empty="no papers match",
        )
    if capped and limit is not None:
        note_limit(limit, store.papers.count(**filters), "papers")


@app.command("show")
def show(paper: PaperArg, as_json: JsonOption = False) -> None:
    """Show a paper: abstract, authors, links, notes and linked ideas. Example: logbook paper show 1706.03762"""
    view = state.reader().papers.get(paper)
    if as_json:
        out.print_json(view.to_dict())
        return
    with out.paged():
        read = ""
        if view.status == "read":
            read = f"{local(view.read_at)} (v{view.read_version})"
            if view.read_version and view.read_version < view.version:
                read += f"; v{view.version} is newer"
        out.fields(
            [
                ("paper", f"#{view.id}" + (" (removed)" if view.archived_at else "")),
                ("title", view.title),
                (
                    "arXiv",
                    f"{view.arxiv_id}v{view.version}" + (" (WITHDRAWN)" if view.withdrawn else ""),
                ),
                ("authors", view.authors),
                ("published", view.published.date().isoformat() if view.published else None),
                ("updated", view.updated.date().isoformat() if view.updated else None),
                ("categories", view.categories),
                ("journal", view.journal_ref),
                ("doi", view.doi),
                ("comment", view.comment),
                ("abs", view.abs_url),
                ("pdf", view.to_dict()["pdf_url"]),
                ("cite key", view.cite_key),
                ("status", view.status),
                ("read", read),
                ("tags", [f"#{t}" for t in view.user_tags]),
                ("ideas", [f"#{i['id']} {i['title']}" for i in view.ideas]),
                ("added by", view.author),
                # notes, and metadata check-updates replaced
                ("revisions", len(view.revisions) or None),
            ],
            view.abstract + (f"\n\nNotes:\n{view.notes}" if view.notes else ""),
        )


@app.command("status")
def status(
    papers: Annotated[
        list[str],
        typer.Argument(
            help="The papers: numbers (see 'paper list') or arXiv ids.",
            autocompletion=complete.papers_then_status,
        ),
    ],
    value: Annotated[str, typer.Argument(help="to-read, reading or read.")],
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set papers' reading status; 'read' records when and which version. Example: logbook paper status 3 4 read"""
    refs = papers
    at = when(date, stored=True)
    store = state.store()
    with store.batch():
        views = [store.papers.set_status(r, value, at=at) for r in dict.fromkeys(refs)]
    emit(views, lambda v: _done(v, f"Marked {v.status}:", False), as_json)


@app.command("note")
def note(
    paper: PaperArg,
    text: Annotated[
        str | None, typer.Argument(help="The note; '-' reads stdin; none opens $EDITOR.")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the notes instead of adding to them.")
    ] = False,
    date: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add to a paper's notes (earlier notes are kept as revisions). Example: logbook paper note 3 "Sec. 3.2 has the trick" """
    at = when(date, stored=True)
    papers = state.store().papers
    if text is None and (piped := piped_text("stdin")) is not None:
        text = piped
    if text is None:
        before = papers.get(paper)  # saving checks nobody saved since (its row_version)
        body = edit_text(before.notes, what="note")
        view = papers.note(paper, body, replace=True, at=at, base_version=before.row_version)
    else:
        view = papers.note(paper, read_text(text, what="note"), replace=replace, at=at)
    _done(view, "Noted", as_json)


@app.command("tag")
def tag(
    papers: Annotated[
        list[str],
        typer.Argument(
            help="A paper then its tags; or, with --add, the papers to tag.",
            autocompletion=complete.papers_then_tags,
        ),
    ],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            "-a",
            help="Tag every paper given with this.",
            metavar="TAG",
            autocompletion=complete.tag_names,
        ),
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", "-r", help="Remove these tags.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add or remove tags. Example: logbook paper tag 3 transformers attention; logbook paper tag 1 2 --add survey"""
    if add:
        refs, names = papers, add
    elif len(papers) < 2:
        raise UsageError("give a paper and its tags, or the papers and --add TAG")
    else:
        refs, names = papers[:1], papers[1:]
    store = state.store()
    with store.batch():
        views = [store.papers.tag(r, names, remove=remove) for r in dict.fromkeys(refs)]
    emit(views, lambda v: _done(v, "Retagged", False), as_json)


@app.command("rm")
def rm(
    papers: PapersArg,
    purge: Annotated[
        bool, typer.Option("--purge", help="Delete for good, with its notes and revisions.")
    ] = False,
    yes: YesOption = False,
    as_json: JsonOption = False,
) -> None:
    """Remove papers (restorable unless --purge). Example: logbook paper rm 3 4"""
    refs = list(dict.fromkeys(papers))
    if purge:
        confirm(f"Delete paper {' '.join(refs)} for good, with its notes?", yes=yes)
    store = state.store()
    with store.batch():
        views = [store.papers.remove(r, purge=purge) for r in refs]
    emit(views, lambda v: _done(v, "Purged" if purge else "Removed", False), as_json)
    if not purge and not as_json:
        out.info(f"(undo with: logbook paper restore {' '.join(str(v.id) for v in views)})")


@app.command("restore")
def restore(papers: PapersArg, as_json: JsonOption = False) -> None:
    """Bring back removed papers. Example: logbook paper restore 3"""
    store = state.store()
    with store.batch():
        views = [store.papers.restore(r) for r in dict.fromkeys(papers)]
    emit(views, lambda v: _done(v, "Restored", False), as_json)


def _register_updates() -> None:
    # in a module of its own so this one stays one concern (and within the size rule)
    from logbook.cli.updates import check_updates

    app.command("check-updates")(check_updates)


_register_updates()
