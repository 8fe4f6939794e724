"""arXiv identifiers in every form a researcher pastes, checked without the network."""

from __future__ import annotations

import re
from dataclasses import dataclass

# New style since 2007: YYMM.NNNN (to 2014) or YYMM.NNNNN (from 2015), optional vN.
_NEW = r"(?P<new>\d{4}\.\d{4,5})"
# Old style: archive(.SUBJ)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
_OLD = r"(?P<old>[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_ID = rf"(?:{_NEW}|{_OLD})(?:v(?P<version>\d+))?"
_BARE = re.compile(rf"^(?:arxiv:\s*)?{_ID}$", re.IGNORECASE)
# arXiv's own DOIs: 10.48550/arXiv.1706.03762, also as a doi.org link.
_DOI = re.compile(
    rf"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.{_ID}$", re.IGNORECASE
)
_URL = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/{_ID}(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# In running text: a link, an "arXiv:" mention or a bare new-style id.
_ANY_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
FIND_IN_TEXT = re.compile(
    rf"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/{_ANY_ID}(?:\.pdf)?"
    rf"|arxiv:\s?{_ANY_ID}"
    rf"|10\.48550/arxiv\.{_ANY_ID}"
    r"|(?<![\w./])\d{4}\.\d{4,5}(?:v\d+)?(?![\w.]*\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArxivId:
    """An arXiv id split into its versionless id and the version asked for, if any."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id

    @property
    def path_safe(self) -> str:
        """The id as a file name: ``hep-th/9901001`` → ``hep-th_9901001``."""
        return self.id.replace("/", "_")


def parse_arxiv_id(text: str) -> ArxivId | None:
    """The id in ``text`` (bare, ``arXiv:``-prefixed, an abs/pdf link or an arXiv DOI), or ``None``.

    Old-style ids lose their subject class (``math.GT/0309136`` → ``math/0309136``), the
    form arXiv itself uses.
    """
    candidate = text.strip().strip("<>()[]")
    match = _BARE.match(candidate) or _URL.match(candidate) or _DOI.match(candidate)
    if match is None:
        return None
    if match.group("new"):
        ident = match.group("new")
        month = int(ident[2:4])
        if not 1 <= month <= 12:
            return None
    else:
        archive, number = match.group("old").split("/")
        # The subject class is not part of the id: arXiv files math.GT/0309136 as
        # math/0309136 and answers with that form, so that is the form we keep.
        ident = f"{archive.partition('.')[0].lower()}/{number}"
        if not 1 <= int(number[2:4]) <= 12:
            return None
    version = match.group("version")
    return ArxivId(ident, int(version) if version else None)


def find_arxiv_ids(text: str) -> list[str]:
    """The arXiv ids mentioned in plain text, in order, as the strings found."""
    return [match.group(0) for match in FIND_IN_TEXT.finditer(text)]


def id_problem(ident: ArxivId) -> str | None:
    """Why arXiv cannot have issued ``ident`` (the digits do not fit its date), or ``None``.

    New-style ids began in April 2007 with four digits after the dot, five from January
    2015; old-style ids ran from 1991 to March 2007. ``parse_arxiv_id`` accepts the shapes;
    this checks the dates, so an import never sends an id arXiv would refuse.
    """
    if "/" in ident.id:
        yymm = ident.id.split("/")[1][:4]
        year = int(yymm[:2])
        if not (year >= 91 or yymm <= "0703"):
            return f"old-style ids run from 1991 to March 2007, not {yymm[:2]}/{yymm[2:]}"
        return None
    yymm, number = ident.id.split(".")
    if yymm < "0704":
        return "new-style ids begin in April 2007 (0704)"
    if yymm <= "1412" and len(number) != 4:
        return f"ids from 0704 to 1412 have four digits after the dot, not {yymm}.{number}"
    if yymm >= "1501" and len(number) != 5:
        return f"ids from 1501 on have five digits after the dot, not {yymm}.{number}"
    return None


# "This paper has been withdrawn by the author", "withdrawn due to an error", "Withdrawn."
_WITHDRAWN = re.compile(
    r"^\W*withdrawn\b|\b(?:has been|have been|is|was|been) withdrawn\b|\bwithdrawn (?:by|due|because|for)\b",
    re.IGNORECASE,
)


def is_withdrawn(comment: str | None) -> bool:
    """Whether arXiv's comment says the paper was withdrawn."""
    return bool(comment and _WITHDRAWN.search(comment))


def abs_url(arxiv_id: str) -> str:
    """The paper's abstract page on arXiv (always the latest version)."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    """The paper's PDF on arXiv (the latest version)."""
    return f"https://arxiv.org/pdf/{arxiv_id}"
