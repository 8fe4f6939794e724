"""Shell completion offers what logbook knows (statuses, tags, numbers), not file names."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_safety_terminal import _paper

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _complete(line: str, **env: str) -> list[str]:
    """What bash completion offers for ``line`` (the last word is the one being typed)."""
    words = line.split(" ")
    done = subprocess.run(
        [sys.executable, "-m", "logbook"],
        env={
            **os.environ,
            "_LOGBOOK_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    return done.stdout.split()


@pytest.fixture
def entries(store, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("a file completion must not offer\n", encoding="utf-8")
    for n in range(1, 12):
        store.ideas.add(f"Idea {n} #kernels" if n % 2 else f"Idea {n} #scaling")
    store.papers.save([_paper(1, "Attention"), _paper(2, "BERT")])
    store.papers.tag("1", ["transformers"])
    return store


def test_completion_offers_idea_and_reading_statuses(entries):
    assert _complete("logbook idea list --status ") == ["done", "dropped", "exploring", "open"]
    assert _complete("logbook idea status 3 ex") == ["exploring"]
    assert _complete("logbook paper list --status r") == ["read", "reading"]


def test_completion_offers_tag_names_from_the_store(entries):
    assert _complete("logbook idea list --tag ") == ["kernels", "scaling", "transformers"]
    assert _complete("logbook search attention --tag tr") == ["transformers"]
    assert _complete("logbook idea tag 3 k") == ["kernels"]
    assert _complete("logbook paper tag 1 s") == ["scaling"]


def test_completion_offers_idea_and_paper_numbers_not_file_names(entries):
    assert _complete("logbook idea show ") == [str(n) for n in range(1, 12)]
    assert _complete("logbook idea show 1") == ["1", "10", "11"]
    assert _complete("logbook paper show ") == ["1", "2"]
    assert "read" in _complete("logbook paper status 1 ")
    assert "notes.txt" not in _complete("logbook idea rm ")


def test_completion_reads_the_store_given_with_db_and_creates_none(entries, tmp_path):
    missing = tmp_path / "nowhere" / "store.db"
    assert _complete(f"logbook --db {missing} idea show ") == []
    assert not missing.parent.exists()
    given = os.environ["LOGBOOK_DB"]  # the test's store: a file or a PostgreSQL URL
    assert _complete(f"logbook --db {given} idea show 1", LOGBOOK_DB=str(missing)) == [
        "1",
        "10",
        "11",
    ]
