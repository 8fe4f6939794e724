"""A small YAML writer that gives the same bytes for the same data on every machine.

The export is committed to git, so its bytes must not depend on whether PyYAML was built
with libyaml (the two emitters differ in corner cases) and must be fast for 10k files.
This writer handles only what the export holds: mappings (keys in the order given), lists,
strings, integers, booleans and null. Multi-line text is written as a ``|`` literal block
when that reads back exactly, otherwise as a one-line double-quoted string with escapes.
Reading is PyYAML's safe loader (the C one when available: parsing gives the same data).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

# Characters that may appear raw in a quoted or block scalar: YAML 1.1's printable set
# without tab, line breaks (\r, NEL, LS, PS) and the byte order mark.
_RAW = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_ALL_RAW = re.compile(f"[{_RAW}]*")
_BLOCK_OK = re.compile(f"[{_RAW}\n]*")
# Plain (unquoted) scalars: a conservative set that cannot start an indicator or a comment.
_PLAIN = re.compile(r"[^\W_][\w.\-/+()@]*(?: [\w.\-/+()@]+)*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile(f'[^{_RAW}]|["\\\\]')


class _Resolver:
    resolve: Any = None


@lru_cache(maxsize=8192)
def _implicit_type(value: str) -> str:
    """The tag PyYAML gives an unquoted ``value`` (``…:str`` when it stays a string)."""
    if _Resolver.resolve is None:
        import yaml
        from yaml.resolver import Resolver

        resolver = Resolver()
        _Resolver.resolve = lambda text: resolver.resolve(yaml.ScalarNode, text, (True, False))
    return str(_Resolver.resolve(value))


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _double_quoted(value: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def _block_ok(value: str) -> bool:
    """Whether ``value`` reads back exactly from a ``|`` block with auto-detected indent."""
    if "\n" not in value or value[0] in " \n" or value.endswith("\n\n"):
        return False
    if value.endswith(" ") or " \n" in value:
        return False
    return _BLOCK_OK.fullmatch(value) is not None


def scalar(value: Any) -> str:
    """One scalar as it appears after ``key: `` on a single line."""
    if type(value) is str:
        return _string(value) if len(value) > 200 else _short_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} to YAML")
    return _string(value)


@lru_cache(maxsize=16384)
def _short_string(value: str) -> str:
    return _string(value)


def _string(value: str) -> str:
    if value == "":
        return "''"
    if _PLAIN.fullmatch(value) and _implicit_type(value) == "tag:yaml.org,2002:str":
        return value
    if _ALL_RAW.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


def _block(value: str, indent: int) -> list[str]:
    chomp = "" if value.endswith("\n") else "-"
    pad = " " * indent
    body = value[:-1] if value.endswith("\n") else value
    return ["|" + chomp] + [pad + line if line else "" for line in body.split("\n")]


def _value_lines(value: Any, indent: int) -> tuple[str, list[str]]:
    """The text after ``key:`` and the lines below it, nested ``indent`` deep."""
    kind = type(value)
    if kind is str:
        if "\n" in value and _block_ok(value):
            head, *rest = _block(value, indent + 2)
            return " " + head, rest
        return " " + scalar(value), []
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        if not value:
            return " {}", []
        return "", _mapping(value, indent + 2)
    if kind is list or (not isinstance(value, str) and isinstance(value, Sequence)):
        if not value:
            return " []", []
        return "", _sequence(value, indent)
    return " " + scalar(value), []


def _mapping(data: Mapping[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, value in data.items():
        head, rest = _value_lines(value, indent)
        lines.append(f"{pad}{scalar(key)}:{head}")
        lines.extend(rest)
    return lines


def _sequence(items: Sequence[Any], indent: int) -> list[str]:
    # Items sit at the parent's indent ("- "), as PyYAML writes them.
    lines = []
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and item:
            inner = _mapping(item, indent + 2)
            lines.append(pad + "- " + inner[0][indent + 2 :])
            lines.extend(inner[1:])
        elif isinstance(item, str) and _block_ok(item):
            head, *rest = _block(item, indent + 2)
            lines.append(f"{pad}- {head}")
            lines.extend(rest)
        elif isinstance(item, Sequence) and not isinstance(item, str):
            raise TypeError("nested lists are not written")
        elif isinstance(item, Mapping):
            lines.append(f"{pad}- {{}}")
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


def dump(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> str:
    """A YAML document for a mapping (or a list of mappings), ending with a newline."""
    if isinstance(data, Mapping):
        lines = _mapping(data, 0) if data else ["{}"]
    else:
        lines = _sequence(data, 0) if data else ["[]"]
    return "\n".join(lines) + "\n"


def load(text: str | bytes) -> Any:
    """Parse one YAML document with the safe loader (C version when PyYAML has it)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
