"""Related entries: ``logbook related`` on 10k entries, with and without the cache."""

from __future__ import annotations

from pathlib import Path

from harness import Row, build_store, logbook, time_command


def run(work: Path, quick: bool) -> list[Row]:
    runs = 3 if quick else 5
    db = build_store(work / "related-10k.db", ideas=8_000, papers=2_000)
    env = {
        "LOGBOOK_DB": str(db),
        "LOGBOOK_CONFIG": str(work / "none.yaml"),
        "LOGBOOK_CACHE_DIR": str(work / "cache"),
    }
    label = "8,000 ideas + 2,000 papers"
    return [
        Row(
            "related (no cache)",
            label,
            time_command(
                logbook("related", "17"), env={**env, "LOGBOOK_CACHE_DIR": "-"}, runs=runs
            ),
            note="counts and weights every entry's phrases",
        ),
        Row(
            "related",
            label,
            time_command(logbook("related", "17", "--json"), env=env, runs=runs),
            "≤ 1 s",
            "first run builds the index, later runs load it from the cache",
        ),
    ]
