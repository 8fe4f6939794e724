"""Jekyll's rules for a post file: its name, its front matter, and text that Liquid leaves alone.

Jekyll reads ``_posts/YYYY-MM-DD-slug.md``; a file named any other way is skipped without a
word. The front matter is YAML between two ``---`` lines. The body goes through Liquid before
markdown, so ``{{`` or ``{%`` in an abstract either breaks the whole site build or silently
vanishes; every piece of text that came from the user or from arXiv goes through
``markdown_text`` or ``plain_text`` here before it reaches a template.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from logbook.errors import PublishError
from logbook.publish.html_safety import neutralise_markup

POSTS_DIR = "_posts"
SLUG_MAX = 60
EXCERPT_MAX = 200

# ---------------------------------------------------------------------------------------
# File names


def slugify(text: str, *, fallback: str = "post", limit: int = SLUG_MAX) -> str:
    """An ASCII, lower-case, hyphenated slug of at most ``limit`` characters.

    Accents are folded (``Écoute`` → ``ecoute``); anything else that is not a letter or a digit
    becomes a hyphen, so a slug can hold no ``/``, ``.`` or ``..`` and never leaves ``_posts/``.
    A title with no ASCII letters at all (CJK, emoji) gets ``fallback``, slugified the same way.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
        slug = slug.strip("-")
    if not slug:
        if fallback == text:
            return "post"
        return slugify(fallback, fallback="post", limit=limit)
    return slug


def post_filename(date: datetime, slug: str) -> str:
    """``_posts/2020-10-19-slug.md``: the date is the post's date in its own zone."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise PublishError(f"{slug!r} is not a safe slug")
    return f"{POSTS_DIR}/{date:%Y-%m-%d}-{slug}.md"


_RELATIVE = re.compile(r"_posts/\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md")


def post_path(site: Path, relative: str) -> Path:
    """The file ``relative`` (``_posts/…``) inside ``site``, checked to stay in ``_posts/``."""
    if not _RELATIVE.fullmatch(relative):
        raise PublishError(f"{relative!r} is not a post file name logbook writes")
    folder = (site / POSTS_DIR).resolve()
    target = (folder / relative.removeprefix(POSTS_DIR + "/")).resolve()
    if target.parent != folder:
        raise PublishError(f"{relative} would be written outside {folder}")
    return target


def content_hash(data: str | bytes) -> str:
    """sha256 of the bytes of a post file, to notice edits made by hand."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------------------------------
# Front matter


def jekyll_date(moment: datetime) -> str:
    """A post date as Jekyll reads it: ``2020-10-19 09:00:00 +0200`` with the real offset."""
    if moment.tzinfo is None:
        raise ValueError("a post date needs a time zone")
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def one_line(text: str) -> str:
    """``text`` with every run of white space (new lines included) made one space."""
    return " ".join(text.split())


def front_matter(fields: dict[str, Any]) -> str:
    """The YAML block, ``---`` lines included, written by PyYAML's emitter.

    Values are never pasted into YAML by hand: a title with ``: ``, quotes, ``#`` or ``---``
    is quoted by the emitter. Long values are not folded, so no line of the block can start
    with ``---`` or ``...`` (which would end Jekyll's front matter early); that is checked.
    """
    import yaml

    text = yaml.safe_dump(
        fields,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    for line in text.splitlines():
        if re.match(r"^(---|\.\.\.)\s*$", line):
            raise PublishError("the front matter would contain a line Jekyll reads as its end")
    return f"---\n{text}---\n"


def excerpt_of(text: str, limit: int = EXCERPT_MAX) -> str:
    """A one-line excerpt of at most ``limit`` characters, cut at a word, with "…".

    It goes into the front matter, which Jekyll neither runs through Liquid nor cuts itself,
    so it can never split a ``{% raw %}`` block of the body.
    """
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


# ---------------------------------------------------------------------------------------
# Liquid

_LIQUID = re.compile(r"\{[{%]")
_BLANK_LINES = re.compile(r"(\n[ \t]*\n\s*)")


def liquid_literal(text: str) -> str:
    """``text`` wrapped so that Jekyll's Liquid outputs it exactly as it is.

    Each paragraph that holds ``{{`` or ``{%`` goes in its own ``{% raw %}…{% endraw %}``
    (never across a blank line, so even Jekyll's own excerpt, cut at the first blank line,
    never splits a raw block). A raw block ends at the first ``{%`` tag named ``endraw``,
    so the text is split at every ``{%`` and the two characters are written by Liquid itself:
    ``{{ "{%" }}``. Inside a piece with no ``{%``, nothing but our ``{% endraw %}`` can end
    the block.
    """
    if not _LIQUID.search(text) and not text.endswith("{"):
        return text
    parts = _BLANK_LINES.split(text)
    out = []
    for index, part in enumerate(parts):
        is_separator = index % 2 == 1
        if is_separator or (not _LIQUID.search(part) and not part.endswith("{")):
            out.append(part)
        else:
            out.append(_raw(part))
    return "".join(out)


def _raw(chunk: str) -> str:
    pieces = chunk.split("{%")
    return '{{ "{%" }}'.join(
        f"{{% raw %}}{piece}{{% endraw %}}" if piece else "" for piece in pieces
    )


# ---------------------------------------------------------------------------------------
# Math and markdown

# $$…$$ first, then $…$ by pandoc's rule: no space inside the dollars, no digit after the
# closing one ("costs $5 and $6" is not math). No "$" inside, not even as "\$": each try
# stops at the next "$", so a line of "$\$\$…" takes linear time, not quadratic.
# $$…$$ never spans a blank line: kramdown's math cannot (a paragraph ends there), so what
# lay between would reach kramdown as prose, raw HTML and all, without being neutralised.
_DISPLAY = r"\$\$(?:\\[^$\n]|[^$\\\n]|\n(?![ \t]*\n))+?\$\$"
_MATH = _DISPLAY + r"|\$(?![\s$])(?:\\[^$\n]|[^$\\\n])*?(?<![\s\\])\$(?!\d)"
_MATH_RE = re.compile(_MATH)
# Code is left alone in the user's markdown: fenced blocks and `code spans`. Both are found
# by a linear scan (a regex with back-references takes cubic time on a line of backticks).
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def _prose_and_code(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each marked ``True`` when it is code (fenced or a span)."""
    pieces: list[tuple[str, bool]] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening is None:
            prose.append(line)
            continue
        if fence is None and opening is not None:
            fence = opening.group(1)
            pieces.extend(_spans("\n".join(prose) + "\n") if prose else [])
            prose = []
        elif fence is not None and opening is not None:
            mark = opening.group(1)
            if (
                mark[0] == fence[0]
                and len(mark) >= len(fence)
                and not line[opening.end() :].strip()
            ):
                fence = None
                pieces.append((line + "\n", True))
                continue
        pieces.append((line + "\n", True))
    if prose:
        pieces.extend(_spans("\n".join(prose) + "\n"))
    last, is_code = pieces[-1]
    pieces[-1] = (last[:-1], is_code)  # the scan added a new line after the last line
    return pieces


def _spans(block: str) -> list[tuple[str, bool]]:
    """A prose block cut at its code spans: a run of N backticks closes at the next run of N."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(block)]
    later: dict[int, deque[int]] = {}
    for index, (begin, end) in enumerate(runs):
        later.setdefault(end - begin, deque()).append(index)
    pieces: list[tuple[str, bool]] = []
    last, index = 0, 0
    while index < len(runs):
        begin, end = runs[index]
        # "\`" outside code is a backtick kramdown shows, not the start of a code span: the
        # run opens with one backtick fewer (inside code a backslash escapes nothing, so a
        # closing run is always whole). Taking it for code would leave its text raw.
        slashes = len(block[last:begin]) - len(block[last:begin].rstrip("\\"))
        begin += slashes % 2
        queue = later.get(end - begin, deque())
        while queue and queue[0] <= index:
            queue.popleft()
        if begin == end or not queue:
            index += 1
            continue
        close = queue.popleft()
        pieces.append((block[last:begin], False))
        pieces.append((block[begin : runs[close][1]], True))
        last, index = runs[close][1], close + 1
    pieces.append((block[last:], False))
    return pieces


def _kramdown_math(span: str) -> str:
    """``$x$`` → ``$$x$$``: kramdown's only math delimiter (inline inside a paragraph).

    Everything else in the span reaches MathJax as written (kramdown copies math verbatim
    and HTML-escapes it, so ``<`` is text, and ``_``, ``*``, ``\\`` are not markdown), except
    a bare ``|``: kramdown reads any line with one as a table row before it looks for math,
    so ``$|x|$`` would cut the paragraph into cells. It becomes ``\vert``, the same bar.
    """
    span = _math_bars(span)
    if span.startswith("$$"):
        return span
    return f"${span}$"


_BAR = re.compile(r"(?<!\\)\|")


def _math_bars(span: str) -> str:
    r"""``|`` (not ``\|``, the double bar) as ``\vert `` inside a math span."""
    return _BAR.sub(lambda _: "\\vert ", span) if "|" in span else span


def markdown_text(text: str, *, math: str = "mathjax") -> str:
    """The user's own markdown (an idea, notes), ready for a Jekyll post.

    With ``math="mathjax"``, ``$…$`` outside code becomes kramdown's ``$$…$$``; ``plain``
    leaves it. Raw HTML and links that are not http(s), mailto or relative are shown as text
    (``html_safety.neutralise_markup``). Then Liquid is neutralised.
    """
    return liquid_literal(markdown_source(text, math=math))


def markdown_source(text: str, *, math: str = "mathjax") -> str:
    """``markdown_text`` before Liquid is neutralised: the markdown kramdown will read."""
    text = text.strip("\n")
    return "".join(
        piece if is_code else _prose(piece, math) for piece, is_code in _prose_and_code(text)
    )


_DISPLAY_MATH_RE = re.compile(_DISPLAY)


def _prose(prose: str, math: str) -> str:
    """Prose of the user's markdown: math made kramdown's, raw HTML and bad links made text.

    Math spans are left alone (kramdown escapes its own math); in ``plain`` mode only
    ``$$…$$`` is math to kramdown, so ``$a<b>c$`` there is escaped like any prose.
    """
    spans = _MATH_RE if math == "mathjax" else _DISPLAY_MATH_RE
    if "$" not in prose:
        return neutralise_markup(prose)
    pieces, last = [], 0
    for match in spans.finditer(prose):
        pieces.append(neutralise_markup(prose[last : match.start()]))
        pieces.append(_kramdown_math(match.group(0)))
        last = match.end()
    pieces.append(neutralise_markup(prose[last:]))
    return "".join(pieces)


# Characters kramdown would read as markup in plain text: emphasis, code, links, HTML,
# headings, tables, attribute lists, math, and the typographic "--".
_MARKUP = re.compile(r"([\\`*_\[\]<>#|{}$]|-(?=-))")


def _escape_markdown(text: str, *, at_start: bool = False) -> str:
    escaped = _MARKUP.sub(r"\\\1", text)
    if at_start:
        # At the start of a block "+ ", "- ", ": " or "1. " would begin a list or definition.
        escaped = re.sub(r"^([+:-])(?=\s)", r"\\\1", escaped)
        escaped = re.sub(r"^(\d+)\.(?=\s)", r"\1\\.", escaped)
    return escaped


def plain_text(text: str, *, math: str = "mathjax", paragraphs: bool = False) -> str:
    """Text that is not markdown (titles, authors and abstracts from arXiv), shown literally.

    White space is folded (arXiv breaks abstracts at 80 columns; ``paragraphs`` keeps blank
    lines), markdown characters are escaped outside math, ``$…$`` math is kept readable
    (``mathjax``: kramdown's ``$$…$$``; ``plain``: as it was), then Liquid is neutralised.
    """
    blocks = re.split(r"\n\s*\n", text.strip()) if paragraphs else [text]
    rendered = []
    for block in blocks:
        line = one_line(block)
        if not line:
            continue
        pieces, last = [], 0
        for match in _MATH_RE.finditer(line):
            pieces.append(_escape_markdown(line[last : match.start()], at_start=last == 0))
            span = match.group(0)
            pieces.append(_kramdown_math(span) if math == "mathjax" else _math_bars(span))
            last = match.end()
        pieces.append(_escape_markdown(line[last:], at_start=last == 0))
        rendered.append("".join(pieces))
    return liquid_literal("\n\n".join(rendered))
