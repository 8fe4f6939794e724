"""Input as people give it: pipes, the editor, tags that follow the text, several at once."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from arxiv_server import arxiv_server
from terminal import on_terminal

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

__all__ = ["arxiv_server"]  # the local arXiv fixture, imported for pytest


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\nimport sys\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_piped_text_is_the_idea_when_no_text_is_given(cli, tmp_path, monkeypatch):
    # An editor set must not win over what was piped: the piped text would be lost.
    editor = _script(tmp_path / "editor", "open(sys.argv[1], 'w').write('from the editor')")
    monkeypatch.setenv("EDITOR", str(editor))
    idea = cli("idea", "add", "--json", input="Piped in #pipes\n").json()
    assert idea["text"] == "Piped in #pipes"
    assert idea["tags"] == ["pipes"]


def test_piped_ids_are_imported_when_no_id_is_given(cli, arxiv_server, store):
    report = cli("paper", "import", "--json", input="1706.03762\n").json()
    assert report["imported"] == ["1706.03762"]
    assert store.papers.get("1706.03762").title == "Attention Is All You Need"


def test_an_empty_pipe_asks_for_ids_in_one_line(cli):
    result = cli("paper", "import", ok=False, input="")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: give arXiv ids")


def test_piped_text_is_added_to_a_papers_notes(cli, arxiv_server):
    cli("paper", "import", "1706.03762")
    paper = cli("paper", "note", "1", "--json", input="Sec. 3.2 has the trick\n").json()
    assert paper["notes"] == "Sec. 3.2 has the trick"


def test_the_editor_file_starts_with_hints_that_are_not_kept(cli, tmp_path, monkeypatch):
    seen = tmp_path / "seen.txt"
    editor = _script(
        tmp_path / "editor",
        f"text = open(sys.argv[1]).read()\nopen({str(seen)!r}, 'w').write(text)\n"
        "open(sys.argv[1], 'w').write(text + '#kernels first\\n# A heading\\n')",
    )
    monkeypatch.setenv("EDITOR", str(editor))
    idea = cli("idea", "add", "--json").json()
    hints = seen.read_text().splitlines()
    assert hints and all(line.startswith("# logbook:") for line in hints)
    assert "#tags" in seen.read_text()
    # a line that starts with a tag or a markdown heading is the user's, not a hint
    assert idea["text"] == "#kernels first\n# A heading"
    assert idea["tags"] == ["kernels"]


def test_without_an_editor_vi_is_opened_on_a_terminal(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _script(bin_dir / "vi", "open(sys.argv[1], 'a').write('Typed in vi')")
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    code, shown = on_terminal(["idea", "add"], env)
    assert code == 0, shown
    assert "Added idea #1: Typed in vi" in shown


def test_inline_tags_follow_the_text_on_edit_and_tag_option_tags_stay(cli):
    cli("idea", "add", "Try it in #editor", "--tag", "kept")
    idea = cli("idea", "edit", "1", "--text", "Try it with #kernels", "--json").json()
    assert idea["tags"] == ["kept", "kernels"]


def test_a_tag_added_later_stays_when_the_text_changes(cli):
    cli("idea", "add", "Plain text")
    cli("idea", "tag", "1", "later")
    idea = cli("idea", "edit", "1", "--text", "Plain text, longer", "--json").json()
    assert idea["tags"] == ["later"]


def test_several_ideas_are_removed_at_once(cli):
    for n in range(3):
        cli("idea", "add", f"Idea {n}")
    result = cli("idea", "rm", "1", "2", "3")
    assert "Removed idea #3" in result.stderr
    assert "logbook idea restore 1 2 3" in result.stderr
    assert cli("idea", "list", "--json").json() == []


def test_a_missing_number_in_a_bulk_rm_removes_none(cli):
    cli("idea", "add", "One")
    cli("idea", "add", "Two")
    result = cli("idea", "rm", "1", "2", "9", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no idea #9"
    assert [i["id"] for i in cli("idea", "list", "--json").json()] == [1, 2]


def _two_papers(arxiv_server, cli):  # type: ignore[no-untyped-def]
    from arxiv_server import Entry, synthetic

    arxiv_server.add(Entry(**{**vars(synthetic(1)), "arxiv_id": "2101.00001", "version": 1}))
    cli("paper", "import", "1706.03762", "2101.00001")


def test_several_papers_get_one_status(cli, arxiv_server):
    _two_papers(arxiv_server, cli)
    views = cli("paper", "status", "1", "2101.00001", "read", "--json").json()
    assert [v["status"] for v in views] == ["read", "read"]


def test_a_bulk_status_with_a_missing_paper_changes_none(cli, arxiv_server):
    _two_papers(arxiv_server, cli)
    result = cli("paper", "status", "1", "2", "7", "read", ok=False)
    assert result.exit_code == 1
    assert [p["status"] for p in cli("paper", "list", "--json").json()] == ["to-read"] * 2


def test_several_papers_are_tagged_with_add(cli, arxiv_server):
    _two_papers(arxiv_server, cli)
    cli("paper", "tag", "1", "2", "--add", "survey", "--add", "week47")
    assert [p["tags"] for p in cli("paper", "list", "--json").json()] == [["survey", "week47"]] * 2
    cli("paper", "tag", "1", "2", "--add", "week47", "--remove")
    assert [p["tags"] for p in cli("paper", "list", "--json").json()] == [["survey"]] * 2
