"""Shell completion offers what logbook knows (statuses, tags, numbers), not file names."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest
from test_safety_terminal import _paper

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _bash(line: str) -> dict[str, str]:
    """What bash sets for a completion of ``line`` (the last word is the one being typed)."""
    return {
        "_LOGBOOK_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split(" ")) - 1),
    }


def _complete_in_a_process(line: str, **env: str) -> list[str]:
    """What bash completion offers for ``line``, asked of ``python -m logbook`` as bash
    asks it: the process's own way into completion is part of what is tested."""
    done = subprocess.run(
        [sys.executable, "-m", "logbook"],
        env={**os.environ, **_bash(line), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    return done.stdout.split()


@pytest.fixture
def complete(cli, monkeypatch):  # type: ignore[no-untyped-def]
    """What bash completion offers for ``line``, asked of the same command tree in-process
    (a process each would cost ~0.2-0.5 s; the first and the last test here go through
    the process)."""
    from logbook.cli.state import State, state

    def offered(line: str) -> list[str]:
        # Bash starts a new process for each completion, with nothing of an earlier command
        # in the CLI's state (a completion runs no command callback, which would reset it).
        for field in dataclasses.fields(State):
            monkeypatch.setattr(state, field.name, field.default)
        done = cli(env=_bash(line))
        assert done.stderr == ""
        return done.stdout.split()

    return offered


@pytest.fixture
def entries(store, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("a file completion must not offer\n", encoding="utf-8")
    for n in range(1, 12):
        store.ideas.add(f"Idea {n} #kernels" if n % 2 else f"Idea {n} #scaling")
    store.papers.save([_paper(1, "Attention"), _paper(2, "BERT")])
    store.papers.tag("1", ["transformers"])
    return store


def test_completion_offers_idea_and_reading_statuses(entries, complete):
    # through the process once, as bash asks; the rest in-process
    assert _complete_in_a_process("logbook idea list --status ") == [
        "done",
        "dropped",
        "exploring",
        "open",
    ]
    assert complete("logbook idea status 3 ex") == ["exploring"]
    assert complete("logbook paper list --status r") == ["read", "reading"]


def test_completion_offers_tag_names_from_the_store(entries, complete):
    assert complete("logbook idea list --tag ") == ["kernels", "scaling", "transformers"]
    assert complete("logbook search attention --tag tr") == ["transformers"]
    assert complete("logbook idea tag 3 k") == ["kernels"]
    assert complete("logbook paper tag 1 s") == ["scaling"]


def test_completion_offers_idea_and_paper_numbers_not_file_names(entries, complete):
    assert complete("logbook idea show ") == [str(n) for n in range(1, 12)]
    assert complete("logbook idea show 1") == ["1", "10", "11"]
    assert complete("logbook paper show ") == ["1", "2"]
    assert "read" in complete("logbook paper status 1 ")
    assert "notes.txt" not in complete("logbook idea rm ")


def test_completion_reads_the_store_given_with_db_and_creates_none(entries, tmp_path):
    missing = tmp_path / "nowhere" / "store.db"
    assert _complete_in_a_process(f"logbook --db {missing} idea show ") == []
    assert not missing.parent.exists()
    given = os.environ["LOGBOOK_DB"]  # the test's store: a file or a PostgreSQL URL
    assert _complete_in_a_process(f"logbook --db {given} idea show 1", LOGBOOK_DB=str(missing)) == [
        "1",
        "10",
        "11",
    ]
