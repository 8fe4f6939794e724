"""Two people, one entry: edits are checked against the version they were read at.

An edit in $EDITOR reads the entry (its ``row_version``), the user types, and the save only
replaces the text if nobody saved in between; otherwise the text typed is kept as the
entry's newest revision and one line says how to get it back. And many processes writing
at once lose nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from processes import start_together

from logbook.store import open_store
from logbook.store.paper_views import PaperMeta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends


def _editor(tmp_path: Path, meanwhile: list[str], typed: str) -> str:
    """An $EDITOR that, while "editing", runs another logbook with ``meanwhile``, then saves
    ``typed`` into the file it was given."""
    script = tmp_path / "editor.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import subprocess, sys
            other = subprocess.run(
                [{sys.executable!r}, "-m", "logbook", *{meanwhile!r}],
                capture_output=True, text=True,
            )
            assert other.returncode == 0, other.stderr
            with open(sys.argv[1], "w", encoding="utf-8") as f:
                f.write({typed!r})
            """
        )
    )
    return f"{sys.executable} {script}"


def _logbook(cli: Any, *args: str, editor: str) -> Any:
    """Run ``logbook ARGS`` with ``editor`` as $EDITOR, in-process: the other logbook, the
    one the editor starts while "editing", is a process of its own (``_editor``)."""
    return cli(*args, env={"EDITOR": editor}, ok=False)


def test_an_edit_saved_over_another_fails_in_one_line_and_keeps_both_texts(cli, tmp_path):
    cli("idea", "add", "Kernel regression at scale")
    editor = _editor(tmp_path, ["idea", "edit", "1", "--text", "Their version"], "My version")
    result = _logbook(cli, "idea", "edit", "1", editor=editor)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == (
        "Error: idea 1 changed while you were editing it (by another logbook); your text is "
        "kept as revision 2: see `logbook idea show 1`, bring it back with "
        "`logbook idea revert 1 2`"
    )
    idea = cli("idea", "show", "1", "--json").json()
    assert idea["text"] == "Their version"  # the first save stands
    assert [r["text"] for r in idea["revisions"]] == ["Kernel regression at scale", "My version"]
    # what the message says works: the typed text comes back, the other stays a revision
    cli("idea", "revert", "1", "2")
    idea = cli("idea", "show", "1", "--json").json()
    assert idea["text"] == "My version"
    assert "Their version" in [r["text"] for r in idea["revisions"]]


def test_an_edit_nobody_interrupted_saves_and_bumps_nothing_else(cli, tmp_path):
    cli("idea", "add", "Kernel regression at scale")
    editor = _editor(tmp_path, ["idea", "list"], "Kernel regression, revised")
    result = _logbook(cli, "idea", "edit", "1", editor=editor)
    assert result.exit_code == 0, result.stderr
    idea = cli("idea", "show", "1", "--json").json()
    assert idea["text"] == "Kernel regression, revised"
    assert [r["text"] for r in idea["revisions"]] == ["Kernel regression at scale"]


def test_a_status_change_while_editing_is_kept_and_the_text_too(cli, tmp_path):
    # A status change is an update of the entry: the edit read before it conflicts, and
    # neither the status nor the typed text is lost.
    cli("idea", "add", "Kernel regression at scale")
    editor = _editor(tmp_path, ["idea", "status", "1", "exploring"], "My version")
    result = _logbook(cli, "idea", "edit", "1", editor=editor)
    assert result.exit_code == 1
    assert "changed while you were editing it" in result.stderr
    idea = cli("idea", "show", "1", "--json").json()
    assert (idea["status"], idea["text"]) == ("exploring", "Kernel regression at scale")
    assert idea["revisions"][-1]["text"] == "My version"


def test_one_shot_text_replaces_without_a_check_and_keeps_the_old_text(cli):
    cli("idea", "add", "First")
    cli("idea", "status", "1", "done")
    cli("idea", "edit", "1", "--text", "Second")
    idea = cli("idea", "show", "1", "--json").json()
    assert (idea["text"], idea["status"]) == ("Second", "done")
    assert [r["text"] for r in idea["revisions"]] == ["First"]


def test_paper_notes_edited_over_another_note_keep_both(cli, tmp_path):
    store = open_store(os.environ["LOGBOOK_DB"])
    store.papers.save([PaperMeta("1706.03762", 1, "Attention is all you need", ["A. Vaswani"])])
    store.close()
    cli("paper", "note", "1706.03762", "First note")
    editor = _editor(tmp_path, ["paper", "note", "1706.03762", "Their note"], "My notes")
    result = _logbook(cli, "paper", "note", "1706.03762", editor=editor)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "changed while you were editing its notes" in lines[0]
    paper = cli("paper", "show", "1706.03762", "--json").json()
    assert paper["notes"] == "First note\n\nTheir note"
    assert paper["revisions"][-1]["text"] == "My notes"


# -- many writers at once --------------------------------------------------------------------

# One writer: half its writes add ideas, half edit ideas every writer shares, each edit
# read first and saved against the version read (a conflict re-reads and tries again, as a
# person would). It opens the store $LOGBOOK_DB names, so the same test can run against any
# backend that location can name.
WRITER = textwrap.dedent(
    """\
    import sys
    from logbook.location import resolve_store
    from logbook.errors import ConflictError
    from logbook.store import open_store

    who, writes = int(sys.argv[1]), int(sys.argv[2])
    shared = [int(n) for n in sys.argv[3].split(",")]
    store = open_store(resolve_store())
    store.set_author(f"w{who}")
    print("ready", flush=True)
    sys.stdin.readline()  # the go: every writer has imported and opened the store
    conflicts = 0
    for k in range(writes):
        if k % 2 == 0:
            store.ideas.add(f"writer {who} idea {k}", tags=[f"w{who}"])
            continue
        number = shared[(who + k // 2) % len(shared)]
        while True:
            idea = store.ideas.get(number)
            try:
                store.ideas.edit(number, f"{idea.text}\\nw{who}k{k}", base_version=idea.row_version)
                break
            except ConflictError:
                conflicts += 1
    store.close()
    print(conflicts)
    """
)


def check_writers_lose_nothing(
    location: str, *, processes: int = 8, writes: int = 100, shared_ideas: int = 8
) -> dict[str, int]:
    """Run ``processes`` writers of ``writes`` writes each against the store at ``location``
    (a ``LOGBOOK_DB`` value) and check that every write is accounted for; the counts."""
    env = {**os.environ, "LOGBOOK_DB": location}
    setup = open_store(location)
    shared = [setup.ideas.add(f"shared idea {n}").id for n in range(shared_ideas)]
    setup.close()
    numbers = ",".join(map(str, shared))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(who), str(writes), numbers],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for who in range(processes)
    ]
    start_together(procs)  # every process imported and waiting: they start together
    outputs = [p.communicate(timeout=300) for p in procs]
    errors = [err for _, err in outputs]
    assert [p.returncode for p in procs] == [0] * processes, errors
    assert not any("locked" in e for e in errors), errors
    conflicts = sum(int(out) for out, _ in outputs)

    store = open_store(location)
    adds, edits = (writes + 1) // 2, writes // 2
    for who in range(processes):
        added = store.ideas.find(authors=[f"w{who}"])
        assert len(added) == adds
        assert sorted(i.text for i in added) == sorted(
            f"writer {who} idea {k}" for k in range(0, writes, 2)
        )
        assert len(store.ideas.find(tags=[f"w{who}"])) == adds
    lines: list[str] = []
    revisions = 0
    for number in shared:
        idea = store.ideas.get(number)
        lines += idea.text.splitlines()[1:]
        revisions += len(idea.revisions)
    expected = [f"w{who}k{k}" for who in range(processes) for k in range(1, writes, 2)]
    assert sorted(lines) == sorted(expected)  # every edit is there, once: none overwritten
    # each saved edit kept the text it replaced; each conflict kept the text it could not save
    assert revisions == processes * edits + conflicts
    store.close()
    return {"added": processes * adds, "edits": len(lines), "conflicts": conflicts}


@pytest.mark.slow
def test_eight_processes_writing_a_hundred_times_each_lose_nothing(store):
    store.close()  # the writers open it themselves: a file in tmp_path, or a PostgreSQL database
    counts = check_writers_lose_nothing(os.environ["LOGBOOK_DB"])
    assert counts["added"] + counts["edits"] == 800


def test_closing_the_editor_without_a_change_saves_nothing_over_another_edit(cli, tmp_path):
    cli("idea", "add", "Kernel regression at scale")
    same = "Kernel regression at scale"
    editor = _editor(tmp_path, ["idea", "edit", "1", "--text", "Their version"], same)
    result = _logbook(cli, "idea", "edit", "1", editor=editor)
    assert result.exit_code == 0, result.stderr
    assert "Unchanged: idea #1" in result.stderr
    idea = cli("idea", "show", "1", "--json").json()
    assert idea["text"] == "Their version"
    assert [r["text"] for r in idea["revisions"]] == ["Kernel regression at scale"]
