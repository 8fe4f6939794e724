"""``logbook config …`` and ``logbook init``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption
from logbook.cli.state import state

app = typer.Typer(help="Show and change settings.", no_args_is_help=True)


@app.command("show")
def show(as_json: JsonOption = False) -> None:
    """Show every setting, its value and where it came from. Example: logbook config show"""
    from logbook.config import KEYS

    config = state.config()
    if as_json:
        out.print_json(
            {key: {"value": config.shown(key), "source": config.source(key)} for key in KEYS}
        )
        return
    out.table(
        [[key, config.shown(key), config.source(key), KEYS[key].help] for key in KEYS],
        ["key", "value", "from", "meaning"],
    )


@app.command("get")
def get(key: Annotated[str, typer.Argument(help="A key, e.g. post.layout.")]) -> None:
    """Print one setting. Example: logbook config get arxiv.delay_seconds"""
    value = state.config().shown(key)
    if isinstance(value, str):
        sys.stdout.write(value + "\n")
    else:
        out.print_json(value)  # numbers, booleans and unset (null) values


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="A key, e.g. site.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
    user: Annotated[
        bool, typer.Option("--user", help="Write the user config even inside a project.")
    ] = False,
) -> None:
    """Change a setting in the project's (or the user's) config file. Example: logbook config set site ~/blog"""
    from logbook.config import write_value

    path = _file(user)
    stored = write_value(path, key, value)
    out.info(f"{key} = {stored!r} in {path}")


UserOption = Annotated[bool, typer.Option("--user", help="The user config even inside a project.")]


def _file(user: bool) -> Path:
    """The config file ``set``, ``unset`` and ``edit`` change: the project's, else the user's."""
    from logbook.config import CONFIG_NAME, find_project_dir, user_config_file

    project = None if user else find_project_dir()
    return project / CONFIG_NAME if project else user_config_file()


@app.command("unset")
def unset(
    key: Annotated[str, typer.Argument(help="A key, e.g. site.")], user: UserOption = False
) -> None:
    """Remove a setting from the project's (or the user's) config file, back to its default. Example: logbook config unset site"""
    from logbook.config import remove_value

    path = _file(user)
    if remove_value(path, key):
        out.info(f"Removed {key} from {path}")
    else:
        out.info(f"{key} is not set in {path}; nothing to remove")


@app.command("path")
def path_(user: UserOption = False) -> None:
    """Print the config file that set/unset/edit change. Example: logbook config path"""
    sys.stdout.write(f"{_file(user)}\n")


@app.command("edit")
def edit(user: UserOption = False) -> None:
    """Edit the config file in $EDITOR; it is saved only if it is valid. Example: logbook config edit"""
    from logbook.cli.common import edit_text
    from logbook.config import parse_text
    from logbook.fileio import write_atomic

    path = _file(user)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    text = edit_text(current, what="config")
    # Checked before it replaces the file: a typo must not break every later command.
    parse_text(text, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    out.info(f"Saved {path}")


def init(
    path: Annotated[Path, typer.Argument(help="Folder to hold the store (your blog repo).")] = Path(
        "."
    ),
) -> None:
    """Make a project store in .logbook/ here (in a git repo its database stays out of git). Example: logbook init"""
    from logbook.project import init_project

    folder = init_project(path)
    out.info(f"Initialized a logbook store in {folder}")
