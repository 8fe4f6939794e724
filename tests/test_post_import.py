"""``logbook post import``: a real folder of messy post files, the local arXiv, a real store."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from arxiv_server import arxiv_server
from post_blog import write_blog

from logbook.store import open_store

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest

CITED = [
    "1706.03762", "2103.00001", "1707.08567", "astro-ph/0601001", "1801.00862",
    "math/0211159", "2012.99999", "2405.13786", "1111.2011",
]  # fmt: skip
UNREADABLE = [
    "_posts/2020-11-09-tabs.md",
    "_posts/2020-11-23-colon-title.md",
    "_posts/2020-11-24-bad-indent.md",
    "_posts/2020-11-30-unclosed.md",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_blog(tmp_path / "site")


def problems_of(report: dict) -> dict[str, list[tuple[int | None, str, str]]]:
    found: dict[str, list[tuple[int | None, str, str]]] = {}
    for p in report["problems"]:
        found.setdefault(p["path"], []).append((p["line"], p["level"], p["reason"]))
    return found


def test_post_import_reads_every_post_reports_each_problem_and_fetches_papers_in_one_request(
    cli, site, arxiv_server
):
    run = cli("post", "import", str(site), "--json", ok=False)
    assert run.exit_code == 1  # four posts were left out
    report = run.json()
    posts = report["posts"]
    assert len(posts["imported"]) == 11
    assert sorted(posts["skipped"]) == UNREADABLE
    assert ".DS_Store" not in str(report)
    problems = problems_of(report)
    assert problems["_posts/2020-11-09-tabs.md"] == [
        (4, "error", problems["_posts/2020-11-09-tabs.md"][0][2])
    ]
    assert "tab" in problems["_posts/2020-11-09-tabs.md"][0][2]
    assert problems["_posts/2020-11-23-colon-title.md"][0][:2] == (2, "error")
    assert "quotes" in problems["_posts/2020-11-23-colon-title.md"][0][2]
    assert problems["_posts/2020-11-24-bad-indent.md"][0][:2] == (5, "error")
    assert "never closed" in problems["_posts/2020-11-30-unclosed.md"][0][2]
    assert "twice" in problems["_posts/2020-11-16-duplicate-keys.md"][0][2]
    assert "UTF-8" in problems["_posts/2020-12-07-latin1.md"][0][2]
    assert "no front matter" in problems["_posts/2020-12-14-old-blog-export.md"][0][2]
    assert "future" in problems["_posts/2099-01-01-from-the-future.md"][0][2]
    assert "draft" in problems["_drafts/half-baked.md"][0][2]
    papers = report["papers"]
    assert sorted(papers["found"]) == sorted(CITED)
    assert papers["not_found"] == ["2012.99999"]
    assert len(papers["fetched"]) == len(CITED) - 1
    assert papers["requests"] == 1 and len(arxiv_server.requests) == 1

    listed = {p["source"]: p for p in cli("post", "list", "--kind", "imported", "--json").json()}
    assert listed["_posts/2020-10-19-reading-list.md"]["title"] == "Reading list: transformers"
    assert listed["_posts/2020-10-19-reading-list.md"]["published_at"].startswith(
        "2020-10-19T15:20:00"
    )
    summary = listed["_posts/2020-11-2-paper-summary.md"]
    assert (summary["tags"], summary["categories"]) == ([], ["papers", "vision"])
    assert listed["_posts/2020-10-26-ramblings.md"]["tags"] == ["ideas", "thoughts"]
    nested = listed["research/_posts/2021/2021-01-04-nested-post.md"]
    assert (nested["tags"], nested["categories"]) == (["nested"], ["research"])
    assert listed["_posts/2021-01-11-with-a-bom.md"]["title"] == "With a BOM"
    # the site's time zone (America/New_York) for a date without an offset
    assert datetime.fromisoformat(
        listed["_posts/2020-10-26-ramblings.md"]["published_at"]
    ) == datetime(2020, 10, 26, tzinfo=ZoneInfo("America/New_York"))
    assert len(cli("paper", "list", "--json").json()) == len(CITED) - 1

    again = cli("post", "import", str(site), "--json", ok=False).json()
    assert again["posts"]["imported"] == [] and again["posts"]["updated"] == []
    assert len(again["posts"]["unchanged"]) == 11
    assert again["papers"]["requests"] == 0 and len(arxiv_server.requests) == 1


def test_a_changed_post_file_updates_its_post_and_keeps_the_old_body(cli, site, tmp_path):
    post = site / "_posts/2020-10-26-ramblings.md"
    cli("post", "import", str(post), "--no-fetch")
    post.write_text(post.read_text().replace("this week", "this month"), encoding="utf-8")
    report = cli("post", "import", str(post), "--no-fetch", "--json").json()
    assert report["posts"]["updated"] == ["_posts/2020-10-26-ramblings.md"]
    [listed] = cli("post", "list", "--json").json()
    shown = cli("post", "show", str(listed["id"]), "--json").json()
    assert "this month" in shown["body"]
    store = open_store(os.environ["LOGBOOK_DB"])
    revisions = store.snapshot().records["post"][0]["revisions"]
    store.close()
    assert ["this week" in r["value"] for r in revisions] == [True]


def test_a_post_file_that_disappeared_is_reported_and_its_post_kept(cli, site):
    cli("post", "import", str(site / "_posts"), "--no-fetch", ok=False)
    (site / "_posts/2020-10-26-ramblings.md").unlink()
    report = cli("post", "import", str(site / "_posts"), "--no-fetch", "--json", ok=False).json()
    assert report["posts"]["missing"] == ["_posts/2020-10-26-ramblings.md"]
    assert "no longer on disk" in problems_of(report)["_posts/2020-10-26-ramblings.md"][0][2]
    kept = [p["source"] for p in cli("post", "list", "--json").json()]
    assert "_posts/2020-10-26-ramblings.md" in kept


def test_lenient_imports_a_post_whose_front_matter_cannot_be_read_from_its_file_name(cli, site):
    run = cli("post", "import", str(site / "_posts"), "--lenient", "--no-fetch", "--json")
    report = run.json()
    assert report["posts"]["skipped"] == []
    assert set(UNREADABLE) <= set(report["posts"]["imported"])
    reasons = [r for _line, _level, r in problems_of(report)["_posts/2020-11-23-colon-title.md"]]
    assert any("--lenient" in r for r in reasons)
    titles = {p["source"]: p["title"] for p in cli("post", "list", "--json").json()}
    assert titles["_posts/2020-11-23-colon-title.md"] == "Colon Title"


def test_no_fetch_records_the_cited_papers_to_fetch_later(cli, site, tmp_path):
    report = cli(
        "post", "import", str(site / "_posts/2020-10-19-reading-list.md"), "--no-fetch", "--json"
    ).json()
    assert report["papers"]["requests"] == 0
    assert len(report["papers"]["pending"]) == 7
    store = open_store(os.environ["LOGBOOK_DB"])
    assert "1706.03762" in store.pending_citations()
    store.close()


def test_post_import_of_a_missing_path_is_one_usage_error(cli, tmp_path):
    run = cli("post", "import", str(tmp_path / "nowhere"), ok=False)
    assert run.exit_code == 2
    assert run.stderr.strip().splitlines() == [
        f"Error: no such file or folder: {tmp_path / 'nowhere'}"
    ]


def test_imported_posts_count_in_themes_by_default_and_generated_posts_do_not(cli, site, tmp_path):
    from logbook.themes import ThemeSettings

    cli("post", "import", str(site / "_posts/2020-10-26-ramblings.md"), "--no-fetch")
    store = open_store(os.environ["LOGBOOK_DB"])
    store.posts.record(
        kind="week", source="2020-W43", title="Research log, week 43", slug="week-43",
        path="_posts/2020-10-19-week-43.md", content_hash="0" * 64, body="generated",
        published_at=datetime.fromisoformat("2020-10-19T09:00:00+00:00"),
    )  # fmt: skip
    default = ThemeSettings.make()
    corpus = store.corpus(default.kinds, None, None, generated_posts=default.generated_posts)
    assert corpus.titles == ["Ramblings"]
    assert corpus.created[0].year == 2020  # dated as written, not as imported
    every = ThemeSettings.make(kinds=["post"])
    assert (
        len(store.corpus(every.kinds, None, None, generated_posts=every.generated_posts).ids) == 2
    )
    store.close()


def test_an_export_with_imported_posts_imports_into_another_store(cli, site, tmp_path):
    cli("post", "import", str(site / "research"), "--no-fetch")
    cli("export", "--out", str(tmp_path / "out"))
    other = tmp_path / "other.db"
    cli("--db", str(other), "import", str(tmp_path / "out"))
    [post] = cli("--db", str(other), "post", "list", "--json").json()
    assert post["kind"] == "imported"
    assert post["source"] == "research/_posts/2021/2021-01-04-nested-post.md"


@pytest.mark.slow
def test_every_post_jekyll_publishes_is_imported_with_its_title_and_date(cli, site, jekyll):
    """The oracle: a real ``jekyll build`` of the same folder."""
    built = subprocess.run(
        [jekyll, "build", "--source", str(site), "--destination", str(site / "_site")],
        capture_output=True, text=True, timeout=300, cwd=site,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    published = {}
    for line in (site / "_site/posts.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            path, title, when = line.split("\t")
            published[path] = (title, datetime.strptime(when, "%Y-%m-%dT%H:%M:%S%z"))
    # Jekyll names the files whose front matter it could not read on stderr: it publishes
    # them with no title, dated when the build ran, so logbook must report them instead.
    unreadable = {
        p for p in published if f"{p}:" in built.stderr and "YAML Exception" in built.stderr
    }
    assert unreadable == {p for p in UNREADABLE if "unclosed" not in p}

    report = cli("post", "import", str(site), "--json", "--no-fetch", ok=False).json()
    problems = problems_of(report)
    imported = {p["source"]: p for p in cli("post", "list", "--json").json()}
    for path, (title, when) in published.items():
        if path in unreadable or path not in imported:
            assert path in problems, path
            continue
        assert imported[path]["title"] == title, path
        assert datetime.fromisoformat(imported[path]["published_at"]) == when, path
    for path in imported:
        if path not in published:
            assert path in problems, f"{path} is not published by Jekyll and not reported"


def test_ideas_takes_the_items_of_idea_lists_as_ideas_dated_as_their_post(cli, site):
    blog = str(site / "_posts")
    report = cli("post", "import", blog, "--ideas", "--no-fetch", "--json", ok=False).json()
    assert len(report["ideas"]["created"]) == 4
    ideas = {i["text"]: i for i in cli("idea", "list", "--json").json()}
    assert set(ideas) == {
        "What if attention is a kernel smoother?",
        "Distil a model into a lookup table",
        "Kernel methods for attention",
        "Sparse mixtures of experts on a laptop",
    }
    assert all(i["created_at"].startswith("2020-10-26T04:00") for i in ideas.values())
    again = cli("post", "import", blog, "--ideas", "--no-fetch", "--json", ok=False).json()
    assert again["ideas"]["created"] == []
    assert len(cli("idea", "list", "--json").json()) == 4


def test_idea_headings_come_from_config(cli, site, tmp_path):
    (tmp_path / "config.yaml").write_text("import:\n  idea_headings: [Reading]\n")
    post = str(site / "_posts/2020-10-26-ramblings.md")
    report = cli("post", "import", post, "--ideas", "--no-fetch", "--json").json()
    # the "Reading" list, and the list a sentence about thoughts introduces is not taken
    assert len(report["ideas"]["created"]) == 1
    [idea] = cli("idea", "list", "--json").json()
    assert idea["text"] == "not an idea: a book"


def test_paper_import_pending_fetches_what_no_fetch_left_in_one_request(cli, site, arxiv_server):
    cli("post", "import", str(site / "_posts/2020-10-19-reading-list.md"), "--no-fetch")
    assert arxiv_server.requests == []
    report = cli("paper", "import", "--pending", "--json", ok=False).json()
    assert len(report["imported"]) == 6 and report["not_found"] == ["2012.99999"]
    assert len(arxiv_server.requests) == 1
    [post] = cli("post", "list", "--json").json()
    shown = cli("post", "show", str(post["id"]), "--json").json()
    assert len(shown["papers"]) == 7
    assert sum(p["paper"] is not None for p in shown["papers"]) == 6


@pytest.mark.slow
def test_a_500_post_blog_imports_in_10_seconds_with_one_request_per_100_new_ids(
    cli, tmp_path, arxiv_server
):
    import time

    posts = tmp_path / "big" / "_posts"
    posts.mkdir(parents=True)
    for n in range(500):
        links = "\n".join(
            f"* [paper](https://arxiv.org/abs/2101.{5 * n + k:05d})" for k in range(5)
        )
        day = f"2020-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        text = f"---\ntitle: Post {n}\ntags: [week{n % 50}]\n---\nReading on topic {n % 7}.\n\n{links}\n"
        (posts / f"{day}-post-{n}.md").write_text(text, encoding="utf-8")
    # CPU time of this process (the CLI runs in it; the local arXiv answers at once): the
    # wall clock of a shared 2-core machine would measure the other jobs on it
    started = time.process_time()
    report = cli("post", "import", str(posts), "--json").json()
    elapsed = time.process_time() - started
    assert len(report["posts"]["imported"]) == 500
    assert len(report["papers"]["found"]) == 2500
    assert report["papers"]["requests"] == len(arxiv_server.requests) == 25
    assert elapsed < 10, f"{elapsed:.1f} s"


def test_a_post_linked_in_from_outside_the_site_is_imported_at_its_place_in_the_site(
    cli, site, tmp_path
):
    elsewhere = tmp_path / "notes" / "2021-03-01-linked.md"
    elsewhere.parent.mkdir()
    elsewhere.write_text("---\ntitle: Linked in\n---\nA symlink.\n", encoding="utf-8")
    (site / "_posts/2021-03-01-linked.md").symlink_to(elsewhere)
    cli("post", "import", str(site / "_posts/2021-03-01-linked.md"), "--no-fetch")
    [post] = cli("post", "list", "--json").json()
    assert (post["source"], post["title"]) == ("_posts/2021-03-01-linked.md", "Linked in")


def test_when_arxiv_cannot_be_reached_the_posts_stay_and_the_error_says_how_to_fetch_later(
    cli, site
):
    # LOGBOOK_ARXIV_API_URL points at a closed port (conftest)
    run = cli("post", "import", str(site / "_posts/2020-10-19-reading-list.md"), ok=False)
    assert run.exit_code == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "paper import --pending" in line
    assert len(cli("post", "list", "--json").json()) == 1


def test_imported_posts_are_searched_by_default_and_generated_posts_only_when_asked(
    cli, site, tmp_path
):
    cli("post", "import", str(site / "_posts/2020-10-26-ramblings.md"), "--no-fetch")
    store = open_store(os.environ["LOGBOOK_DB"])
    store.posts.record(
        kind="week", source="2020-W43", title="Ramblings of week 43", slug="week-43",
        path="_posts/2020-10-19-week-43.md", content_hash="0" * 64, body="Ramblings generated",
        published_at=datetime.fromisoformat("2020-10-19T09:00:00+00:00"),
    )  # fmt: skip
    store.close()
    found = cli("search", "ramblings", "--json").json()
    assert [(h["kind"], h["title"]) for h in found] == [("post", "Ramblings")]
    asked = cli("search", "ramblings kind:post", "--json").json()
    assert {h["title"] for h in asked} == {"Ramblings", "Ramblings of week 43"}


def test_jekyll_categories_are_kept_apart_from_tags_in_post_show_and_json(cli, site):
    cli("post", "import", str(site / "_posts/2020-11-2-paper-summary.md"), "--no-fetch")
    cli("post", "import", str(site / "research"), "--no-fetch")
    shown = cli("post", "show", "1").stdout
    assert "categories: papers, vision" in shown and "tags:" not in shown
    nested = cli("post", "show", "2", "--json").json()
    assert (nested["tags"], nested["categories"]) == (["nested"], ["research"])


def test_post_categories_survive_export_import_export_byte_for_byte(cli, site, tmp_path):
    cli("post", "import", str(site / "_posts/2020-11-2-paper-summary.md"), "--no-fetch")
    cli("post", "import", str(site / "research"), "--no-fetch")
    cli("export", "--out", str(tmp_path / "one"))
    other = tmp_path / "other.db"
    cli("--db", str(other), "import", str(tmp_path / "one"))
    cli("--db", str(other), "export", "--out", str(tmp_path / "two"))
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.yaml"))
    assert files == sorted(
        p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*.yaml")
    )
    for name in files:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    listed = {p["source"]: p for p in cli("--db", str(other), "post", "list", "--json").json()}
    assert listed["_posts/2020-11-2-paper-summary.md"]["categories"] == ["papers", "vision"]


def test_post_categories_count_in_themes_as_tags_do(cli, tmp_path):
    posts = tmp_path / "blog/_posts"
    posts.mkdir(parents=True)
    for day in ("2020-10-05", "2020-10-19", "2020-11-02"):
        (posts / f"{day}-notes.md").write_text(
            f"---\ntitle: Notes {day}\ncategories: [Vision]\n---\nSome notes.\n",
            encoding="utf-8",
        )
    (posts / "2020-11-09-tagged.md").write_text(
        "---\ntitle: Tagged\ntags: [vision]\ncategories: vision\n---\nBoth.\n", "utf-8"
    )
    cli("post", "import", str(posts), "--no-fetch")
    theme = cli("themes", "show", "vision", "--json").json()
    # a category that is also the post's tag counts once
    assert (theme["source"], theme["entries"]) == ("tag", 4)


@pytest.mark.sqlite_only  # recreates with sqlite3 what an import before m012 left
def test_a_post_imported_with_its_categories_as_tags_has_them_moved_out_on_the_next_import(
    cli, site, tmp_path
):
    import sqlite3

    summary = str(site / "_posts/2020-11-2-paper-summary.md")
    cli("post", "import", summary, "--no-fetch")
    # what an import before m012 left: the categories among the user tags, none of its own
    db = sqlite3.connect(tmp_path / "logbook.db")
    db.execute("UPDATE post SET categories = '[]'")
    db.execute("INSERT INTO tag (name, kind) VALUES ('papers', 'user'), ('vision', 'user')")
    db.execute("INSERT INTO post_tag (post_id, tag_id) SELECT 1, id FROM tag")
    db.commit()
    db.close()
    again = cli("post", "import", summary, "--no-fetch", "--json").json()
    assert again["posts"]["updated"] == ["_posts/2020-11-2-paper-summary.md"]
    post = cli("post", "show", "1", "--json").json()
    assert (post["tags"], post["categories"]) == ([], ["papers", "vision"])
    assert cli("post", "import", summary, "--no-fetch", "--json").json()["posts"]["unchanged"]


def test_reading_a_blog_shows_a_progress_bar_on_a_terminal_only(cli, site):
    import os

    from terminal import on_terminal

    code, shown = on_terminal(
        ["post", "import", str(site), "--no-fetch"], {**os.environ, "NO_COLOR": "1"}
    )
    assert code == 1, shown  # the four unreadable posts
    assert "Reading posts" in shown
    assert "Posts: 11 imported" in shown
    piped = cli("post", "import", str(site), "--no-fetch", ok=False)
    assert "Reading posts" not in piped.stderr + piped.stdout


def test_a_scheduled_post_survives_export_and_import_into_another_store(cli, site, tmp_path):
    """Jekyll publishes a future-dated post when its day comes; the export carries it."""
    cli(
        "post", "import", str(site / "_posts/2099-01-01-from-the-future.md"), "--no-fetch", ok=False
    )
    assert [p["source"] for p in cli("post", "list", "--json").json()] == [
        "_posts/2099-01-01-from-the-future.md"
    ]
    cli("export", "--out", str(tmp_path / "out"))
    other = tmp_path / "other.db"
    cli("--db", str(other), "import", str(tmp_path / "out"))
    moved = cli("--db", str(other), "post", "list", "--json").json()
    assert [p["source"] for p in moved] == ["_posts/2099-01-01-from-the-future.md"]
