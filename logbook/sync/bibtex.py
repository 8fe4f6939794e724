"""BibTeX for the reading list: one entry per paper that BibTeX, and any parser following its
brace rules, reads back; titles braced where a style must keep their capitals.

Plain ASCII text (most abstracts, most names and titles) is recognised in one cheap pass and
written as it is; anything else goes through the general escapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logbook.store.paper_views import Citation, PaperView

    Cited = PaperView | Citation  # what a BibTeX entry shows

# Characters that mean something to (La)TeX outside maths, and how to write them as text.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Combining accents and the TeX accent command for each.
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": '"',
    "\u0304": "=",
    "\u0307": ".",
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0306": "u",
    "\u0327": "c",
    "\u0328": "k",
    "\u0323": "d",
}
_LETTERS = {
    "ß": r"{\ss}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "å": r"{\aa}",
    "Å": r"{\AA}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "\u00a0": "~",
}
_GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho varsigma sigma tau upsilon phi chi psi omega".split()  # noqa: SIM905


def _greek(char: str) -> str | None:
    code = ord(char)
    if 0x3B1 <= code <= 0x3C9:
        name = _GREEK[code - 0x3B1]
        return None if name in ("omicron", "varsigma") else f"$\\{name}$"
    if 0x391 <= code <= 0x3A9:
        name = _GREEK[code - 0x391]
        if name in ("gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"):  # fmt: skip
            return f"$\\{name.capitalize()}$"
    return None


def tex_char(char: str) -> str:
    """One character written for BibTeX text (outside maths)."""
    if char in _TEX_SPECIALS:
        return _TEX_SPECIALS[char]
    if char.isascii():
        return char
    if char in _LETTERS:
        return _LETTERS[char]
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if base.isascii() and base.isalpha() and len(marks) == 1 and marks in _ACCENTS:
        command = _ACCENTS[marks]
        letter = r"\i" if base == "i" else base
        if command.isalpha():
            return f"{{\\{command}{{{letter}}}}}"
        return f"{{\\{command}{letter}}}"
    return _greek(char) or char  # anything else stays UTF-8, which BibTeX files may hold


# one character class, not an alternation: it is searched over every abstract
_NEEDS_TEX = re.compile("[\\\\{}&%$#_~^\x80-\U0010ffff]")


# What ``tex_text`` cannot keep in ASCII text: control characters (tabs and newlines among
# them) and TeX's specials. Checked on the encoded bytes: a regular expression scans an
# abstract about ten times slower than ``bytes.translate``.
_NOT_KEPT = bytes(range(32)) + b"\x7f\\{}&%$#_~^"


def _kept(text: str) -> bool:
    """Whether ``tex_text`` keeps ``text`` as it is: ASCII without control characters or
    TeX's specials, and single spaces between words (most abstracts)."""
    if not text.isascii():
        return False
    data = text.encode("ascii")
    return (
        len(data.translate(None, _NOT_KEPT)) == len(data)
        and b"  " not in data
        and data[:1] != b" "
        and data[-1:] != b" "
    )


def tex_text(text: str) -> str:
    """Text escaped for a BibTeX field: specials and accents as TeX, braces always balanced.

    ``$…$`` maths whose braces balance is kept as written (arXiv titles are LaTeX).
    """
    if _kept(text):
        return text
    text = " ".join(text.split())
    if not _NEEDS_TEX.search(text):
        return text
    text = unicodedata.normalize("NFC", text)
    pieces = re.split(r"(\$[^$]+\$)", text)
    out = []
    for piece in pieces:
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 2 and _balanced(piece):
            out.append(re.sub(r"(?<!\\)%", r"\\%", piece))
        else:
            out.append(_NEEDS_TEX.sub(lambda m: tex_char(m.group()), piece))
    return "".join(out)


def _balanced(text: str) -> bool:
    """Whether the braces balance as BibTeX counts them (every brace, escaped or not)."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _verbatim(text: str) -> str:
    """A DOI or URL: left as is, except braces and backslashes, which would break the entry."""
    return text.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").strip()


_GROUP = re.compile(
    r"\band\b|collaboration|consortium|\bteam\b|\bgroup\b|\bproject\b", re.IGNORECASE
)


_GROUP_WORDS = ("and", "collaboration", "consortium", "team", "group", "project")


def bib_name(author: str) -> str:
    """An author for BibTeX's ``author`` list; a group name is braced as one name."""
    text = tex_text(author)
    lowered = author.lower()
    # the words first: most names hold none of them, and the search is slower
    if any(word in lowered for word in _GROUP_WORDS) and _GROUP.search(author):
        return f"{{{text}}}"
    return text


def bib_authors(authors: Sequence[str]) -> str:
    """BibTeX's ``author`` field: the names (``bib_name``) joined by ``and``."""
    joined = " and ".join(authors)
    # one check for the whole list: most lists are plain ASCII names, none of them a group
    if _kept(joined) and not _any_group(authors):
        return joined
    return " and ".join(bib_name(a) for a in authors)


def _any_group(authors: Sequence[str]) -> bool:
    lowered = "\x00".join(authors).lower()
    if not any(word in lowered for word in _GROUP_WORDS):
        return False
    return any(_GROUP.search(a) for a in authors)


_WORD = re.compile(r"[^\W\d_]+")


def _keeps_case(word: str) -> bool:
    """Whether a style must keep the capitals of ``word``: one with a capital after its first
    letter (BERT, ChatGPT, iPhone) or a lone capital (Large N, X-ray); title-case words are
    left to the style."""
    rest = word[1:]  # letters only (_WORD): one of them is a capital if lowering changes it
    return rest != rest.lower() or (len(word) == 1 and word.isupper())


def tex_title(text: str) -> str:
    """A title for BibTeX: ``tex_text``, with acronyms, mixed-case words and maths in braces,
    so that styles that lower-case titles (``plain``) print them as written."""
    text = " ".join(text.split())
    if text.isascii() and "$" not in text:
        # no maths and no accents: one pass braces the words and escapes the specials
        return _ascii_title(text)
    text = unicodedata.normalize("NFC", text)
    out = []
    for piece in re.split(r"(\$[^$]+\$)", text):
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 2 and _balanced(piece):
            out.append("{" + tex_text(piece) + "}")
            continue
        last = 0
        for word in _WORD.finditer(piece):
            if _keeps_case(word.group()):
                out.append(_escape(piece[last : word.start()]))
                out.append("{" + _escape(word.group()) + "}")
                last = word.end()
        out.append(_escape(piece[last:]))
    return "".join(out)


# In ASCII text: a capital and the letters after it, or one of TeX's specials
_ASCII_MARKS = re.compile(r"[A-Z][A-Za-z]*|[\\{}&%$#_~^]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _ascii_title(text: str) -> str:
    """``tex_title`` of ASCII text without maths, in one scan: words (runs of letters, as
    ``_WORD``) that ``_keeps_case`` braced, TeX's specials escaped."""
    out: list[str] = []
    last = 0
    for match in _ASCII_MARKS.finditer(text):
        start, end = match.span()
        found = match.group()
        if found in _TEX_SPECIALS:
            out += (text[last:start], _TEX_SPECIALS[found])
            last = end
            continue
        begin = start
        while begin and text[begin - 1] in _ASCII_LETTERS:
            begin -= 1  # a capital inside a word (iPhone): the word keeps its case
        if begin < start or _keeps_case(found):
            out += (text[last:begin], "{", text[begin:end], "}")
            last = end
    out.append(text[last:])
    return "".join(out)


def _escape(text: str) -> str:
    if not _NEEDS_TEX.search(text):
        return text
    return _NEEDS_TEX.sub(lambda m: tex_char(m.group()), text)


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()  # noqa: SIM905


def bibtex_entry(paper: Cited) -> str:
    """One entry: ``@article`` (``journal``, ``doi``) when arXiv has a journal reference for
    the paper, else ``@misc`` as arXiv's own export writes it; both keep ``eprint``."""
    key = paper.cite_key or paper.arxiv_id.replace("/", ":")
    kind = "article" if paper.journal_ref else "misc"
    month = _MONTHS[paper.published.month - 1] if paper.published else ""
    fields = [
        ("title", tex_title(paper.title)),
        ("author", bib_authors(paper.authors)),
        ("journal", tex_text(paper.journal_ref) if paper.journal_ref else ""),
        ("year", str(paper.year) if paper.year else ""),
        ("month", month),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.primary_category or ""),
        ("doi", _verbatim(paper.doi) if paper.doi else ""),
        ("url", paper.abs_url),
        ("abstract", tex_text(paper.abstract) if paper.abstract else ""),
        ("keywords", tex_text(", ".join(paper.user_tags)) if paper.user_tags else ""),
    ]
    # month is the standard macro (jan…dec), which every style turns into its own name
    body = ",\n  ".join(
        [
            f"{name} = {value}" if name == "month" else f"{name} = {{{value}}}"
            for name, value in fields
            if value
        ]
    )
    return f"@{kind}{{{key},\n  {body}\n}}\n"


def to_bibtex(papers: Sequence[PaperView]) -> str:
    """Every paper as a BibTeX entry, in the order given."""
    return "".join(bibtex_chunks(papers))


def bibtex_chunks(papers: Iterable[Cited]) -> Iterator[str]:
    """``to_bibtex`` one entry at a time."""
    for n, paper in enumerate(papers):
        yield ("\n" if n else "") + bibtex_entry(paper)
