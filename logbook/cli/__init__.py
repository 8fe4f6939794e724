"""The ``logbook`` command: joins the command groups and holds the single error boundary."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from logbook import __version__
from logbook.cli.state import state
from logbook.errors import LogbookError


class LogbookGroup(TyperGroup):
    """Turns every failure into one line on stderr and an exit code.

    2 for usage errors, 1 for failures logbook knows about, 1 with a "probably a bug" line
    for anything else; ``--debug`` shows the traceback.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer import _click

        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        try:
            code = super().main(argv, prog_name or "logbook", complete_var, False, **extra)
        except _click.exceptions.NoArgsIsHelpError as error:
            sys.stdout.write((error.ctx.get_help() if error.ctx else "") + "\n")
            code = 0 if not argv else 2
        except _click.exceptions.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            sys.stderr.write(f"Error: {error.format_message()}{hint}\n")
            code = 2
        except _click.exceptions.ClickException as error:
            sys.stderr.write(f"Error: {error.format_message()}\n")
            code = error.exit_code
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            code = 1
        except LogbookError as error:
            if debug:
                raise
            sys.stderr.write(f"Error: {error}\n")
            code = error.exit_code
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            code = 130
        except BrokenPipeError:
            code = 1
        except Exception as error:
            if debug:
                raise
            sys.stderr.write(
                f"Error: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''} "
                "(this is probably a bug in logbook; run with --debug to see where)\n"
            )
            code = 1
        finally:
            if state._store is not None:
                state._store.close()
        if standalone_mode:
            sys.exit(code or 0)
        return code


app = typer.Typer(
    cls=LogbookGroup,
    name="logbook",
    help="A research logbook: ideas, arXiv papers, recurring themes and Jekyll posts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"logbook {__version__}\n")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Store file (default: $LOGBOOK_DB, .logbook/, user data dir)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A research logbook: ideas, arXiv papers, recurring themes and Jekyll posts."""
    state.db_flag = db
    state.debug = debug
    state._store = None
    state._config = None


def _join() -> None:
    from logbook.cli import config_cmd, export, hooks, ideas, papers, publish, search, themes

    app.add_typer(ideas.app, name="idea")
    app.add_typer(papers.app, name="paper")
    app.command("reading-list")(papers.reading_list)
    app.command("search")(search.search)
    app.add_typer(themes.app, name="themes")
    app.command("publish")(publish.publish)
    app.add_typer(publish.posts_app, name="post")
    app.command("export")(export.export)
    app.command("import")(export.import_)
    app.add_typer(hooks.app, name="hook")
    app.add_typer(config_cmd.app, name="config")
    app.command("init")(config_cmd.init)


_join()


def main() -> None:
    """Entry point of the ``logbook`` console script."""
    app()
