"""``logbook export`` and ``logbook import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption
from logbook.cli.state import state

FORMATS = ("yaml", "json", "bibtex", "markdown", "jekyll-data")


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

    Only files whose bytes change are rewritten; files of removed entries are deleted.
    Example: logbook export --out logbook
    """
    from logbook import export_state
    from logbook.config import resolve_db_path

    if fmt not in FORMATS:
        from logbook.errors import UsageError

        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    folder = out_dir if out_dir is not None else _default_folder()
    db = resolve_db_path(state.db_flag)
    if not force and export_state.up_to_date(db, folder, fmt):
        # The store has not changed since the last export: answer without loading it.
        from logbook.export_state import ExportReport

        report = ExportReport(fmt, folder, skipped=True)
    else:
        from logbook.export import export_store

        report = export_store(state.store(), folder, fmt, force=True)
    if as_json:
        out.print_json(report.to_dict())
    elif report.skipped:
        out.info(f"{folder} is up to date (the store did not change since the last export)")
    else:
        out.info(
            f"Exported to {folder}: {len(report.written)} written, {len(report.removed)} removed, "
            f"{report.unchanged} unchanged"
        )


def _default_folder() -> Path:
    """``export.dir``, inside the project (the folder holding ``.logbook/``) if there is one."""
    from logbook.config import find_project_dir

    folder = Path(state.config().get("export.dir")).expanduser()
    project = find_project_dir()
    return folder if folder.is_absolute() or project is None else project.parent / folder


def import_(
    path: Annotated[Path, typer.Argument(help="An export folder, or one exported YAML/JSON file.")],
    as_json: JsonOption = False,
) -> None:
    """Import an export back into the store, merging entries it already has.

    Entries match by their stable uid; the newer version wins and the other text is kept
    as a revision. Malformed files are reported and skipped.
    Example: logbook import logbook/
    """
    from logbook.importer import import_path

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
