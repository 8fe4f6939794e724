"""``logbook hook …``: the git pre-commit hook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption
from logbook.cli.state import state

if TYPE_CHECKING:
    from logbook.sync.githook import HookStatus

app = typer.Typer(help="Export the logbook into a blog repo on every commit.", no_args_is_help=True)

RepoOption = Annotated[
    Path, typer.Option("--repo", help="The git repository (default: the current folder).")
]


def _show(status: HookStatus, as_json: bool) -> None:
    if as_json:
        out.print_json(status.to_dict())
        return
    settings = status.settings
    out.fields(
        [
            ("repo", status.repo),
            ("hook", status.hook),
            ("installed", "yes" if status.installed else "no"),
            ("other hook", "yes (not logbook's)" if status.other_hook else None),
            ("chained", status.chained),
            (
                "python",
                settings.python + ("" if status.python_ok else " (missing!)") if settings else None,
            ),
            (
                "store",
                settings.db + ("" if status.store_ok else " (missing!)") if settings else None,
            ),
            ("export to", settings.dir if settings else None),
            ("format", settings.format if settings else None),
            ("strict", "yes" if settings and settings.strict else None),
        ]
    )


@app.command("install")
def install(
    repo: RepoOption = Path("."),
    subdir: Annotated[
        str | None,
        typer.Option("--dir", help="Folder of the export inside the repo (config export.dir)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Export format.")] = "yaml",
    strict: Annotated[
        bool, typer.Option("--strict", help="Block the commit when the export fails.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Install the pre-commit hook that exports the logbook into the repo.

    An existing pre-commit hook is kept and run first. Example: logbook hook install --repo ~/blog
    """
    from logbook.sync.githook import install as install_hook

    status = install_hook(
        repo,
        db=state.location(),
        subdir=subdir or state.config().get("export.dir"),
        fmt=fmt,
        strict=strict,
    )
    if not as_json:
        out.info(f"Installed the logbook hook in {status.hook}")
    _show(status, as_json)


@app.command("uninstall")
def uninstall(repo: RepoOption = Path("."), as_json: JsonOption = False) -> None:
    """Remove the hook and put back the one it chained. Example: logbook hook uninstall"""
    from logbook.sync.githook import uninstall as uninstall_hook

    status = uninstall_hook(repo)
    if as_json:
        out.print_json(status.to_dict())
    else:
        restored = " (the earlier hook is back)" if status.other_hook else ""
        out.info(f"Removed the logbook hook from {status.hook}{restored}")


@app.command("status")
def status(repo: RepoOption = Path("."), as_json: JsonOption = False) -> None:
    """Say what is installed where. Example: logbook hook status --json"""
    from logbook.sync.githook import status as hook_status

    _show(hook_status(repo), as_json)


@app.command("run")
def run(
    repo: RepoOption = Path("."),
    subdir: Annotated[str | None, typer.Option("--dir", help="Folder of the export.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Export format.")] = "yaml",
    strict: Annotated[bool, typer.Option("--strict", help="Fail when the export fails.")] = False,
    as_json: JsonOption = False,
) -> None:
    """What the hook runs: export if the store changed, then git add. Example: logbook hook run"""
    from logbook.sync.githook import run as run_hook

    folder = subdir or state.config().get("export.dir")
    result = run_hook(
        repo,
        db=state.location(),
        subdir=folder,
        fmt=fmt,
        strict=strict,
    )
    if as_json:
        out.print_json(result.to_dict())
        return
    for warning in result.warnings:
        out.info(f"logbook: warning: {warning}")
    if result.not_in_store:
        out.info("logbook: " + out.not_in_store_line(result.not_in_store, Path(folder)))
    if result.error:
        out.info(f"logbook: no export ({result.error}); the commit goes on")
    elif not result.skipped:
        out.info(
            f"logbook: exported ({result.written} written, {result.removed} removed) and staged"
        )
