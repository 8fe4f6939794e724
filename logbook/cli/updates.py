"""``logbook paper check-updates``: what arXiv changed for the papers on the reading list."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from logbook.cli import complete
from logbook.cli import output as out
from logbook.cli.common import JsonOption, when
from logbook.cli.state import state


def check_updates(
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help="Only papers with this status.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only with this tag.", autocompletion=complete.tag_names),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only papers added on or after this date.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Also check papers checked within the interval.")
    ] = False,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Store the new metadata (old values kept as revisions)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Ask arXiv what changed (versions, title, authors, abstract, journal ref, DOI); --apply stores it. Example: logbook paper check-updates --status read"""
    from datetime import timedelta

    from logbook.arxiv.updates import check_updates as run_check
    from logbook.cli.papers import _ProgressBar

    config = state.config()
    bar = _ProgressBar()
    try:
        report = run_check(
            state.store(),
            api_url=config.get("arxiv.api_url"),
            delay_seconds=config.get("arxiv.delay_seconds"),
            interval=timedelta(days=config.get("arxiv.check_interval_days")),
            statuses=status,
            tags=tag,
            since=when(since),
            force=force,
            apply=apply,
            progress=bar.update,
        )
    finally:
        bar.close()
    if as_json:
        out.print_json(report.to_dict())
        return
    for change in report.changed:
        sys.stdout.write(out.safe(f"#{change.id} {change.arxiv_id}  {change.title}") + "\n")
        for line in change.lines():
            sys.stdout.write("  " + out.safe(line) + "\n")
    out.info(report.summary())
