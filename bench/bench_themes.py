"""Themes: ``logbook themes`` (and ``themes apply``) on 10k entries, with peak memory."""

from __future__ import annotations

from pathlib import Path

from harness import Row, build_store, logbook, time_command


def run(work: Path, quick: bool) -> list[Row]:
    runs = 3 if quick else 5
    db = build_store(work / "themes-10k.db", ideas=8_000, papers=2_000)
    env = {
        "LOGBOOK_DB": str(db),
        "LOGBOOK_CONFIG": str(work / "none.yaml"),
        "LOGBOOK_CACHE_DIR": str(work / "cache"),
    }
    cold = {**env, "LOGBOOK_CACHE_DIR": "-"}
    label = "8,000 ideas + 2,000 papers"
    rows = [
        Row(
            "themes (no cache)",
            label,
            time_command(logbook("themes"), env=cold, runs=runs),
            "≤ 3 s",
            "every run reads and counts all entries",
        ),
        Row(
            "themes",
            label,
            time_command(logbook("themes"), env=env, runs=runs),
            "≤ 3 s",
            "first run counts, later runs use the cache",
        ),
        Row(
            "themes --kind paper --json",
            label,
            time_command(logbook("themes", "--kind", "paper", "--json"), env=cold, runs=runs),
        ),
    ]
    # apply writes the auto tags of the 50 best phrase themes once, then finds nothing to change
    rows.append(
        Row(
            "themes apply",
            label,
            time_command(logbook("themes", "apply"), env=env, runs=runs),
            note="first run writes the auto tags (random text: each theme is on ~half the entries)",
        )
    )
    return rows
