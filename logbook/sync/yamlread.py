"""A fast reader for exactly the YAML that ``yamltext.dump`` writes, and nothing more.

PyYAML spends 0.3–0.5 ms building one export file's nodes; an import of 100k files is then
mostly YAML. This reader knows the writer's few shapes (block mappings with plain keys,
``- `` sequences at the parent's indent, ``|``/``|-`` literal blocks, single- and
double-quoted one-line scalars, plain words, integers, ``true``/``false``/``null``, ``{}``,
``[]``) and reads them in one pass over the lines. Whatever else it meets — a comment, a
blank line between keys, a flow collection, an anchor, a tab, a plain scalar that YAML would
read as a date — makes it answer ``None``, and the caller parses the file with PyYAML. So a
file gives the same data either way (``tests/test_yaml_reader.py`` checks it with Hypothesis,
on written files and on hand-edited ones); the fast path only has to be right, not complete.
"""

from __future__ import annotations

import re
from typing import Any

from logbook.sync.yamltext import _RAW, _implicit_type

# The whole text must be printable characters and newlines (no tab, CR, BOM, NEL…), as the
# writer leaves it; PyYAML rejects or treats specially everything outside that set.
_PRINTABLE = re.compile(f"[{_RAW}\n]*")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_PLAIN = re.compile(r"[^\W_][\w.\-/+()@]*(?: [\w.\-/+()@]+)*")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
# The escapes the writer makes; any other (\a, \e, \N, \L, a line continuation…) → PyYAML.
_ESCAPE = re.compile(r"\\(?:([\\\"ntr0])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")
_SIMPLE_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_STR = "tag:yaml.org,2002:str"
# Keys already seen to stay text when unquoted (a field name is checked once, not per line).
_PLAIN_KEYS: set[str] = set()
# What follows "key: " and is no scalar.
_NOT_SCALARS = frozenset(["{}", "[]", "|", "|-"])
_WORDS = {"null": None, "true": True, "false": False}
_WORD_TAGS = {
    "null": "tag:yaml.org,2002:null",
    "true": "tag:yaml.org,2002:bool",
    "false": "tag:yaml.org,2002:bool",
}


class _Unknown(Exception):
    """Something the writer does not write: PyYAML must read this file."""


def load(text: str | bytes) -> Any:
    """The data of one file as PyYAML's safe loader reads it, or ``None``: not recognized."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not text.endswith("\n") or _PRINTABLE.fullmatch(text) is None:
        return None
    lines = text.split("\n")
    lines.pop()  # the empty string after the last newline
    try:
        if lines == ["{}"]:
            return {}
        data, end = _Reader(lines).mapping(0, 0)
    except _Unknown:
        return None
    return data if end == len(lines) else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _scalar(value: str) -> Any:
    """One scalar after ``key: `` or ``- ``, as the writer writes it."""
    first = value[:1]
    if first == "'":
        inner = value[1:-1]
        if len(value) > 1 and value[-1] == "'" and "'" not in inner:
            return inner  # the common case (a timestamp, an id): no quote inside
        match = _SINGLE.fullmatch(value)
        if match is None:
            raise _Unknown
        return match.group(1).replace("''", "'")
    if first == '"':
        match = _DOUBLE.fullmatch(value)
        if match is None:
            raise _Unknown
        return _unescape(match.group(1))
    if value in _WORDS:
        if _implicit_type(value) != _WORD_TAGS[value]:
            raise _Unknown
        return _WORDS[value]
    if _INT.fullmatch(value):
        # A decimal without a leading zero, sign "-" or none, is an int to YAML 1.1's
        # resolver whatever its digits (its float, timestamp and sexagesimal forms all need
        # a ".", a "-" after a digit, a ":" or a "_"): asking it for every number would also
        # push the words it has answered out of its cache (an export has an id per file).
        return int(value)
    if _PLAIN.fullmatch(value) is None or _implicit_type(value) != _STR:
        raise _Unknown
    return value


def _unescape(body: str) -> str:
    parts = []
    at = 0
    for match in _ESCAPE.finditer(body):
        if match.start() != at and "\\" in body[at : match.start()]:
            raise _Unknown  # an escape the writer does not make
        parts.append(body[at : match.start()])
        simple, *codes = match.groups()
        if simple is not None:
            parts.append(_SIMPLE_ESCAPES[simple])
        else:
            code = int(next(c for c in codes if c is not None), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise _Unknown  # libyaml refuses these; PyYAML must say so
            parts.append(chr(code))
        at = match.end()
    if "\\" in body[at:]:
        raise _Unknown
    parts.append(body[at:])
    return "".join(parts)


class _Reader:
    """One pass over a file's lines; each method returns a value and the next line's index."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def mapping(self, at: int, indent: int) -> tuple[dict[str, Any], int]:
        lines = self.lines
        data: dict[str, Any] = {}
        pad = " " * indent
        while at < len(lines):
            line = lines[at]
            if not line.startswith(pad) or line[indent : indent + 1] == " ":
                if _indent(line) > indent or not line.strip():
                    raise _Unknown  # a continuation, a blank line or a stray indent
                break  # the mapping ends: a line less indented
            match = _KEY.fullmatch(line, indent)
            if match is None:
                raise _Unknown
            key, rest = match.groups()
            if key in data:
                raise _Unknown  # PyYAML keeps the last; never written
            if key not in _PLAIN_KEYS:
                if _implicit_type(key) != _STR:
                    raise _Unknown
                if len(_PLAIN_KEYS) < 1000:  # bounded, whatever the files hold
                    _PLAIN_KEYS.add(key)
            if rest is not None and rest not in _NOT_SCALARS:
                data[key] = _scalar(rest)  # most lines: "key: value"
                at += 1
            else:
                data[key], at = self.value(rest, at + 1, indent)
        return data, at

    def value(self, rest: str | None, at: int, indent: int) -> tuple[Any, int]:
        """The value after ``key:`` (``rest``: the text after ``": "``) whose key is at ``indent``."""
        if rest is None:
            line = self.lines[at] if at < len(self.lines) else ""
            if line.startswith(" " * indent + "- ") and _indent(line) == indent:
                return self.sequence(at, indent)
            if _indent(line) == indent + 2 and line.strip():
                return self.mapping(at, indent + 2)
            raise _Unknown  # an empty value: null in YAML, never written
        if rest == "{}":
            return {}, at
        if rest == "[]":
            return [], at
        if rest in ("|", "|-"):
            return self.block(at, indent + 2, keep_last=rest == "|")
        return _scalar(rest), at

    def sequence(self, at: int, indent: int) -> tuple[list[Any], int]:
        lines = self.lines
        items: list[Any] = []
        head = " " * indent + "- "
        item: Any
        while at < len(lines) and lines[at].startswith(head):
            rest = lines[at][indent + 2 :]
            if rest in ("|", "|-"):
                item, at = self.block(at + 1, indent + 2, keep_last=rest == "|")
            elif rest == "{}":
                item, at = {}, at + 1
            elif _KEY.fullmatch(rest):
                # "- key: value": a mapping whose first key sits after the dash
                lines[at] = " " * (indent + 2) + rest
                item, at = self.mapping(at, indent + 2)
            else:
                item, at = _scalar(rest), at + 1
            items.append(item)
        # what follows must be the parent's next key (or less indented): not "-x", not a
        # continuation of the last item
        after = lines[at] if at < len(lines) else ""
        if (
            after.strip()
            and _indent(after) >= indent
            and not (_indent(after) == indent and after[indent] != "-")
        ):
            raise _Unknown
        return items, at

    def block(self, at: int, indent: int, *, keep_last: bool) -> tuple[str, int]:
        """A ``|`` (``keep_last``: one final newline) or ``|-`` literal block ``indent`` deep."""
        lines = self.lines
        pad = " " * indent
        body: list[str] = []
        # The writer's first line is never blank and never starts with a space, so YAML's
        # detected indent is ``indent``; anything else is left to PyYAML.
        if at >= len(lines) or not lines[at].startswith(pad) or lines[at][indent:][:1] in ("", " "):
            raise _Unknown
        while at < len(lines):
            line = lines[at]
            if line.startswith(pad):
                if not line.strip():
                    raise _Unknown  # spaces only: YAML's rules for these are subtle
                body.append(line[indent:])
            elif line == "":
                body.append("")
            elif line.strip() == "":
                raise _Unknown
            else:
                break
            at += 1
        while body and body[-1] == "":
            body.pop()  # trailing blank lines are chomped by both | and |-
        return "\n".join(body) + ("\n" if keep_last else ""), at
