"""jrnl side by side: add, list and search on a journal holding the same ideas as the store.

Optional: used when a ``jrnl`` command is installed (``pip install jrnl``) next to this
Python or on PATH. The journal is written straight from the store's ideas (same text, same
moments) in jrnl's plain-text format; jrnl runs with its own config in a private folder.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from harness import Timing, time_command

_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: {version}
"""


@dataclass(frozen=True)
class Jrnl:
    """An installed jrnl: its command and version."""

    command: str
    version: str


def available() -> Jrnl | None:
    """The jrnl next to this interpreter or on PATH, or None."""
    here = Path(sys.executable).parent / "jrnl"
    command = str(here) if here.exists() else shutil.which("jrnl")
    if command is None:
        return None
    out = subprocess.run([command, "--version"], capture_output=True, text=True).stdout
    first = out.strip().splitlines()[0] if out.strip() else "jrnl"
    return Jrnl(command, first)


def _write_journal(store: Path, journal: Path) -> None:
    db = sqlite3.connect(store)
    with journal.open("w", encoding="utf-8") as out:
        rows = db.execute("SELECT created_at, text FROM idea ORDER BY created_at")
        for created, text in rows:
            out.write(f"[{created[:10]} {created[11:16]}] {text}\n\n")
    db.close()


def run(jrnl: Jrnl, store: Path, work: Path, runs: int) -> dict[str, Timing]:
    """Timings of jrnl's add, list (last 20) and search on the store's ideas."""
    home = work / "jrnl"
    (home / "jrnl").mkdir(parents=True, exist_ok=True)
    journal = home / "journal.txt"
    _write_journal(store, journal)
    version = jrnl.version.split()[-1]
    (home / "jrnl" / "jrnl.yaml").write_text(_CONFIG.format(journal=journal, version=version))
    env = {"XDG_CONFIG_HOME": str(home)}
    return {
        "add": time_command(
            [jrnl.command, "Bench idea about attention kernels #bench"], env=env, runs=runs
        ),
        "list": time_command([jrnl.command, "-n", "20"], env=env, runs=runs),
        "search": time_command([jrnl.command, "-contains", "attention kernel"], env=env, runs=runs),
    }
