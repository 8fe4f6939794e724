"""The installed git hook's command: ``python -P -m logbook.hook_entry STORE SUBDIR FORMAT [--strict]``.

A program entry like ``logbook.__main__``, not a library module: it reads its arguments,
writes usage errors to stderr and hands over to the CLI. When the store has not changed
since the last export into SUBDIR it stops at once, having imported only the standard
library (Typer and SQLAlchemy cost more than the whole check); otherwise it runs
``logbook --db STORE hook run --dir SUBDIR --format FORMAT``. It is not in ``logbook.cli``
because importing anything from that package loads Typer and every command.
"""

from __future__ import annotations

import sys
from pathlib import Path

USAGE = "usage: python -m logbook.hook_entry STORE SUBDIR FORMAT [--strict]\n"


def _up_to_date(db: str, subdir: str, fmt: str) -> bool:
    try:
        from logbook.location import parse_location
        from logbook.sync import state as export_state

        return export_state.up_to_date(parse_location(db), Path(subdir), fmt)
    except Exception:  # the full run reports what is wrong
        return False


def main(argv: list[str] | None = None) -> int:
    """Run the hook with ``argv`` (default: the command line); the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3:
        sys.stderr.write(USAGE)
        return 2
    db, subdir, fmt = args[:3]
    if _up_to_date(db, subdir, fmt):
        return 0
    from logbook.cli import main as cli_main

    sys.argv = ["logbook", "--db", db, "hook", "run", "--dir", subdir, "--format", fmt]
    if "--strict" in args[3:]:
        sys.argv.append("--strict")
    cli_main()  # exits with the command's code
    raise AssertionError("unreachable: the CLI always exits")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
