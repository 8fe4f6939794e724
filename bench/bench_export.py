"""Export: 10k ideas + 2k papers, first run and no-change run, and the git hook's no-change run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from harness import Row, Timing, build_store, logbook, time_command


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def run(work: Path, quick: bool) -> list[Row]:
    ideas, papers = (2_000, 400) if quick else (10_000, 2_000)
    runs = 3 if quick else 5
    label = f"{ideas:,} ideas + {papers:,} papers"
    db = build_store(work / "export.db", ideas=ideas, papers=papers)
    env = {"LOGBOOK_DB": str(db), "LOGBOOK_CONFIG": str(work / "none.yaml")}
    rows = []

    # First run: an empty folder every time (the folder is removed between runs).
    first = []
    for n in range(runs):
        out = work / f"first-{n}"
        first.append(time_command(logbook("export", "--out", str(out)), env=env, runs=1))
        if n < runs - 1:
            shutil.rmtree(out)
    times = sorted(t.median for t in first)
    rows.append(
        Row(
            "export (first run)",
            label,
            Timing(
                times[len(times) // 2], times[0], times[-1], max(t.peak_mb for t in first), runs
            ),
            "≤ 3 s",
            f"{ideas + papers:,} files",
        )
    )
    out = work / f"first-{runs - 1}"
    rows.append(
        Row(
            "export (no change)",
            label,
            time_command(logbook("export", "--out", str(out)), env=env, runs=runs),
            "≤ 0.5 s",
        )
    )
    rows.append(
        Row(
            "export --force (no change, every file compared)",
            label,
            time_command(logbook("export", "--out", str(out), "--force"), env=env, runs=runs),
        )
    )

    # The hook in a real repository: install, one commit that carries the export, then time
    # the hook script itself when nothing changed.
    repo = work / "blog"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.name", "Bench")
    _git(repo, "config", "user.email", "bench@example.org")
    subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "logbook",
            "--db",
            str(db),
            "hook",
            "install",
            "--repo",
            str(repo),
        ],
        check=True,
        capture_output=True,
        env={**env, "PATH": __import__("os").environ["PATH"]},
    )
    (repo / "index.md").write_text("hello\n")
    _git(repo, "add", "index.md")
    _git(repo, "commit", "-q", "-m", "first")
    rows.append(
        Row(
            "git pre-commit hook (no change)",
            label,
            time_command(["sh", str(repo / ".git/hooks/pre-commit")], env=env, cwd=repo, runs=runs),
            "≤ 0.5 s",
        )
    )
    return rows
