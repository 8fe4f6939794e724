"""The command line under hostile input: typed text survives failures, odd bytes and huge
numbers get one clear line, and a reader that goes away ends the command quietly."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _editor(tmp_path: Path, content: bytes) -> Path:
    """A real $EDITOR: a shell script that writes ``content`` into the file it is given."""
    payload = tmp_path / "typed.bin"
    payload.write_bytes(content)
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\ncat "{payload}" > "$1"\n')
    script.chmod(0o755)
    return script


def _kept_path(line: str) -> Path:
    assert "(your text is kept in " in line, line
    return Path(line.rsplit("(your text is kept in ", 1)[1].rstrip(")"))


def _one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.stderr + (result.stdout or "")
    return lines[0]


@pytest.mark.sqlite_only  # holds SQLite's write lock; test_postgres holds PostgreSQL's
def test_editor_text_is_kept_when_the_store_is_locked(cli, store, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, b"An idea I typed for a while\n")))
    monkeypatch.setenv("LOGBOOK_BUSY_TIMEOUT", "0.2")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = cli("idea", "add", ok=False)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    line = _one_error_line(result)
    assert "locked" in line
    kept = _kept_path(line)
    assert kept.read_text(encoding="utf-8") == "An idea I typed for a while\n"
    kept.unlink()
    assert store.ideas.find() == []


def test_editor_text_is_kept_when_it_is_not_utf8(cli, store, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, b"caf\xe9 au lait\n")))
    result = cli("idea", "add", ok=False)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert "not UTF-8" in line
    kept = _kept_path(line)
    assert kept.read_bytes() == b"caf\xe9 au lait\n"
    kept.unlink()


@pytest.mark.sqlite_only  # holds SQLite's write lock
def test_editor_text_is_kept_when_editing_a_note_fails(cli, store, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, b"new text\n")))
    result = cli("idea", "edit", "7", ok=False)  # no idea #7: fails before the editor
    assert "kept" not in result.stderr
    cli("idea", "add", "first")
    monkeypatch.setenv("LOGBOOK_BUSY_TIMEOUT", "0.2")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = cli("idea", "edit", "1", ok=False)
    finally:
        other.execute("ROLLBACK")
        other.close()
    kept = _kept_path(_one_error_line(result))
    assert kept.read_text(encoding="utf-8") == "new text\n"
    kept.unlink()


def test_editor_file_is_removed_once_the_text_is_saved(cli, store, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(_editor(tmp_path, b"Saved fine\n")))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    cli("idea", "add")
    assert [i.text for i in store.ideas.find()] == ["Saved fine"]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_stdin_that_is_not_utf8_is_one_usage_line(cli, store):
    result = cli("idea", "add", "-", input=b"\xff", ok=False)
    assert result.exit_code == 2
    assert "stdin is not UTF-8" in _one_error_line(result)
    assert store.ideas.find() == []


def test_an_argument_that_is_not_utf8_is_one_usage_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "logbook", "idea", "add", b"\xffabc"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 2, result.stderr
    assert "argument 3 of the command line is not UTF-8" in _one_error_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ("idea", "show", "99999999999999999999"),
        ("idea", "rm", "99999999999999999999"),
        ("idea", "list", "--limit", "99999999999999999999"),
        ("paper", "list", "--limit", "99999999999999999999"),
        ("search", "x", "--limit", "99999999999999999999"),
        ("post", "show", "99999999999999999999"),
        ("publish", "--idea", "99999999999999999999"),
        ("idea", "list", "--limit", "-5"),
        ("search", "x", "--limit", "-1"),
        ("paper", "list", "--limit", "-1"),
        ("themes", "--top", "-1"),
        ("themes", "apply", "--top", "99999999999999999999"),
    ],
)
def test_numbers_out_of_range_are_one_usage_line(cli, store, args):
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert "probably a bug" not in _one_error_line(result)


def test_paper_numbers_out_of_range_are_not_found(cli, store):
    for args in (("paper", "show", "99999999999999999999"), ("idea", "add", "x", "-p", "9" * 30)):
        result = cli(*args, ok=False)
        assert result.exit_code == 1
        assert "no paper" in _one_error_line(result)


def test_limit_zero_means_no_limit_for_every_list(cli, store):
    for n in range(3):
        cli("idea", "add", f"kernel idea {n}")
    assert len(cli("idea", "list", "--limit", "0", "--json").json()) == 3
    assert len(cli("search", "kernel", "--limit", "0", "--json").json()) == 3
    assert len(cli("search", "kernel", "--limit", "2", "--json").json()) == 2
    assert cli("paper", "list", "--limit", "0", "--json").json() == []


def _many_ideas(store, count: int = 3000) -> None:
    with store._write() as session:
        from sqlalchemy import text

        for n in range(count):
            session.execute(
                text(
                    "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES "
                    "(:uid, :text, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
                ),
                {"uid": f"00000000-0000-7000-8000-{n:012d}", "text": f"idea number {n}"},
            )


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(store):
    _many_ideas(store)
    listing = subprocess.Popen(
        [sys.executable, "-m", "logbook", "idea", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ,
    )
    assert listing.stdout is not None and listing.stderr is not None
    assert listing.stdout.readline().startswith(b"#\tcreated")
    listing.stdout.close()  # what `| head -1` does
    stderr = listing.stderr.read()
    assert listing.wait() == 0, stderr
    assert stderr == b""


def test_a_closed_stdout_is_one_error_line(store):
    store.ideas.add("one idea")
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "logbook", "idea", "list"],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 1
    assert _one_error_line(result) == "Error: cannot write the output: stdout is closed"


def test_a_command_that_prints_nothing_works_with_stdout_closed(store):
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "logbook", "idea", "add", "x"],
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 0, result.stderr
    assert [i.text for i in store.ideas.find()] == ["x"]


def test_purge_is_refused_without_a_terminal_unless_yes(cli):
    cli("idea", "add", "Keep me")
    result = cli("idea", "rm", "1", "--purge", ok=False)
    assert result.exit_code == 2
    assert "add --yes" in result.stderr and result.stderr.count("\n") == 1
    assert cli("idea", "show", "1", "--json").json()["archived"] is False
    cli("idea", "rm", "1", "--purge", "--yes")
    assert cli("idea", "show", "1", ok=False).exit_code == 1


def _terminal_env() -> dict[str, str]:
    import os

    return {**os.environ, "NO_COLOR": "1"}


def test_purge_asks_on_a_terminal_and_no_keeps_the_entry(cli):
    from terminal import on_terminal

    cli("idea", "add", "Keep me")
    code, shown = on_terminal(["idea", "rm", "1", "--purge"], _terminal_env(), answer="n")
    assert "Delete idea #1 for good" in shown
    assert code == 1
    assert cli("idea", "show", "1", "--json").json()["text"] == "Keep me"


def test_purge_asks_on_a_terminal_and_yes_deletes(cli):
    from terminal import on_terminal

    cli("idea", "add", "Delete me")
    code, shown = on_terminal(["idea", "rm", "1", "--purge"], _terminal_env(), answer="y")
    assert code == 0, shown
    assert "Purged idea #1" in shown
    assert cli("idea", "show", "1", ok=False).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("idea", "list"),
        ("idea", "show", "1"),
        ("paper", "list"),
        ("paper", "show", "1"),
        ("reading-list",),
        ("themes",),
        ("search", "attention"),
        ("post", "list"),
    ],
)
def test_a_read_command_on_a_named_store_that_is_missing_creates_nothing(cli, tmp_path, args):
    missing = tmp_path / "typo" / "logbook.db"
    result = cli("--db", str(missing), *args, ok=False)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: no store at {missing} (given by --db); nothing was created"
    )
    assert not missing.parent.exists()


@pytest.mark.sqlite_only  # a file that is not there; a PostgreSQL database is made by its admin
def test_a_missing_store_named_by_the_variable_is_reported_too(cli, tmp_path):
    result = cli("idea", "list", ok=False)
    assert "(given by $LOGBOOK_DB)" in result.stderr
    assert not (tmp_path / "logbook.db").exists()
    cli("idea", "add", "A write creates it")
    assert cli("idea", "list", "--json").json()[0]["title"] == "A write creates it"
