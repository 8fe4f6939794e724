"""A real Jekyll build of posts that logbook published from entries with hostile content.

Jekyll (Debian's ``jekyll`` package, which .ci/run installs) builds a minimal site with its
own ``_config.yml`` and ``_layouts/post.html``; the test asserts that the build succeeds, that
each post is at its expected URL, and that the hostile text is on the page literally.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from publish_fixtures import add_paper, at, freeze, liquid

from logbook.publish import jekyll

# A real Jekyll build is slow and about the page, so the builds run on SQLite only; what a
# page is made of comes out of the store, and that part runs on both backends (``backends``
# on that test, not on the module). ``jekyll`` (conftest): a build is skipped without Jekyll,
# and fails without it when CI=true.

LIQUID = ["{{ x }}", "{% if %}", "{% endraw %}", "{%- endraw -%}", "{% raw %}", "{{{% endraw %}"]
TITLE = 'BERT: "Pre-training" #1 --- part 2'
MATH = "\\frac{{a}}{{b}}"
IDEA = f"""{TITLE}

Liquid: {" and ".join(LIQUID)} and a brace at the end {{

---

<em class="mine">inline HTML</em>, emoji 🧪🚀 and CJK 注意力机制, math ${MATH}$.

---
Last line after a bare --- line."""

CONFIG = """\
title: logbook test site
timezone: Europe/Paris
markdown: kramdown
kramdown:
  math_engine: mathjax
"""

LAYOUT = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title>
<meta name="description" content="{{ page.excerpt }}"></head>
<body><h1 class="post-title">{{ page.title }}</h1>
<p class="post-excerpt">{{ page.excerpt }}</p>
<ul class="post-tags">{% for tag in page.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
<article>
{{ content }}
</article></body></html>
"""


def build(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["jekyll", "build", "--source", str(site), "--destination", str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=site,
    )


def page(site: Path, url: str) -> str:
    path = site / "_site" / url.lstrip("/")
    assert path.is_file(), (
        f"no page at {url}; built: {sorted(map(str, (site / '_site').rglob('*.html')))}"
    )
    return html.unescape(path.read_text(encoding="utf-8"))


HOSTILE = ("{{ x }}", "{% if %}", "{% endraw %}", MATH, "🧪", "注意")


def publish_hostile(store, cli, site: Path, monkeypatch) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Store a paper and an idea full of hostile text; publish them and their week to ``site``."""
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "Europe/Paris")
    freeze(monkeypatch, "2020-10-20T10:00:00+02:00")
    add_paper(
        store,
        arxiv_id="2010.00001",
        title=TITLE,
        authors=["Ada Lovelace", "注意 太郎"],
        abstract=(
            f"We show {{{{ x }}}} and {{% if %}} and {{% endraw %}} survive.\n---\n"
            f"Math ${MATH}$ and <b>tags</b> stay literal 🧪."
        ),
        added=at("2020-10-20 09:00"),
        notes="My notes: {% endraw %} then {{ page.title }}.",
    )
    cli("idea", "add", IDEA, "--paper", "2010.00001", "--date", "2020-10-20T09:30")
    freeze(monkeypatch, "2020-10-23T18:00:00+02:00")  # in the past: Jekyll skips future posts
    return {
        kind: cli("publish", *args, "--site", str(site), "--json").json()
        for kind, args in {
            "week": ["--week", "2020-W43"],
            "idea": ["--idea", "1"],
            "paper": ["--paper", "2010.00001"],
        }.items()
    }


def _as_jekyll_reads(post: Path) -> str:
    """What a post's page will show, modelled: its excerpt, and its body as ``liquid`` outputs
    it with Markdown's backslash escapes undone (kramdown's part)."""
    _, front, body = post.read_text(encoding="utf-8").split("---\n", 2)
    excerpt = yaml.safe_load(front)["excerpt"]
    shown = liquid(body.replace("{{ site.baseurl }}", ""))
    return excerpt + "\n" + re.sub(r"\\([{}%<>#-])", r"\1", shown)


@pytest.mark.backends
def test_hostile_text_comes_out_of_the_store_into_posts_that_liquid_reads_literally(
    store, cli, tmp_path, monkeypatch
):
    """The store's part of the build below, on both backends and without Jekyll: ``liquid``
    reads as Jekyll does (test_liquid_model_agrees_with_jekyll_on_tricky_text checks it)."""
    site = tmp_path / "site"
    site.mkdir()
    posts = publish_hostile(store, cli, site, monkeypatch)
    assert {kind: post["path"] for kind, post in posts.items()} == {
        "week": "_posts/2020-10-19-week-2020-w43.md",
        "idea": "_posts/2020-10-23-bert-pre-training-1-part-2.md",
        "paper": "_posts/2020-10-23-bert-pre-training-1-part-2-2.md",
    }
    for kind, post in posts.items():
        shown = _as_jekyll_reads(site / post["path"])
        for fragment in HOSTILE:
            assert fragment in shown, f"{fragment!r} is missing from the {kind} post"
    idea = _as_jekyll_reads(site / posts["idea"]["path"])
    assert "Liquid: " + " and ".join(LIQUID) in idea
    assert "emoji 🧪🚀 and CJK 注意力机制" in idea
    paper = _as_jekyll_reads(site / posts["paper"]["path"])
    assert "My notes: {% endraw %} then {{ page.title }}." in paper


@pytest.mark.slow
@pytest.mark.usefixtures("jekyll")
def test_jekyll_builds_hostile_posts_and_shows_the_text_literally(
    store, cli, tmp_path, monkeypatch
):
    # About the page, so SQLite only: the store's part is the test above, on both backends.
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG)
    (site / "_layouts" / "post.html").write_text(LAYOUT)
    posts = publish_hostile(store, cli, site, monkeypatch)

    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Liquid" not in result.stderr, result.stderr

    urls = {
        "week": "/research-log/2020/10/19/week-2020-w43.html",
        "idea": "/ideas/2020/10/23/bert-pre-training-1-part-2.html",
        # same day, same title as the idea: the second post gets its own file name
        "paper": "/papers/2020/10/23/bert-pre-training-1-part-2-2.html",
    }
    for kind, url in urls.items():
        assert posts[kind]["path"].removeprefix("_posts/")[11:-3] == url.rsplit("/", 1)[1][:-5]
        text = page(site, url)
        for fragment in HOSTILE:
            assert fragment in text, f"{fragment!r} is missing from {url}"

    idea = page(site, urls["idea"])
    assert f'<h1 class="post-title">{TITLE}</h1>' in idea
    assert f"<title>{TITLE}</title>" in idea
    # the user's raw HTML is escaped (docs/usage.md): text on the page, never an element
    assert "<em class=" in idea and "inline HTML</em>" in idea
    assert "<em class=" not in (site / "_site" / urls["idea"].lstrip("/")).read_text()
    assert "emoji 🧪🚀 and CJK 注意力机制" in idea
    assert "a brace at the end {" in idea
    assert "Last line after a bare" in idea  # the user's markdown: "---" is a dash there
    assert "Liquid: " + " and ".join(LIQUID) in idea
    assert '<p class="post-excerpt">Liquid: {{ x }} and {% if %}' in idea  # the excerpt too

    paper = page(site, urls["paper"])
    assert f'<h1 class="post-title">{TITLE}</h1>' in paper
    assert "<b>tags</b> stay literal" in paper  # arXiv text is text, not HTML
    assert "survive. --- Math" in paper
    assert "My notes: {% endraw %} then {{ page.title }}." in paper

    week = page(site, urls["week"])
    assert "Week 43 (Oct 19–25)" in week
    assert "BERT: " in week and "Pre-training" in week


@pytest.mark.slow
@pytest.mark.usefixtures("jekyll")
def test_liquid_model_agrees_with_jekyll_on_tricky_text(tmp_path):
    """The Liquid model used by the property tests reads these texts as Jekyll does."""
    texts = [
        "{{{% endraw %}",
        "{%- endraw -%} {% raw %} {{ x }}",
        "ends with {",
        "}} and %} and {{ x",
        "a\n\n{% if %}\n\nb {{ y }}",
    ]
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("markdown: kramdown\n")
    marker = "\n\nZZZ\n\n"
    body = marker.join(jekyll.liquid_literal(t) for t in texts)
    (site / "_posts" / "2020-01-01-t.md").write_text("---\nlayout: null\n---\n" + body)
    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    out = html.unescape((site / "_site" / "2020" / "01" / "01" / "t.html").read_text())
    for text in texts:
        assert liquid(jekyll.liquid_literal(text)) == text
        for line in text.split("\n\n"):
            assert line.strip() in out, f"{line!r} missing from Jekyll's output"


READER_LAYOUT = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title>
<style>body { font: 17px/1.55 Georgia, serif; max-width: 42em; margin: 2em auto; }</style>
<script>window.MathJax = { tex: { inlineMath: [['\\\\(', '\\\\)']] } };</script>
</head>
<body><h1>{{ page.title }}</h1>
<p><em>{{ page.excerpt }}</em></p>
<p>Tags: {{ page.tags | join: ", " }}</p>
<article>
{{ content }}
</article></body></html>
"""


@pytest.mark.slow
@pytest.mark.usefixtures("jekyll")
def test_two_weeks_of_posts_build_and_link_each_other(store, cli, tmp_path, monkeypatch):
    """A site with two weeks: the later post links the earlier one through post_url, the
    reader sees numbered ideas and papers once each, and a conflict's side file is skipped."""
    # About the page (Jekyll's post_url, side file, chart asset), so SQLite only: the same week
    # from the store is published on both backends in test_publish and test_safety_publish_edits.
    from publish_fixtures import WEEK, build_week_store
    from publish_fixtures import site as empty_site

    build_week_store(store, monkeypatch)
    site = empty_site(tmp_path)
    (site / "_layouts").mkdir()
    (site / "_config.yml").write_text(CONFIG)
    (site / "_layouts" / "post.html").write_text(READER_LAYOUT)
    intro = "This week I mostly read about attention. Kernels keep pulling me back."
    cli("publish", "--week", "2020-W40", "--site", str(site))
    later = cli("publish", "--week", WEEK, "--site", str(site), "--intro", intro, "--json").json()
    path = site / later["path"]
    side = path.with_name(f"_{path.stem}.logbook-new.md")  # as a conflict leaves it
    side.write_text(path.read_text().replace("week-2020", "other"))

    result = build(site)
    assert result.returncode == 0, result.stdout + result.stderr
    week = page(site, "/research-log/2020/10/19/week-2020-w43.html")
    assert '<a href="/research-log/2020/10/04/week-2020-w40.html">40</a>' in week
    assert "Attention and machine learning came up again — see week" in week
    assert "<ol>" in week and "<strong>Does attention need softmax?</strong>" in week
    assert week.count("Scaling Laws for Neural Language Models") == 1
    assert intro in week
    built = sorted(p.name for p in (site / "_site").rglob("*.html"))
    assert built == ["week-2020-w40.html", "week-2020-w43.html"]  # the side file is no post
    # the themes chart is served beside the posts, and the post shows it with its words
    assert (site / "_site" / "assets" / "logbook" / "2020-W43-themes.svg").is_file()
    assert '<img src="/assets/logbook/2020-W43-themes.svg" alt="Entries per theme, weeks' in week
