"""The researcher's words survive re-publishing: three-way merges, conflicts, --intro, --edit;
and the weekly post reads like a post (titles, tags, dates, links to earlier weeks)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from publish_fixtures import NOW, WEEK, build_week_store, freeze, site

from logbook.publish.merge import merge3

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LOGBOOK_UPDATE_GOLDEN") == "1"
INTRO = "This week I mostly read about attention. Kernels keep pulling me back."


@pytest.fixture
def week_store(store, monkeypatch):
    build_week_store(store, monkeypatch)
    return store


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def publish(cli, folder: Path, *args: str, ok: bool = True):
    result = cli("publish", "--week", WEEK, "--site", str(folder), *args, ok=ok)
    return result


# ---------------------------------------------------------------------------------------
# The merge itself

LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "\n", "d\n"]), max_size=12).map("".join)


@given(LINES, LINES)
def test_a_change_on_one_side_only_is_taken_as_it_is(base, other):
    assert merge3(base, other, base).text == other
    assert merge3(base, base, other).text == other
    assert merge3(base, other, other).text == other


def test_merge_keeps_both_sides_changes_and_stops_where_both_changed_a_line():
    base = "title\n\nintro\n\n1. one\n\n2. two\n"
    ours = "title\n\nintro\n\nMy own paragraph.\n\n1. one, said better\n\n2. two\n"
    theirs = "title\n\nintro\n\n1. one\n\n2. two\n\n3. three\n"
    merged = merge3(base, ours, theirs)
    assert merged.conflict is None
    assert merged.text == ours + "\n3. three\n"
    clash = merge3(base, ours, base.replace("1. one", "1. one (exploring)"))
    assert clash.conflict == 5  # where the lines both sides changed start in the user's file


# ---------------------------------------------------------------------------------------
# Re-publishing a post edited by hand


def test_republish_keeps_an_added_paragraph_a_changed_sentence_and_a_removed_paper(
    week_store, cli, tmp_path
):
    folder = site(tmp_path)
    path = Path(publish(cli, folder, "--intro", INTRO, "--json").json()["file"])
    text = path.read_text()
    assert INTRO in text
    mine = "A paragraph of my own, right after the intro.\n\n"
    text = text.replace(INTRO + "\n\n", INTRO + "\n\n" + mine)
    text = text.replace("See the Performer notes.", "See the Performer notes, and its appendix.")
    removed = next(line for line in text.splitlines() if "Scaling Laws for Neural" in line)
    text = text.replace(removed + "\n", "")
    path.write_text(text)
    cli("idea", "add", "One more thought on kernels #kernels", "--date", "2020-10-23")

    result = publish(cli, folder, "--json").json()
    after = path.read_text()
    assert result["action"] == "merged"
    assert INTRO + "\n\n" + mine in after  # the intro is kept without --intro, and so is mine
    assert "See the Performer notes, and its appendix." in after
    assert removed not in after  # removed by hand: stays removed
    assert "**One more thought on kernels**" in after  # logbook's new idea of the week
    # the next publish merges against what logbook generated this time: nothing changes
    assert publish(cli, folder, "--json").json()["action"] == "unchanged"
    assert path.read_text() == after


def test_a_conflict_changes_nothing_and_keeps_both_versions(week_store, cli, tmp_path):
    folder = site(tmp_path)
    path = Path(publish(cli, folder, "--json").json()["file"])
    mine = path.read_text().replace(
        "**Scaling laws for tiny models**.", "**Scaling laws for tiny models**: my words."
    )
    path.write_text(mine)
    cli("idea", "status", "3", "exploring")  # logbook now changes the same line
    result = publish(cli, folder, ok=False)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    side = path.with_name(f"_{path.stem}.logbook-new.md")
    assert str(side) in result.stderr and "line" in result.stderr
    assert path.read_text() == mine  # the user's file is untouched
    assert "**Scaling laws for tiny models** (*exploring*)." in side.read_text()
    dry = publish(cli, folder, "--dry-run", ok=False)
    assert dry.exit_code == 1 and "--dry-run" in dry.stderr
    again = publish(cli, folder, ok=False)  # not merged yet: asked again, nothing lost
    assert "still has a conflict" in again.stderr and path.read_text() == mine
    # merged by hand (the user keeps both), the next publish goes through and tidies up
    path.write_text(side.read_text().replace("(*exploring*).", "(*exploring*): my words."))
    assert publish(cli, folder, "--json").json()["action"] == "unchanged"  # the file is right
    assert not side.exists()
    assert "(*exploring*): my words." in path.read_text()


def test_force_takes_logbooks_new_text_over_edits_by_hand(week_store, cli, tmp_path):
    folder = site(tmp_path)
    path = Path(publish(cli, folder, "--json").json()["file"])
    path.write_text(path.read_text() + "\nMine.\n")
    forced = publish(cli, folder, "--force", "--json").json()
    assert forced["forced"] is True and "Mine." not in path.read_text()


def test_a_post_recorded_before_logbook_kept_its_text_is_refused_after_a_hand_edit(
    week_store, cli, tmp_path
):
    from logbook.store.models import Post

    folder = site(tmp_path)
    path = Path(publish(cli, folder, "--json").json()["file"])
    with week_store._write() as session:  # as logbook before m008 left the record
        post = session.get(Post, 1)
        assert post is not None
        post.generated = ""
    path.write_text(path.read_text() + "\nMine.\n")
    result = publish(cli, folder, ok=False)
    assert result.exit_code == 1 and "edited by hand" in result.stderr
    assert path.read_text().endswith("Mine.\n")


# ---------------------------------------------------------------------------------------
# --intro and --edit


def test_intro_opens_the_post_gives_the_excerpt_and_is_kept(week_store, cli, tmp_path):
    folder = site(tmp_path)
    path = Path(publish(cli, folder, "--intro", INTRO, "--json").json()["file"])
    text = path.read_text()
    assert text.split("---\n", 2)[2].lstrip("\n").startswith(INTRO + "\n")
    assert front(text)["excerpt"] == "This week I mostly read about attention."
    cli("idea", "add", "Another #kernels", "--date", "2020-10-23")
    publish(cli, folder)
    assert INTRO in path.read_text()
    piped = cli("publish", "--week", WEEK, "--site", str(folder), "--intro", "-", input="Piped.\n")
    assert piped.exit_code == 0 and "Piped." in path.read_text() and INTRO not in path.read_text()
    refused = cli("publish", "--idea", "1", "--stdout", "--intro", "x", ok=False)
    assert refused.exit_code == 2


def test_week_post_with_intro_matches_golden_file(week_store, cli):
    text = cli("publish", "--week", WEEK, "--intro", INTRO, "--stdout").stdout
    path = GOLDEN / "week-2020-W43-intro.md"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_edit_opens_the_post_in_the_editor_and_the_edit_survives(
    week_store, cli, tmp_path, monkeypatch
):
    folder = site(tmp_path)
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "p = sys.argv[1]\ntext = open(p).read()\n"
        "open(p, 'w').write(text + '\\nWritten in my editor.\\n')\n"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    path = Path(publish(cli, folder, "--edit", "--json").json()["file"])
    assert path.read_text().endswith("\nWritten in my editor.\n")
    monkeypatch.delenv("EDITOR")
    cli("idea", "add", "Another #kernels", "--date", "2020-10-23")
    assert publish(cli, folder, "--json").json()["action"] == "merged"
    assert path.read_text().endswith("\nWritten in my editor.\n")
    assert "**Another**" in path.read_text()
    refused = publish(cli, folder, "--edit", "--dry-run", ok=False)
    assert refused.exit_code == 2


# ---------------------------------------------------------------------------------------
# What a weekly post looks like


def test_post_tags_are_the_users_and_categories_only_when_configured(week_store, cli, monkeypatch):
    tags = front(cli("publish", "--week", WEEK, "--stdout").stdout)["tags"]
    assert tags == ["attention", "kernels", "scaling", "pruning"]
    monkeypatch.setenv("LOGBOOK_POST_CATEGORY_TAGS", "true")
    assert "cs.lg" in front(cli("publish", "--week", WEEK, "--stdout").stdout)["tags"]


def test_papers_appear_once_each_with_the_note_and_version_read(week_store, cli):
    body = cli("publish", "--week", WEEK, "--stdout").stdout.split("---\n", 2)[2]
    assert body.count("Rethinking Attention with Performers](") == 2  # the idea's link + once
    assert body.count("Scaling Laws for Neural Language Models") == 1
    assert "*Why it matters:* FAVOR+ is a *positive* random-feature map." in body
    assert "(read v1)" in body and "✓ read [" in body and "○ to read [" in body
    assert "*open*" not in body and "(*exploring*; back to an idea from Oct 5)" in body
    assert "more" not in body.split("Still on my reading list:")[1]  # no "…and N more"


def test_reading_list_link_names_how_many_more(week_store, cli, monkeypatch):
    from publish_fixtures import add_paper, at

    for number in range(12):
        add_paper(
            week_store,
            arxiv_id=f"2010.{number:05d}",
            title=f"Unread {number}",
            authors=["A"],
            abstract="x",
            added=at("2020-09-02 09:00"),
        )
    monkeypatch.setenv("LOGBOOK_POST_READING_LIST_URL", "https://example.org/reading/")
    body = cli("publish", "--week", WEEK, "--stdout").stdout
    assert "- …and [4 more](https://example.org/reading/)" in body


def test_a_week_that_is_over_is_dated_its_last_moment(week_store, cli, monkeypatch):
    freeze(monkeypatch, "2020-11-03T09:00:00+01:00")
    data = front(cli("publish", "--week", WEEK, "--stdout").stdout)
    assert str(data["date"]) == "2020-10-25 23:59:59 +0100"
    freeze(monkeypatch, NOW)
    assert str(front(cli("publish", "--week", WEEK, "--stdout").stdout)["date"]).startswith(
        "2020-10-19 00:00:00"
    )


def test_themes_sentence_links_the_earlier_weeks_that_share_a_theme(week_store, cli, tmp_path):
    folder = site(tmp_path)
    earlier = cli("publish", "--week", "2020-W40", "--site", str(folder), "--json").json()
    name = earlier["path"].removeprefix("_posts/").removesuffix(".md")
    body = Path(publish(cli, folder, "--json").json()["file"]).read_text()
    link = f"[40]({{{{ site.baseurl }}}}{{% post_url {name} %}})"
    assert f"Attention and machine learning came up again — see week {link}." in body
    (folder / earlier["path"]).unlink()  # a link to a missing post would stop jekyll build
    assert "post_url" not in Path(publish(cli, folder, "--json").json()["file"]).read_text()
