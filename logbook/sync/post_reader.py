"""Read a Jekyll blog's post files the way Jekyll 4 reads them, and say where they are messy.

No SQL and no network: files in, ``SourcePost`` values and ``Problem`` lines out. The rules
follow Jekyll (checked against a real ``jekyll build`` in the tests):

- front matter only when the file starts with ``---`` (after a byte order mark, which Jekyll
  strips when it reads a file); ``---`` or ``...`` closes it; CRLF is read as LF;
- the date from front matter, else the file name ``YYYY-M-D-slug.ext``, else (a draft, or a
  post Jekyll would not publish) the file's mtime; times without an offset are in the site's
  ``timezone`` (``_config.yml``);
- ``tags``/``categories`` (or ``tag``/``category``) as a list or a space-separated string;
  the folders above ``_posts`` are categories; the title from front matter, else the slug in
  words (``Utils.titleize_slug``).

Where logbook differs: Jekyll skips future-dated posts, drafts, ``published: false``, files
that are not UTF-8 and ``_posts`` files without a date in the name; logbook imports them (it
is the researcher's writing) and reports each. Jekyll publishes a post whose front matter is
not valid YAML with no title and the build's time as its date; logbook reports it and, unless
``lenient``, leaves it out.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

POST_FOLDERS = ("_posts", "_drafts")
_OPENING = re.compile(r"\A---[ \t]*\n")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n?)^(?:---|\.\.\.)[ \t]*$\n?", re.DOTALL | re.MULTILINE)
# Jekyll's Document::DATE_FILENAME_MATCHER (unpadded month and day allowed)
_DATED_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)\.[^.]+$")
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: ``error`` (not imported) or ``warning`` (imported)."""

    path: str
    line: int | None
    reason: str
    level: str = "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"path": self.path, "line": self.line, "level": self.level, "reason": self.reason}


@dataclass
class SourcePost:
    """One post file as read: ``path`` is relative to the site (``_posts/2020-10-19-x.md``)."""

    path: str
    title: str
    date: datetime
    slug: str
    body: str
    content_hash: str
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    draft: bool = False


@dataclass
class ReadResult:
    """The posts read from every file given, the problems found, and the folders read."""

    posts: list[SourcePost] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # each folder walked, relative to its site: where files that disappeared are looked for
    folders: list[str] = field(default_factory=list)


class _DuplicateKeys(yaml.SafeLoader):
    """PyYAML's safe loader, noting keys given twice (the last wins, as in Jekyll)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                self.duplicates.append((key, key_node.start_mark.line))
            if isinstance(key, str):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _absolute(path: Path) -> Path:
    # Absolute but with symlinks kept: a post linked in from elsewhere is still at its
    # place in the site (resolving it would put it outside).
    return Path(os.path.abspath(path))


def find_site(path: Path) -> Path:
    """The Jekyll site ``path`` belongs to: the nearest folder with ``_config.yml``, else the
    folder above ``_posts``/``_drafts``, else ``path`` itself (its folder, for a file)."""
    path = _absolute(path)
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / "_config.yml").is_file():
            return folder
    for folder in (start, *start.parents):
        if folder.name in POST_FOLDERS:
            return folder.parent
    return start


def site_timezone(site: Path) -> str | None:
    """The ``timezone`` of the site's ``_config.yml`` (an IANA name), if it names one."""
    config = site / "_config.yml"
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    zone = data.get("timezone") if isinstance(data, dict) else None
    return zone if isinstance(zone, str) and zone.strip() else None


def _ignored(name: str) -> bool:
    # Jekyll's EntryFilter: dot files (.DS_Store), _underscored, #backups# and backups~
    return name.startswith((".", "_", "#")) or name.endswith("~")


def post_files(path: Path) -> Iterable[Path]:
    """The post files under ``path`` (or ``path``, a file): those inside a ``_posts`` or
    ``_drafts`` folder, or every file when ``path`` is such a folder or inside one."""
    if path.is_file():
        yield path
        return
    inside = any(part in POST_FOLDERS for part in _absolute(path).parts)
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path).parts
        folders = relative[:-1]
        if any(_ignored(f) and f not in POST_FOLDERS for f in folders) or "_site" in folders:
            continue
        if not child.is_file() or _ignored(child.name):
            continue
        if inside or any(f in POST_FOLDERS for f in folders):
            yield child


def _words(slug: str) -> str:
    # Jekyll's Utils.titleize_slug
    return " ".join(word.capitalize() for word in slug.split("-"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "post"


def _labels(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return str(value).split()


def _line_of(front: str, key: str) -> int | None:
    for number, line in enumerate(front.splitlines(), 2):
        if line.startswith(f"{key}:"):
            return number
    return None


def _yaml_reason(error: yaml.YAMLError, front: str) -> tuple[int | None, str]:
    """The file line (the opening ``---`` is line 1) and a reason a person can act on."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 2 if mark is not None else None
    text = front.splitlines()[line - 2] if line and line - 2 < len(front.splitlines()) else ""
    problem = str(getattr(error, "problem", None) or error).strip()
    if "\t" in text[: len(text) - len(text.lstrip())] or "'\\t'" in problem:
        reason = "a tab indents this line (YAML indents with spaces only)"
    elif "mapping values are not allowed" in problem:
        reason = "an unquoted ': ' inside a value (put the value in quotes)"
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        reason = "this line is indented differently from the lines above it"
    else:
        reason = f"front matter is not valid YAML ({problem})"
    return line, reason


def parse_date(value: Any, tz: tzinfo) -> datetime | None:
    """A front matter date as Jekyll reads it (``2015-10-23 15:20:00 +0000``, a YAML date or
    timestamp, an ISO string); no offset means the site's zone. None if it is not a date."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    text = str(value).strip()
    for form in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, form)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=tz)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _name_date(name: str, tz: tzinfo) -> tuple[datetime | None, str]:
    match = _DATED_NAME.match(name)
    if match is None:
        return None, name.rsplit(".", 1)[0]
    year, month, day, slug = match.groups()
    try:
        return datetime(int(year), int(month), int(day), tzinfo=tz), slug
    except ValueError:
        return None, slug


def read_post(
    site: Path, file: Path, *, tz: tzinfo, now: datetime, lenient: bool = False
) -> tuple[SourcePost | None, list[Problem]]:
    """One file as a post, and its problems (None when an error leaves it out)."""
    parts = _absolute(file).relative_to(site).parts
    relative = "/".join(parts)
    problems: list[Problem] = []

    def report(line: int | None, reason: str, level: str = "warning") -> None:
        problems.append(Problem(relative, line, reason, level))

    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report(line, f"not UTF-8 (byte 0x{raw[error.start]:02x}); read as Windows-1252, and "
               "Jekyll skips it")  # fmt: skip
        text = raw.decode("cp1252", errors="replace")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    draft = "_drafts" in parts
    folder = "_drafts" if draft else "_posts"
    above = list(parts[: parts.index(folder)]) if folder in parts else []
    meta: dict[str, Any] = {}
    body = text
    if _OPENING.match(text):
        match = _FRONT.match(text)
        if match is None:
            report(1, "the front matter opened here is never closed by --- or ...", "error")
            if not lenient:
                return None, problems
        else:
            front, body = match.group(1), text[match.end() :]
            loader = _DuplicateKeys(front)
            try:
                loaded = loader.get_single_data()
            except yaml.YAMLError as error:
                at, reason = _yaml_reason(error, front)
                report(at, reason, "error")
                if not lenient:
                    return None, problems
                loaded = None
            finally:
                loader.dispose()
            for key, line0 in loader.duplicates:
                report(line0 + 2, f"{key!r} is given twice; the last one counts, as in Jekyll")
            if isinstance(loaded, dict):
                meta = {str(k): v for k, v in loaded.items()}
            elif loaded is not None:
                report(2, "front matter is not a list of keys", "error")
                if not lenient:
                    return None, problems
    else:
        report(1, "no front matter: the title and date come from the file name")
    if problems and any(p.level == "error" for p in problems):
        # what --lenient does with a post whose front matter cannot be read
        report(None, "imported from its file name and body (--lenient)")

    dated, slug = _name_date(file.name, tz)
    moment = None
    if "date" in meta and meta["date"] is not None:
        moment = parse_date(meta["date"], tz)
        if moment is None:
            report(_line_of(text, "date"), f"date {str(meta['date'])!r} is not a date; "
                   "the file name's date is used")  # fmt: skip
    if moment is None:
        moment = dated
    if moment is None:
        moment = datetime.fromtimestamp(file.stat().st_mtime, tz)
        if not draft:
            report(None, "no date in the file name (YYYY-MM-DD-title.md): Jekyll does not "
                   "publish it; dated by the file's modification time")  # fmt: skip
    elif not draft and dated is None:
        report(None, "no date in the file name (YYYY-MM-DD-title.md): Jekyll does not publish it")
    if draft:
        report(None, "a draft: Jekyll publishes it only with --drafts")
    if moment > now:
        report(
            None, f"dated {moment.date().isoformat()}, in the future: Jekyll skips it until then"
        )
    if meta.get("published") is False:
        report(_line_of(text, "published"), "published: false: Jekyll does not publish it")

    title = meta.get("title")
    tags = _labels(meta.get("tags")) + _labels(meta.get("tag"))
    categories = above + _labels(meta.get("categories")) + _labels(meta.get("category"))
    post = SourcePost(
        path=relative,
        title=str(title).strip() if title is not None and str(title).strip() else _words(slug),
        date=moment,
        slug=_slug(slug),
        body=body,
        content_hash=hashlib.sha256(raw).hexdigest(),
        tags=list(dict.fromkeys(tags)),
        categories=list(dict.fromkeys(categories)),
        draft=draft,
    )
    return post, problems


def read_posts(
    paths: Sequence[Path],
    *,
    tz: tzinfo,
    now: datetime,
    lenient: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Every post under ``paths`` (files or folders), each read with ``read_post``; a site's
    ``_config.yml`` timezone overrides ``tz``. A file that cannot be read is a problem.
    ``progress(done, total)`` is called once the files are listed and after each one."""
    from logbook.dates import zone
    from logbook.errors import ConfigError

    result = ReadResult()
    seen: set[Path] = set()
    # every file is listed before any is read, so the progress has its total from the start
    todo: list[tuple[Path, tzinfo, Path]] = []
    for given in paths:
        site = find_site(given)
        named = site_timezone(site)
        try:
            site_tz = zone(named) if named else tz
        except ConfigError:  # the site's mistake, not the command's: say so, use ours
            result.problems.append(
                Problem("_config.yml", None, f"unknown timezone {named!r}; using {tz}")
            )
            site_tz = tz
        if given.is_dir():
            result.folders.append(_absolute(given).relative_to(site).as_posix())
        for file in post_files(given):
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                todo.append((site, site_tz, file))
    if progress is not None:
        progress(0, len(todo))
    for done, (site, site_tz, file) in enumerate(todo, 1):
        try:
            post, problems = read_post(site, file, tz=site_tz, now=now, lenient=lenient)
        except OSError as error:
            relative = _absolute(file).relative_to(site).as_posix()
            post, problems = None, [Problem(relative, None, error.strerror or str(error), "error")]
        result.problems.extend(problems)
        if post is None:
            result.skipped.append(problems[0].path)
        else:
            result.posts.append(post)
        if progress is not None:
            progress(done, len(todo))
    return result
