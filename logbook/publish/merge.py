"""A three-way merge of lines, so that a post edited by hand keeps the user's words.

``base`` is what logbook generated last time, ``ours`` the file as the user left it and
``theirs`` what logbook generates now. A change on one side only is taken; the same change
on both sides is taken once; two different changes to the same lines of ``base`` are a
conflict, reported with the line it starts on (nothing is guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class MergeResult:
    """The merged text, or (``conflict`` set) the first line both sides changed."""

    text: str
    conflict: int | None = None  # 1-based line of the user's file where the clash starts


@dataclass(frozen=True)
class _Hunk:
    start: int  # the range of base lines it replaces, [start, end)
    end: int
    lines: list[str]
    side: int  # 0: ours, 1: theirs


def merge3(base: str, ours: str, theirs: str) -> MergeResult:
    """Merge the changes ``ours`` and ``theirs`` each made to ``base``, line by line."""
    if ours in (base, theirs):
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(ours)
    old = base.splitlines(keepends=True)
    hunks = sorted(
        [
            *_hunks(old, ours.splitlines(keepends=True), 0),
            *_hunks(old, theirs.splitlines(keepends=True), 1),
        ],
        key=lambda h: (h.start, h.end, h.side),
    )
    out: list[str] = []
    position = 0  # the next base line not yet copied
    shift = 0  # ours' line number minus base's, for the conflict's line
    index = 0
    while index < len(hunks):
        group = [hunks[index]]
        end = hunks[index].end
        index += 1
        while index < len(hunks) and _touches(group, end, hunks[index]):
            end = max(end, hunks[index].end)
            group.append(hunks[index])
            index += 1
        start = group[0].start
        out.extend(old[position:start])
        sides = {h.side for h in group}
        versions = [_apply(old, start, end, [h for h in group if h.side == s]) for s in (0, 1)]
        if len(sides) == 2 and versions[0] != versions[1]:
            return MergeResult(theirs, conflict=start + shift + 1)
        chosen = versions[0] if 0 in sides else versions[1]
        out.extend(chosen)
        shift += len(versions[0]) - (end - start)
        position = end
    out.extend(old[position:])
    return MergeResult("".join(out))


def _hunks(old: list[str], new: list[str], side: int) -> list[_Hunk]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        _Hunk(i1, i2, new[j1:j2], side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _touches(group: list[_Hunk], end: int, hunk: _Hunk) -> bool:
    """Whether ``hunk`` belongs with ``group`` (ending at ``end``): they overlap in base.

    Two insertions at the same place overlap too (their order would be a guess). An
    insertion just before or just after lines the other side replaced does not: a paragraph
    the user added between two of logbook's stays there while logbook rewrites its own.
    """
    if hunk.start < end:
        return True
    inserted = hunk.start == hunk.end
    return inserted and any(h.start == h.end == hunk.start for h in group)


def _apply(old: list[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    """``old[start:end]`` with one side's ``hunks`` (inside that range) applied."""
    result: list[str] = []
    position = start
    for hunk in hunks:
        result.extend(old[position : hunk.start])
        result.extend(hunk.lines)
        position = hunk.end
    result.extend(old[position:end])
    return result
