"""logbook's search language: query text → a small syntax tree, with no database in sight.

The store renders the tree to its index (an FTS5 expression on SQLite), so another backend can
render the same tree (a tsquery on PostgreSQL). The language:

- words: all must match (``attention kernel``); ``AND`` between them may be written
- ``"an exact phrase"``; an unclosed quote runs to the end
- ``-word``, ``-"a phrase"``, ``-(a OR b)`` or ``NOT word``: must not match
- ``a OR b``; AND binds tighter (``a b OR c`` is ``(a b) OR c``); ``( … )`` groups
- ``prefix*``, ``"a phrase with a prefix*"``
- fields: ``tag:kernels``, ``kind:idea|paper|post``, ``author:vaswani`` (also
  ``author:"Ashish Vaswani"``), ``id:12`` (an entry number), ``id:1706.03762`` or
  ``arxiv:1706.03762``; a word that is an arXiv id in any form (``1706.03762v2``,
  ``https://arxiv.org/abs/1706.03762``, ``hep-th/9901001``) also finds the paper

Everything else is taken literally, so parsing never fails: ``self-attention`` is the phrase
"self attention", ``c++`` the word "c", a lone ``OR`` or ``-`` is just text, a stray ``)`` is
ignored. Text with no letters or digits (``*``, ``-``) searches for nothing and is dropped;
a query of nothing but such text parses to ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Union

from logbook.arxiv_ids import parse_arxiv_id


@dataclass(frozen=True)
class Term:
    """A word as typed; may hold punctuation (``self-attention``), which splits it into words."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in this order."""

    text: str


@dataclass(frozen=True)
class Prefix:
    """Words whose last one is a prefix (``transform*``)."""

    text: str


@dataclass(frozen=True)
class Field:
    """A filter on one field: ``tag``, ``kind``, ``author``, ``id`` (a number) or ``arxiv``.

    Values are checked at parse time: ``kind`` is ``idea``, ``paper`` or ``post``; ``arxiv``
    is a versionless arXiv id; ``id`` a decimal number; ``author`` may end in ``*``.
    """

    name: str
    value: str


@dataclass(frozen=True)
class Not:
    """Entries that do not match ``child``."""

    child: Node


@dataclass(frozen=True)
class And:
    """Entries matching every child (two or more)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Entries matching any child (two or more)."""

    children: tuple[Node, ...]


Node = Union[Term, Phrase, Prefix, Field, Not, And, Or]  # noqa: UP007 (a runtime alias)

ENTRY_KINDS = ("idea", "paper", "post")
FIELDS = ("tag", "kind", "author", "id", "arxiv")
_FIELD = re.compile(r"(?P<name>[A-Za-z]+):(?P<value>.*)", re.DOTALL)
# An entry number short enough for any database integer.
_NUMBER = re.compile(r"[0-9]{1,18}")


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or digit, i.e. something an index can search for."""
    # The characters FTS5's unicode61 tokenizer keeps: letters, numbers, private use.
    return any(
        unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "Co" for char in text
    )


@dataclass(frozen=True)
class _Token:
    kind: str  # word, phrase, field, neg, not, or, and, open, close
    text: str = ""
    value: str = ""


_SPECIAL = '"()'


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append(_Token("phrase", text[i + 1 : end]))
            i = end + 1
        elif char in "()":
            tokens.append(_Token("open" if char == "(" else "close"))
            i += 1
        elif char == "-" and i + 1 < n and not text[i + 1].isspace():
            # A minus that starts a word negates it; inside a word (self-attention) it is text.
            tokens.append(_Token("neg"))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in _SPECIAL:
                i += 1
            word = text[start:i]
            field = _FIELD.fullmatch(word)
            if field and field["name"].lower() in FIELDS and parse_arxiv_id(word) is None:
                value = field["value"]
                if not value and i < n and text[i] == '"':
                    end = text.find('"', i + 1)
                    end = n if end < 0 else end
                    value, i = text[i + 1 : end], end + 1
                tokens.append(_Token("field", word, value))
            elif word in ("OR", "NOT", "AND"):
                tokens.append(_Token(word.lower(), word))
            else:
                tokens.append(_Token("word", word))
    return _operators_in_place(tokens)


_OPERAND_START = {"word", "phrase", "field", "neg", "not", "open"}
_OPERAND_END = {"word", "phrase", "field", "close"}


def _operators_in_place(tokens: list[_Token]) -> list[_Token]:
    """OR, AND and NOT are operators only where one fits; anywhere else they are words."""
    out: list[_Token] = []
    for n, token in enumerate(tokens):
        after = tokens[n + 1].kind if n + 1 < len(tokens) else None
        before = out[-1].kind if out else None
        if token.kind in ("or", "and"):
            fits = before in _OPERAND_END and after in _OPERAND_START
        elif token.kind == "not":
            fits = after in _OPERAND_START
        else:
            fits = True
        out.append(token if fits else _Token("word", token.text))
    return [token for token in out if token.kind != "and"]


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def either(self, depth: int) -> Node | None:
        groups: list[list[Node]] = [[]]
        while (kind := self.peek()) is not None:
            if kind == "close":
                self.at += 1
                if depth > 0:
                    break
                continue  # a stray ")" is nothing
            if kind == "or":
                self.at += 1
                groups.append([])
                continue
            node = self.unary(depth)
            if node is not None:
                groups[-1].append(node)
        return _any([_all(group) for group in groups if group])

    def unary(self, depth: int) -> Node | None:
        token = self.tokens[self.at]
        self.at += 1
        if token.kind in ("neg", "not"):
            if self.peek() in (None, "close", "or"):
                return None
            child = self.unary(depth)
            return Not(child) if child is not None else None
        if token.kind == "open":
            return self.either(depth + 1)
        return _atom(token)


def _all(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _any(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))


def _atom(token: _Token) -> Node | None:
    if token.kind == "phrase":
        if not has_words(token.text):
            return None
        # "scaling law*": the phrase with its last word a prefix.
        return Prefix(token.text.rstrip("*")) if token.text.endswith("*") else Phrase(token.text)
    if token.kind == "field":
        return _field(token.text.partition(":")[0].lower(), token.value) or _word(token.text)
    return _word(token.text)


def _word(text: str) -> Node | None:
    if not has_words(text):
        return None
    arxiv = parse_arxiv_id(text)
    if arxiv is not None:
        # The paper itself, and any text that mentions the id as written.
        return Or((Field("arxiv", arxiv.id), Term(text)))
    if text.endswith("*"):
        return Prefix(text.rstrip("*"))
    return Term(text)


def _field(name: str, value: str) -> Node | None:
    if name in ("id", "arxiv"):
        arxiv = parse_arxiv_id(value)
        if arxiv is not None:
            return Field("arxiv", arxiv.id)
        if name == "id" and _NUMBER.fullmatch(value):
            return Field("id", str(int(value)))
        return None
    if name == "kind":
        return Field("kind", value.lower()) if value.lower() in ENTRY_KINDS else None
    return Field(name, value.strip()) if has_words(value) else None


def parse_query(text: str) -> Node | None:
    """The syntax tree of ``text``; never fails. ``None`` when nothing in it is searchable."""
    return _Parser(_tokens(text)).either(0)


def conjuncts(node: Node) -> list[Node]:
    """The parts that must all hold: an And's children, or the node itself."""
    return list(node.children) if isinstance(node, And) else [node]


def wanted_texts(node: Node | None) -> list[tuple[str, bool]]:
    """The texts a match shows (not those under a Not), each with whether it is a prefix."""
    if isinstance(node, Term | Phrase):
        return [(node.text, False)]
    if isinstance(node, Prefix):
        return [(node.text, True)]
    if isinstance(node, Field) and node.name == "author":
        return [(node.value.rstrip("*"), node.value.endswith("*"))]
    if isinstance(node, And | Or):
        return [text for child in node.children for text in wanted_texts(child)]
    return []


def asks_for_kind(node: Node | None, kind: str) -> bool:
    """Whether ``kind:<kind>`` appears in ``node`` other than negated."""
    if isinstance(node, Field):
        return node.name == "kind" and node.value == kind
    if isinstance(node, And | Or):
        return any(asks_for_kind(child, kind) for child in node.children)
    return False
