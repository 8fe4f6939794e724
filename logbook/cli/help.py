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
    # Typer 0.29 describes the type apart from Click's; earlier releases only in Click's
    described = getattr(self, "type_descriptor", None) or self.type
    choices = getattr(described, "choices", None)
    if choices:
        return "|".join(str(getattr(c, "value", c)) for c in choices)
    longest = max(self.opts, key=len).lstrip("-")
    is_path = getattr(described, "is_path", False) or getattr(self.type, "name", "") == "path"
    name = "PATH" if is_path else longest.upper()
    return name + ("..." if getattr(self, "multiple", False) else "")


def _argument_type(self: Any, ctx: Any) -> str | None:
    return None


def install() -> None:
    """Make every command's help show options this way (idempotent)."""
    from typer.core import TyperArgument, TyperOption

    if hasattr(TyperOption, "display_type_rich"):  # Typer 0.29 and later
        TyperOption.display_type_rich = _option_type  # type: ignore[attr-defined,unused-ignore]
        TyperArgument.display_type_rich = _argument_type  # type: ignore[attr-defined,unused-ignore]
        return
    # Earlier releases print an option's make_metavar(), and an argument's type metavar
    # or else <type name>: an empty metavar shows nothing.
    from typer._click import types

    def option_metavar(self: Any, ctx: Any) -> str:
        return _option_type(self, ctx) or ""

    TyperOption.make_metavar = option_metavar  # type: ignore[method-assign,assignment,unused-ignore]
    if getattr(types.ParamType.get_metavar, "_logbook", False):
        return
    plain = types.ParamType.get_metavar
    named = TyperArgument.make_metavar

    def argument_usage(self: Any, ctx: Any, *, usage: bool = False) -> str:
        # an argument given a metavar loses the "..." that says it takes several values
        shown = str(named(self, ctx, usage=usage))
        return shown + "..." if self.nargs != 1 and not shown.endswith("...") else shown

    TyperArgument.make_metavar = argument_usage  # type: ignore[method-assign]

    def argument_metavar(self: Any, param: Any, ctx: Any) -> str | None:
        found = plain(self, param=param, ctx=ctx)
        return "" if found is None and isinstance(param, TyperArgument) else found

    argument_metavar._logbook = True  # type: ignore[attr-defined]
    types.ParamType.get_metavar = argument_metavar  # type: ignore[method-assign]
