"""The weekly post's themes chart: an SVG beside the post, named in it, safe and readable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from publish_fixtures import PARIS, WEEK, build_week_store, site

from logbook.dates import parse_week
from logbook.publish.chart import ThemeRow, ThemesChart, render_svg

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

CHART = "assets/logbook/2020-W43-themes.svg"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def week_store(store, monkeypatch):
    build_week_store(store, monkeypatch)
    return store


def texts(svg: str) -> list[str]:
    """Every text the chart shows, as a reader (or a screen reader) gets it."""
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    wanted = (f"{SVG}text", f"{SVG}title")
    return ["".join(node.itertext()) for node in root.iter() if node.tag in wanted]


def test_week_post_writes_a_themes_chart_beside_it_and_shows_it(week_store, cli, tmp_path):
    folder = site(tmp_path)
    cli("publish", "--week", WEEK, "--site", str(folder))
    svg = (folder / CHART).read_text(encoding="utf-8")
    shown = texts(svg)
    # every theme is named with its count over the eight weeks, in words, not only by hue
    assert "attention (4)" in shown
    assert "Machine Learning (cs.LG) (4)" in shown
    assert [t for t in shown if t.startswith("W")] == [f"W{n}" for n in range(36, 44)]
    assert "<script" not in svg and "javascript" not in svg.lower()
    post = (folder / "_posts" / "2020-10-19-week-2020-w43.md").read_text(encoding="utf-8")
    alt = "Entries per theme, weeks 36 to 43: attention: 4; Machine Learning (cs.LG): 4"
    assert f"![{alt}]({{{{ site.baseurl }}}}/{CHART})" in post


def test_chart_counts_each_theme_per_week(week_store, cli, tmp_path):
    folder = site(tmp_path)
    cli("publish", "--week", WEEK, "--site", str(folder))
    root = ET.fromstring((folder / CHART).read_bytes())
    rows = [group for group in root.iter(f"{SVG}g")]
    numbers = [[t.text for t in row.iter(f"{SVG}text")][1:] for row in rows]
    # attention: one paper in week 40, a paper and two ideas in week 43
    assert numbers[0] == ["0", "0", "0", "0", "1", "0", "0", "3"]
    # cs.LG: papers added in weeks 36, 40 and two in 43 (the one added after the week is not)
    assert numbers[1] == ["1", "0", "0", "0", "1", "0", "0", "2"]


def test_chart_escapes_text_from_users():
    # Stored tag names cannot hold markup (normalize_tag refuses it), but a label is also
    # made from arXiv category names and by templates: the chart escapes whatever it gets.
    hostile = '<b onload="x">&amp;]]></b> {{ x }}'
    week = parse_week(WEEK, PARIS)
    chart = ThemesChart(week, [week], [ThemeRow(hostile, [3])])
    svg = render_svg(chart)
    assert hostile not in svg
    shown = texts(svg)  # parsed back, the label is text, whole, with its count
    assert f"{hostile[:29]}… (3)" in shown  # the row: cut to its column
    assert any(hostile in t for t in shown)  # the title keeps it whole
    root = ET.fromstring(svg.encode("utf-8"))
    assert not [node for node in root.iter() if node.tag.endswith("}b") or node.tag == "b"]


def test_dry_run_and_stdout_write_no_chart(week_store, cli, tmp_path):
    folder = site(tmp_path)
    cli("publish", "--week", WEEK, "--site", str(folder), "--dry-run")
    cli("publish", "--week", WEEK, "--site", str(folder), "--stdout")
    assert list(folder.iterdir()) == []


def test_a_refused_post_writes_no_chart(week_store, cli, tmp_path):
    folder = site(tmp_path)
    (folder / "_posts").mkdir()
    (folder / "_posts" / "2020-10-19-week-2020-w43.md").write_text("mine\n")
    result = cli("publish", "--week", WEEK, "--site", str(folder), ok=False)
    assert result.exit_code == 1
    assert "did not write it" in result.stderr
    assert not (folder / "assets").exists()


def test_a_chart_link_planted_outside_the_site_is_refused(week_store, cli, tmp_path):
    folder = site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "assets").symlink_to(outside)
    result = cli("publish", "--week", WEEK, "--site", str(folder), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "outside the site" in result.stderr
    assert list(outside.iterdir()) == []
    assert not (folder / "_posts").exists()  # nothing half-written: no post without its chart


def test_chart_weeks_come_from_config(week_store, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGBOOK_POST_CHART_WEEKS", "3")
    folder = site(tmp_path)
    cli("publish", "--week", WEEK, "--site", str(folder))
    shown = texts((folder / CHART).read_text(encoding="utf-8"))
    assert [t for t in shown if t.startswith("W")] == ["W41", "W42", "W43"]
