"""Bad input gets one clear line on stderr and the right exit code, never a traceback."""

from __future__ import annotations

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("idea", "show", "42"), 1, "Error: no idea #42"),
        (("idea", "edit", "42", "--text", "x"), 1, "Error: no idea #42"),
        (("idea", "status", "42", "done"), 1, "Error: no idea #42"),
        (
            ("idea", "add", "x", "--date", "next blursday"),
            2,
            "Error: cannot read the date 'next blursday'",
        ),
        (("idea", "list", "--since", "2020-13-45"), 2, "Error: cannot read the date '2020-13-45'"),
        (("idea", "list", "--week", "2020-W60"), 2, "Error: '2020-W60' is not a week of 2020"),
        (("idea", "list", "--status", "pending"), 2, "Error: 'pending' is not an idea status"),
        (("idea", "show", "abc"), 2, "Error: Invalid value for 'number'"),
        (("idea", "frobnicate"), 2, "Error: No such command 'frobnicate'"),
        (("idea", "add", "   "), 2, "Error: an idea needs some text"),
        (("idea", "add", "x", "--tag", "###"), 2, "Error: '###' is not a tag"),
        (("search", "x", "--kind", "book"), 2, "Error: 'book' is not a kind"),
        (
            ("idea", "add", "x", "--paper", "abc"),
            2,
            "Error: 'abc' is not a paper number or an arXiv id",
        ),
        (("config", "get", "nope"), 2, "Error: unknown config key 'nope'"),
    ],
)
def test_bad_input_is_one_line_with_the_right_exit_code(cli, store, args, code, message):
    result = cli(*args, ok=False)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message), lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_nothing_is_half_written_when_a_linked_paper_is_unknown(cli, store):
    result = cli("idea", "add", "Linked #x", "--paper", "1706.03762", ok=False)
    assert result.exit_code == 1
    assert store.ideas.find() == []
    assert store.changes() == 0


def test_debug_shows_the_traceback(cli):
    result = cli("--debug", "idea", "show", "42", ok=False)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "NotFoundError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ")


def test_unexpected_errors_say_it_is_probably_a_bug(cli, store, monkeypatch):
    from logbook.store.ideas import Ideas

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Ideas, "find", boom)
    result = cli("idea", "list", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: ZeroDivisionError: division by zero (this is probably a bug in logbook; "
        "run with --debug to see where)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("idea", "list", "--week", "this", "--until", "2026-11-20"),
            "Error: give --week or --since/--until, not both",
        ),
        (("idea", "list", "--limit", "-3"), "Error: Invalid value for '--limit'"),
        (
            ("idea", "add", "x", "--date", "2999-01-01"),
            "Error: the date '2999-01-01' is after tomorrow",
        ),
    ],
)
def test_contradictory_or_impossible_options_are_usage_errors(cli, args, message):
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(message), result.stderr


@pytest.mark.sqlite_only  # test_postgres has PostgreSQL's
def test_someone_elses_sqlite_database_is_left_alone(cli, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    result = cli("--db", str(other), "idea", "add", "y", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: this SQLite database is not a logbook store; give another --db"
    )
    tables = sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("t",)]


def test_a_missing_editor_is_one_line(cli, monkeypatch):
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    result = cli("idea", "add", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: cannot start the editor '/nonexistent/editor': No such file or directory"
    )


def test_what_the_file_system_refuses_is_one_line_not_a_bug(cli, store, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = cli("reading-list", "--output", str(folder), ok=False)
    assert result.exit_code == 1
    assert "probably a bug" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"Error: Is a directory: {folder}"


def test_a_config_file_that_is_not_utf8_is_named(cli, tmp_path):
    (tmp_path / "config.yaml").write_bytes(b"\xff\xfeauthor: x\n")
    result = cli("config", "show", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'config.yaml'}: not UTF-8 text; save the config as UTF-8"
    )


def test_a_broken_config_stops_idea_add_before_anything_is_written(cli, store, tmp_path):
    (tmp_path / "config.yaml").write_text("site: [\n")
    result = cli("idea", "add", "Not saved", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'config.yaml'}, line 2: expected the node content, but found "
        "'<stream end>'"
    ]
    assert store.ideas.find() == []
