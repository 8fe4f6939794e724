"""``logbook publish --reading-list``: the reading-list page and its BibTeX in the site."""

from __future__ import annotations

import sys
from pathlib import Path

from logbook.cli import output as out
from logbook.cli.state import state


def publish_page(
    others: list[str],
    *,
    site: str | None,
    title: str | None,
    mode: str,
    force: bool,
    as_json: bool,
) -> None:
    """Write (or, by ``mode``, only show) the reading-list page; ``others`` are the options
    given that belong to posts, refused here."""
    from logbook import publish as lib
    from logbook.errors import UsageError

    if others:
        raise UsageError(f"--reading-list is a page of its own; leave out {', '.join(others)}")
    settings = lib.Settings.from_config(state.config())
    result = lib.publish_reading_list(
        state.store(), settings, site=site, title=title, mode=mode, force=force
    )
    if as_json:
        out.print_json(result.to_dict())
        return
    if mode != "write":
        sys.stdout.write(result.draft.text)
    if mode == "stdout":
        return
    papers = f"{result.draft.papers} paper{'s' if result.draft.papers != 1 else ''}"
    if result.file is None:
        out.info(f"Would write {result.draft.place.page} ({papers}; no site given)")
        return
    forced = " (overwriting the edits by hand)" if result.forced else ""
    # A page sent to a blog other than the one the command runs in must say so.
    where = f" (the site {result.site}, not this folder)" if result.elsewhere(Path.cwd()) else ""
    action = result.action or "created"
    if result.dry_run:
        verb = {"created": "create", "updated": "overwrite", "unchanged": "leave unchanged"}
        out.info(
            f"Would {verb[action]} {result.file}{forced} ({papers}) and {result.bib_file}{where}"
        )
        return
    done = {"created": "Wrote", "updated": "Rewrote", "unchanged": "Unchanged:"}[action]
    out.info(f"{done} {result.file}{forced} ({papers}); BibTeX: {result.bib_file}{where}")
