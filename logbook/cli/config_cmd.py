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
            {key: {"value": config.get(key), "source": config.source(key)} for key in KEYS}
        )
        return
    out.table(
        [[key, config.get(key), config.source(key), KEYS[key].help] for key in KEYS],
        ["key", "value", "from", "meaning"],
    )


@app.command("get")
def get(key: Annotated[str, typer.Argument(help="A key, e.g. post.layout.")]) -> None:
    """Print one setting. Example: logbook config get arxiv.delay_seconds"""
    value = state.config().get(key)
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
    from logbook.config import CONFIG_NAME, find_project_dir, user_config_file, write_value

    project = None if user else find_project_dir()
    path = project / CONFIG_NAME if project else user_config_file()
    stored = write_value(path, key, value)
    out.info(f"{key} = {stored!r} in {path}")


def init(
    path: Annotated[Path, typer.Argument(help="Folder to hold the store (your blog repo).")] = Path(
        "."
    ),
) -> None:
    """Make a project store in .logbook/ here (in a git repo its database stays out of git). Example: logbook init"""
    from logbook.project import init_project

    folder = init_project(path)
    out.info(f"Initialized a logbook store in {folder}")
