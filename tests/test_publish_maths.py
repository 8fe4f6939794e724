"""Maths and code in ideas and notes reach the post as kramdown and MathJax read them:
``$…$`` becomes kramdown's ``$$…$$`` with its content as written, code is never touched,
and neither can carry raw HTML onto the page."""

from __future__ import annotations

import re
import subprocess

import pytest
from publish_fixtures import add_paper, at, freeze, liquid

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

IDEA = r"""Bounds with maths #maths

Inline $a_1 < b$ holds, and $x^*_i * y_j^*$ too, with \$5 left as money.

$$\sum_i x_i$$

A norm $|x| + \|y\|$ on one line, and $\{a \mid b\}$ a set.

Code: `$x$ <b> a_b *c*` and ``a `tick` b``.

```python
if a < b and c > d:
    print("$x$ {{ y }} <i>")
```

~~~
$$ not maths $$ | a | b |
~~~"""

CODE_BLOCK = '```python\nif a < b and c > d:\n    print("$x$ {{ y }} <i>")\n```'


def post_body(cli, *args: str) -> str:
    """The markdown of a post as Jekyll's Liquid leaves it (raw blocks unwrapped)."""
    text = cli("publish", *args, "--stdout").stdout
    return liquid(text.split("---\n", 2)[2].replace("{{ site.baseurl }}", ""))


@pytest.fixture
def idea(cli, monkeypatch):
    freeze(monkeypatch, "2020-10-21T10:00:00+00:00")
    cli("idea", "add", IDEA, "--date", "2020-10-21T09:00")


def test_inline_and_display_maths_are_kramdowns_with_their_content_as_written(cli, idea):
    body = post_body(cli, "--idea", "1")
    assert "Inline $$a_1 < b$$ holds, and $$x^*_i * y_j^*$$ too, with \\$5 left" in body
    assert "\n\n$$\\sum_i x_i$$\n\n" in body  # display maths: a paragraph of its own
    assert "$$\\{a \\mid b\\}$$ a set" in body
    # a "|" in maths would make kramdown read the line as a table row: the same bar
    assert "A norm $$\\vert x\\vert  + \\|y\\|$$ on one line" in body
    assert "\\<" not in body.split("Code:")[0]  # nothing inside the maths was escaped


def test_code_spans_and_fenced_blocks_stay_exactly_as_written(cli, idea):
    body = post_body(cli, "--idea", "1")
    assert "Code: `$x$ <b> a_b *c*` and ``a `tick` b``." in body
    assert CODE_BLOCK in body
    assert "~~~\n$$ not maths $$ | a | b |\n~~~" in body


def test_the_weekly_post_keeps_the_maths_and_code_of_an_idea(cli, idea, monkeypatch):
    freeze(monkeypatch, "2020-10-23T10:00:00+00:00")
    body = post_body(cli, "--week", "2020-W43")
    assert "Inline $$a_1 < b$$ holds" in body and "\n\n   $$\\sum_i x_i$$\n\n" in body
    # inside the numbered list the block is indented with the item, not changed
    assert "\n".join("   " + line for line in CODE_BLOCK.splitlines()) in body


def test_maths_across_a_blank_line_is_no_maths_and_its_html_is_text(cli):
    # kramdown's maths ends with the paragraph: what lies between would be raw HTML
    cli("idea", "add", 'Split $$a\n\n<img src="x" onerror="alert(1)">\n\nb$$ end')
    body = post_body(cli, "--idea", "1")
    assert '\\<img src="x"' in body


def test_an_escaped_backtick_opens_no_code_span(cli):
    # kramdown shows "\`" as a backtick: the text after it is prose, and its HTML is text
    cli("idea", "add", 'Ticks\n\nTick \\` <img src="x" onerror="alert(1)"> ` end')
    body = post_body(cli, "--idea", "1")
    assert 'Tick \\` \\<img src="x"' in body


def test_maths_in_an_arxiv_abstract_is_kept_and_the_rest_escaped(store, cli):
    add_paper(
        store,
        arxiv_id="2101.00002",
        title="States $|\\psi\\rangle$ and <b>bold</b>",
        authors=["A"],
        abstract="We bound $\\langle \\psi | H | \\psi \\rangle < 0$ for *all* x_1.",
        added=at("2021-01-02 10:00"),
    )
    body = post_body(cli, "--paper", "2101.00002")
    assert "$$\\langle \\psi \\vert  H \\vert  \\psi \\rangle < 0$$ for \\*all\\* x\\_1." in body


def test_plain_math_mode_leaves_single_dollars_to_the_site(cli, idea, monkeypatch):
    monkeypatch.setenv("LOGBOOK_POST_MATH", "plain")
    body = post_body(cli, "--idea", "1")
    assert "Inline $a_1 \\< b$ holds" in body  # prose to kramdown: its "<" is escaped
    assert "\n\n$$\\sum_i x_i$$\n\n" in body


# ---------------------------------------------------------------------------------------
# What Jekyll makes of it

CONFIG = "markdown: kramdown\nkramdown:\n  math_engine: mathjax\n"


@pytest.mark.slow
def test_jekyll_gives_mathjax_the_maths_and_the_code_as_code(cli, idea, tmp_path, require_tool):
    jekyll = require_tool("jekyll")
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG)
    (site / "_layouts" / "post.html").write_text("<html><body>{{ content }}</body></html>\n")
    path = cli("publish", "--idea", "1", "--site", str(site), "--json").json()["path"]
    built = subprocess.run(
        [jekyll, "build", "--source", str(site), "--destination", str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    name = path.removeprefix("_posts/")[11:-3]
    (page,) = (site / "_site").rglob(f"{name}.html")
    html = page.read_text()
    # MathJax reads \( \) and \[ \] in the text; "<" is an entity there, never a tag
    assert "\\(a_1 &lt; b\\)" in html and "\\(x^*_i * y_j^*\\)" in html
    assert "\\[\\sum_i x_i\\]" in html
    assert "\\(\\vert x\\vert  + \\|y\\|\\)" in html and "<table" not in html
    assert "<code>$x$ &lt;b&gt; a_b *c*</code>" in re.sub(r"<code [^>]*>", "<code>", html)
    code = re.sub(r"<[^>]+>", "", html.split('<pre class="highlight">')[1].split("</pre>")[0])
    assert code == 'if a &lt; b and c &gt; d:\n    print("$x$ {{ y }} &lt;i&gt;")\n'
    assert "$$ not maths $$ | a | b |" in html
    # no "*" or "_" in maths or code became emphasis, and no "<" a tag
    assert html.count("<em>") == 1 and "<b>" not in html and "<i>" not in html
