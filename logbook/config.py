"""Where things live, and the YAML config.

Where the store is found (``--db``, ``LOGBOOK_DB``, a config's ``store``, the nearest
``.logbook/``, the user data dir) is ``logbook.location.resolve_store``. Config values come from the
user config file, then the project's ``.logbook/config.yaml``, then ``LOGBOOK_*`` variables,
then the options of a command (`--db`, `--site`, `--title`…); each layer overrides the
one before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from logbook.errors import ConfigError, UsageError

PROJECT_DIR = ".logbook"
DB_NAME = "logbook.db"
CONFIG_NAME = "config.yaml"


def _as_str(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError("a text value")


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("a number")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise TypeError("a number") from None
    if result < 0:
        raise TypeError("a number ≥ 0")
    return result


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a whole number")
    try:
        result = int(str(value))
    except ValueError:
        raise TypeError("a whole number") from None
    if result < 1:
        raise TypeError("a whole number ≥ 1")
    return result


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise TypeError("true or false")


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise TypeError("one of " + ", ".join(choices))
        return text

    return check


def _as_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    names = [str(item).strip() for item in items if str(item).strip()]
    if not names:
        raise TypeError("a list of names, e.g. Ideas, Open questions")
    return names


def _timezone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = _as_str(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise TypeError("an IANA time zone such as Europe/Paris") from None
    return text


@dataclass(frozen=True)
class Key:
    """One config key: its type check, default and meaning."""

    name: str
    check: Callable[[Any], Any]
    default: Any
    help: str


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key("site", _as_str, None, "path of the Jekyll site that posts are written to"),
        Key(
            "store",
            _as_str,
            None,
            "the store: an SQLite file, or postgresql://user@host/dbname for a group's",
        ),
        Key(
            "author",
            _as_str,
            None,
            "your name: credited on the ideas, papers and posts you add (default: git's "
            "user.name; '' for nobody) and written into posts",
        ),
        Key("timezone", _timezone, None, "IANA time zone for dates and weeks (default: local)"),
        Key("week_start", _one_of("monday", "sunday", "saturday"), "monday", "first day of a week"),
        Key("templates_dir", _as_str, None, "folder of templates overriding the built-in ones"),
        Key("post.layout", _as_str, "post", "Jekyll layout of generated posts"),
        Key(
            "post.title",
            _as_str,
            "Week {number} ({range}): {themes}",
            "title pattern of weekly posts",
        ),
        Key("post.category_tags", _as_bool, False, "add arXiv categories to a post's tags"),
        Key("post.reading_list_url", _as_str, None, "the reading-list page weekly posts link"),
        Key(
            "post.reading_list_page",
            _as_str,
            "reading-list.md",
            "where publish --reading-list writes its page in the site",
        ),
        Key("post.page_layout", _as_str, "page", "Jekyll layout of the reading-list page"),
        Key("post.chart_weeks", _as_int, 8, "weeks in a weekly post's themes chart"),
        Key("post.math", _one_of("mathjax", "plain"), "mathjax", "how $…$ math is written"),
        Key("arxiv.api_url", _as_str, "https://export.arxiv.org/api/query", "arXiv API URL"),
        Key("arxiv.delay_seconds", _as_float, 3.0, "seconds between two arXiv requests"),
        Key(
            "arxiv.check_interval_days",
            _as_float,
            1.0,
            "days during which a checked paper is not checked again (paper check-updates)",
        ),
        Key("themes.min_entries", _as_int, 3, "entries a phrase needs to be a theme"),
        Key("themes.auto_apply", _as_bool, False, "tag entries with themes after add/import"),
        Key("related.after_add", _as_bool, False, "show the 3 nearest entries after idea add"),
        # "_logbook": Jekyll does not publish a folder whose name starts with "_" (unless it is
        # a collection or listed in include:), so the whole logbook is not put on the website.
        Key(
            "import.idea_headings",
            _as_names,
            ["Ideas", "Ramblings", "Thoughts", "Questions", "Open questions"],
            "headings whose lists 'post import --ideas' takes as ideas (comma-separated)",
        ),
        Key("export.dir", _as_str, "_logbook", "folder of the text export inside the blog repo"),
    )
}


def env_name(key: str) -> str:
    """The environment variable that overrides ``key``: ``arxiv.api_url`` → ``LOGBOOK_ARXIV_API_URL``."""
    return "LOGBOOK_" + key.replace(".", "_").upper()


def find_project_dir(start: Path | None = None) -> Path | None:
    """The nearest ``.logbook/`` folder at or above ``start`` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_DIR
        if candidate.is_dir():
            return candidate
    return None


def user_data_dir() -> Path:
    """The per-user data folder (platformdirs), imported only when no other place applies."""
    import platformdirs

    return Path(platformdirs.user_data_dir("logbook", appauthor=False))


def user_config_file() -> Path:
    """The per-user config file; ``LOGBOOK_CONFIG`` names another."""
    override = os.environ.get("LOGBOOK_CONFIG")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("logbook", appauthor=False)) / CONFIG_NAME


@dataclass
class Config:
    """The merged configuration, with the file each value came from for error messages."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def get(self, key: str) -> Any:
        """The value of ``key`` (its default when nobody set it)."""
        if key not in KEYS:
            raise UsageError(f"unknown config key {key!r}; known keys: {', '.join(KEYS)}")
        return self.values.get(key, KEYS[key].default)

    def shown(self, key: str) -> Any:
        """The value of ``key`` as it may be printed: a store URL's password masked."""
        value = self.get(key)
        if key == "store" and isinstance(value, str):
            from logbook.location import masked

            return masked(value)
        return value

    def source(self, key: str) -> str:
        """Where the value of ``key`` came from: a file, a variable, a flag or ``default``."""
        return self.sources.get(key, "default")

    @property
    def tz(self) -> Any:
        """The configured time zone as a tzinfo."""
        from logbook.dates import zone

        return zone(self.get("timezone"))


def _checked(key: str, value: Any, where: str, line: int | None = None) -> Any:
    try:
        return KEYS[key].check(value)
    except TypeError as error:
        at = f"{where}, line {line}" if line else where
        raise ConfigError(f"{at}: {key} must be {error}, not {value!r}") from None


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and key not in KEYS:
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _key_lines(text: str) -> dict[str, int]:
    """The line (1-based) of each dotted key in a YAML mapping, for error messages."""
    import yaml

    lines: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines[key] = key_node.start_mark.line + 1
            walk(value_node, key + ".")

    walk(yaml.compose(text, Loader=yaml.SafeLoader), "")
    return lines


def read_file(path: Path) -> dict[str, Any]:
    """The checked values of one config file; ``{}`` when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the config as UTF-8") from None
    return dict(_parsed(text, path))


@lru_cache(maxsize=8)
def _parsed(text: str, path: Path) -> dict[str, Any]:
    # The same file is read to find the store and again for the config of the run.
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> dict[str, Any]:
    """The checked values of config ``text`` meant for the file ``path`` (named in errors)."""
    if not text.strip():
        return {}
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ConfigError(f"{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}, line 1: the config must be a mapping of keys to values")
    flat = _flatten(data)
    lines = _key_lines(text)
    values: dict[str, Any] = {}
    for key, value in flat.items():
        if key not in KEYS:
            raise ConfigError(f"{path}, line {lines.get(key, 1)}: unknown key {key!r}")
        if value is None:
            continue
        values[key] = _checked(key, value, str(path), lines.get(key))
    return values


def config_files(start: Path | None = None) -> list[Path]:
    """The config files that apply here, weakest first: user, then project."""
    files = [user_config_file()]
    project = find_project_dir(start)
    if project is not None:
        files.append(project / CONFIG_NAME)
    return files


def load_config(start: Path | None = None) -> Config:
    """Merge the config files and ``LOGBOOK_*`` variables that apply in ``start``."""
    config = Config()
    for path in config_files(start):
        if not path.exists():
            continue
        config.files.append(path)
        for key, value in read_file(path).items():
            config.values[key] = value
            config.sources[key] = str(path)
    for key in KEYS:
        raw = os.environ.get(env_name(key))
        if raw is not None and raw != "":
            config.values[key] = _checked(key, raw, f"${env_name(key)}")
            config.sources[key] = f"${env_name(key)}"
    return config


def write_value(path: Path, key: str, raw: str) -> Any:
    """Set ``key`` to ``raw`` in the config file at ``path``, keeping its other keys."""
    import yaml

    if key not in KEYS:
        raise UsageError(f"unknown config key {key!r}; known keys: {', '.join(KEYS)}")
    # Each key's check reads text itself ("0.5", "true", "Europe/Paris"), so the value is
    # never parsed as YAML: "a: [b" is a fine author name.
    value = _checked(key, raw, "the command line")
    read_file(path)  # refuse to rewrite a broken file
    data: dict[str, Any] = {}
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    node = data
    *parents, leaf = key.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    from logbook.fileio import write_atomic

    write_atomic(path, yaml.safe_dump(data, sort_keys=True, allow_unicode=True))
    return value


def remove_value(path: Path, key: str) -> bool:
    """Take ``key`` out of the config file at ``path``; whether it was there.

    Parents left empty go too, so ``post:`` is not left behind without keys.
    """
    import yaml

    if key not in KEYS:
        raise UsageError(f"unknown config key {key!r}; known keys: {', '.join(KEYS)}")
    if key not in read_file(path):  # also refuses to rewrite a broken file
        return False
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    *parents, leaf = key.split(".")
    trail = [data]
    for part in parents:
        trail.append(trail[-1][part])
    del trail[-1][leaf]
    for node, part in zip(reversed(trail[:-1]), reversed(parents), strict=True):
        if not node[part]:
            del node[part]
    from logbook.fileio import write_atomic

    text = yaml.safe_dump(data, sort_keys=True, allow_unicode=True) if data else ""
    write_atomic(path, text)
    return True
