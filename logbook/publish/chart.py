"""The weekly post's picture of its themes: an SVG bar chart, one row per theme.

Plain SVG, no script, so it shows the same in a browser, a feed reader or an image viewer.
It does not rely on colour: every row is labelled with its theme and total, every bar
carries its number, and the weeks are named under the bars. Text from the store (tag
names) goes through ``escape`` (``&``, ``<`` and ``>``, as ``xml.sax.saxutils.escape``
does, without the ~35 ms of ``urllib`` and ``http.client`` that importing it costs every
``publish``), so a tag such as ``<script>`` is text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from logbook.dates import Week, week_of

if TYPE_CHECKING:
    from datetime import tzinfo

    from logbook.publish.digest import ThemeItem
    from logbook.store import Store

CHART_WEEKS = 8
ASSETS_DIR = "assets/logbook"

_LABEL_W = 230  # the theme names' column
_BAR_W = 44  # one week's slot
_ROW_H = 56
_TOP = 34  # the title line
_BOTTOM = 26  # the week numbers
_BAR_MAX = 34  # the tallest bar, in pixels


def escape(text: str) -> str:
    """``text`` for an SVG text node: ``&``, ``<`` and ``>`` as entities."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class ThemeRow:
    """One theme's line in the chart: its label and its entries in each charted week."""

    label: str
    counts: list[int]  # one per week, oldest first

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ThemesChart:
    """A week's themes over the weeks up to it, ready to draw and to describe in words."""

    week: Week
    weeks: list[Week]  # oldest first, ``week`` last
    rows: list[ThemeRow]

    @property
    def path(self) -> str:
        """Where the SVG goes, relative to the site: ``assets/logbook/2020-W43-themes.svg``."""
        return f"{ASSETS_DIR}/{self.week.label}-themes.svg"

    def alt_text(self) -> str:
        """The text alternative: every theme with its count over the charted weeks."""
        first, last = self.weeks[0].iso[1], self.weeks[-1].iso[1]
        themes = "; ".join(f"{row.label}: {row.total}" for row in self.rows)
        return f"Entries per theme, weeks {first} to {last}: {themes}"

    def svg(self) -> str:
        """The chart as a standalone SVG document."""
        return render_svg(self)


def themes_chart(
    store: Store,
    week: Week,
    themes: list[ThemeItem],
    *,
    tz: tzinfo,
    week_start: str = "monday",
    weeks: int = CHART_WEEKS,
) -> ThemesChart | None:
    """The chart of ``themes`` over the ``weeks`` weeks ending with ``week``; None with no
    themes to draw. The counts come from the store (``Store.tag_week_counts``), counted as
    the weekly post counts its themes."""
    if not themes or weeks < 1:
        return None
    charted = [week]
    while len(charted) < weeks:
        before = charted[0].start - timedelta(days=1)
        charted.insert(0, week_of(before, tz, week_start))

    def week_starts(first: datetime) -> list[datetime]:
        start = week_of(first, tz, week_start).start
        starts = []
        while start < week.end:
            starts.append(start)
            start = datetime.combine(start.date() + timedelta(days=7), time(), tzinfo=tz)
        return starts

    counts = store.tag_week_counts(
        [t.name for t in themes], charted[0].start, week.end, week_starts
    )
    rows = []
    for theme in themes:
        by_day = {w.astimezone(tz).date(): n for w, n in counts.get(theme.name, {}).items()}
        rows.append(ThemeRow(theme.label, [by_day.get(w.start.date(), 0) for w in charted]))
    return ThemesChart(week, charted, rows)


def render_svg(chart: ThemesChart) -> str:
    """The SVG text of ``chart`` (string templating; every text node escaped)."""
    slots = len(chart.weeks)
    width = _LABEL_W + slots * _BAR_W + 10
    height = _TOP + len(chart.rows) * _ROW_H + _BOTTOM
    most = max((n for row in chart.rows for n in row.counts), default=0) or 1
    title = escape(chart.alt_text())
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title" '
        'font-family="sans-serif" font-size="13">',
        f'<title id="title">{title}</title>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="8" y="20" font-weight="bold">Themes, week {chart.week.iso[1]} '
        f"and the {slots - 1} before</text>",
    ]
    for index, row in enumerate(chart.rows):
        base = _TOP + index * _ROW_H + _ROW_H - 12  # the bars stand on this line
        parts.append(
            f'<g><text x="8" y="{base - 6}">{escape(_short(row.label))} '
            f'<tspan font-weight="bold">({row.total})</tspan></text>'
        )
        parts.append(
            f'<line x1="{_LABEL_W}" y1="{base}" x2="{_LABEL_W + slots * _BAR_W}" '
            f'y2="{base}" stroke="#444"/>'
        )
        for slot, count in enumerate(row.counts):
            x = _LABEL_W + slot * _BAR_W + 8
            h = round(count / most * _BAR_MAX)
            if count:
                # the week itself is solid, the earlier weeks lighter grey: told apart by
                # shade and by the week numbers below, not by hue
                fill = "#333" if slot == slots - 1 else "#999"
                parts.append(
                    f'<rect x="{x}" y="{base - h}" width="{_BAR_W - 16}" height="{h}" '
                    f'fill="{fill}"/>'
                )
            parts.append(
                f'<text x="{x + (_BAR_W - 16) // 2}" y="{base - h - 3}" '
                f'text-anchor="middle" font-size="11">{count}</text>'
            )
        parts.append("</g>")
    axis = _TOP + len(chart.rows) * _ROW_H + 14
    parts.append(f'<text x="8" y="{axis}" font-size="11">week</text>')
    for slot, week in enumerate(chart.weeks):
        x = _LABEL_W + slot * _BAR_W + _BAR_W // 2
        bold = ' font-weight="bold"' if slot == slots - 1 else ""
        parts.append(
            f'<text x="{x}" y="{axis}" text-anchor="middle" font-size="11"{bold}>'
            f"W{week.iso[1]:02d}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(label: str, limit: int = 30) -> str:
    """A label that fits its column (the title and the post's alt text keep it whole)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
