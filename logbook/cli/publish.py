"""``logbook publish`` and ``logbook post …``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption, local, number_parser
from logbook.cli.state import state

posts_app = typer.Typer(
    help="Posts logbook wrote to the Jekyll site, and posts imported from a blog.",
    no_args_is_help=True,
)


def publish(
    spec: Annotated[
        str | None,
        typer.Argument(
            metavar="SPEC",
            help="With --week (the default): this, last, 2020-W43 or a date in the week.",
        ),
    ] = None,
    week: Annotated[
        bool, typer.Option("--week", "-w", help="Publish a week (this one unless SPEC).")
    ] = False,
    paper: Annotated[
        str | None, typer.Option("--paper", "-p", help="Publish one paper (number or arXiv id).")
    ] = None,
    idea: Annotated[
        int | None,
        typer.Option(
            "--idea", "-i", parser=number_parser("the idea number"), help="Publish one idea."
        ),
    ] = None,
    reading_list: Annotated[
        bool,
        typer.Option(
            "--reading-list",
            help="Write the reading-list page (post.reading_list_page) and its BibTeX.",
        ),
    ] = False,
    site: Annotated[
        str | None, typer.Option("--site", help="The Jekyll site (default: config site).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The post's title.")] = None,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the post; write and record nothing.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", "-n", help="Print the post and where it would go; write nothing."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Take logbook's new text over edits by hand in the file."),
    ] = False,
    intro: Annotated[
        str | None,
        typer.Option(
            "--intro",
            metavar="TEXT|-",
            help="A week's opening paragraph ('-': stdin); kept for later publishes.",
        ),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Open the post in $EDITOR before writing it.")
    ] = False,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Write a week's post even if nothing was logged.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a Jekyll post for a week, a paper or an idea; re-publishing keeps your edits.

    Example: logbook publish --week last --site ~/blog --intro "A week about scaling."
    """
    from logbook import publish as lib
    from logbook.cli.common import edit_text, read_stdin
    from logbook.errors import UsageError

    if reading_list:
        from logbook.cli.reading_page import publish_page

        others = {"SPEC": spec, "--week": week or None, "--paper": paper, "--idea": idea}
        others |= {"--intro": intro, "--edit": edit or None, "--allow-empty": allow_empty or None}
        publish_page(
            [name for name, value in others.items() if value is not None],
            site=site,
            title=title,
            mode="stdout" if stdout else "dry-run" if dry_run else "write",
            force=force,
            as_json=as_json,
        )
        return
    if spec is not None or week:
        week_spec: str | None = spec or "this"
    else:
        week_spec = None
    mode = "stdout" if stdout else "dry-run" if dry_run else "write"
    if edit and mode != "write":
        raise UsageError("--edit writes the post; leave out --stdout and --dry-run")
    if intro == "-":
        intro = read_stdin("--intro -")
    settings = lib.Settings.from_config(state.config())
    result = lib.publish(
        state.store(),
        settings,
        week=week_spec,
        paper=paper,
        idea=idea,
        site=site,
        title=title,
        mode=mode,
        force=force,
        intro=intro,
        edit=(lambda text: edit_text(text, what="post")) if edit else None,
        allow_empty=allow_empty,
    )
    if as_json:
        out.print_json(result.to_dict())
        return
    if mode != "write":
        sys.stdout.write(result.draft.text)
    if mode == "stdout":
        return
    from pathlib import Path

    # Posts sent to a blog other than the one the command runs in must say so.
    where = f" (the site {result.site}, not this folder)" if result.elsewhere(Path.cwd()) else ""
    if result.file is None or result.action is None:
        out.info(f"Would write {result.draft.path} (no site given)")
    elif result.dry_run:
        would = {
            "created": "create",
            "updated": "overwrite",
            "merged": "rewrite, keeping your edits,",
            "unchanged": "leave unchanged",
        }
        out.info(f"Would {would[result.action]} {result.file}{where}")
    else:
        verb = {
            "created": "Wrote",
            "updated": "Rewrote",
            "merged": "Rewrote (keeping your edits)",
            "unchanged": "Unchanged:",
        }[result.action]
        forced = " (overwriting the edits by hand)" if result.forced else ""
        out.info(f"{verb} {result.file}{forced}{where}")


@posts_app.command("list")
def list_(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only posts of this kind: week, paper, idea.")
    ] = None,
    archived: Annotated[bool, typer.Option(help="List removed posts instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List the posts logbook wrote, newest first. Example: logbook post list --kind week"""
    posts = state.reader().posts.find(kind=kind, archived=archived)
    if as_json:
        out.print_json([p.to_dict(body=False) for p in posts])
        return
    out.table(
        [[p.id, local(p.published_at), p.kind, p.source, p.title, p.path] for p in posts],
        ["#", "date", "kind", "source", "title", "path"],
        empty="no posts yet (logbook publish --week writes one)",
    )


@posts_app.command("show")
def show(
    number: Annotated[
        int,
        typer.Argument(
            parser=number_parser("the post number"), help="The post's number (see 'post list')."
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one post: where it is and the markdown logbook wrote. Example: logbook post show 3"""
    store = state.reader()
    post = store.posts.get(number)
    cited = store.post_citations(post.id) if post.kind == "imported" else []
    if as_json:
        data = post.to_dict()
        if post.kind == "imported":
            data["papers"] = [{"arxiv_id": a, "paper": n} for a, n in cited]
        out.print_json(data)
        return
    out.fields(
        [
            ("post", f"#{post.id}" + (" (removed)" if post.archived_at else "")),
            ("kind", post.kind),
            ("source", post.source),
            ("title", post.title),
            ("date", local(post.published_at, seconds=True)),
            ("path", post.path),
            ("updated", local(post.updated_at)),
            ("tags", post.tags and [t.name for t in post.tags]),
            ("categories", post.categories),
            ("papers", cited and [a if n is None else f"{a} (#{n})" for a, n in cited]),
        ],
        post.body,
    )


PostNumber = Annotated[int, typer.Argument(help="The post's number (see 'post list').")]


@posts_app.command("rm")
def rm(
    number: PostNumber,
    purge: Annotated[
        bool, typer.Option("--purge", help="Delete the record for good, with revisions.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Forget a post logbook wrote; the file in _posts/ stays. Example: logbook post rm 3"""
    post = state.store().posts.remove(number, purge=purge)
    if as_json:
        out.print_json(post.to_dict(body=False))
        return
    out.info(f"{'Purged' if purge else 'Removed'} post #{post.id}: {post.path} (the file stays)")
    if not purge:
        out.info(f"(undo with: logbook post restore {post.id})")


@posts_app.command("restore")
def restore(number: PostNumber, as_json: JsonOption = False) -> None:
    """Bring back a removed post record. Example: logbook post restore 3"""
    post = state.store().posts.restore(number)
    if as_json:
        out.print_json(post.to_dict(body=False))
        return
    out.info(f"Restored post #{post.id}: {post.path}")


@posts_app.command("import")
def import_(
    paths: Annotated[
        list[str],
        typer.Argument(help="Post files or folders: _posts/, _drafts/, a whole site."),
    ],
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient", help="Import a post whose front matter cannot be read, from its name."
        ),
    ] = False,
    fetch: Annotated[
        bool,
        typer.Option("--fetch/--no-fetch", help="Fetch the cited arXiv papers now, or later."),
    ] = True,
    ideas: Annotated[
        bool,
        typer.Option(
            "--ideas", help="Make list items under idea headings (import.idea_headings) ideas."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring an existing blog's posts in, with the arXiv papers they cite. Example: logbook post import ~/blog/_posts ~/blog/_drafts"""
    from pathlib import Path

    from logbook.cli.papers import _ProgressBar
    from logbook.dates import now
    from logbook.sync.post_import import import_blog

    config = state.config()
    reading, bar = _ProgressBar("Reading posts"), _ProgressBar()
    try:
        report = import_blog(
            state.store(),
            [Path(p).expanduser() for p in paths],
            tz=config.tz,
            now=now(config.tz),
            lenient=lenient,
            fetch=fetch,
            ideas=ideas,
            idea_headings=config.get("import.idea_headings"),
            api_url=config.get("arxiv.api_url"),
            delay_seconds=config.get("arxiv.delay_seconds"),
            progress=bar.update,
            read_progress=reading.update,
        )
    finally:
        reading.close()
        bar.close()
    if as_json:
        out.print_json(report.to_dict())
    else:
        for problem in report.problems:
            out.info(f"{problem.level}: {problem}")
        out.info(report.summary())
    if not report.ok:
        raise typer.Exit(1)
