"""Issue 9, findings 11 and 12 (post side) and the unclosed ``<div>``: no text from arXiv or
from the user becomes live HTML on the built site, and no link but http(s) reaches a post.

The build test runs a real ``jekyll build`` of a site whose home page prints ``post.excerpt``
as minima does with ``show_excerpts: true`` (as it is) and ``post.title`` both escaped (minima)
and as it is (a careless theme), then reads the pages with ``html.parser``.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from publish_fixtures import add_paper, at, freeze

from logbook.publish import jekyll

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

HOSTILE = "<img src=x onerror=alert(1)> n<m and k>0"
PAPER_TITLE = "Q&A: <b onmouseover=alert(2)>bounds</b> for n<m"
TRAP_IDEA = """Trap idea <img src=x onerror=alert(3)>

<div class="trap">
Inside the unclosed div, with [a link](javascript:alert(4)).

After the div: still here."""
SECOND_IDEA = "Second idea after the trap\n\nIts own paragraph."

CONFIG = """\
title: safety site
timezone: Europe/Paris
markdown: kramdown
show_excerpts: true
"""
# minima's home.html, reduced: the excerpt as it is, the title escaped; plus a careless
# theme's raw title and tags.
HOME = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ site.title | escape }}</title></head><body>
<ul class="post-list">
{%- for post in site.posts -%}
<li><h3><a class="post-link" href="{{ post.url | relative_url }}">{{ post.title | escape }}</a></h3>
{%- if site.show_excerpts -%}{{ post.excerpt }}{%- endif -%}
<p class="raw-title">{{ post.title }}</p>
<ul class="tags">{% for tag in post.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
</li>
{%- endfor -%}
</ul></body></html>
"""
POST = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head><body>
<p class="excerpt">{{ page.excerpt }}</p>
<article class="post-content">
{{ content }}
</article>
<footer id="after-content">end</footer></body></html>
"""


class Page(HTMLParser):
    """Every element (tag, attributes, open ancestors) and every text with its ancestors."""

    VOID: ClassVar[set[str]] = {"meta", "img", "br", "hr", "input", "link", "source", "wbr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, list[str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.texts.append((data, [t for t, _ in self.stack]))

    @property
    def text(self) -> str:
        return " ".join(data for data, _ in self.texts)

    def ancestors_of(self, fragment: str) -> list[str]:
        for data, ancestors in self.texts:
            if fragment in data:
                return ancestors
        raise AssertionError(f"{fragment!r} is not on the page: {self.text[:2000]}")


def build(site: Path) -> None:
    result = subprocess.run(
        ["jekyll", "build", "--source", str(site), "--destination", str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=site,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def assert_inert(page: Page, where: str) -> None:
    """No element or attribute on ``page`` came from the hostile text."""
    for tag, attrs in page.elements:
        assert tag not in {"img", "script"}, f"a live <{tag}> on {where}: {attrs}"
        assert "trap" not in (attrs.get("class") or ""), f"the user's <div> is live on {where}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"a live {name}= on <{tag}> on {where}"
            if name in {"href", "src"}:
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), (
                    f"{tag} {name}={value!r} on {where}"
                )


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def publish_all(store, cli, monkeypatch, site: Path | None = None) -> dict[str, str]:
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "Europe/Paris")
    freeze(monkeypatch, "2020-10-20T10:00:00+02:00")
    add_paper(
        store,
        arxiv_id="2010.00001",
        title=PAPER_TITLE,
        authors=["Ada <i>Lovelace</i>"],
        abstract=HOSTILE,
        added=at("2020-10-20 09:00"),
        pdf_url="javascript:alert(5)",
    )
    cli("idea", "add", TRAP_IDEA, "--date", "2020-10-20T09:30")
    cli("idea", "add", SECOND_IDEA, "--date", "2020-10-20T09:40")
    freeze(monkeypatch, "2020-10-23T18:00:00+02:00")  # in the past: Jekyll skips future posts
    where = ["--site", str(site)] if site else ["--stdout"]
    return {
        kind: cli("publish", *args, *where, "--json").json()["path" if site else "text"]
        for kind, args in {
            "week": ["--week", "2020-W43"],
            "idea": ["--idea", "1"],
            "paper": ["--paper", "2010.00001"],
        }.items()
    }


def test_front_matter_values_a_theme_prints_hold_no_markup(store, cli, monkeypatch):
    texts = publish_all(store, cli, monkeypatch)
    paper = front(texts["paper"])
    assert paper["excerpt"] == "&lt;img src=x onerror=alert(1)&gt; n&lt;m and k&gt;0"
    # a text value keeps "&" and quotes (minima escapes titles itself) but opens no tag
    assert paper["title"] == "Q&A: &lt;b onmouseover=alert(2)>bounds&lt;/b> for n&lt;m"
    idea = front(texts["idea"])
    assert "<" not in idea["title"] and "<" not in idea["excerpt"]
    for text in texts.values():
        data = front(text)
        for key in ("title", "excerpt", "tags", "categories"):
            assert "<" not in str(data[key]), (key, data[key])


def test_a_javascript_pdf_url_or_link_never_reaches_a_post(store, cli, monkeypatch):
    texts = publish_all(store, cli, monkeypatch)
    for kind, text in texts.items():
        body = text.split("---\n", 2)[2]  # the excerpt is escaped text: no markdown there
        assert "](javascript:" not in body, kind
        assert "alert(5)" not in text, f"the javascript: pdf_url is in the {kind} post"
    assert "[PDF]" not in texts["paper"]  # the link is dropped, not pointed elsewhere
    assert "[arXiv:2010.00001](https://arxiv.org/abs/2010.00001)" in texts["paper"]
    assert "[a link]\\(javascript:alert(4))" in texts["idea"]  # shown as text


def test_raw_html_in_user_text_is_escaped_outside_code():
    text = "<div>open\n\n`<b>code</b>`\n\n```\n<i>fenced</i>\n```\n\n<https://arxiv.org/abs/1>"
    out = jekyll.markdown_text(text)
    assert out.startswith("\\<div>open")
    assert "`<b>code</b>`" in out and "\n<i>fenced</i>\n" in out  # code stays as written
    assert out.endswith("<https://arxiv.org/abs/1>")  # an http(s) autolink stays a link


@pytest.mark.slow
def test_jekyll_site_shows_hostile_html_as_text_and_keeps_its_structure(
    store, cli, tmp_path, monkeypatch, jekyll
):
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG)
    (site / "_layouts" / "home.html").write_text(HOME)
    (site / "_layouts" / "post.html").write_text(POST)
    (site / "index.html").write_text("---\nlayout: home\n---\n")
    paths = publish_all(store, cli, monkeypatch, site)
    build(site)

    home = Page((site / "_site" / "index.html").read_text(encoding="utf-8"))
    assert_inert(home, "the home page")
    assert HOSTILE in home.text  # the paper's excerpt, as text
    assert "Q&A: <b onmouseover=alert(2)>bounds</b> for n<m" in home.text  # the raw title
    assert [a for t, a in home.elements if t == "a" and "post-link" in (a.get("class") or "")]

    pages = {}
    for kind, path in paths.items():
        built = list((site / "_site").rglob(Path(path).stem[11:] + ".html"))
        assert len(built) == 1, (kind, built)
        pages[kind] = Page(built[0].read_text(encoding="utf-8"))
        assert_inert(pages[kind], f"the {kind} post")
        assert pages[kind].ancestors_of("end") == ["html", "body", "footer"]

    assert HOSTILE in pages["paper"].text
    week = pages["week"]
    assert "<div class=" in week.text  # the user's raw HTML, shown as text (quotes smartened)
    # what follows the unclosed <div> is still markdown, outside any div
    assert week.ancestors_of("After the div: still here.")[-1] == "p"
    # the next idea is still an item of the numbered list, not inside the unclosed <div>
    assert week.ancestors_of("Second idea after the trap")[:5] == [
        "html",
        "body",
        "article",
        "ol",
        "li",
    ]
    assert "div" not in week.ancestors_of("Second idea after the trap")
    idea = pages["idea"]
    assert idea.ancestors_of("After the div: still here.") == ["html", "body", "article", "p"]
    assert "[a link](javascript:alert(4))" in idea.text
