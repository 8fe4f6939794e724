"""Several people, one store: every entry says who wrote (or added) it.

The name is config ``author``, else git's ``user.name``, else nobody (shown as nothing).
``--author`` filters by it; the query language's ``author:`` stays a paper's arXiv authors.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from logbook.store import open_store
from logbook.store.paper_views import PaperMeta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _add(cli, text: str, author: str, *extra: str) -> dict:
    os.environ["LOGBOOK_AUTHOR"] = author
    try:
        return cli("idea", "add", text, "--json", *extra).json()
    finally:
        del os.environ["LOGBOOK_AUTHOR"]


def _add_paper(
    path: Path | str, arxiv_id: str, title: str, added_by: str, authors: list[str]
) -> None:
    store = open_store(path)
    store.set_author(added_by)
    store.papers.save([PaperMeta(arxiv_id, 1, title, authors, abstract=f"About {title}.")])
    store.close()


def test_an_idea_is_credited_to_the_configured_author(cli):
    cli("config", "set", "author", "Ana Lima")
    idea = cli("idea", "add", "Try NTK on CIFAR", "--json").json()
    assert idea["author"] == "Ana Lima"
    assert cli("idea", "show", str(idea["id"]), "--json").json()["author"] == "Ana Lima"
    assert "author: Ana Lima" in cli("idea", "show", str(idea["id"])).stdout


def test_without_config_the_author_is_gits_user_name(cli, require_tool, tmp_path):
    git = require_tool("git")
    # The isolated HOME's global git config: exactly where `git config --global` writes.
    subprocess.run([git, "config", "--global", "user.name", "Bo Ruiz"], check=True)
    assert cli("idea", "add", "Read the scaling paper", "--json").json()["author"] == "Bo Ruiz"


def test_git_config_global_names_the_author_too(cli, require_tool, tmp_path, monkeypatch):
    git = require_tool("git")
    config = tmp_path / "team.gitconfig"
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    subprocess.run([git, "config", "--file", str(config), "user.name", "Chen Wei"], check=True)
    assert cli("idea", "add", "An idea", "--json").json()["author"] == "Chen Wei"


def test_the_configured_author_wins_over_git(cli, require_tool):
    git = require_tool("git")
    subprocess.run([git, "config", "--global", "user.name", "Bo Ruiz"], check=True)
    cli("config", "set", "author", "Ana")
    assert cli("idea", "add", "An idea", "--json").json()["author"] == "Ana"


def test_with_no_name_anywhere_an_entry_has_no_author_and_lists_show_none(cli, tmp_path):
    # The isolated HOME has no git config at all.
    idea = cli("idea", "add", "Nobody's idea", "--json").json()
    assert idea["author"] == ""
    header = cli("idea", "list").stdout.splitlines()[0]
    assert "author" not in header.split("\t")
    assert "author:" not in cli("idea", "show", str(idea["id"])).stdout


def test_without_git_installed_an_entry_has_no_author(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert cli("idea", "add", "An idea", "--json").json()["author"] == ""


def test_git_is_asked_only_when_something_is_written(cli, store, monkeypatch, tmp_path):
    # A stand-in git that counts its calls: reading commands must not start it.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "git-calls"
    fake = bin_dir / "git"
    fake.write_text(f'#!/bin/sh\necho called >> "{calls}"\necho "Dee Kay"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    cli("idea", "list")
    cli("search", "anything")
    assert not calls.exists()
    cli("idea", "add", "One #a", "--tag", "b")
    assert calls.read_text().splitlines() == ["called"]
    assert cli("idea", "list", "--json").json()[0]["author"] == "Dee Kay"


def test_idea_list_filters_by_author_and_shows_who_wrote_each(cli):
    _add(cli, "Ana's first", "Ana")
    _add(cli, "Bo's first", "Bo")
    _add(cli, "Ana's second", "Ana")
    ana = cli("idea", "list", "--author", "Ana", "--json").json()
    assert [i["title"] for i in ana] == ["Ana's first", "Ana's second"]
    both = cli("idea", "list", "--author", "Ana", "--author", "Bo", "--json").json()
    assert len(both) == 3
    assert cli("idea", "list", "--author", "Nobody", "--json").json() == []
    table = cli("idea", "list").stdout.splitlines()
    assert table[0].split("\t")[-1] == "author"
    assert [row.split("\t")[-1] for row in table[1:]] == ["Ana", "Bo", "Ana"]


def test_paper_list_filters_by_who_added_not_by_arxiv_authors(cli, tmp_path):
    db = os.environ["LOGBOOK_DB"]
    _add_paper(db, "1706.03762", "Attention is all you need", "Ana", ["Ashish Vaswani"])
    _add_paper(db, "2001.08361", "Scaling laws", "Bo", ["Jared Kaplan"])
    papers = cli("paper", "list", "--added-by", "Ana", "--json").json()
    assert [p["arxiv_id"] for p in papers] == ["1706.03762"]
    assert papers[0]["added_by"] == "Ana"
    assert papers[0]["authors"] == ["Ashish Vaswani"]  # arXiv's authors stay arXiv's
    assert cli("paper", "list", "--added-by", "Ashish Vaswani", "--json").json() == []
    assert "added by: Bo" in cli("paper", "show", "2001.08361").stdout


def test_search_author_option_is_who_wrote_and_author_field_is_arxiv_authors(cli, tmp_path):
    db = os.environ["LOGBOOK_DB"]
    _add_paper(db, "1706.03762", "Attention is all you need", "Ana", ["Ashish Vaswani"])
    _add(cli, "Attention for kernels", "Bo")

    def found(*args: str) -> list[tuple[str, str]]:
        return [(h["kind"], h["ref"]) for h in cli("search", *args, "--json").json()]

    assert set(found("attention")) == {("paper", "1706.03762"), ("idea", "1")}
    assert found("attention", "--author", "Bo") == [("idea", "1")]
    assert found("attention", "--author", "Ana") == [("paper", "1706.03762")]
    # author: in the query is the paper's arXiv authors, whoever added it
    assert found("author:vaswani") == [("paper", "1706.03762")]
    assert found("author:vaswani", "--author", "Bo") == []


WEEK = "2026-W47"  # Nov 16–22, 2026
DAY = "2026-11-17"


def _week_post(cli, *extra: str) -> str:
    return cli("publish", "--week", WEEK, "--stdout", *extra).stdout


def test_the_groups_weekly_post_credits_each_idea_when_several_people_wrote(cli):
    _add(cli, "Kernel regression at scale", "Ana", "--date", DAY)
    _add(cli, "Sparse attention probes", "Bo", "--date", DAY)
    post = _week_post(cli)
    assert "**Kernel regression at scale**. — Ana" in post
    assert "**Sparse attention probes**. — Bo" in post
    assert _week_post(cli, "--author", "all") == post


def test_one_persons_weekly_post_has_only_their_ideas_and_no_credits(cli):
    _add(cli, "Kernel regression at scale", "Ana", "--date", DAY)
    _add(cli, "Sparse attention probes", "Bo", "--date", DAY)
    post = _week_post(cli, "--author", "Ana")
    assert "Kernel regression at scale" in post
    assert "Sparse attention probes" not in post
    assert "— Ana" not in post.split("---", 2)[2]  # no credit in the body: it is all hers
    assert "author: Ana" in post.split("---", 2)[1]  # the front matter names her
    draft = cli("publish", "--week", WEEK, "--author", "Ana", "--stdout", "--json").json()
    assert draft["source"] == f"{WEEK}@Ana"
    assert draft["path"].endswith("-week-2026-w47-ana.md")


def test_a_week_written_by_one_person_credits_nobody(cli):
    _add(cli, "Kernel regression at scale", "Ana", "--date", DAY)
    _add(cli, "Sparse attention probes", "Ana", "--date", DAY)
    assert "— Ana" not in _week_post(cli)


def test_author_is_for_a_weeks_post_only(cli):
    _add(cli, "An idea", "Ana")
    result = cli("publish", "--idea", "1", "--author", "Ana", "--stdout", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --author is for a week's post"


def _export(cli, out: Path) -> dict[str, bytes]:
    cli("export", "--out", str(out))
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_export_carries_the_author_and_import_restores_it_byte_for_byte(cli, tmp_path, monkeypatch):
    _add(cli, "Kernel regression at scale", "Ana")
    _add(cli, "Sparse attention probes", "Bo")
    _add_paper(os.environ["LOGBOOK_DB"], "1706.03762", "Attention", "Chen", ["Ashish Vaswani"])
    first = _export(cli, tmp_path / "first")
    texts = b"\n".join(first.values()).decode()
    assert "author: Ana" in texts and "author: Bo" in texts and "author: Chen" in texts
    assert "row_version" not in texts  # a store's own edit counter is not exported
    monkeypatch.setenv("LOGBOOK_DB", str(tmp_path / "other.db"))
    cli("import", str(tmp_path / "first"))
    ideas = cli("idea", "list", "--json").json()
    assert {i["title"]: i["author"] for i in ideas} == {
        "Kernel regression at scale": "Ana",
        "Sparse attention probes": "Bo",
    }
    assert cli("paper", "list", "--json").json()[0]["added_by"] == "Chen"
    second = _export(cli, tmp_path / "second")
    assert {k: v for k, v in second.items() if not k.startswith(".")} == {
        k: v for k, v in first.items() if not k.startswith(".")
    }


def test_an_export_from_before_authors_still_imports_with_no_author(cli, tmp_path, monkeypatch):
    _add(cli, "An old idea", "Ana")
    out = tmp_path / "old"
    files = _export(cli, out)
    idea_files = [out / name for name in files if "author: Ana" in files[name].decode()]
    assert idea_files
    for path in idea_files:  # as a logbook before m013 wrote it: no author line
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("author:")))
    monkeypatch.setenv("LOGBOOK_DB", str(tmp_path / "other.db"))
    result = cli("import", str(out), "--json").json()
    assert result["added"]["idea"] == 1
    assert cli("idea", "list", "--json").json()[0]["author"] == ""


def test_posts_record_who_published_them(cli, tmp_path, monkeypatch):
    _add(cli, "An idea", "Ana", "--date", DAY)
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    monkeypatch.setenv("LOGBOOK_AUTHOR", "Bo")
    cli("publish", "--week", WEEK, "--site", str(site))
    posts = cli("post", "list", "--json").json()
    assert [p["author"] for p in posts] == ["Bo"]


@pytest.mark.sqlite_only  # builds a store as an older logbook left it, with sqlite3
def test_entries_written_before_authors_have_none(tmp_path):
    from logbook.store import migrations

    path = tmp_path / "old.db"
    old = open_store(path, upto=len(migrations.MIGRATIONS) - 1)
    old.close()
    import sqlite3

    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES "
        "('u1', 'old idea', 'open', '2026-01-01T00:00:00.000000+00:00', "
        "'2026-01-01T00:00:00.000000+00:00')"
    )
    db.commit()
    db.close()
    store = open_store(path)
    (idea,) = store.ideas.find()
    assert (idea.author, idea.row_version) == ("", 1)
    assert datetime(2026, 1, 1, tzinfo=UTC) == idea.created_at
    store.close()


def test_one_persons_weekly_post_survives_export_and_import(cli, tmp_path, monkeypatch):
    _add(cli, "Kernel regression at scale", "Ana Lima", "--date", DAY)
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    cli("publish", "--week", WEEK, "--author", "Ana Lima", "--site", str(site))
    first = _export(cli, tmp_path / "first")
    monkeypatch.setenv("LOGBOOK_DB", str(tmp_path / "other.db"))
    result = cli("import", str(tmp_path / "first"), "--json").json()
    assert result["problems"] == [] and result["added"]["post"] == 1
    (post,) = cli("post", "list", "--json").json()
    assert post["source"] == f"{WEEK}@Ana Lima"
    assert post["path"] == "_posts/2026-11-22-week-2026-w47-ana-lima.md"
    second = _export(cli, tmp_path / "second")
    assert {k: v for k, v in second.items() if not k.startswith(".")} == {
        k: v for k, v in first.items() if not k.startswith(".")
    }


def test_idea_list_author_empty_finds_the_ideas_credited_to_nobody(cli):
    cli("idea", "add", "Nobody's idea")
    _add(cli, "Ana's idea", "Ana")
    found = cli("idea", "list", "--author", "", "--json").json()
    assert [i["title"] for i in found] == ["Nobody's idea"]


def test_search_hits_say_who_wrote_them(cli):
    _add(cli, "Attention for kernels", "Bo")
    (hit,) = cli("search", "kernels", "--json").json()
    assert hit["author"] == "Bo"
