"""``logbook export`` and ``logbook import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption
from logbook.cli.state import state


def export(
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder to write into (default: config export.dir in the project)."
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="yaml, json, bibtex, markdown or jekyll-data.")
    ] = "yaml",
    force: Annotated[
        bool, typer.Option("--force", help="Compare every file even if the store did not change.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Export the store as plain text, one YAML file per entry by default.

    Only files whose bytes change are rewritten; the files this store wrote for entries it
    no longer has are deleted, and no other file.
    Example: logbook export --out logbook
    """
    from logbook.sync.state import default_folder, export_when_changed

    folder = out_dir if out_dir is not None else default_folder(state.config().get("export.dir"))
    report = export_when_changed(state.location(), folder, fmt, state.store, force=force)
    if as_json:
        out.print_json(report.to_dict())
        return
    for warning in report.warnings:
        out.info(f"Warning: {warning}")
    if report.not_in_store:
        out.info(out.not_in_store_line(report.not_in_store, folder))
    if report.skipped:
        out.info(f"{folder} is up to date (the store did not change since the last export)")
    else:
        out.info(
            f"Exported to {folder}: {len(report.written)} written, {len(report.removed)} removed, "
            f"{report.unchanged} unchanged"
        )


def import_(
    path: Annotated[Path, typer.Argument(help="An export folder, or one exported YAML/JSON file.")],
    as_json: JsonOption = False,
) -> None:
    """Import an export back into the store, merging entries it already has.

    Entries match by their stable uid; the newer version wins and the other text is kept
    as a revision. Malformed files are reported and skipped.
    Example: logbook import logbook/
    """
    from logbook.sync.folder_import import import_path

    report = import_path(state.store(), path)
    if as_json:
        out.print_json(report.to_dict())
    else:
        for kind in ("idea", "paper", "post"):
            counts = (report.added[kind], report.updated[kind], report.unchanged[kind])
            if any(counts):
                out.info(f"{kind}s: {counts[0]} added, {counts[1]} updated, {counts[2]} unchanged")
        for warning in report.warnings:
            out.info(f"Warning: {warning}")
        for problem in report.problems:
            out.info(f"Skipped {problem.path}: {problem.message}")
    if report.problems:
        raise typer.Exit(1)
