"""logbook publish: rendered posts (golden files), Jekyll file rules, Liquid safety, rewrites."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from publish_fixtures import NOW, WEEK, add_paper, at, build_week_store, freeze, liquid, site

from logbook.errors import PublishError
from logbook.publish import jekyll

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LOGBOOK_UPDATE_GOLDEN") == "1"
# Jekyll's own front matter pattern (Jekyll::Document::YAML_FRONT_MATTER_REGEXP).
FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)
JEKYLL_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}")


def front(text: str) -> dict:
    match = FRONT_MATTER.match(text)
    assert match, f"no front matter Jekyll can read in:\n{text[:300]}"
    return yaml.safe_load(match.group(1).removeprefix("---"))


def body_of(text: str) -> str:
    match = FRONT_MATTER.match(text)
    assert match
    return text[match.end() :]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


HOSTILE_PIECES = [
    "{",
    "}",
    "%",
    "-",
    " ",
    "x",
    "\n",
    "\n\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "raw",
    "endraw",
]
HOSTILE_PIECES += ["{% endraw %}", "{%- endraw -%}", "{% raw %}", "{{ x }}", "{% if %}", "{{{%"]
HOSTILE = st.lists(st.sampled_from(HOSTILE_PIECES), max_size=30).map("".join)


# ---------------------------------------------------------------------------------------
# Golden files: the rendered markdown of a fixed store, clock and time zone


@pytest.fixture
def week_store(store, monkeypatch):
    build_week_store(store, monkeypatch)
    return store


def test_week_post_matches_golden_file(week_store, cli):
    text = cli("publish", "--week", WEEK, "--stdout").stdout
    check_golden("week-2020-W43.md", text)


def test_paper_post_matches_golden_file(week_store, cli):
    text = cli("publish", "--paper", "2009.14794", "--stdout").stdout
    check_golden("paper-2009.14794.md", text)


def test_idea_post_matches_golden_file(week_store, cli):
    text = cli("publish", "--idea", "2", "--stdout").stdout
    check_golden("idea-2.md", text)


def test_plain_math_leaves_dollars_as_they_are(week_store, cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_POST_MATH", "plain")
    text = cli("publish", "--paper", "2009.14794", "--stdout").stdout
    assert "$O(L^2)$" in text and "$$" not in text
    monkeypatch.setenv("LOGBOOK_POST_MATH", "mathjax")
    assert "$$O(L^2)$$" in cli("publish", "--paper", "2009.14794", "--stdout").stdout


# ---------------------------------------------------------------------------------------
# What the week gathers


def test_week_gathers_new_and_changed_ideas_papers_and_reading_list(week_store, cli):
    body = body_of(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert "Does attention need softmax?" in body  # new this week
    assert "Lottery tickets in transformers" in body  # older, status changed this week
    assert "A removed idea" not in body  # archived
    assert "Rethinking Attention with Performers" in body  # added and read
    assert "FAVOR+ is a *positive* random-feature map." in body  # the user's notes
    assert "Attention Is All You Need" in body  # read this week, added before
    assert "The Lottery Ticket Hypothesis" in body  # still reading: on the reading list
    assert "An Image is Worth" not in body  # added after the week


def test_week_spec_accepts_last_and_a_date_inside_the_week(week_store, cli, monkeypatch):
    by_label = cli("publish", "--week", WEEK, "--stdout").stdout
    assert cli("publish", "--week", "2020-10-21", "--stdout").stdout == by_label
    assert cli("publish", "--stdout").stdout == by_label  # "this" week is the default
    freeze(monkeypatch, "2020-10-28T10:00:00+01:00")
    assert front(cli("publish", "--week", "last", "--stdout").stdout)["title"].startswith(
        "Week 43 (Oct 19–25)"
    )


def test_week_starting_on_sunday_moves_the_range(week_store, cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_WEEK_START", "sunday")
    text = cli("publish", "--week", "2020-10-21", "--stdout").stdout
    assert front(text)["date"].startswith("2020-10-18 00:00:00")


def test_a_week_that_has_not_begun_is_refused(week_store, cli):
    result = cli("publish", "--week", "2020-W50", "--stdout", ok=False)
    assert result.exit_code == 2
    assert "has not begun" in result.stderr


# ---------------------------------------------------------------------------------------
# Front matter


def test_front_matter_has_every_field_jekyll_needs(week_store, cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_AUTHOR", "Ada: the #1 researcher")
    data = front(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert data["layout"] == "post"
    assert data["title"] == "Week 43 (Oct 19–25): attention and machine learning"
    assert data["author"] == "Ada: the #1 researcher"
    assert isinstance(data["tags"], list) and "kernels" in data["tags"]
    assert data["categories"] == ["research-log"]
    assert data["excerpt"].startswith("Notes from week 43 on attention")


def test_date_has_the_real_offset_and_is_never_in_the_future(week_store, cli, monkeypatch):
    week = front(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert JEKYLL_DATE.fullmatch(str(week["date"]))
    assert str(week["date"]) == "2020-10-19 00:00:00 +0200"  # summer time in Paris
    idea = front(cli("publish", "--idea", "2", "--stdout").stdout)
    assert str(idea["date"]) == "2020-10-23 18:00:00 +0200"  # the moment of publishing
    freeze(monkeypatch, "2020-11-02T09:00:00+01:00")
    assert str(front(cli("publish", "--idea", "2", "--stdout").stdout)["date"]).endswith("+0100")


def test_title_pattern_comes_from_config(week_store, cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_POST_TITLE", "Notes {start} to {end} ({number}/{year})")
    data = front(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert data["title"] == "Notes 2020-10-19 to 2020-10-25 (43/2020)"
    monkeypatch.setenv("LOGBOOK_POST_TITLE", "Week {wek}")
    result = cli("publish", "--week", WEEK, "--stdout", ok=False)
    assert result.exit_code == 2 and "post.title" in result.stderr


@pytest.mark.store_free
@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_title_survives_the_front_matter(title):
    title = jekyll.one_line(title)  # what publish does to every title and excerpt
    text = jekyll.front_matter({"layout": "post", "title": title, "excerpt": title})
    data = front(text + "\nbody\n")
    assert data["title"] == title
    assert FRONT_MATTER.match(text + "\n---\n").group(1) == text.removesuffix("---\n")


@pytest.mark.parametrize(
    "title",
    [
        'BERT: "Pre-training" #1 --- part 2',
        "---",
        "...",
        "- item",
        "key: value",
        "@at",
        "ünï 注意力 🧪",
    ],
)
def test_hostile_titles_are_quoted_by_the_emitter(week_store, cli, title):
    text = cli("publish", "--week", WEEK, "--title", title, "--stdout").stdout
    assert front(text)["title"] == title


# ---------------------------------------------------------------------------------------
# File names and safety


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_slug_is_ascii_lowercase_bounded_and_stays_in_posts(title):
    slug = jekyll.slugify(title, fallback="idea-7")
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert len(slug) <= jekyll.SLUG_MAX
    root = Path("/tmp/site")
    assert (
        jekyll.post_path(root, jekyll.post_filename(at("2020-10-19 00:00"), slug)).parent
        == (root / "_posts").resolve()
    )


@pytest.mark.store_free
def test_slug_folds_accents_and_falls_back_for_scripts_without_ascii():
    assert jekyll.slugify("Écoute: l'attention — v2") == "ecoute-l-attention-v2"
    assert jekyll.slugify("注意力 🧪", fallback="idea-12") == "idea-12"
    assert len(jekyll.slugify("word " * 50)) <= jekyll.SLUG_MAX


@pytest.mark.store_free
def test_post_path_refuses_names_that_leave_posts(tmp_path):
    for bad in ("_posts/../x.md", "../_posts/2020-10-19-x.md", "_posts/2020-10-19-../../x.md"):
        with pytest.raises(PublishError):
            jekyll.post_path(tmp_path, bad)


def test_path_traversal_in_a_title_stays_in_posts(week_store, cli, tmp_path):
    folder = site(tmp_path)
    result = cli(
        "publish", "--week", WEEK, "--site", str(folder), "--title", "../../../etc/passwd", "--json"
    ).json()
    assert result["path"] == "_posts/2020-10-19-etc-passwd.md"
    store_idea = cli("idea", "add", "../../outside/.. /evil", "--json").json()
    cli("publish", "--idea", str(store_idea["id"]), "--site", str(folder))
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.md"))
    assert all(p.parts[:2] == ("site", "_posts") for p in written), written
    assert len(written) == 2


def test_week_post_is_written_to_posts_and_recorded(week_store, cli, tmp_path):
    folder = site(tmp_path)
    result = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert result["action"] == "created"
    path = folder / "_posts" / "2020-10-19-week-2020-w43.md"
    assert result["file"] == str(path.resolve())
    assert jekyll.content_hash(path.read_bytes()) == result["content_hash"]
    posts = cli("post", "list", "--json").json()
    assert [(p["kind"], p["source"], p["path"]) for p in posts] == [
        ("week", WEEK, "_posts/2020-10-19-week-2020-w43.md")
    ]
    shown = cli("post", "show", str(posts[0]["id"]), "--json").json()
    assert shown["body"] == body_of(path.read_text()).removeprefix("\n")
    assert "kernels" in shown["tags"]


def test_site_comes_from_config_when_not_given(week_store, cli, tmp_path, monkeypatch):
    folder = site(tmp_path)
    monkeypatch.setenv("LOGBOOK_SITE", str(folder))
    cli("publish", "--week", WEEK)
    assert (folder / "_posts" / "2020-10-19-week-2020-w43.md").exists()


def test_site_defaults_to_the_project_folder_and_reads_relative_paths_there(
    cli, tmp_path, monkeypatch
):
    blog = tmp_path / "blog"
    (blog / "notes").mkdir(parents=True)
    monkeypatch.delenv("LOGBOOK_DB")
    monkeypatch.chdir(blog)
    cli("init")
    freeze(monkeypatch, NOW)
    cli("idea", "add", "A thought")
    assert (
        cli("publish", "--idea", "1", "--json")
        .json()["file"]
        .startswith(str(blog.resolve() / "_posts"))
    )
    (blog / ".logbook" / "config.yaml").write_text("site: site\n")
    (blog / "site").mkdir()
    monkeypatch.chdir(blog / "notes")
    result = cli("publish", "--week", "--json").json()
    assert Path(result["file"]).parent == (blog / "site" / "_posts").resolve()


def test_no_site_is_a_clear_error(week_store, cli):
    result = cli("publish", "--week", WEEK, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no Jekyll site: pass --site")


def test_republishing_the_same_week_rewrites_the_same_file(week_store, cli, tmp_path):
    folder = site(tmp_path)
    first = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    again = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert again["action"] == "unchanged" and again["file"] == first["file"]
    cli("idea", "add", "One more thought #kernels", "--date", "2020-10-23")
    third = cli(
        "publish", "--week", WEEK, "--site", str(folder), "--title", "Renamed", "--json"
    ).json()
    assert third["action"] == "updated" and third["file"] == first["file"]
    assert "One more thought" in Path(third["file"]).read_text()
    assert len(list((folder / "_posts").iterdir())) == 1
    assert len(cli("post", "list", "--json").json()) == 1


def test_hand_edited_post_keeps_the_edit_and_force_takes_logbooks_text(week_store, cli, tmp_path):
    folder = site(tmp_path)
    path = Path(cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()["file"])
    edited = path.read_text() + "\nA line I added by hand.\n"
    path.write_text(edited)
    again = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert again["action"] == "unchanged" and path.read_text() == edited
    dry = cli("publish", "--week", WEEK, "--site", str(folder), "--dry-run")
    assert "leave unchanged" in dry.stderr and path.read_text() == edited
    forced = cli("publish", "--week", WEEK, "--site", str(folder), "--force", "--json").json()
    assert forced["forced"] is True
    assert "by hand" not in path.read_text()
    assert cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()["action"] == (
        "unchanged"
    )


def test_a_failed_commit_puts_the_file_back_and_the_next_publish_needs_no_force(
    week_store, cli, tmp_path, monkeypatch
):
    import sqlite3

    from logbook import fileio

    folder = site(tmp_path)
    first = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    path = Path(first["file"])
    written = path.read_text()
    cli("idea", "add", "One more thought #kernels", "--date", "2020-10-23")
    real = fileio.write_atomic

    def write_then_fail(target, data):
        real(target, data)  # the new post is on disk; then the store fails before COMMIT
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(fileio, "write_atomic", write_then_fail)
    failed = cli("publish", "--week", WEEK, "--site", str(folder), ok=False)
    assert failed.exit_code == 1
    assert path.read_text() == written  # put back: the file matches the record again
    assert cli("post", "show", "1", "--json").json()["content_hash"] == first["content_hash"]
    monkeypatch.setattr(fileio, "write_atomic", real)
    again = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert again["action"] == "updated" and again["forced"] is False
    assert "One more thought" in path.read_text()


def test_a_new_file_from_a_failed_commit_is_removed(week_store, cli, tmp_path, monkeypatch):
    import sqlite3

    from logbook import fileio

    folder = site(tmp_path)
    real = fileio.write_atomic

    def write_then_fail(target, data):
        real(target, data)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(fileio, "write_atomic", write_then_fail)
    assert cli("publish", "--week", WEEK, "--site", str(folder), ok=False).exit_code == 1
    assert list((folder / "_posts").iterdir()) == []
    assert cli("post", "list", "--json").json() == []
    monkeypatch.setattr(fileio, "write_atomic", real)
    assert cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()["action"] == (
        "created"
    )


def test_a_file_already_holding_the_new_post_is_not_taken_for_a_hand_edit(
    week_store, cli, tmp_path
):
    # As a crash between writing the file and the commit leaves it: the new text on disk,
    # the old hash in the store.
    folder = site(tmp_path)
    path = Path(cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()["file"])
    cli("idea", "add", "One more thought #kernels", "--date", "2020-10-23")
    path.write_text(cli("publish", "--week", WEEK, "--stdout").stdout)
    again = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert again["action"] == "unchanged" and again["forced"] is False
    assert cli("post", "show", "1", "--json").json()["content_hash"] == again["content_hash"]
    path.write_text(path.read_text() + "\nBy hand.\n")  # a real edit is kept
    kept = cli("publish", "--week", WEEK, "--site", str(folder), "--json").json()
    assert kept["action"] == "unchanged" and path.read_text().endswith("\nBy hand.\n")


def test_placing_and_checks_use_the_store_as_it_is_when_writing(store, cli, tmp_path, monkeypatch):
    # Two drafts made before either is written (as two publishes at once would): the second
    # is placed again inside its write transaction and does not take the first one's file.
    from logbook import publish
    from logbook.config import load_config

    freeze(monkeypatch, NOW)
    folder = site(tmp_path)
    cli("idea", "add", "Same title")
    cli("idea", "add", "Same title")
    settings = publish.Settings.from_config(load_config())
    one = publish.draft_idea(store, settings, 1)
    two = publish.draft_idea(store, settings, 2)
    assert one.path == two.path  # drafted from the same (empty) record
    first = publish.write_post(store, one, folder)
    second = publish.write_post(store, two, folder)
    assert first.action == second.action == "created"
    assert second.draft.path.endswith("-same-title-2.md") and second.file != first.file
    assert first.file.read_text() == one.text


def test_publish_library_call_drafts_checks_or_writes_by_mode(week_store, tmp_path):
    from logbook import publish
    from logbook.config import load_config
    from logbook.errors import UsageError

    settings = publish.Settings.from_config(load_config())
    drafted = publish.publish(week_store, settings, week=WEEK, mode="stdout")
    assert drafted.file is None and drafted.action is None
    assert drafted.to_dict()["text"] == drafted.draft.text
    no_site = publish.publish(week_store, settings, week=WEEK, mode="dry-run").to_dict()
    assert no_site["file"] is None and no_site["dry_run"] is True
    folder = site(tmp_path)
    dry = publish.publish(week_store, settings, week=WEEK, site=folder, mode="dry-run")
    assert dry.action == "created" and not dry.file.exists()
    wrote = publish.publish(week_store, settings, week=WEEK, site=folder)
    assert wrote.action == "created" and wrote.file.read_text() == wrote.draft.text
    with pytest.raises(UsageError, match="one thing at a time"):
        publish.publish(week_store, settings, week=WEEK, idea=1)
    with pytest.raises(UsageError, match="publish mode"):
        publish.publish(week_store, settings, mode="print")


def test_a_file_logbook_did_not_write_is_refused_without_force(week_store, cli, tmp_path):
    folder = site(tmp_path)
    path = folder / "_posts" / "2020-10-19-week-2020-w43.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: mine\n---\nmine\n")
    result = cli("publish", "--week", WEEK, "--site", str(folder), ok=False)
    assert "logbook did not write it" in result.stderr
    assert path.read_text().endswith("mine\n")


def test_dry_run_and_stdout_write_and_record_nothing(week_store, cli, tmp_path):
    folder = site(tmp_path)
    dry = cli("publish", "--week", WEEK, "--site", str(folder), "--dry-run")
    assert dry.stdout.startswith("---\nlayout: post\n")
    assert "Would create" in dry.stderr
    plain = cli("publish", "--week", WEEK, "--dry-run", "--json").json()
    assert plain["path"] == "_posts/2020-10-19-week-2020-w43.md"
    assert plain["text"] == dry.stdout
    cli("publish", "--week", WEEK, "--site", str(folder), "--stdout")
    assert not (folder / "_posts").exists()
    assert cli("post", "list", "--json").json() == []


def test_two_ideas_with_the_same_title_get_two_files(store, cli, tmp_path, monkeypatch):
    freeze(monkeypatch, NOW)
    folder = site(tmp_path)
    cli("idea", "add", "Same title")
    cli("idea", "add", "Same title")
    one = cli("publish", "--idea", "1", "--site", str(folder), "--json").json()
    two = cli("publish", "--idea", "2", "--site", str(folder), "--json").json()
    assert one["path"] != two["path"]
    assert two["path"].endswith("-same-title-2.md")


def test_paper_post_has_metadata_abstract_notes_and_linked_ideas(week_store, cli):
    text = cli("publish", "--paper", "1", "--stdout").stdout
    data, body = front(text), body_of(text)
    assert data["title"] == "Rethinking Attention with Performers"
    assert data["categories"] == ["papers"]
    assert "https://arxiv.org/abs/2009.14794" in body
    assert "Krzysztof Choromanski" in body
    assert "FAVOR+" in body
    assert "Does attention need softmax?" in body  # the linked idea
    assert data["excerpt"] == "FAVOR+ is a *positive* random-feature map."


def test_unknown_paper_or_idea_and_two_kinds_at_once_are_errors(week_store, cli):
    assert cli("publish", "--paper", "9999.99999", "--stdout", ok=False).exit_code == 1
    assert cli("publish", "--idea", "99", "--stdout", ok=False).exit_code == 1
    both = cli("publish", "--idea", "1", "--paper", "1", ok=False)
    assert both.exit_code == 2 and "one thing at a time" in both.stderr
    spec = cli("publish", "last", "--idea", "1", ok=False)
    assert spec.exit_code == 2


# ---------------------------------------------------------------------------------------
# Liquid and markdown safety


@pytest.mark.store_free
@settings(max_examples=500, deadline=None)
@given(HOSTILE)
def test_liquid_outputs_any_text_literally(text):
    assert liquid(jekyll.liquid_literal(text)) == text


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_no_raw_block_spans_a_blank_line(text):
    # Jekyll's own excerpt is the text up to the first blank line; it must render alone.
    for paragraph in re.split(r"\n[ \t]*\n", jekyll.liquid_literal(text)):
        liquid(paragraph)


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(st.one_of(HOSTILE, st.text()))
def test_user_markdown_and_arxiv_text_never_run_liquid(text):
    plain = jekyll.markdown_text(text, math="plain")
    assert liquid(plain) == jekyll.markdown_source(text, math="plain")
    liquid(jekyll.markdown_text(text))
    liquid(jekyll.plain_text(text))
    liquid(jekyll.plain_text(text, paragraphs=True))


@pytest.mark.store_free
def test_text_without_liquid_marks_is_left_readable():
    assert jekyll.liquid_literal("plain {text} with } and %") == "plain {text} with } and %"


@pytest.mark.store_free
def test_hostile_paper_text_is_escaped_for_markdown_and_liquid():
    text = jekyll.plain_text('1. A <b>bold</b> [x](y) claim --- "{{ z }}" {% endraw %} *a* _b_')
    out = liquid(text)
    assert "<b>" not in out.replace("\\<b\\>", "")
    assert "\\-\\--" in out and "\\[x\\]" in out and "\\*a\\*" in out
    assert out.startswith("1\\. ")


@pytest.mark.store_free
def test_mathjax_turns_inline_dollars_into_kramdown_math_but_not_prices_or_code():
    assert jekyll.markdown_text("see $\\frac{{a}}{{b}}$ here") == (
        "{% raw %}see $$\\frac{{a}}{{b}}$$ here{% endraw %}"
    )
    assert jekyll.markdown_text("it costs $5 and $6") == "it costs $5 and $6"
    assert jekyll.markdown_text("`$x$` and\n```\n$y$\n```") == "`$x$` and\n```\n$y$\n```"
    assert jekyll.markdown_text("$$x$$ and $y$") == "$$x$$ and $$y$$"
    assert jekyll.markdown_text("$y$", math="plain") == "$y$"


@pytest.mark.store_free
def test_excerpt_is_one_line_and_bounded():
    excerpt = jekyll.excerpt_of("word " * 100 + "{% raw %}")
    assert "\n" not in excerpt and len(excerpt) <= jekyll.EXCERPT_MAX
    assert excerpt.endswith("…")


# ---------------------------------------------------------------------------------------
# Templates


def test_builtin_templates_ship_in_the_package():
    from logbook.publish.templates import builtin_template

    for name in ("week.md.j2", "paper.md.j2", "idea.md.j2"):
        assert "{#" in builtin_template(name)


def test_templates_dir_overrides_builtins_file_by_file(week_store, cli, tmp_path, monkeypatch):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "week.md.j2").write_text("My week {{ week.label }}: {{ ideas_new | length }} ideas.\n")
    monkeypatch.setenv("LOGBOOK_TEMPLATES_DIR", str(mine))
    assert body_of(cli("publish", "--week", WEEK, "--stdout").stdout) == (
        f"My week {WEEK}: 3 ideas.\n"
    )
    assert "## Abstract" in cli("publish", "--paper", "1", "--stdout").stdout  # built-in


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(
    week_store, cli, tmp_path, monkeypatch
):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "week.md.j2").write_text("First {{ week.label }}\n")
    monkeypatch.setenv("LOGBOOK_TEMPLATES_DIR", str(mine))
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", str(tmp_path / "cache"))
    assert body_of(cli("publish", "--week", WEEK, "--stdout").stdout) == f"First {WEEK}\n"
    kept = list((tmp_path / "cache" / "templates").iterdir())
    assert kept  # compiled once, read back next time
    (mine / "week.md.j2").write_text("Second {{ week.label }}\n")
    assert body_of(cli("publish", "--week", WEEK, "--stdout").stdout) == f"Second {WEEK}\n"
    for path in (tmp_path / "cache" / "templates").iterdir():
        path.write_bytes(b"\x00damaged")
    assert body_of(cli("publish", "--week", WEEK, "--stdout").stdout) == f"Second {WEEK}\n"


def test_a_cache_folder_that_cannot_be_made_does_not_stop_a_post(week_store, cli, tmp_path, monkeypatch):  # fmt: skip
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", str(blocked))
    result = cli("publish", "--week", WEEK, "--stdout")
    assert result.exit_code == 0 and "## Ideas" in result.stdout


def test_undefined_template_variable_names_the_template_and_line(
    week_store, cli, tmp_path, monkeypatch
):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "idea.md.j2").write_text("line one\n{{ idea.nope }}\n")
    monkeypatch.setenv("LOGBOOK_TEMPLATES_DIR", str(mine))
    result = cli("publish", "--idea", "2", "--stdout", ok=False)
    assert result.exit_code == 1
    assert "idea.md.j2, line 2" in result.stderr and "nope" in result.stderr


def test_missing_templates_dir_is_a_config_error(week_store, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGBOOK_TEMPLATES_DIR", str(tmp_path / "nowhere"))
    result = cli("publish", "--week", WEEK, "--stdout", ok=False)
    assert result.exit_code == 2 and "templates_dir" in result.stderr


def test_paper_added_without_notes_or_abstract_still_renders(store, cli, monkeypatch):
    freeze(monkeypatch, NOW)
    add_paper(
        store,
        arxiv_id="2101.00001",
        title="Bare",
        authors=[],
        abstract="",
        added=at("2020-10-20 10:00"),
    )
    text = cli("publish", "--paper", "2101.00001", "--stdout").stdout
    assert "(no abstract)" in text


# ---------------------------------------------------------------------------------------
# The post records


def test_post_record_keeps_old_bodies_and_can_be_removed_and_restored(store):
    from sqlmodel import select

    from logbook.store.models import Revision

    moment = at("2020-10-19 00:00")
    fields = dict(kind="week", source=WEEK, title="W", slug="w", path="_posts/2020-10-19-w.md")
    first = store.posts.record(
        **fields, content_hash="a", body="one", published_at=moment, tags=["x"]
    )
    again = store.posts.record(
        **fields, content_hash="b", body="two", published_at=moment, tags=["y"]
    )
    assert again.id == first.id and again.body == "two"
    assert [t.name for t in again.tags] == ["y"]
    with store._read() as session:
        revisions = list(session.exec(select(Revision).where(Revision.entry_uid == first.uid)))
        assert [r.value for r in revisions] == ["one"]
    store.posts.remove(first.id)
    assert store.posts.find() == [] and len(store.posts.find(archived=True)) == 1
    store.posts.restore(first.id)
    assert store.posts.lookup("week", WEEK).id == first.id
    store.posts.remove(first.id, purge=True)
    assert store.posts.lookup("week", WEEK) is None


def test_published_posts_are_found_by_search(week_store, cli, tmp_path):
    cli("publish", "--idea", "2", "--site", str(site(tmp_path)))
    hits = cli("search", "softmax", "--kind", "post", "--json").json()
    assert len(hits) == 1


def test_week_themes_include_saved_phrase_themes_that_recur(week_store, cli):
    from logbook.store.tags import link_tags

    with week_store._write() as session:  # as 'logbook themes apply' leaves them
        for idea_id in (1, 2, 4):
            link_tags(session, "idea", idea_id, ["random-feature"], kind="auto")
        link_tags(session, "idea", 3, ["once-only"], kind="auto")
    body = body_of(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert "random feature keep coming up." in body.split("## Ideas")[0]
    assert "once-only" not in body  # one entry: not a recurring theme


def test_an_entry_carrying_a_user_and_an_auto_tag_of_one_name_counts_once(week_store):
    from datetime import timedelta

    from logbook.store.tags import link_tags

    with week_store._write() as session:
        for idea_id in (1, 2, 4):
            link_tags(session, "idea", idea_id, ["random-feature"], kind="auto")
        link_tags(session, "idea", 1, ["random-feature"], kind="user")
        link_tags(session, "idea", 3, ["only-mine"], kind="user")
    monday = at("2020-09-28 00:00")
    end = at("2020-10-26 00:00")
    history = week_store.tag_weeks(
        ["random-feature", "only-mine"],
        end,
        lambda first: [monday + timedelta(weeks=n) for n in range(4)],
    )
    assert history["random-feature"].entries == 3  # ideas 1, 2 and 4; idea 1 once
    assert history["only-mine"].entries == 1
    weekly = week_store.tag_week_counts(
        ["random-feature"],
        monday,
        end,
        lambda first: [monday + timedelta(weeks=n) for n in range(4)],
    )
    assert sum(weekly["random-feature"].values()) == 3


PATHOLOGICAL = {
    "ticks": "`" * 20_000 + "$x$",
    "spans": "` $a$ " * 5_000,
    "escaped-dollars": "$\\" * 20_000,
    "double-dollars": "$$a" * 20_000,
    "fences": "```\n$x$\n" * 5_000,
    "tags": "{%" * 20_000,
    "vars": "{{" * 20_000 + "\n\n" * 1_000,
    "brackets": "[" * 20_000 + "$y$",
}


@pytest.mark.store_free
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_escaped_in_linear_time(text):
    import time

    start = time.perf_counter()
    jekyll.markdown_text(text)
    jekyll.plain_text(text, paragraphs=True)
    assert time.perf_counter() - start < 2.0


def test_an_idea_post_with_its_own_title_keeps_the_ideas_first_line(cli, tmp_path):
    cli("idea", "add", "Kernel view of attention")
    post = cli("publish", "--idea", "1", "--title", "Why softmax?", "--stdout").stdout
    assert "title: Why softmax?" in post
    assert "**Kernel view of attention**" in post
    plain = cli("publish", "--idea", "1", "--stdout").stdout
    assert "**Kernel view of attention**" not in plain


def test_post_rm_forgets_the_record_keeps_the_file_and_restore_brings_it_back(
    cli, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    cli("idea", "add", "A thought worth a post")
    cli("publish", "--idea", "1", "--site", str(site))
    post = cli("post", "list", "--json").json()[0]
    removed = cli("post", "rm", str(post["id"]), "--json").json()
    assert removed["path"] == post["path"]
    assert (site / post["path"]).exists()
    assert cli("post", "list", "--json").json() == []
    assert cli("post", "restore", str(post["id"])).exit_code == 0
    assert [p["id"] for p in cli("post", "list", "--json").json()] == [post["id"]]
    again = cli("post", "restore", str(post["id"]), ok=False)
    assert again.exit_code == 2
    assert "was not removed" in again.stderr
