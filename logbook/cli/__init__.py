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


def _click_module() -> Any:
    # Recent Typer releases vendor Click as typer._click; older ones depend on Click itself.
    try:
        from typer import _click

        return _click
    except ImportError:
        import click

        return click


class LogbookGroup(TyperGroup):
    """Turns every failure into one line on stderr and an exit code.

    2 for usage errors, 1 for failures logbook knows about and for what the file system
    refuses (permissions, missing programs), 1 with a "probably a bug" line for anything
    else; ``--debug`` shows the traceback.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        click = _click_module()

        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        try:
            code = super().main(argv, prog_name or "logbook", complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            sys.stdout.write((error.ctx.get_help() if error.ctx else "") + "\n")
            code = 0 if not argv else 2
        except click.exceptions.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            sys.stderr.write(f"Error: {error.format_message()}{hint}\n")
            code = 2
        except click.exceptions.ClickException as error:
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
        except OSError as error:
            # The file system said no (permissions, a folder where a file should be, a
            # missing program): the user can act on that, it is not a bug.
            if debug:
                raise
            # os.replace names the temp file first and the target second: show the target.
            path = error.filename2 or error.filename
            where = f": {path}" if path else ""
            sys.stderr.write(f"Error: {error.strerror or error}{where}\n")
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


def _new_app() -> typer.Typer:
    return typer.Typer(
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


def _ideas(app: typer.Typer) -> None:
    from logbook.cli import ideas

    app.add_typer(ideas.app, name="idea")


def _papers(app: typer.Typer) -> None:
    from logbook.cli import papers

    app.add_typer(papers.app, name="paper")
    app.command("reading-list")(papers.reading_list)


def _search(app: typer.Typer) -> None:
    from logbook.cli import search

    app.command("search")(search.search)


def _themes(app: typer.Typer) -> None:
    from logbook.cli import themes

    app.add_typer(themes.app, name="themes")


def _publish(app: typer.Typer) -> None:
    from logbook.cli import publish

    app.command("publish")(publish.publish)
    app.add_typer(publish.posts_app, name="post")


def _export(app: typer.Typer) -> None:
    from logbook.cli import export

    app.command("export")(export.export)
    app.command("import")(export.import_)


def _hooks(app: typer.Typer) -> None:
    from logbook.cli import hooks

    app.add_typer(hooks.app, name="hook")


def _config(app: typer.Typer) -> None:
    from logbook.cli import config_cmd

    app.add_typer(config_cmd.app, name="config")
    app.command("init")(config_cmd.init)


# Command name → the function that registers its group, in the order of `logbook --help`.
# Building Typer's command tree costs time per command, so a run registers only the group
# it needs (all of them for --help, completion or an unknown name).
GROUPS = {
    "idea": _ideas,
    "search": _search,
    "paper": _papers,
    "reading-list": _papers,
    "themes": _themes,
    "publish": _publish,
    "post": _publish,
    "export": _export,
    "import": _export,
    "hook": _hooks,
    "config": _config,
    "init": _config,
}


def build_app(argv: Sequence[str] | None = None) -> typer.Typer:
    """The ``logbook`` app with the groups ``argv`` needs (every group when ``None``)."""
    app = _new_app()
    app.callback()(_global)
    wanted = _command_name(argv) if argv is not None else None
    if wanted in GROUPS:
        GROUPS[wanted](app)
    else:
        for register in dict.fromkeys(GROUPS.values()):
            register(app)
    return app


def _command_name(argv: Sequence[str]) -> str | None:
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def __getattr__(name: str) -> typer.Typer:
    # `from logbook.cli import app` (tests, docs) gets the whole app.
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Entry point of the ``logbook`` console script."""
    import os

    if "_LOGBOOK_COMPLETE" in os.environ:
        build_app()()  # completion needs every command
    else:
        build_app(sys.argv[1:])()
