"""How posts are written: the site, the time zone, the author, math and templates, from config."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logbook.config import Config


@dataclass(frozen=True)
class Settings:
    """The config values publishing needs."""

    tz: tzinfo
    week_start: str = "monday"
    layout: str = "post"
    title_pattern: str = "Week {number} ({range}): {themes}"
    math: str = "mathjax"
    author: str | None = None
    templates_dir: Path | None = None
    min_entries: int = 3
    site: str | None = None  # config ``site``
    site_source: str | None = None  # the config file that set it (a relative site is read there)
    category_tags: bool = False  # config ``post.category_tags``: arXiv categories as tags
    reading_list_url: str | None = None  # config ``post.reading_list_url``
    chart_weeks: int = 8  # config ``post.chart_weeks``: weeks in the themes chart
    reading_list_page: str = "reading-list.md"  # config ``post.reading_list_page``
    page_layout: str = "page"  # config ``post.page_layout``: the reading-list page's layout

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        """The publishing settings from config (``post.*``, ``author``, ``templates_dir``, …)."""
        folder = config.get("templates_dir")
        return cls(
            tz=config.tz,
            week_start=config.get("week_start"),
            layout=config.get("post.layout"),
            title_pattern=config.get("post.title"),
            math=config.get("post.math"),
            author=config.get("author"),
            templates_dir=Path(folder).expanduser() if folder else None,
            min_entries=config.get("themes.min_entries"),
            site=config.get("site"),
            site_source=config.source("site"),
            category_tags=config.get("post.category_tags"),
            reading_list_url=config.get("post.reading_list_url"),
            chart_weeks=config.get("post.chart_weeks"),
            reading_list_page=config.get("post.reading_list_page"),
            page_layout=config.get("post.page_layout"),
        )
