"""Publishing: ``publish --week --dry-run`` on a store of 10k ideas and 2k papers."""

from __future__ import annotations

from pathlib import Path

from harness import Row, build_store, logbook, time_command


def run(work: Path, quick: bool) -> list[Row]:
    runs = 3 if quick else 7
    db = build_store(work / "publish.db", ideas=10_000, papers=2_000)
    site = work / "site"
    site.mkdir()
    env = {"LOGBOOK_DB": str(db), "LOGBOOK_CONFIG": str(work / "none.yaml")}
    label = "10,000 ideas + 2,000 papers"
    return [
        Row(
            "idea list --week this (reference: start-up + one query)",
            label,
            time_command(logbook("idea", "list", "--week", "this"), env=env, runs=runs),
        ),
        Row(
            "publish --week --dry-run",
            label,
            time_command(logbook("publish", "--week", "--dry-run"), env=env, runs=runs),
            "≤ 1 s",
        ),
        Row(
            "publish --week last --dry-run",
            label,
            time_command(logbook("publish", "--week", "last", "--dry-run"), env=env, runs=runs),
        ),
        Row(
            "publish --week --site SITE",
            label,
            time_command(logbook("publish", "--week", "--site", str(site)), env=env, runs=runs),
            note="writes and records; later runs find it unchanged",
        ),
        Row(
            "publish --paper 1 --stdout",
            label,
            time_command(logbook("publish", "--paper", "1", "--stdout"), env=env, runs=runs),
        ),
    ]
