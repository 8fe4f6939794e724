"""Indented JSON, byte for byte what ``json.dumps(value, ensure_ascii=False, indent=2)`` writes.

The standard library encodes with its C accelerator only when there is no indent; with one
it falls back to a pure-Python generator that yields every token, and a 100k-paper
``reading-list --format json`` spent most of its time there. Here the shapes our JSON has
(dicts with string keys, lists, strings, ints, booleans, None) are written directly, strings
by the standard library's C string encoder, at about the speed of its unindented C path.
Anything else (floats, other types, what ``default`` returns) goes to ``json.dumps`` itself,
so every rule stays the standard library's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring  # the C encoder when CPython has it
from typing import Any

Default = Callable[[Any], Any] | None

# '"key": ' for the keys seen so far: our dicts repeat the same few dozen keys
_KEYS: dict[str, str] = {}
_MAX_KEYS = 4096


def dumps(value: Any, default: Default = None) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, default=default)``, faster."""
    return _encoded(value, "\n", default)


def list_chunks(items: Iterable[Any], default: Default = None) -> Iterator[str]:
    """``dumps(list(items))`` and a newline, in pieces, one item at a time: a long list is
    written as it is read, never held whole."""
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + _encoded(item, "\n  ", default)
        first = False
    yield "[]\n" if first else "\n]\n"


def _encoded(value: Any, newline: str, default: Default) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is dict:
        if not value:
            return "{}"
        text = _dict(value, newline, default)
        if text is not None:
            return text
    elif kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        items = [encode_basestring(v) if type(v) is str else _encoded(v, inner, default) for v in value]  # fmt: skip
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    # JSON text holds no raw newline, so indenting the standard library's text is exact
    text = json.dumps(value, ensure_ascii=False, indent=2, default=default)
    return text.replace("\n", newline) if newline != "\n" else text


def _dict(value: dict[Any, Any], newline: str, default: Default) -> str | None:
    """A dict with string keys; None for another (``json.dumps`` converts its keys)."""
    inner = newline + "  "
    parts = []
    for k, v in value.items():
        key = _KEYS.get(k)
        if key is None:
            if type(k) is not str:
                return None
            key = encode_basestring(k) + ": "
            if len(_KEYS) < _MAX_KEYS:
                _KEYS[k] = key
        # the scalars inline: a paper's dict is mostly strings and numbers
        kind = type(v)
        if kind is str:
            parts.append(key + encode_basestring(v))
        elif v is None:
            parts.append(key + "null")
        elif kind is int:
            parts.append(key + int.__repr__(v))
        else:
            parts.append(key + _encoded(v, inner, default))
    return "{" + inner + ("," + inner).join(parts) + newline + "}"
