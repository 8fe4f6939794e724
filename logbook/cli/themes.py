"""``logbook themes``: recurring themes across ideas, papers and posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from logbook.cli import output as out
from logbook.cli.common import JsonOption, number_parser, when
from logbook.cli.state import state

if TYPE_CHECKING:
    from logbook.themes import Theme, ThemeSettings

app = typer.Typer()  # help: the docstring of the callback below

SinceOption = Annotated[
    str | None, typer.Option(help="Only entries created on or after this date.")
]
UntilOption = Annotated[str | None, typer.Option(help="Only entries created before this date.")]
KindOption = Annotated[
    list[str] | None, typer.Option("--kind", "-k", help="Only these entries: idea, paper, post.")
]

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 26


def _settings(
    since: str | None = None, until: str | None = None, kind: list[str] | None = None
) -> ThemeSettings:
    from logbook.themes import ThemeSettings

    config = state.config()
    return ThemeSettings.make(
        since=when(since),
        until=when(until),
        kinds=kind,
        min_entries=config.get("themes.min_entries"),
        week_start=config.get("week_start"),
        tz=config.tz,
    )


@app.callback(invoke_without_command=True)
def themes(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    top: Annotated[
        int,
        typer.Option("--top", "-n", parser=number_parser("--top"), help="Show the first N themes."),
    ] = 20,
    as_json: JsonOption = False,
) -> None:
    """Themes that recur across your entries: tags, arXiv categories and key phrases.

    With no command, list them. Example: logbook themes --since 2026-09-01 --top 10
    """
    if ctx.invoked_subcommand is not None:
        return
    from logbook.themes import find_themes

    found = find_themes(state.reader(), _settings(since, until, kind), top=top, with_entries=False)
    if as_json:
        out.print_json([t.to_dict() for t in found])
        return
    with out.paged():
        _table(found)


def _table(found: list[Theme]) -> None:
    out.table(
        [
            [
                t.label,
                t.source,
                t.entries,
                t.weeks,
                _day(t.first_seen),
                _day(t.last_seen),
                sparkline(t.trend),
            ]
            for t in found
        ],
        ["theme", "source", "entries", "weeks", "first seen", "last seen", "trend"],
        empty="no recurring themes yet (a theme needs themes.min_entries entries in 2+ weeks)",
    )


def _day(moment: Any) -> str:
    return str(moment.astimezone(state.config().tz).date().isoformat())


def sparkline(counts: list[int], width: int = SPARK_WIDTH) -> str:
    """One character per week (weeks grouped when there are more than ``width``)."""
    if not counts:
        return ""
    group = -(-len(counts) // width)
    # group from the end so that the last mark is always the latest weeks
    start = len(counts) % group
    buckets = ([sum(counts[:start])] if start else []) + [
        sum(counts[i : i + group]) for i in range(start, len(counts), group)
    ]
    peak = max(buckets) or 1
    return "".join(
        " " if value == 0 else SPARKS[min(len(SPARKS) - 1, (value * len(SPARKS) - 1) // peak)]
        for value in buckets
    )


@app.command("show")
def show(
    theme: Annotated[str, typer.Argument(help="The theme: its name, label or a variant.")],
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a theme's entries week by week. Example: logbook themes show "scaling laws" """
    from logbook.themes import theme_detail

    detail = theme_detail(state.reader(), theme, _settings(since, until, kind))
    if as_json:
        out.print_json(detail.to_dict())
        return
    t = detail.theme
    out.info(
        f"{t.label} ({t.source}): {t.entries} entries in {t.weeks} weeks, "
        f"{_day(t.first_seen)} to {_day(t.last_seen)}"
    )
    with out.paged():
        out.table(
            [
                [week.label, ref.kind, ref.id, _day(ref.created_at), ref.title]
                for week in detail.weeks
                for ref in week.entries
            ],
            ["week", "kind", "#", "created", "title"],
        )


@app.command("apply")
def apply(
    top: Annotated[
        int,
        typer.Option(
            "--top", "-n", parser=number_parser("--top"), help="Apply the N best phrase themes."
        ),
    ] = 50,
    as_json: JsonOption = False,
) -> None:
    """Tag entries with the phrase themes they contain (auto tags). Example: logbook themes apply"""
    from logbook.themes import apply_themes

    result = apply_themes(state.store(), _settings(), top=top)
    if as_json:
        out.print_json(result.to_dict())
        return
    out.info(
        f"{result.themes} themes on {result.entries} entries: "
        f"{result.added} auto tags added, {result.removed} removed"
    )


def apply_quietly() -> None:
    """Apply themes as auto tags (called after add/import when themes.auto_apply is on).

    The entry is saved by then, so a failure here is one warning line, not a failed command
    (which would make the user add it again, twice).
    """
    from logbook.errors import LogbookError
    from logbook.themes import apply_themes

    try:
        apply_themes(state.store(), _settings())
    except Exception as error:  # whatever it is, the command itself succeeded
        reason = (
            str(error) if isinstance(error, LogbookError) else f"{type(error).__name__}: {error}"
        )
        lines = reason.splitlines()
        out.info(f"Warning: themes were not applied: {lines[0] if lines else reason}")
