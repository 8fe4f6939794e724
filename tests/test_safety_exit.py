"""Leaving early: a hot command that succeeded ends without the interpreter's shutdown
(``os._exit`` in ``logbook.cli.main``), and that never costs a write or a line of output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

LOGBOOK = [sys.executable, "-m", "logbook"]

# Runs the console entry point with a shutdown hook that says whether it ran.
WITH_SHUTDOWN_HOOK = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("interpreter shutdown\\n"))
sys.argv = ["logbook", *sys.argv[1:]]
from logbook.cli import main
main()
"""


def _many_ideas(store, count: int = 3000) -> None:
    with store._write() as session:
        session.execute(
            text(
                "INSERT INTO idea (uid, text, status, created_at, updated_at) VALUES "
                "(:uid, :text, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
            ),
            [
                {"uid": f"00000000-0000-7000-8000-{n:012d}", "text": f"idea number {n}"}
                for n in range(count)
            ],
        )


def test_a_successful_hot_command_leaves_without_the_interpreter_shutdown(store):
    added = subprocess.run(
        [sys.executable, "-c", WITH_SHUTDOWN_HOOK, "idea", "add", "quick"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert added.returncode == 0, added.stderr
    assert "interpreter shutdown" not in added.stderr
    assert [i.text for i in store.ideas.find()] == ["quick"]


def test_a_failed_command_leaves_the_ordinary_way(store):
    failed = subprocess.run(
        [sys.executable, "-c", WITH_SHUTDOWN_HOOK, "idea", "show", "999"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == ["Error: no idea #999", "interpreter shutdown"]


def test_leaving_early_keeps_every_write(store):
    for n in range(5):
        result = subprocess.run([*LOGBOOK, "idea", "add", f"idea {n} #quick"], env=os.environ)
        assert result.returncode == 0
    ideas = store.ideas.find(tags=["quick"])
    assert [i.text for i in ideas] == [f"idea {n} #quick" for n in range(5)]


def test_leaving_early_keeps_every_line_written_to_a_pipe(store):
    _many_ideas(store)
    listing = subprocess.Popen(
        [*LOGBOOK, "idea", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ
    )
    out, err = listing.communicate()
    assert listing.returncode == 0, err
    lines = out.decode().splitlines()
    assert len(lines) == 1 + 3000
    assert "\tidea number 2999" in lines[-1]


def test_leaving_early_keeps_every_line_written_to_a_file(store, tmp_path: Path):
    _many_ideas(store)
    target = tmp_path / "ideas.tsv"
    with target.open("wb") as out:
        result = subprocess.run([*LOGBOOK, "idea", "list", "--json"], stdout=out, env=os.environ)
    assert result.returncode == 0
    written = target.read_text()
    assert written.rstrip().endswith("]")
    assert written.count('"text": "idea number ') == 3000


def test_a_full_disk_is_still_an_error_when_leaving_early(store):
    _many_ideas(store, 10)
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*LOGBOOK, "idea", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
        )
    assert result.returncode == 1
    assert result.stderr == "Error: No space left on device\n"
