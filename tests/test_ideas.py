"""Ideas: the running log a researcher keeps open all week."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def test_add_records_the_text_and_inline_tags(cli):
    added = cli("idea", "add", "Can two nets be combined? #generalization #Model-Merging", "--json")
    idea = added.json()
    assert idea["title"] == "Can two nets be combined? #generalization #Model-Merging"
    assert idea["tags"] == ["generalization", "model-merging"]
    assert idea["status"] == "open"
    assert cli("idea", "list", "--json").json()[0]["uid"] == idea["uid"]


def test_add_says_what_it_did_on_stderr(cli):
    result = cli("idea", "add", "Try NTK on CIFAR")
    assert result.stdout == ""
    assert result.stderr.strip() == "Added idea #1: Try NTK on CIFAR"


def test_tag_option_and_inline_tags_merge_without_duplicates(cli):
    idea = cli(
        "idea", "add", "Kernel regime #ntk", "--tag", "NTK", "-t", "kernels", "--json"
    ).json()
    assert idea["tags"] == ["kernels", "ntk"]  # sorted by name


def test_text_dash_reads_stdin(cli):
    idea = cli("idea", "add", "-", "--json", input="From a pipe\n\nwith a body #pipes\n").json()
    assert idea["title"] == "From a pipe"
    assert idea["text"] == "From a pipe\n\nwith a body #pipes"
    assert idea["tags"] == ["pipes"]


def _editor(tmp_path: Path, text: str) -> str:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'w').write({text!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_no_text_opens_the_editor(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "Written in my editor #vim\n"))
    idea = cli("idea", "add", "--json").json()
    assert idea["text"] == "Written in my editor #vim"


def test_no_text_and_no_editor_is_a_usage_error(cli):
    result = cli("idea", "add", ok=False)
    assert result.exit_code == 2
    assert "EDITOR" in result.stderr


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2020-10-21", "2020-10-21T00:00:00+00:00"),
        ("2020-10-21T14:30", "2020-10-21T14:30:00+00:00"),
        ("2020-10-21T14:30+02:00", "2020-10-21T12:30:00+00:00"),
        ("today", "2026-11-18T00:00:00+00:00"),
        ("yesterday", "2026-11-17T00:00:00+00:00"),
        ("last monday", "2026-11-16T00:00:00+00:00"),
        ("3 days ago", "2026-11-15T00:00:00+00:00"),
    ],
)
def test_date_option_reads_what_people_type(cli, monkeypatch, when, expected):
    monkeypatch.setenv("LOGBOOK_NOW", "2026-11-18T10:00:00+00:00")  # a Wednesday
    idea = cli("idea", "add", "Dated", "--date", when, "--json").json()
    assert idea["created_at"] == expected


def test_dates_follow_the_configured_time_zone(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_TIMEZONE", "Asia/Tokyo")
    idea = cli("idea", "add", "Tokyo", "--date", "2020-10-21", "--json").json()
    assert idea["created_at"] == "2020-10-20T15:00:00+00:00"


def test_list_filters_by_week_tag_status_and_dates(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "2020-10-28T12:00:00+00:00")  # 2020-W44
    cli("idea", "add", "Old #a", "--date", "2020-10-01")
    cli("idea", "add", "Last week #a", "--date", "2020-10-20")
    cli("idea", "add", "This week #b", "--date", "2020-10-27")
    cli("idea", "status", "3", "exploring")

    def titles(*args: str) -> list[str]:
        return [i["title"] for i in cli("idea", "list", *args, "--json").json()]

    assert titles("--week", "last") == ["Last week #a"]
    assert titles("--week", "2020-W43") == ["Last week #a"]
    assert titles("--week", "this") == ["This week #b"]
    assert titles("--week", "2020-10-02") == ["Old #a"]
    assert titles("--tag", "a") == ["Old #a", "Last week #a"]
    assert titles("--status", "exploring") == ["This week #b"]
    assert titles("--since", "2020-10-15", "--until", "2020-10-27") == ["Last week #a"]
    assert titles("--limit", "2") == ["Last week #a", "This week #b"]


def test_week_starts_on_the_configured_day(cli, monkeypatch):
    monkeypatch.setenv("LOGBOOK_NOW", "2020-10-28T12:00:00+00:00")
    monkeypatch.setenv("LOGBOOK_WEEK_START", "sunday")
    cli("idea", "add", "Sunday", "--date", "2020-10-25")
    cli("idea", "add", "Saturday before", "--date", "2020-10-24")
    assert [i["title"] for i in cli("idea", "list", "--week", "this", "--json").json()] == [
        "Sunday"
    ]


def test_edit_keeps_the_old_text_as_a_revision(cli):
    cli("idea", "add", "First thought")
    cli("idea", "edit", "1", "--text", "Better thought #refined")
    shown = cli("idea", "show", "1", "--json").json()
    assert shown["text"] == "Better thought #refined"
    assert shown["tags"] == ["refined"]
    assert [r["text"] for r in shown["revisions"]] == ["First thought"]


def test_edit_in_the_editor_starts_from_the_current_text(cli, tmp_path, monkeypatch):
    cli("idea", "add", "Draft")
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "Draft, edited"))
    cli("idea", "edit", "1")
    assert cli("idea", "show", "1", "--json").json()["text"] == "Draft, edited"


def test_status_changes_and_rejects_unknown_statuses(cli):
    cli("idea", "add", "Something")
    assert cli("idea", "status", "1", "done", "--json").json()["status"] == "done"
    bad = cli("idea", "status", "1", "finished", ok=False)
    assert bad.exit_code == 2
    assert bad.stderr.strip() == (
        "Error: 'finished' is not an idea status; use one of open, exploring, done, dropped"
    )


def test_tag_adds_and_removes_user_tags(cli):
    cli("idea", "add", "Tagged #one")
    cli("idea", "tag", "1", "two", "Three")
    assert cli("idea", "show", "1", "--json").json()["tags"] == ["one", "three", "two"]
    cli("idea", "tag", "1", "one", "--remove")
    assert cli("idea", "show", "1", "--json").json()["tags"] == ["three", "two"]


def test_rm_hides_restore_brings_back_purge_deletes(cli, store):
    cli("idea", "add", "Keep me")
    cli("idea", "add", "Remove me")
    cli("idea", "rm", "2")
    assert [i["id"] for i in cli("idea", "list", "--json").json()] == [1]
    assert [i["id"] for i in cli("idea", "list", "--archived", "--json").json()] == [2]
    assert cli("idea", "show", "2", "--json").json()["archived"] is True
    cli("idea", "restore", "2")
    assert [i["id"] for i in cli("idea", "list", "--json").json()] == [1, 2]
    cli("idea", "edit", "2", "--text", "Changed")
    cli("idea", "rm", "2", "--purge", "--yes")
    assert cli("idea", "show", "2", ok=False).exit_code == 1
    assert store.search("Changed") == []


def test_numbers_are_never_reused_after_a_purge(cli):
    cli("idea", "add", "One")
    cli("idea", "rm", "1", "--purge", "--yes")
    assert cli("idea", "add", "Two", "--json").json()["id"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "Emoji 🧠🔥 and CJK 深度学习 and RTL עברית العربية",
        "LaTeX $\\frac{a}{b}$ and \\alpha and {{ x }} and {% raw %}",
        "Trailing spaces and\ttabs   \n\nsecond paragraph\n  indented",
    ],
)
def test_unicode_and_markup_round_trip_exactly(cli, store, text):
    cli("idea", "add", text)
    shown = cli("idea", "show", "1", "--json").json()
    assert shown["text"] == text.strip("\n")
    assert store.ideas.get(1).text == text.strip("\n")


def test_plain_text_output_when_not_a_terminal(cli):
    cli("idea", "add", "Plain #x")
    out = cli("idea", "list").stdout.splitlines()
    assert out[0].split("\t") == ["#", "created", "status", "title", "tags"]
    assert out[1].split("\t")[2:] == ["open", "Plain #x", "#x"]
    assert "─" not in "".join(out)


def test_link_papers_needs_the_paper_in_the_store(cli):
    cli("idea", "add", "Attention idea")
    result = cli("idea", "link", "1", "1706.03762", ok=False)
    assert result.exit_code == 1
    assert "no paper 1706.03762" in result.stderr


def test_library_is_usable_without_the_cli(store):
    idea = store.ideas.add("From Python #api", tags=["lib"])
    assert [t.name for t in idea.tags] == ["api", "lib"]
    assert store.ideas.find(tags=["api"])[0].id == idea.id
    assert store.location.key.endswith("logbook.db") or store.location.is_postgres


def test_control_characters_never_reach_the_terminal_raw(cli):
    added = cli("idea", "add", "\x1b[31mred\x1b[0m idea")
    assert "\x1b" not in added.stderr
    assert "\\x1b[31mred" in cli("idea", "list").stdout
    assert cli("idea", "show", "1", "--json").json()["text"] == "\x1b[31mred\x1b[0m idea"


def test_show_prints_the_earlier_texts(cli):
    cli("idea", "add", "First wording")
    cli("idea", "edit", "1", "--text", "Second wording")
    shown = cli("idea", "show", "1").stdout
    assert "Second wording" in shown
    assert "earlier text" in shown and "First wording" in shown


def test_restore_of_an_idea_that_was_not_removed_says_so(cli):
    cli("idea", "add", "Here all along")
    result = cli("idea", "restore", "1", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: idea #1 was not removed; nothing to restore"


def test_revert_brings_back_an_earlier_text_and_keeps_the_current_one(cli):
    cli("idea", "add", "First #one")
    cli("idea", "edit", "1", "--text", "Second #two")
    cli("idea", "edit", "1", "--text", "Third")
    shown = cli("idea", "show", "1").stdout
    assert "earlier text 1" in shown and "earlier text 2" in shown
    back = cli("idea", "revert", "1", "1", "--json").json()
    assert back["text"] == "First #one"
    assert back["tags"] == ["one"]
    earlier = cli("idea", "show", "1", "--json").json()["revisions"]
    assert [r["text"] for r in earlier] == ["First #one", "Second #two", "Third"]
    # with no revision named: the latest, so a revert undoes itself
    assert cli("idea", "revert", "1", "--json").json()["text"] == "Third"


def test_revert_to_a_revision_that_does_not_exist_is_one_line(cli):
    cli("idea", "add", "Only text")
    result = cli("idea", "revert", "1", ok=False)
    assert (result.exit_code, result.stderr) == (2, "Error: idea #1 has no earlier text\n")
    cli("idea", "edit", "1", "--text", "New text")
    result = cli("idea", "revert", "1", "5", ok=False)
    assert result.stderr == "Error: idea #1 has earlier texts 1 to 1\n"


def test_list_on_a_terminal_shows_the_newest_fifty_unless_a_limit_is_given(cli, store):
    import os

    from terminal import on_terminal

    with store.batch():
        for n in range(55):
            store.ideas.add(f"Idea number {n:03d}")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    code, shown = on_terminal(["idea", "list"], env)
    assert code == 0, shown
    assert [n for n in range(55) if f"Idea number {n:03d}" in shown] == list(range(5, 55))
    assert "the newest 50 ideas (there are more); --limit 0 lists them all" in shown
    code, shown = on_terminal(["idea", "list", "--limit", "0"], env)
    assert all(f"Idea number {n:03d}" in shown for n in range(55)) and "newest" not in shown
    piped = cli("idea", "list")
    assert all(f"Idea number {n:03d}" in piped.stdout for n in range(55))
    assert "newest" not in piped.stderr
    assert len(cli("idea", "list", "--json").json()) == 55
