"""``publish --reading-list``: one page with every paper, grouped by tag and status, its
BibTeX beside it, hostile arXiv text shown as text, and the weekly post's "…and N more"
linking to it."""

from __future__ import annotations

import re

import pytest
import yaml
from publish_fixtures import WEEK, add_paper, at, build_week_store, liquid, site

PAGE = "reading-list.md"
BIB = "assets/logbook/reading-list.bib"


@pytest.fixture
def week_store(store, monkeypatch):
    build_week_store(store, monkeypatch)
    return store


def body(text: str) -> str:
    return text.split("---\n", 2)[2]


def sections(text: str) -> dict[str, dict[str, list[str]]]:
    """``## tag`` → ``### status`` → the titles listed there."""
    found: dict[str, dict[str, list[str]]] = {}
    tag = status = None
    for line in body(text).splitlines():
        if line.startswith("## "):
            tag = re.sub(r"\s*\{#[^}]*\}$", "", line[3:])
            found[tag] = {}
        elif line.startswith("### "):
            status = line[4:]
            found[tag][status] = []
        elif line.startswith("- ["):
            found[tag][status].append(re.match(r"- \[(.*?)\]\(", line).group(1))
    return found


def test_the_page_lists_every_paper_grouped_by_tag_then_status(week_store, cli, tmp_path):
    cli("paper", "rm", "1706.03762")  # a removed paper is not on the list
    folder = site(tmp_path)
    result = cli("publish", "--reading-list", "--site", str(folder))
    assert "Wrote" in result.stderr and "(4 papers)" in result.stderr
    text = (folder / PAGE).read_text()
    front = yaml.safe_load(text.split("---\n", 2)[1])
    assert front["layout"] == "page" and front["title"] == "Reading list"
    assert front["permalink"] == "/reading-list.html"
    assert sections(text) == {
        "attention": {"✓ read": ["Rethinking Attention with Performers"]},
        "kernels": {"✓ read": ["Rethinking Attention with Performers"]},
        "scaling": {"○ to read": ["Scaling Laws for Neural Language Models"]},
        "Other papers": {
            "◐ reading": ["The Lottery Ticket Hypothesis"],
            "○ to read": ["An Image is Worth 16x16 Words"],
        },
    }
    page = body(text)
    assert "4 papers: 1 ✓ read, 1 ◐ reading, 2 ○ to read." in page
    assert "[BibTeX file]({{ site.baseurl }}/assets/logbook/reading-list.bib)" in page
    assert "(https://arxiv.org/abs/2009.14794)" in page
    assert "Krzysztof Choromanski, Valerii Likhosherstov, David Dohan, et al." in page
    assert "*My note:* FAVOR+ is a *positive* random-feature map." in page
    assert "{% raw %}Compare with {{ x }} kernels.{% endraw %}" in page  # the note's Liquid
    assert "Attention Is All You Need" not in page
    assert (folder / BIB).is_file()


def test_venue_and_a_configured_page_path(week_store, cli, tmp_path, monkeypatch):
    from sqlalchemy import text as sql

    with week_store._write() as session:
        session.execute(sql("UPDATE paper SET journal_ref = 'NeurIPS 2020' WHERE id = 3"))
    monkeypatch.setenv("LOGBOOK_POST_READING_LIST_PAGE", "notes/papers.md")
    folder = site(tmp_path)
    data = cli("publish", "--reading-list", "--site", str(folder), "--json").json()
    assert data["path"] == "notes/papers.md" and data["url"] == "/notes/papers.html"
    assert data["bib_path"] == "assets/logbook/papers.bib" and data["action"] == "created"
    page = (folder / "notes" / "papers.md").read_text()
    assert "Scaling Laws for Neural Language Models](https://arxiv.org/abs/2001.08361), " in page
    assert "Jared Kaplan, Sam McCandlish — *NeurIPS 2020*" in page
    assert (folder / "assets" / "logbook" / "papers.bib").is_file()


@pytest.mark.parametrize(
    "path", ["../outside.md", "/etc/x.md", "_drafts/x.md", "page.html", "a b.md"]
)
def test_a_page_path_outside_the_site_or_skipped_by_jekyll_is_refused(
    cli, tmp_path, monkeypatch, path
):
    monkeypatch.setenv("LOGBOOK_POST_READING_LIST_PAGE", path)
    folder = site(tmp_path)
    result = cli("publish", "--reading-list", "--site", str(folder), ok=False)
    assert result.exit_code == 2 and "post.reading_list_page" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == [] and not (tmp_path / "outside.md").exists()


def test_a_symlink_out_of_the_site_is_refused(week_store, cli, tmp_path):
    folder = site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "assets").symlink_to(elsewhere)
    result = cli("publish", "--reading-list", "--site", str(folder), ok=False)
    assert result.exit_code == 1 and "outside the site" in result.stderr
    assert list(elsewhere.iterdir()) == [] and not (folder / PAGE).exists()


HOSTILE = 'Attack <script>alert("x")</script> {{ site.title }} {% include evil.html %} `a` *b*'


def test_hostile_arxiv_text_is_text_on_the_page(store, cli, tmp_path):
    add_paper(
        store,
        arxiv_id="2101.00001",
        title=HOSTILE,
        authors=["<img src=x onerror=alert(1)>", "{{ page.x }}"],
        abstract="x",
        added=at("2021-01-02 10:00"),
        notes="My <b>note</b> {% endraw %} [link](javascript:alert(1))",
        tags=["__init__"],
    )
    text = cli("publish", "--reading-list", "--stdout").stdout
    out = liquid(
        body(text).replace("{{ site.baseurl }}", "")
    )  # what Jekyll's Liquid leaves: no tag runs, none is dropped
    assert re.search(r"(?<!\\)<", out) is None  # every "<" is kramdown's escaped one
    assert r'Attack \<script\>alert("x")\</script\>' in out
    assert r"\{\{ site.title \}\} \{% include evil.html %\} \`a\` \*b\*" in out
    assert r"\<img src=x onerror=alert(1)\>, \{\{ page.x \}\}" in out
    assert r"*My note:* My \<b>note\</b> {% endraw %} [link]\(javascript:alert(1))" in out
    assert r"## \_\_init\_\_ {#tag-init}" in out  # a tag is not markdown either


def test_the_bibtex_beside_the_page_is_read_back_by_pybtex(week_store, cli, tmp_path):
    pybtex = pytest.importorskip("pybtex.database")
    folder = site(tmp_path)
    cli("publish", "--reading-list", "--site", str(folder))
    data = pybtex.parse_string((folder / BIB).read_text(), "bibtex")
    titles = {e.fields["title"] for e in data.entries.values()}
    assert len(data.entries) == 5
    assert "Rethinking Attention with Performers" in titles
    assert {e.fields["eprint"] for e in data.entries.values()} >= {"2009.14794", "1706.03762"}


def test_dry_run_and_stdout_write_nothing(week_store, cli, tmp_path):
    folder = site(tmp_path)
    result = cli("publish", "--reading-list", "--site", str(folder), "--dry-run")
    assert result.stdout.startswith("---\nlayout: page\n")
    assert f"Would create {folder.resolve() / PAGE}" in result.stderr
    cli("publish", "--reading-list", "--stdout")
    assert list(folder.iterdir()) == []


def test_a_page_edited_by_hand_is_kept_unless_forced(week_store, cli, tmp_path):
    folder = site(tmp_path)
    cli("publish", "--reading-list", "--site", str(folder))
    page = folder / PAGE
    again = cli("publish", "--reading-list", "--site", str(folder))
    assert "Unchanged:" in again.stderr
    week_store.papers.set_status("2001.08361", "reading")
    assert "Rewrote" in cli("publish", "--reading-list", "--site", str(folder)).stderr
    page.write_text(page.read_text() + "\nMy own words.\n")
    refused = cli("publish", "--reading-list", "--site", str(folder), ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    assert "My own words." in page.read_text()
    dry = cli("publish", "--reading-list", "--site", str(folder), "--dry-run", ok=False)
    assert dry.exit_code == 1 and "My own words." in page.read_text()
    forced = cli("publish", "--reading-list", "--site", str(folder), "--force")
    assert "overwriting the edits by hand" in forced.stderr
    assert "My own words." not in page.read_text()


def test_a_page_logbook_did_not_write_is_not_overwritten(cli, tmp_path):
    folder = site(tmp_path)
    (folder / PAGE).write_text("---\ntitle: mine\n---\nMy page.\n")
    result = cli("publish", "--reading-list", "--site", str(folder), ok=False)
    assert result.exit_code == 1 and (folder / PAGE).read_text().endswith("My page.\n")


def test_reading_list_takes_no_post_options(cli):
    for extra in (["--week"], ["--paper", "1"], ["--intro", "x"], ["last"]):
        result = cli("publish", "--reading-list", *extra, ok=False)
        assert result.exit_code == 2 and "--reading-list" in result.stderr


def many_unread(store) -> None:
    for number in range(12):
        add_paper(
            store,
            arxiv_id=f"2010.{number:05d}",
            title=f"Unread {number}",
            authors=["A"],
            abstract="x",
            added=at("2020-09-02 09:00"),
        )


def test_the_weekly_posts_and_n_more_links_the_page_once_it_is_in_the_site(
    week_store, cli, tmp_path
):
    many_unread(week_store)
    folder = site(tmp_path)
    before = cli("publish", "--week", WEEK, "--site", str(folder), "--dry-run").stdout
    assert "more" not in before.split("Still on my reading list:")[1]  # no page: no line
    cli("publish", "--reading-list", "--site", str(folder))
    after = cli("publish", "--week", WEEK, "--site", str(folder), "--dry-run").stdout
    assert "- …and [4 more]({{ site.baseurl }}/reading-list.html)" in after


# ---------------------------------------------------------------------------------------
# A real Jekyll build: two weeks, the chart, the page

LAYOUT = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><h1>{{ page.title }}</h1>
{{ content }}
{% if page.next %}<a class="next" href="{{ page.next.url }}">next</a>{% endif %}
</body></html>
"""


@pytest.mark.slow
def test_jekyll_builds_two_weeks_the_chart_and_the_reading_list_page(
    week_store, cli, tmp_path, require_tool
):
    import html
    import subprocess

    jekyll = require_tool("jekyll")
    many_unread(week_store)
    add_paper(
        week_store,
        arxiv_id="2101.00001",
        title=HOSTILE,
        authors=["Eve <b>Bold</b>"],
        abstract="x",
        added=at("2020-09-03 10:00"),
        tags=["attention"],
    )
    folder = site(tmp_path)
    (folder / "_layouts").mkdir()
    (folder / "_config.yml").write_text(
        "markdown: kramdown\nkramdown:\n  math_engine: mathjax\ntimezone: Europe/Paris\n"
    )
    for layout in ("post", "page"):
        (folder / "_layouts" / f"{layout}.html").write_text(LAYOUT)
    cli("publish", "--reading-list", "--site", str(folder))
    cli("publish", "--week", "2020-W40", "--site", str(folder))
    cli("publish", "--week", WEEK, "--site", str(folder))

    built = subprocess.run(
        [jekyll, "build", "--source", str(folder), "--destination", str(folder / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    out = folder / "_site"
    week = (out / "research-log/2020/10/19/week-2020-w43.html").read_text()
    earlier = (out / "research-log/2020/10/04/week-2020-w40.html").read_text()
    assert '<a href="/research-log/2020/10/04/week-2020-w40.html">40</a>' in week
    # the later week links the earlier one in its text; a theme's "next" links forward
    assert '<a class="next" href="/research-log/2020/10/19/week-2020-w43.html">' in earlier
    more = re.search(r'…and <a href="([^"]+)">(\d+) more</a>', week)
    assert more is not None, week
    target = out / more.group(1).lstrip("/")
    assert target.is_file() and target == out / "reading-list.html"
    assert (out / "assets/logbook/2020-W43-themes.svg").is_file()

    page = target.read_text()
    assert "<title>Reading list</title>" in page
    assert '<h2 id="tag-attention">attention</h2>' in page
    assert re.search(r'<h3 id="[^"]*">✓ read</h3>', page)
    bib = re.search(r'<a href="([^"]+\.bib)">BibTeX file</a>', page)
    assert bib is not None and (out / bib.group(1).lstrip("/")).is_file()
    assert (out / bib.group(1).lstrip("/")).read_text().count("@misc{") == 18
    # arXiv's hostile text is text on the page: escaped, never an element or a Liquid tag
    assert "<script>" not in page and "<b>" not in page
    text = html.unescape(page)
    # (kramdown's typography curls the quotes)
    assert "Attack <script>alert(“x”)</script> {{ site.title }} {% include evil.html %}" in text
    assert "Eve <b>Bold</b>" in text


def test_the_page_hash_notices_any_edit(week_store, cli):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from logbook.publish.reading_page import written_by_logbook

    text = cli("publish", "--reading-list", "--stdout").stdout
    assert written_by_logbook(text)

    @settings(max_examples=60, deadline=None)
    @given(st.integers(0, len(text)), st.text(min_size=1, max_size=5))
    def edited(at_: int, extra: str) -> None:
        assert not written_by_logbook(text[:at_] + extra + text[at_:])

    edited()
