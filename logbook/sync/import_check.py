"""Reading and checking the files of an export before ``logbook import`` writes anything.

A file comes from anywhere (a hand edit, another machine, someone hostile), so every field is
checked for type and range here, with the store's own rules (``logbook.store.rules``): a
value that would overflow a column, break the export's file names, put a script link in a
post or end a BibTeX entry is a problem of that file, reported by path, and never reaches
the store. Whatever a file holds, reading it raises nothing but ``Malformed``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logbook.arxiv_ids import parse_arxiv_id
from logbook.dates import now, range_problem
from logbook.errors import ExportError, LogbookError, UsageError
from logbook.store import rules
from logbook.store.kinds import (
    IDEA_STATUSES,
    POST_KINDS,
    READING_STATUSES,
    REVISION_FIELDS,
    TAG_KINDS,
    check_size,
)
from logbook.store.merge import Entry
from logbook.store.snapshot import Field, fields
from logbook.store.types import format_utc, parse_utc, read_iso
from logbook.sync import yamlread, yamltext
from logbook.sync.export import BUNDLE_KEY, FOLDERS
from logbook.sync.state import STATE_NAME

# The order entries are read in: papers first, so that ideas find the papers they link to.
_ORDER = ("paper", "idea", "post")
_STATUSES = {"idea": IDEA_STATUSES, "paper": READING_STATUSES, "post": None}
# A week post's source: the group's week (2026-W47) or one person's (2026-W47@Ana Lima,
# ``publish --week --author``): the name is one line of printable text.
_WEEK = r"[0-9]{4}-W[0-9]{2}(?:@[^\x00-\x1f\x7f]{1,200})?"
_STORED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")
_SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"
# What parsing or checking a value can raise, whatever the value: each is a problem of the
# file that holds it, never an internal error of the whole import.
_VALUE_ERRORS = (ValueError, TypeError, OverflowError, RecursionError, LogbookError)
# Bytes asked for per read: an export's file is a few KiB, so most take one read and one more
# that finds the end.
_CHUNK = 65536


class Malformed(Exception):
    """One file cannot be imported; the message says why."""


@dataclass
class Problem:
    """A file that was skipped, and why."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def _shown(value: Any) -> str:
    """``value`` as it appears in a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def shown_path(path: Path) -> str:
    """A path as printable text (a file name that is not UTF-8 keeps its other characters)."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# Reading files ---------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    """The file's bytes: open, read to the end, close (``Path.read_bytes`` also asks for the
    size, the position and whether it is a terminal: twice the system calls, 100k times)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _parse(path: Path) -> Any:
    try:
        raw = _read(path)
    except OSError as error:
        raise Malformed(f"cannot read it: {error.strerror}") from None
    if path.suffix == ".json":
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as error:
            raise Malformed(f"not valid JSON: {error}") from None
    # What logbook wrote is read by the fast reader; anything else (a hand edit) by PyYAML.
    data = yamlread.load(raw)
    if data is not None:
        return data
    import yaml

    try:
        return yamltext.load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise Malformed(f"not valid YAML: {where}{problem}") from None
    except Exception as error:
        # PyYAML's constructors raise what they meet on the way (ValueError for the date
        # 2026-02-30, AttributeError for ``!!timestamp x``): on a file from anywhere, any
        # failure to parse it is that file's problem.
        raise Malformed(f"not valid YAML: {type(error).__name__}: {error}") from None


def _kind_of(path: Path, record: dict[str, Any]) -> str:
    for kind, folder in FOLDERS.items():
        if path.parent.name == folder:
            return kind
    if "arxiv_id" in record:
        return "paper"
    if "slug" in record and "source" in record:
        return "post"
    return "idea"


def read_source(path: Path, problems: list[Problem]) -> Iterator[tuple[str, str, Any]]:
    """(kind, where, record) for every entry under ``path``, one file at a time.

    The files are found at once (a path that holds no export raises ``ExportError`` here,
    before anything is read); they are parsed as the iterator is consumed, so an import
    holds one file in memory, not the whole export. A file that fails goes to ``problems``.
    Entries come papers first, then ideas, then posts, as the merge wants them.
    """
    if path.is_dir():
        # Names only (not 100k Path objects): memory stays small in the size of the export.
        folders = [(path / FOLDERS[kind], _entry_names(path / FOLDERS[kind])) for kind in _ORDER]
        files: Iterable[Path] = _paths(folders)
        if not any(names for _, names in folders):
            files = [path / "logbook.json"] if (path / "logbook.json").is_file() else []
            looks_exported = (path / STATE_NAME).is_file() or any(
                (path / folder).is_dir() for folder in FOLDERS.values()
            )
            if not files and not looks_exported:
                raise ExportError(f"{path} holds no logbook export (no ideas/, papers/ or posts/)")
    elif path.is_file():
        files = [path]
    else:
        raise ExportError(f"no such file or folder: {path}")
    return _records(files, problems)


def _entry_names(folder: Path) -> list[str]:
    """The names of the entry files in ``folder``, sorted (none when it is not a folder)."""
    try:
        with os.scandir(folder) as found:
            names = [e.name for e in found if _is_entry_file(e)]
    except OSError:  # no such folder, or not one: nothing to read there
        return []
    return sorted(names)


def _is_entry_file(found: os.DirEntry[str]) -> bool:
    # the suffix as pathlib gives it (a file named ".yaml" has none)
    return os.path.splitext(found.name)[1] in (".yaml", ".yml", ".json") and found.is_file()


def _paths(folders: list[tuple[Path, list[str]]]) -> Iterator[Path]:
    for folder, names in folders:
        for name in names:
            yield folder / name


def _records(files: Iterable[Path], problems: list[Problem]) -> Iterator[tuple[str, str, Any]]:
    for file in files:
        where = shown_path(file)
        try:
            data = _parse(file)
        except Malformed as error:
            problems.append(Problem(where, str(error)))
            continue
        if isinstance(data, dict) and BUNDLE_KEY in data:
            for kind in _ORDER:
                items = data.get(FOLDERS[kind]) or []
                if not isinstance(items, list):
                    problems.append(Problem(where, f"{FOLDERS[kind]} must be a list"))
                    continue
                for n, item in enumerate(items):
                    yield kind, f"{where} ({FOLDERS[kind]}[{n}])", item
        elif isinstance(data, dict):
            yield _kind_of(file, data), where, data
        else:
            problems.append(Problem(where, "not a logbook entry (expected a mapping)"))


# Checking values -------------------------------------------------------------------------


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{name} must be text, not {_shown(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Malformed(f"{name} holds a character that is not Unicode text") from None
    return value


def _time(value: Any, name: str, clock: datetime, *, future: bool = False) -> datetime:
    if type(value) is str and _STORED.fullmatch(value):
        # The stored form, as logbook writes it: already UTC and fixed width, so it needs
        # no round trip through the store's format (the slow part of checking 10k files).
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass  # e.g. day 31 of a 30-day month: the general path says what is wrong
        else:
            problem = range_problem(moment, reference=clock, future=future)
            if problem:
                raise Malformed(f"{name} {value!s} {problem}")
            return moment
    if isinstance(value, datetime):  # an unquoted timestamp typed by hand
        if value.tzinfo is None:
            raise Malformed(f"{name} has no time zone")
        moment = value
    elif not isinstance(value, str):
        raise Malformed(f"{name} must be a date and time, not {_shown(value)}")
    else:
        try:
            moment = read_iso(value)
        except ValueError:
            raise Malformed(f"{name} is not an ISO date and time: {_shown(value)}") from None
        if moment.tzinfo is None:
            raise Malformed(f"{name} has no time zone: {_shown(value)}")
    # The moment must survive being stored: in UTC it may leave the calendar
    # (9999-12-31T23:00-05:00), and the stored text must read back as the same moment.
    try:
        stored = format_utc(moment)
        same = parse_utc(stored) == moment
    except (ValueError, OverflowError):
        same = False
    if not same:
        raise Malformed(f"{name} is out of range: {_shown(value)}")
    problem = range_problem(moment, reference=clock, future=future)
    if problem:
        raise Malformed(f"{name} {value!s} {problem}")
    return parse_utc(stored)


def _column_value(column: Field, value: Any, clock: datetime, *, future: bool = False) -> Any:
    name = column.name
    if value is None:
        if not column.nullable:
            raise Malformed(f"{name} cannot be empty")
        return None
    if column.type == "time":
        return _time(value, name, clock, future=future)
    if column.type == "list":
        if not isinstance(value, list):
            raise Malformed(f"{name} must be a list of texts")
        return [_text(v, f"each of {name}") for v in value]
    if column.type == "bool":
        if not isinstance(value, bool):
            raise Malformed(f"{name} must be true or false, not {_shown(value)}")
        return value
    if column.type == "int":
        return rules.check_number(value, name)
    return _text(value, name)


def _versionless(arxiv_id: str) -> str:
    parsed = parse_arxiv_id(arxiv_id)
    return parsed.id if parsed else arxiv_id


def _check_identity(kind: str, columns: dict[str, Any]) -> None:
    """The values that name files and links: uid, post source, path and slug, links, keys."""
    import re

    from logbook.publish import jekyll

    rules.check_uid(columns["uid"])
    if kind == "post":
        if columns["kind"] == "week":
            if not re.fullmatch(_WEEK, columns["source"]):
                raise Malformed(f"source {_shown(columns['source'])} is not a week (2026-W47)")
        elif columns["kind"] == "imported":
            _check_site_path(columns["source"])
            if columns["path"] != columns["source"]:
                raise Malformed("an imported post's path is its source (its path in the site)")
        else:
            rules.check_uid(columns["source"], "source")
        if columns["kind"] != "imported":
            jekyll.post_path(Path("."), columns["path"])
        if not re.fullmatch(_SLUG, columns["slug"]):
            raise Malformed(f"slug {_shown(columns['slug'])} is not a post slug")
    if kind == "paper":
        if columns["pdf_url"] is not None:
            rules.check_link(columns["pdf_url"], "pdf_url")
        if columns["cite_key"] is not None:
            rules.check_cite_key(columns["cite_key"])


def _check_site_path(value: Any) -> None:
    """An imported post's source: a relative path inside the site, as ``post import`` records."""
    from pathlib import PurePosixPath

    parts = PurePosixPath(value).parts if isinstance(value, str) else ()
    if not parts or value.startswith("/") or "\\" in value or ".." in parts or "\x00" in value:
        raise Malformed(f"source {_shown(value)} is not a path inside a site")


def _tags(record: dict[str, Any]) -> list[tuple[str, str]]:
    from logbook.store.tags import normalize_tag

    raw_tags = record.get("tags") or {}
    if isinstance(raw_tags, list):  # written by hand: a plain list means user tags
        raw_tags = {"user": raw_tags}
    if not isinstance(raw_tags, dict):
        raise Malformed("tags must map a kind (user, auto, category) to a list of names")
    tags: dict[tuple[str, str], None] = {}
    for tag_kind, names in raw_tags.items():
        if tag_kind not in TAG_KINDS:
            raise Malformed(f"tag kind {_shown(tag_kind)} is not one of {', '.join(TAG_KINDS)}")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise Malformed(f"tags.{tag_kind} must be a list of names")
        for name in names:
            normalize_tag(_text(name, "a tag"))  # refuses what is no tag; kept as written
            tags[(name, tag_kind)] = None
    return list(tags)


def _revisions(kind: str, record: dict[str, Any], clock: datetime) -> list[dict[str, Any]]:
    raw = record.get("revisions") or []
    if not isinstance(raw, list):
        raise Malformed("revisions must be a list")
    revisions = []
    for revision in raw:
        if not isinstance(revision, dict) or not isinstance(revision.get("value"), str):
            raise Malformed("each revision needs a field, a value and two times")
        if revision.get("field") not in REVISION_FIELDS[kind]:
            raise Malformed(f"a {kind}'s revisions are of its {', '.join(REVISION_FIELDS[kind])}")
        revisions.append(
            {
                "field": revision["field"],
                "value": _text(revision["value"], "revision value"),
                "written_at": _time(revision.get("written_at"), "revision written_at", clock),
                "replaced_at": _time(revision.get("replaced_at"), "revision replaced_at", clock),
            }
        )
    return revisions


def _check_entry(kind: str, where: str, record: Any) -> Entry:
    if not isinstance(record, dict):
        raise Malformed("not a logbook entry (expected a mapping)")
    # "Tomorrow" for every date of the entry, from one reading of the clock (reading it per
    # date was a twentieth of checking an export).
    clock = now(UTC)
    columns: dict[str, Any] = {}
    for column in fields(kind):
        name = column.name
        if name in record:
            # A post imported from a blog may be scheduled ahead, as its author dated it.
            scheduled = (
                kind == "post"
                and name in ("published_at", "created_at")
                and record.get("kind") == "imported"
            )
            columns[name] = _column_value(column, record[name], clock, future=scheduled)
        elif name == "id" or column.nullable:
            columns[name] = None
        elif column.has_default:
            columns[name] = column.default
        elif column.type == "list":
            columns[name] = []
        else:
            raise Malformed(f"{name} is missing")
    for name in ("text", "notes", "body"):
        if isinstance(columns.get(name), str):
            try:
                check_size(columns[name], name)
            except UsageError as error:
                raise Malformed(str(error)) from None
    statuses = _STATUSES[kind]
    if statuses and columns["status"] not in statuses:
        raise Malformed(f"status {_shown(columns['status'])} is not one of {', '.join(statuses)}")
    if kind == "post" and columns["kind"] not in POST_KINDS:
        raise Malformed(f"kind {_shown(columns['kind'])} is not one of {', '.join(POST_KINDS)}")
    if kind == "paper":
        parsed = parse_arxiv_id(columns["arxiv_id"])
        if parsed is None:
            raise Malformed(f"{_shown(columns['arxiv_id'])} is not an arXiv id")
        # Stored without a version, as ``paper add`` stores it; a version in the id
        # ("arXiv:1706.03762v3") counts as one arXiv has shown, unless a later one is known.
        columns["arxiv_id"] = parsed.id
        if parsed.version is not None:
            version = rules.check_number(parsed.version, "the version in arxiv_id")
            known = columns.get("version") if "version" in record else None
            columns["version"] = max(known or version, version)
    _check_identity(kind, columns)
    papers = record.get("papers") or [] if kind == "idea" else []
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        raise Malformed("papers must be a list of arXiv ids")
    papers = [_versionless(_text(p, "a linked paper")) for p in papers]
    return Entry(kind, where, columns, _tags(record), papers, _revisions(kind, record, clock))


def check_entry(kind: str, where: str, record: Any) -> Entry:
    """Turn one record into a typed ``Entry``, or raise ``Malformed`` saying what is wrong.

    Nothing else escapes: a value that fails a store rule, or that Python cannot even
    convert, is a problem of this one entry.
    """
    try:
        return _check_entry(kind, where, record)
    except Malformed:
        raise
    except LogbookError as error:
        raise Malformed(str(error)) from None
    except _VALUE_ERRORS as error:
        raise Malformed(f"a value cannot be read ({type(error).__name__}: {error})") from None
