"""What keeps text from arXiv or from the user from becoming HTML on a Jekyll page.

Three ways in, each closed here:

- **Front matter.** Themes print ``page.title``, ``post.excerpt``, tags and categories
  themselves, outside the markdown: minima prints ``{{ post.excerpt }}`` as it is (Jekyll's own
  excerpt is HTML) and ``{{ post.title | escape }}``. ``front_matter_value`` makes every value
  inert whichever way a theme prints it.
- **The user's markdown.** kramdown passes raw HTML through, so one unclosed ``<div>`` in an
  idea swallows the rest of a weekly post and ``<img onerror=…>`` runs. ``neutralise_markup``
  escapes raw HTML (and kramdown's ``{: …}`` attribute lists and ``{::…}`` extensions, which
  write attributes and raw HTML too) and breaks links whose scheme is not http(s) or mailto.
- **Links logbook writes** (PDF, DOI, arXiv pages): ``safe_url`` keeps ``http(s)://`` only.
"""

from __future__ import annotations

import html
import re
from typing import Any

# An "&" that a browser would read as the start of a character reference (``&lt;``,
# ``&#60;``); a bare "&" (``Q&A``) is left, so it reads the same escaped by a theme or not.
_CHAR_REF = re.compile(r"&(?=#[0-9xX]|[A-Za-z][A-Za-z0-9]*;)")
_WEB_SCHEME = re.compile(r"https?://[^/\s]", re.IGNORECASE)
_URL_UNSAFE = re.compile(r"[\s()<>\"'\\`]")


def front_matter_value(value: Any, *, is_html: bool = False) -> Any:
    """A front-matter value (a string, or a list of them) that no theme can print as markup.

    Text values (title, tags, categories, author), which themes escape themselves, lose only
    what could open markup: ``<`` becomes ``&lt;`` and an ``&`` that starts a character
    reference becomes ``&amp;``, so ``Q&A`` and quotes read the same in a theme that escapes
    and one that does not. ``is_html`` values (``excerpt``: Jekyll's own excerpt is HTML, so
    themes print it as it is) are escaped fully, quotes included.
    """
    if isinstance(value, list):
        return [front_matter_value(item, is_html=is_html) for item in value]
    if not isinstance(value, str):
        return value
    if is_html:
        return html.escape(value, quote=True)
    return _CHAR_REF.sub("&amp;", value).replace("<", "&lt;")


def safe_url(url: str | None) -> str:
    """``url`` when it is an ``http(s)://`` link, made safe inside a markdown ``(…)``; else "".

    ``javascript:``, ``data:`` and every other scheme are dropped, so a template that prints
    a link only when it has one shows no link at all.
    """
    url = (url or "").strip()
    if not _WEB_SCHEME.match(url):
        return ""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


# ---------------------------------------------------------------------------------------
# The user's markdown

# "<" that begins an autolink kramdown makes only for these schemes: kept as a link.
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]*>", re.IGNORECASE)
# "](" of an inline link or image: what follows is its destination.
_INLINE_LINK = re.compile(r"\][ \t]*\([ \t]*<?[ \t]*([^\s)>]*)")
# A reference definition "[id]: destination" at the start of a line.
_LINK_DEF = re.compile(r"^([ ]{0,3})\[([^\]\n]+)\]:[ \t]*<?([^\s>]*)", re.MULTILINE)
# kramdown's attribute lists and extensions: "{:.class}", "{: onclick=…}", "{::nomarkdown}".
_KRAMDOWN_BRACE = re.compile(r"\{(?=:)")


def safe_destination(destination: str) -> bool:
    """True for a link destination a browser cannot run: http(s), mailto, or a relative one.

    A relative destination has no ``:``, ``&`` or ``\\`` before its first ``/``, ``?`` or
    ``#`` (so neither ``javascript:`` nor ``javascript&#58;`` nor ``java\\tscript:`` passes).
    """
    if re.match(r"(?:https?://|mailto:)", destination, re.IGNORECASE):
        return True
    head = re.split(r"[/?#]", destination, maxsplit=1)[0]
    return not re.search(r"[:&\\]|[\x00-\x20\x7f]", head)


def neutralise_markup(prose: str) -> str:
    """Markdown prose (never code) with raw HTML and unsafe links shown as text.

    ``<`` is escaped (``\\<``) except where it opens an http(s) or mailto autolink; ``{:`` is
    escaped; a link or link definition whose destination is not ``safe_destination`` keeps
    its text and loses its link.
    """
    if not any(mark in prose for mark in ("<", "](", "]:", "{:")):
        return prose
    prose = _LINK_DEF.sub(_def_or_text, prose)
    prose = _INLINE_LINK.sub(_link_or_text, prose)
    prose = _KRAMDOWN_BRACE.sub(r"\\{", prose)
    pieces, last = [], 0
    for match in _AUTOLINK.finditer(prose):
        pieces.append(prose[last : match.start()].replace("<", "\\<"))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(prose[last:].replace("<", "\\<"))
    return "".join(pieces)


def _link_or_text(match: re.Match[str]) -> str:
    if safe_destination(match.group(1)):
        return match.group(0)
    # "]\(": kramdown no longer reads a link, and shows "(" (a backslash escape).
    return "]\\(" + match.group(0)[match.group(0).index("(") + 1 :]


def _def_or_text(match: re.Match[str]) -> str:
    if safe_destination(match.group(3)):
        return match.group(0)
    return match.group(1) + "\\" + match.group(0)[len(match.group(1)) :]
