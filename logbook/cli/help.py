"""How options read in ``--help``: ``--json``, ``--tag TAG...``, ``--date DATE``.

Typer 0.2x prints a type column of Python annotations (``--json <bool>``, ``--tag
<list[str]>``), which reads as if a flag took a value. Options here show what to type
instead: nothing for a flag, the metavar when one is given, else the option's name in
capitals (with ``...`` for options that may be repeated). Arguments already show their
name, so they show no type.
"""

from __future__ import annotations

from typing import Any


def _option_type(self: Any, ctx: Any) -> str | None:
    if getattr(self, "is_flag", False) or getattr(self, "count", False):
        return None
    if self.metavar is not None:
        return str(self.metavar)
    described = getattr(self, "type_descriptor", None)
    choices = getattr(described, "choices", None)
    if choices:
        return "|".join(str(getattr(c, "value", c)) for c in choices)
    longest = max(self.opts, key=len).lstrip("-")
    name = "PATH" if getattr(described, "is_path", False) else longest.upper()
    return name + ("..." if getattr(self, "multiple", False) else "")


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None


def install() -> None:
    """Make every command's help show options this way (idempotent)."""
    from typer.core import TyperArgument, TyperOption

    TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]
