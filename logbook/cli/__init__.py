"""The ``logbook`` command: joins the command groups and holds the single error boundary."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from logbook import __version__
from logbook.cli.common import decode_arg
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

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a reader that went away leaves as ``_ReaderGone``.

        Typer's own handler would turn EPIPE into exit 1 before ``main`` below sees it.
        """
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise _ReaderGone() from error
            raise

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        click = _click_module()

        _guard_stdio()
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        message: str | None = None
        state.kept_text = None
        try:
            for n, arg in enumerate(argv, 1):
                decode_arg(arg, f"argument {n} of the command line")
            argv = _hoist_output_flags(argv)
            code = super().main(argv, prog_name or "logbook", complete_var, False, **extra)
            # Flush here, not at exit, so that a reader that went away is seen below.
            sys.stdout.flush()
        except _ReaderGone:
            # The reader went away (`logbook idea list | head -1`): that is how a pipe
            # ends, not a failure, as for `git log | head`.
            _silence_stdout()
            code = 0
        except click.exceptions.NoArgsIsHelpError as error:
            sys.stdout.write((error.ctx.get_help() if error.ctx else "") + "\n")
            code = 0 if not argv else 2
        except click.exceptions.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            message, code = f"Error: {error.format_message()}{hint}", 2
        except click.exceptions.ClickException as error:
            message, code = f"Error: {error.format_message()}", error.exit_code
        except typer.Abort:
            message, code = "Aborted.", 1
        except LogbookError as error:
            if debug:
                _show_traceback()
            message, code = f"Error: {error}", error.exit_code
        except KeyboardInterrupt:
            message, code = "Interrupted.", 130
        except OSError as error:
            if error.errno == errno.EPIPE:  # the final flush found the reader gone
                _silence_stdout()
                code = 0
            elif debug:
                _show_traceback()
                message, code = f"Error: {error.strerror or error}", 1
            else:
                # The file system said no (permissions, a folder where a file should be, a
                # missing program): the user can act on that, it is not a bug.
                # os.replace names the temp file first and the target second: show the target.
                path = error.filename2 or error.filename
                where = f": {path}" if path else ""
                message, code = f"Error: {error.strerror or error}{where}", 1
        except Exception as error:
            if debug:
                _show_traceback()
            first = str(error).splitlines()[0] if str(error) else ""
            message = (
                f"Error: {type(error).__name__}: {first} "
                "(this is probably a bug in logbook; run with --debug to see where)"
            )
            code = 1
        finally:
            if state._store is not None:
                state._store.close()
        kept, state.kept_text = state.kept_text, None
        if kept is not None and not code:
            kept.unlink(missing_ok=True)
        elif kept is not None:
            note = f"your text is kept in {kept}"
            message = f"{message} ({note})" if message else f"({note})"
        if message is not None:
            if state._location is not None and state._location.is_postgres:
                from logbook.location import mask_in

                message = mask_in(message, state._location)
            sys.stderr.write(message + "\n")
        if standalone_mode:
            sys.exit(code or 0)
        return code


# Global options that take a value (the word after them is not the command name).
_VALUED = frozenset({"--db", "--color"})
# Global options about how output looks, also accepted after the command name
# (`logbook idea list --no-color`), as people type them at the end of a line.
_OUTPUT_FLAGS = frozenset({"--color", "--no-color", "--no-pager"})


def _hoist_output_flags(argv: list[str]) -> list[str]:
    """``argv`` with the output flags given after the command name moved before it."""
    name = _command_name(argv)
    if name is None:
        return argv
    start = argv.index(name) + 1
    front, rest = argv[:start], []
    moved: list[str] = []
    words = iter(argv[start:])
    for word in words:
        if word == "--":  # what follows is text, never an option
            rest.append(word)
            rest.extend(words)
            break
        if word in _OUTPUT_FLAGS or word.startswith("--color="):
            moved.append(word)
            if word == "--color":
                moved.append(next(words, ""))
        else:
            rest.append(word)
    if not moved:
        return argv
    return [*front[: start - 1], *moved, name, *rest]


class _ReaderGone(Exception):
    """The program reading logbook's output closed the pipe."""


class _ClosedStdout(io.TextIOBase):
    """Stands in for stdout when the shell closed it (``logbook idea list >&-``)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "cannot write the output: stdout is closed")

    def isatty(self) -> bool:
        return False


def _guard_stdio() -> None:
    # A closed fd 0-2 would be handed to the next file logbook opens, and an editor or git
    # started later would write into it: hold those numbers with /dev/null instead.
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
        if name == "stdout":
            sys.stdout = _ClosedStdout()
        elif name == "stderr":
            sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _silence_stdout() -> None:
    # Python flushes stdout once more at exit; with the reader gone that would print
    # "Exception ignored … BrokenPipeError". Point fd 1 at /dev/null first.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (tests capture stdout): nothing will flush it at exit


def _new_app() -> typer.Typer:
    from logbook.cli import help as help_text

    help_text.install()
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


def _show_traceback() -> None:
    """The traceback for ``--debug``, with the store URL's password masked."""
    import traceback

    from logbook.location import mask_in

    sys.stderr.write(mask_in(traceback.format_exc(), state._location))


def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="Store: an SQLite file or a postgresql:// URL (default: $LOGBOOK_DB, "
            ".logbook/, config 'store', user data dir).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    color: Annotated[
        str,
        typer.Option("--color", metavar="auto|always|never", help="Colour the output."),
    ] = "auto",
    no_color: Annotated[bool, typer.Option("--no-color", help="Same as --color never.")] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Do not page long output ($PAGER, less -FRX).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A research logbook: ideas, arXiv papers, recurring themes and Jekyll posts."""
    from logbook.cli import output

    mode = "never" if no_color else color.strip().lower()
    if mode not in output.COLOR_MODES:
        raise typer.BadParameter(f"{color!r}: use auto, always or never", param_hint="--color")
    output.set_color(mode)
    output.set_pager(not no_pager)
    state.db_flag = db
    state.debug = debug
    state._store = None
    state._config = None
    state._location = None


def _ideas(app: typer.Typer) -> None:
    from logbook.cli import ideas

    app.add_typer(ideas.app, name="idea")


def _papers(app: typer.Typer) -> None:
    from logbook.cli import papers, reading_list

    app.add_typer(papers.app, name="paper")
    app.command("reading-list")(reading_list.reading_list)


def _search(app: typer.Typer) -> None:
    from logbook.cli import search

    app.command("search")(search.search)


def _related(app: typer.Typer) -> None:
    from logbook.cli import related

    app.command("related")(related.related)


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
    "related": _related,
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
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def __getattr__(name: str) -> typer.Typer:
    # `from logbook.cli import app` (tests, docs) gets the whole app.
    if name == "app":
        return build_app()
    raise AttributeError(name)


# Commands that may leave without the interpreter's shutdown once they succeeded: they
# start no threads and leave nothing to atexit handlers, so the ~0.2 s Python spends
# tearing down its modules buys them nothing.
_LEAVE_EARLY = frozenset({"idea", "search", "paper", "reading-list"})


def run(argv: Sequence[str]) -> int:
    """Run one ``logbook`` command line; its exit code (the process goes on)."""
    code = build_app(argv)(list(argv), standalone_mode=False)
    return int(code or 0)


def main() -> None:
    """Entry point of the ``logbook`` console script (and of ``python -m logbook``)."""
    if "_LOGBOOK_COMPLETE" in os.environ:
        build_app()()  # completion needs every command
        return
    argv = sys.argv[1:]
    code = run(argv)
    if not code and _command_name(argv) in _LEAVE_EARLY:
        _leave_now()
    sys.exit(code)


def _leave_now() -> None:
    """End the process at once, after everything written has reached its file or pipe.

    Only after success: by then the write is committed, the store closed (the error
    boundary closes it) and the output flushed once already; a flush that fails here
    falls back to the ordinary exit, which reports it.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(0)
